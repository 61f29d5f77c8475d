"""Tab "Tóm tắt báo cáo": a structured summary of an indexed or uploaded report, with its sources."""
from __future__ import annotations

import gradio as gr

from ..summarising import summarize
from .common import error_status
from .render import esc, status_html, summary_markdown
from .uploads import ALLOWED_EXT, checked_path


def summary_run(doc_id: str | None, file, progress=gr.Progress()):  # noqa: B008
    """(status html, summary markdown) for the uploaded file, else the chosen document."""
    try:
        if file is not None:
            target = str(checked_path(file))
        elif doc_id:
            target = doc_id
        else:
            return status_html("Chọn một báo cáo đã nạp hoặc tải lên tệp cần tóm tắt.", ok=False), ""
        progress(0.1, desc="Đang đọc và tóm tắt báo cáo…")
        answer = summarize(target)
        if answer.error:
            return status_html(answer.error, ok=False), esc(answer.text or "")
        return status_html("Đã tóm tắt xong."), summary_markdown(answer.text, answer.sources, answer.findings)
    except Exception as exc:  # noqa: BLE001
        return error_status(exc), ""


def build() -> gr.Dropdown:
    """Lay out the tab and wire /summarize; returns the document dropdown (the documents tab fills it)."""
    with gr.Row():
        doc = gr.Dropdown(label="Báo cáo đã nạp", choices=[], scale=3, elem_id="summary-doc", allow_custom_value=True)
        file = gr.File(label="Hoặc tải lên báo cáo", file_types=list(ALLOWED_EXT), scale=2)
    run = gr.Button("Tóm tắt", variant="primary")
    status = gr.HTML()
    out = gr.Markdown(elem_id="summary-out", sanitize_html=True)
    run.click(summary_run, [doc, file], [status, out], api_name="summarize")
    return doc
