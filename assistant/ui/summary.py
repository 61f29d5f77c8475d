"""Tab "Tóm tắt báo cáo": a structured summary of an indexed or uploaded report (its figures as a
table grouped by field and period, each section's substance) and, for two reports of one unit, the
same indicators of the two periods side by side, exportable to Word.

API: /summarize (report → status, summary), /compare_reports (two reports → status, table),
/export_comparison (the last comparison → Word file)."""
from __future__ import annotations

import gradio as gr

from ..export import export_comparison_docx
from ..index import get_index
from ..summarising import Summary, compare_summaries, read_summary, summarize
from ..summarising.compare import COMPARISON_HEADERS, comparison_rows, period_heading
from ..summarising.render import FIGURE_HEADERS, figure_rows
from ..units import record_unit, same_unit
from .common import error_status
from .render import document_choices, esc, status_html, summary_markdown
from .uploads import ALLOWED_EXT, checked_path


def _target(doc_id: str | None, file) -> str | None:
    if file is not None:
        return str(checked_path(file))
    return doc_id or None


def summary_run(doc_id: str | None, file, progress=gr.Progress()):  # noqa: B008
    """(status html, summary markdown, state) for the uploaded file, else the chosen document."""
    try:
        target = _target(doc_id, file)
        if not target:
            return status_html("Chọn một báo cáo đã nạp hoặc tải lên tệp cần tóm tắt.", ok=False), "", None
        progress(0.1, desc="Đang đọc và tóm tắt báo cáo…")
        answer = summarize(target)
        state = {"summary": answer.summary}
        if answer.error:
            return status_html(answer.error, ok=False), esc(answer.text or ""), state
        return (status_html("Đã tóm tắt xong."), summary_markdown(answer.text, answer.sources, answer.findings),
                state)
    except Exception as exc:  # noqa: BLE001
        return error_status(exc), "", None


def figures_table(state: dict | None) -> dict:
    """The figures of the last summary, grouped by field and period (the table under the summary)."""
    rows = figure_rows(Summary.from_dict(state["summary"])) if state and state.get("summary") else []
    return {"headers": FIGURE_HEADERS, "data": rows}


def comparison_table(comparison: dict) -> dict:
    """The comparison as the app's table: the period columns named by their reports."""
    headers = list(COMPARISON_HEADERS)
    headers[2], headers[3] = period_heading(comparison["a"]), period_heading(comparison["b"])
    return {"headers": headers, "data": comparison_rows(comparison)}


def compare_run(doc_a: str | None, file_a, doc_b: str | None, file_b):
    """(status html, comparison table, state): the same indicators of report A and report B (the
    period before) side by side; read from the reports alone, without the model."""
    empty = {"headers": COMPARISON_HEADERS, "data": []}
    try:
        a, b = _target(doc_a, file_a), _target(doc_b, file_b)
        if not a or not b:
            return status_html("Chọn báo cáo kỳ này và báo cáo kỳ trước (cùng đơn vị) để so sánh.", ok=False), empty, None
        comparison = compare_summaries(read_summary(a), read_summary(b))
        both = sum(1 for r in comparison["rows"] if r.get("a") and r.get("b"))
        message = comparison.get("warning") or (f"{both} chỉ tiêu có ở cả hai kỳ; "
                                                f"{len(comparison['rows']) - both} chỉ tiêu chỉ có ở một kỳ.")
        return status_html(message, ok=not comparison.get("warning")), comparison_table(comparison), \
            {"comparison": comparison}
    except Exception as exc:  # noqa: BLE001
        return error_status(exc), empty, None


def comparison_export(state: dict | None):
    try:
        if not state or not state.get("comparison"):
            return gr.update(value=None, visible=False), status_html("Hãy so sánh hai báo cáo trước khi xuất.",
                                                                     ok=False)
        path = export_comparison_docx(state["comparison"])
        return gr.update(value=str(path), visible=True), status_html(f"Đã xuất bảng so sánh: {path.name}")
    except Exception as exc:  # noqa: BLE001
        return gr.update(value=None, visible=False), error_status(exc)


def same_unit_choices(doc_a: str | None) -> list[tuple[str, str]]:
    """Reports to compare with: those of the same unit as the chosen report (all when none is chosen
    or its unit is unknown), without the report itself."""
    documents = get_index().documents()
    chosen = next((d for d in documents if d.doc_id == doc_a), None)
    unit = record_unit(chosen) if chosen is not None else None
    kept = [d for d in documents if d.doc_id != doc_a and (unit is None or same_unit(record_unit(d), unit))]
    return document_choices(kept)


def _refresh_choices(doc_a: str | None):
    try:
        return gr.update(choices=same_unit_choices(doc_a))
    except Exception:  # noqa: BLE001 - the list stays as it was; choosing a file still works
        return gr.update()


def build() -> gr.Dropdown:
    """Lay out the tab and wire its events; returns the document dropdown (the documents tab fills it)."""
    with gr.Row():
        doc = gr.Dropdown(label="Báo cáo đã nạp", choices=[], scale=3, elem_id="summary-doc", allow_custom_value=True)
        file = gr.File(label="Hoặc tải lên báo cáo", file_types=list(ALLOWED_EXT), scale=2)
    run = gr.Button("Tóm tắt", variant="primary")
    status = gr.HTML()
    out = gr.Markdown(elem_id="summary-out", sanitize_html=True)
    figures = gr.Dataframe(headers=FIGURE_HEADERS, label="Số liệu theo lĩnh vực và kỳ", interactive=False, wrap=True,
                           elem_id="summary-figures", column_count=len(FIGURE_HEADERS),
                           column_widths=["16%", "14%", "40%", "14%", "10%", "6%"])
    state = gr.State(None)
    run.click(summary_run, [doc, file], [status, out, state], api_name="summarize").then(
        figures_table, [state], [figures], api_name=False)

    gr.Markdown("### So sánh với kỳ trước")
    with gr.Row():
        doc_b = gr.Dropdown(label="Báo cáo kỳ trước (cùng đơn vị)", choices=[], scale=3, elem_id="summary-compare-doc",
                            allow_custom_value=True)
        file_b = gr.File(label="Hoặc tải lên báo cáo kỳ trước", file_types=list(ALLOWED_EXT), scale=2)
    compare = gr.Button("So sánh hai kỳ")
    compare_status = gr.HTML()
    table = gr.Dataframe(headers=COMPARISON_HEADERS, label="Các chỉ tiêu của hai kỳ", interactive=False, wrap=True,
                         elem_id="summary-comparison", column_count=len(COMPARISON_HEADERS))
    with gr.Row():
        export_btn = gr.Button("Xuất bảng so sánh (Word)")
        export_file = gr.File(label="Tệp xuất", visible=False, interactive=False)
    export_status = gr.HTML()
    compared = gr.State(None)
    doc_b.focus(_refresh_choices, [doc], [doc_b], api_name=False)
    compare.click(compare_run, [doc, file, doc_b, file_b], [compare_status, table, compared], api_name="compare_reports")
    export_btn.click(comparison_export, [compared], [export_file, export_status], api_name="export_comparison")
    return doc
