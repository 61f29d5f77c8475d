"""Tab "Trò chuyện": questions and report drafting streamed into the chat, the sources panel, the
automatic check's findings, and export (the last draft as Word, otherwise the chat as Markdown)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

import gradio as gr

from ..answering import NOT_FOUND, ask_stream
from ..answers import Answer, Event
from ..drafting import draft_chain
from ..export import export_chat_markdown, export_draft_docx
from ..text import fold
from .common import error_status, optional, parse_date, user_error
from .render import esc, findings_html, link_markers, plain_history, sources_html, status_html

MODE_ASK = "Hỏi đáp"
MODE_DRAFT = "Soạn mục báo cáo"
# A message opening with "Soạn…", "Viết…" or "Dự thảo…" (accents folded) asks for a draft.
DRAFT_REQUEST_OPENING = re.compile(r"^\s*(soan|viet|du thao)\b")
SEARCHING = "⏳ Đang tìm trong tài liệu…"
WRITING = "⏳ Đang soạn câu trả lời…"


def is_draft_request(message: str, mode: str) -> bool:
    return mode == MODE_DRAFT or bool(DRAFT_REQUEST_OPENING.match(fold(message or "")))


def job_events(message: str, draft: bool, unit: str, report_date) -> Iterator[Event]:
    """The drafting or answering job's events (the same runnables as the command line)."""
    if draft:
        day = parse_date(report_date)
        return draft_chain().stream({"request": message, "unit": optional(unit),
                                     "report_date": day.isoformat() if day else None})
    return ask_stream(message)


def in_progress(answer: Answer) -> str:
    """The text so far (escaped), with what the job is doing now beneath it."""
    text = esc(answer.text)
    if not answer.progress:
        return text or WRITING
    return f"{text}\n\n⏳ {esc(answer.progress)}" if text else f"⏳ {esc(answer.progress)}"


def chat_updates(events: Iterable[Event], history: list, state: dict, draft: bool):
    """Turn a job's events into chat updates: (history, sources html, findings html, state) each.

    Every event shows the text so far and what is being done ("plan", "part": a draft's outline and
    the part being written; "token": more text); the sources panel is redrawn when the sources
    change (the passages come before the text; a draft gathers them part by part). "error": the
    job's message, and the stream stops. At "done" (or the last event): the final text with its [n]
    markers linked, its sources and its findings."""
    answer, shown = None, []
    for event in events:
        answer = event.answer
        if event.kind == "done":
            continue
        if event.kind == "error":
            history[-1]["content"] = "⚠️ " + esc(answer.error or "Mô hình không trả lời.")
            yield history, sources_html(answer.sources), findings_html(answer.findings), state
            return
        history[-1]["content"] = in_progress(answer)
        if answer.sources != shown:
            shown = list(answer.sources)
            yield history, sources_html(answer.sources), "", state
        else:
            yield history, gr.skip(), gr.skip(), state
    if answer is not None:
        nearest = not draft and answer.text.startswith(NOT_FOUND)
        history[-1]["content"] = link_markers(answer.text, answer.sources) or "(không có nội dung)"
        state.update(text=answer.text, sources=answer.sources, findings=list(answer.findings))
        yield history, sources_html(answer.sources, nearest), findings_html(answer.findings), state


def chat_respond(message: str, history: list | None, mode: str, unit: str = "", report_date: str = ""):
    """Stream one answer into the chat; yields (history, sources html, findings html, last-answer state)."""
    history = list(history or [])
    message = (message or "").strip()
    if not message:
        yield history, gr.skip(), gr.skip(), gr.skip()
        return
    draft = is_draft_request(message, mode)
    history = history + [{"role": "user", "content": esc(message)},
                         {"role": "assistant", "content": SEARCHING}]
    state = {"kind": "draft" if draft else "ask", "request": message, "text": "", "sources": [], "findings": []}
    yield history, gr.skip(), "", state
    try:
        yield from chat_updates(job_events(message, draft, unit, report_date), history, state, draft)
    except Exception as exc:  # noqa: BLE001
        history[-1]["content"] = "⚠️ " + esc(user_error(exc))
        yield history, gr.skip(), gr.skip(), state


def chat_clear():
    return [], sources_html([]), "", None, gr.update(value=None, visible=False)


def chat_export(history: list | None, last: dict | None, unit: str = "", number: str = "", place: str = "",
                report_date: str = "", title: str = ""):
    """The last draft as Word (.docx), otherwise the whole conversation as Markdown."""
    try:
        if last and last.get("kind") == "draft" and last.get("text"):
            path = export_draft_docx(last["text"], unit=optional(unit), number=optional(number),
                                     place=optional(place), date=parse_date(report_date) or date.today(),
                                     title=optional(title))
            msg = f"Đã xuất bản thảo ra Word: {path.name}"
        elif history:
            path = export_chat_markdown(plain_history(history))
            msg = f"Đã xuất cuộc trò chuyện ra Markdown: {path.name}"
        else:
            return gr.update(value=None, visible=False), status_html("Chưa có nội dung để xuất.", ok=False)
        return gr.update(value=str(path), visible=True), status_html(msg)
    except Exception as exc:  # noqa: BLE001
        return gr.update(value=None, visible=False), error_status(exc)


def build() -> None:
    """Lay out the tab and wire its events (API names /chat and /export_chat)."""
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="Trò chuyện", height=520, elem_id="chatbot", buttons=["copy"],
                                 placeholder="Hỏi về tài liệu đã nạp, hoặc yêu cầu soạn một mục báo cáo "
                                             "(bắt đầu bằng “Soạn…”, “Viết…”, “Dự thảo…”).",
                                 feedback_options=None, sanitize_html=True)
            findings = gr.HTML(elem_id="chat-findings")
            with gr.Row():
                msg = gr.Textbox(show_label=False, placeholder="Nhập câu hỏi hoặc yêu cầu soạn thảo rồi nhấn Enter…",
                                 scale=5, lines=1, max_lines=6, elem_id="chat-input", autofocus=True)
                send = gr.Button("Gửi", variant="primary", scale=1, elem_id="chat-send")
            with gr.Row():
                mode = gr.Radio([MODE_ASK, MODE_DRAFT], value=MODE_ASK, label="Chế độ", scale=3)
                clear = gr.Button("Cuộc trò chuyện mới", scale=1)
                export_btn = gr.Button("Xuất (Word/Markdown)", scale=1, elem_id="chat-export")
            export_file = gr.File(label="Tệp xuất", visible=False, interactive=False)
            export_status = gr.HTML()
            with gr.Accordion("Thông tin văn bản (dùng khi soạn và xuất Word)", open=False):
                with gr.Row():
                    unit = gr.Textbox(label="Cơ quan/đơn vị", placeholder="UBND xã Bình Thành")
                    number = gr.Textbox(label="Số/ký hiệu", placeholder="…/BC-UBND")
                    place = gr.Textbox(label="Địa danh", placeholder="Bình Thành")
                with gr.Row():
                    rdate = gr.Textbox(label="Ngày báo cáo", placeholder="05/01/2026 (để trống: hôm nay)")
                    title = gr.Textbox(label="Trích yếu", placeholder="Báo cáo kết quả thực hiện …")
        with gr.Column(scale=2):
            sources = gr.HTML(sources_html([]), label="Nguồn", elem_id="chat-sources")
    last = gr.State(None)
    outs = [chatbot, sources, findings, last]
    ev = {"fn": chat_respond, "inputs": [msg, chatbot, mode, unit, rdate], "outputs": outs}
    send.click(**ev, api_name="chat")
    msg.submit(**ev, api_visibility="private")
    for trigger in (send.click, msg.submit):
        trigger(lambda: "", None, msg, queue=False, api_visibility="private")
    clear.click(chat_clear, None, [chatbot, sources, findings, last, export_file], queue=False, api_visibility="private")
    export_btn.click(chat_export, [chatbot, last, unit, number, place, rdate, title], [export_file, export_status],
                     api_name="export_chat")
