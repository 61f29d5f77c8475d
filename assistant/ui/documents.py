"""Tab "Tài liệu": the indexed documents, uploads ingested with a progress bar (the same path as
`assistant ingest`), deletion, local documents added to the citation registry, and the task register
of the legal texts (what they give the commune to do) with its Word appendix."""
from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..citations import RegistryEntry, load_registry, normalise_number
from ..config import get_settings
from ..index import get_index
from ..ingestion import delete_document, ingest_paths
from ..progress import CallbackProgress
from .common import error_status, optional, parse_date
from .render import (
    DOC_HEADERS,
    document_choices,
    documents_rows,
    ingest_lines,
    legal_choices,
    register_html,
    status_html,
)
from .tasks import export_appendix, registers_of
from .uploads import ALLOWED_EXT, save_upload, uploads_dir

DOC_TYPES = ["Nghị quyết", "Quyết định", "Chỉ thị", "Kế hoạch", "Báo cáo", "Công văn", "Thông báo",
             "Tờ trình", "Hướng dẫn", "Chương trình", "Đề án", "Nghị định", "Thông tư", "Luật"]
KEPT_SOURCE_NOTE = " Tệp gốc vẫn còn trong thư mục tài liệu; nếu còn ở đó, nó sẽ được nạp lại khi khởi động lại."


def docs_refresh():
    """(table, delete dropdown, summary dropdown, task-register dropdown, status)."""
    try:
        documents = get_index().documents()
        choices = document_choices(documents)
        msg = status_html(f"Chỉ mục có {len(choices)} tài liệu.")
        return (documents_rows(documents), gr.update(choices=choices, value=None),
                gr.update(choices=choices, value=None), gr.update(choices=legal_choices(documents), value=[]), msg)
    except Exception as exc:  # noqa: BLE001
        return [], gr.update(choices=[]), gr.update(choices=[]), gr.update(choices=[]), error_status(exc)


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


def tasks_show(doc_ids: list[str] | None):
    """(register html, status): the register of each chosen legal text."""
    try:
        if not doc_ids:
            return "", status_html("Chọn một hoặc nhiều văn bản quy phạm (nghị định, thông tư, luật) đã nạp.", ok=False)
        registers = registers_of(list(doc_ids))
        total = sum(len(r.tasks) for r in registers)
        return ("".join(register_html(r) for r in registers),
                status_html(f"{len(registers)} văn bản; {total} nhiệm vụ của cấp xã."))
    except Exception as exc:  # noqa: BLE001
        return "", error_status(exc)


def tasks_export(doc_ids: list[str] | None, unit: str, report_number: str, report_date: str):
    """(file, status): the chosen texts' registers as one Word appendix."""
    try:
        if not doc_ids:
            return gr.update(value=None, visible=False), status_html("Chọn văn bản cần lập phụ lục.", ok=False)
        registers = registers_of(list(doc_ids))
        path = export_appendix(registers, unit=optional(unit), report_number=optional(report_number),
                               report_date=parse_date(report_date))
        return gr.update(value=str(path), visible=True), status_html(f"Đã xuất phụ lục ra Word: {path.name}")
    except Exception as exc:  # noqa: BLE001
        return gr.update(value=None, visible=False), error_status(exc)


def build(summary_choice: gr.Dropdown) -> tuple[gr.Dataframe, gr.Dropdown, gr.Dropdown, gr.HTML]:
    """Lay out the tab and wire /documents, /upload, /delete_document, /registry_add, /task_register
    and /export_appendix; every change refreshes `summary_choice` (the summary tab's list) too.
    Returns (table, delete dropdown, task-register dropdown, status)."""
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
    with gr.Accordion("Danh mục nhiệm vụ của cấp xã (từ nghị định, thông tư, luật đã nạp)", open=False,
                      elem_id="tasks-panel"):
        t_docs = gr.Dropdown(label="Văn bản", choices=[], multiselect=True, elem_id="tasks-docs")
        t_show = gr.Button("Xem danh mục nhiệm vụ", variant="primary", elem_id="tasks-show")
        t_status = gr.HTML(elem_id="tasks-status")
        t_view = gr.HTML(elem_id="tasks-view")
        with gr.Row():
            t_unit = gr.Textbox(label="Đơn vị (cột kết quả lấy từ báo cáo của đơn vị)", placeholder="UBND xã Bình Thành")
            t_number = gr.Textbox(label="Kèm theo báo cáo số", placeholder="…/BC-UBND")
            t_date = gr.Textbox(label="Ngày báo cáo", placeholder="05/01/2026")
        t_export = gr.Button("Xuất phụ lục (Word)", elem_id="tasks-export")
        t_file = gr.File(label="Tệp xuất", visible=False, interactive=False, elem_id="tasks-file")
    listing = [table, del_dd, summary_choice, t_docs, status]
    refresh_btn.click(docs_refresh, None, listing, api_name="documents")
    upload_btn.click(docs_upload, [files], [upload_status, *listing], api_name="upload",
                     concurrency_limit=1).then(lambda: None, None, files, queue=False, api_visibility="private")
    del_btn.click(docs_delete, [del_dd], [del_status, *listing], api_name="delete_document", concurrency_limit=1)
    r_btn.click(registry_add, [r_number, r_type, r_date, r_issuer, r_title], [r_status], api_name="registry_add")
    t_show.click(tasks_show, [t_docs], [t_view, t_status], api_name="task_register")
    t_export.click(tasks_export, [t_docs, t_unit, t_number, t_date], [t_file, t_status], api_name="export_appendix")
    return table, del_dd, t_docs, status
