"""Tab "Tài liệu": the indexed documents, uploads ingested with a progress bar (the same path as
`assistant ingest`), deletion, and local documents added to the citation registry."""
from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..citations import RegistryEntry, load_registry, normalise_number
from ..config import get_settings
from ..index import get_index
from ..ingestion import delete_document, ingest_paths
from ..progress import CallbackProgress
from .common import error_status, optional, parse_date
from .render import DOC_HEADERS, document_choices, documents_rows, ingest_lines, status_html
from .uploads import ALLOWED_EXT, save_upload, uploads_dir

DOC_TYPES = ["Nghị quyết", "Quyết định", "Chỉ thị", "Kế hoạch", "Báo cáo", "Công văn", "Thông báo",
             "Tờ trình", "Hướng dẫn", "Chương trình", "Đề án", "Nghị định", "Thông tư", "Luật"]
KEPT_SOURCE_NOTE = " Tệp gốc vẫn còn trong thư mục tài liệu; nếu còn ở đó, nó sẽ được nạp lại khi khởi động lại."


def docs_refresh():
    """(table, delete dropdown, summary dropdown, status)."""
    try:
        documents = get_index().documents()
        choices = document_choices(documents)
        msg = status_html(f"Chỉ mục có {len(choices)} tài liệu.")
        return (documents_rows(documents), gr.update(choices=choices, value=None),
                gr.update(choices=choices, value=None), msg)
    except Exception as exc:  # noqa: BLE001
        return [], gr.update(choices=[]), gr.update(choices=[]), error_status(exc)


def docs_upload(files, progress=gr.Progress()):  # noqa: B008
    """Save uploads under data_dir/uploads, ingest them (same path as `assistant ingest`), report."""
    files = [f for f in (files or []) if f is not None]
    if not files:
        return (status_html("Chọn tệp (.pdf, .docx, .md, .txt) để tải lên.", ok=False), *docs_refresh())
    body, saved, names = [], [], {}
    for f in files:
        try:
            path, shown = save_upload(f)
            saved.append(path)
            names[str(path)] = shown
        except Exception as exc:  # noqa: BLE001
            body.append(error_status(exc))
    if saved:
        try:
            report = ingest_paths(get_index(), saved, progress=CallbackProgress(progress), display_names=names,
                                  lock_wait=30)
            body += [status_html(message, ok=ok) for ok, message in ingest_lines(report, names)]
        except Exception as exc:  # noqa: BLE001
            body.append(error_status(exc))
    return ("".join(body), *docs_refresh())


def docs_delete(doc_id: str | None):
    """Remove a document from the index; an uploaded copy is deleted too, a file in a watched folder is not."""
    try:
        if not doc_id:
            return (status_html("Chọn tài liệu cần xóa.", ok=False), *docs_refresh())
        rec = delete_document(get_index(), doc_id)
        if rec is None:
            msg = status_html(f"Không có tài liệu mã '{doc_id}' (có thể đã bị xóa).", ok=False)
        else:
            src = Path(rec.source)
            note = ""
            try:
                if src.resolve().parent == uploads_dir():
                    src.unlink(missing_ok=True)
                else:
                    note = KEPT_SOURCE_NOTE
            except OSError:
                pass
            msg = status_html(f"Đã xóa '{rec.title or src.name}' khỏi chỉ mục.{note}")
        return (msg, *docs_refresh())
    except Exception as exc:  # noqa: BLE001
        return (error_status(exc), *docs_refresh())


def registry_add(number: str, doc_type: str, issued: str, issuer: str, title: str):
    """Add a local document (số/ký hiệu, loại, ngày, cơ quan, trích yếu) to the user's registry."""
    try:
        number, doc_type = (number or "").strip(), (doc_type or "").strip()
        if not number or not doc_type:
            return status_html("Cần nhập số/ký hiệu và loại văn bản.", ok=False)
        entry = RegistryEntry(number=normalise_number(number), doc_type=doc_type, issuer=optional(issuer),
                              date=parse_date(issued), effective_date=None, title=optional(title),
                              source="người dùng nhập (ứng dụng)", confidence="user")
        load_registry().add(entry, persist=True)
        return status_html(f"Đã thêm {doc_type} {entry.number} vào danh mục văn bản để kiểm tra trích dẫn.")
    except Exception as exc:  # noqa: BLE001
        return error_status(exc)


def build(summary_choice: gr.Dropdown) -> tuple[gr.Dataframe, gr.Dropdown, gr.HTML]:
    """Lay out the tab and wire /documents, /upload, /delete_document and /registry_add; every change
    refreshes `summary_choice` (the summary tab's list) too. Returns (table, delete dropdown, status)."""
    settings = get_settings()
    status = gr.HTML(elem_id="docs-status")
    table = gr.Dataframe(headers=DOC_HEADERS, label="Tài liệu đã nạp", interactive=False, wrap=True,
                         elem_id="docs-table", column_count=len(DOC_HEADERS),
                         column_widths=["11%", "9%", "12%", "9%", "38%", "7%", "14%"])
    refresh_btn = gr.Button("Làm mới danh sách", size="sm")
    with gr.Row():
        with gr.Column():
            gr.Markdown("### Tải lên tài liệu")
            files = gr.File(label=f"Tệp .pdf, .docx, .md, .txt (tối đa {settings.max_upload_mb:g} MB mỗi tệp)",
                            file_count="multiple", file_types=list(ALLOWED_EXT), elem_id="docs-upload")
            upload_btn = gr.Button("Nạp vào chỉ mục", variant="primary", elem_id="docs-ingest")
            upload_status = gr.HTML(elem_id="docs-upload-status")
        with gr.Column():
            gr.Markdown("### Xóa tài liệu")
            del_dd = gr.Dropdown(label="Tài liệu", choices=[], elem_id="docs-delete-choice", allow_custom_value=True)
            del_btn = gr.Button("Xóa khỏi chỉ mục", variant="stop")
            del_status = gr.HTML()
    with gr.Accordion("Thêm văn bản địa phương vào danh mục (để kiểm tra trích dẫn)", open=False):
        with gr.Row():
            r_number = gr.Textbox(label="Số/ký hiệu", placeholder="05/QĐ-UBND")
            r_type = gr.Dropdown(DOC_TYPES, label="Loại văn bản", allow_custom_value=True, value="Quyết định")
            r_date = gr.Textbox(label="Ngày ban hành", placeholder="05/01/2026")
        with gr.Row():
            r_issuer = gr.Textbox(label="Cơ quan ban hành", placeholder="UBND xã Bình Thành")
            r_title = gr.Textbox(label="Trích yếu", placeholder="Về việc …")
        r_btn = gr.Button("Thêm vào danh mục")
        r_status = gr.HTML()
    listing = [table, del_dd, summary_choice, status]
    refresh_btn.click(docs_refresh, None, listing, api_name="documents")
    upload_btn.click(docs_upload, [files], [upload_status, *listing], api_name="upload",
                     concurrency_limit=1).then(lambda: None, None, files, queue=False, api_visibility="private")
    del_btn.click(docs_delete, [del_dd], [del_status, *listing], api_name="delete_document", concurrency_limit=1)
    r_btn.click(registry_add, [r_number, r_type, r_date, r_issuer, r_title], [r_status], api_name="registry_add")
    return table, del_dd, status
