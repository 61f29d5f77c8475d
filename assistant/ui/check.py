"""Tab "Kiểm tra trích dẫn": every citation of a pasted or uploaded report checked against the
registry (and the documents already indexed), findings highlighted in the text, and a Word report."""
from __future__ import annotations

import gradio as gr

from ..citations import check_text
from ..config import Settings
from ..export import export_check_docx
from ..index import registry_with_corpus
from ..labels import severity_counts
from ..text import nfc
from .common import error_status, parse_date
from .render import (
    CITATION_HEADERS,
    FINDING_HEADERS,
    check_summary,
    citation_rows,
    findings_rows,
    highlight_html,
    status_html,
)
from .uploads import ALLOWED_EXT, read_upload_text


def check_run(text: str, file, report_date: str):
    """Check every citation; returns (highlighted html, findings table, citations table, summary, state)."""
    try:
        if file is not None:
            text = read_upload_text(file)
        text = nfc(text or "")
        if not text.strip():
            return ("", [], [], status_html("Dán văn bản hoặc tải lên tệp .docx/.pdf/.txt để kiểm tra.", ok=False),
                    None)
        result = check_text(text, report_date=parse_date(report_date), registry=registry_with_corpus())
        summary = check_summary(result.report_date, result.citations, result.findings)
        state = {"text": text, "result": result.to_dict()}
        return (highlight_html(text, result.findings), findings_rows(result.findings),
                citation_rows(result.citations),
                status_html(summary, ok=severity_counts(result.findings)["error"] == 0), state)
    except Exception as exc:  # noqa: BLE001
        return "", [], [], error_status(exc), None


def check_export(state: dict | None):
    try:
        if not state:
            return gr.update(value=None, visible=False), status_html("Hãy kiểm tra một văn bản trước khi xuất.",
                                                                     ok=False)
        path = export_check_docx(state["text"], state["result"])
        return gr.update(value=str(path), visible=True), status_html(f"Đã xuất báo cáo kiểm tra: {path.name}")
    except Exception as exc:  # noqa: BLE001
        return gr.update(value=None, visible=False), error_status(exc)


def build(settings: Settings) -> None:
    """Lay out the tab and wire its events (API names /check and /export_check)."""
    with gr.Row():
        with gr.Column(scale=2):
            text = gr.Textbox(label="Văn bản cần kiểm tra", lines=14, max_lines=30, elem_id="check-text",
                              placeholder="Dán nội dung báo cáo vào đây, hoặc tải lên tệp bên dưới.")
            file = gr.File(label=f"Hoặc tải lên tệp (.docx, .pdf, .txt, .md; tối đa {settings.max_upload_mb:g} MB)",
                           file_types=list(ALLOWED_EXT), elem_id="check-file")
            with gr.Row():
                rdate = gr.Textbox(label="Ngày báo cáo (tùy chọn)", placeholder="05/01/2026", scale=2)
                run = gr.Button("Kiểm tra", variant="primary", scale=1, elem_id="check-run")
        with gr.Column(scale=3):
            summary = gr.HTML(elem_id="check-summary")
            marked = gr.HTML(elem_id="check-highlight")
    findings = gr.Dataframe(headers=FINDING_HEADERS, label="Các phát hiện", interactive=False, wrap=True,
                            elem_id="check-findings", column_count=len(FINDING_HEADERS),
                            column_widths=["9%", "14%", "37%", "22%", "18%"])
    citations = gr.Dataframe(headers=CITATION_HEADERS, label="Tất cả trích dẫn", interactive=False, wrap=True,
                             column_count=len(CITATION_HEADERS), column_widths=["36%", "11%", "14%", "10%", "15%", "14%"])
    with gr.Row():
        export_btn = gr.Button("Xuất báo cáo kiểm tra (Word)")
        export_file = gr.File(label="Tệp xuất", visible=False, interactive=False)
    export_status = gr.HTML()
    state = gr.State(None)
    run.click(check_run, [text, file, rdate], [marked, findings, citations, summary, state], api_name="check")
    export_btn.click(check_export, [state], [export_file, export_status], api_name="export_check")
