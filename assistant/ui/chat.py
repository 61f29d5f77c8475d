"""Tab "Trò chuyện": questions and report drafting streamed into the chat, a draft shown part by part
as it is written (its sources and findings per part), the sources panel, saved conversations in the
side panel, the draft editor, and export (the last draft as Word, otherwise the chat as Markdown).

Nothing is lost on a crash mid-answer: the question and an empty answer marked pending are saved
before the model runs, the text so far is saved every few seconds and at each new part, and an
answer that stops early (a lost connection, a stopped app) keeps its text with a "cut" mark.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator
from datetime import date

import gradio as gr

from ..answering import NOT_FOUND, ask_stream
from ..answers import Answer, Event
from ..conversations import CUT, DONE, ERROR, PENDING, Conversation, ConversationStore, get_store
from ..drafting import draft_chain
from ..export import export_chat_markdown, export_draft_docx
from ..text import fold
from . import editor, sidebar
from .common import error_status, optional, owner_of, parse_date, user_error
from .render import (
    draft_parts_html,
    esc,
    findings_html,
    history_from,
    link_markers,
    live_part_text,
    plain_history,
    sources_html,
    status_html,
)

log = logging.getLogger(__name__)
MODE_ASK = "Hỏi đáp"
MODE_DRAFT = "Soạn mục báo cáo"
# A message opening with "Soạn…", "Viết…" or "Dự thảo…" (accents folded) asks for a draft.
DRAFT_REQUEST_OPENING = re.compile(r"^\s*(soan|viet|du thao)\b")
SEARCHING = "⏳ Đang tìm trong tài liệu…"
WRITING = "⏳ Đang soạn câu trả lời…"
SAVE_EVERY = 2.0  # seconds between saves of an answer that is still growing


def is_draft_request(message: str, mode: str) -> bool:
    return mode == MODE_DRAFT or bool(DRAFT_REQUEST_OPENING.match(fold(message or "")))


def job_events(message: str, draft: bool, unit: str, report_date) -> Iterator[Event]:
    """The drafting or answering job's events (the same runnables as the command line); the unit
    whose figures count goes to both."""
    if draft:
        day = parse_date(report_date)
        return draft_chain().stream({"request": message, "unit": optional(unit),
                                     "report_date": day.isoformat() if day else None})
    return ask_stream(message, unit=optional(unit))


def in_progress(answer: Answer) -> str:
    """The text so far (escaped), with what the job is doing now beneath it."""
    text = esc(answer.text)
    if not answer.progress:
        return text or WRITING
    return f"{text}\n\n⏳ {esc(answer.progress)}" if text else f"⏳ {esc(answer.progress)}"


def chat_updates(events: Iterable[Event], history: list, state: dict, draft: bool, shown: dict | None = None):
    """Turn a job's events into chat updates: (history, sources html, findings html, parts html, state).

    Every event shows the text so far and what is being done ("plan": a draft's outline; "part": the
    part being written; "token": more text); a draft's parts panel shows each part as it is written.
    The sources panel changes when the sources do (the passages come before the text; a draft
    gathers them part by part). "error": the job's message, and the stream stops. At "done" (or the
    last event): the final text with its [n] markers linked, its sources (for a draft, which parts use
    each), and its findings (for a draft, under the part they concern). `state` follows the answer
    (text, sources, findings, parts, error) so the caller can save it.

    Panels that did not change are sent again as they were, never as `gr.skip()`: Gradio sends only
    what changed, and a skip costs it a new component per output per token (measured: ~2.6x the
    postprocessing time of a streamed answer)."""
    panels = {"sources": sources_html([]), "findings": "", "parts": "", **(shown or {})}
    answer, listed = None, None
    heading, writing = "", None

    def out():
        return history, panels["sources"], panels["findings"], panels["parts"], state

    for event in events:
        answer = event.answer
        if event.kind == "done":
            continue
        state.update(text=answer.text, sources=list(answer.sources), parts=answer.parts)
        if event.kind == "error":
            state["error"] = answer.error or "Mô hình không trả lời."
            history[-1]["content"] = "⚠️ " + esc(state["error"])
            panels.update(sources=sources_html(answer.sources), findings=findings_html(answer.findings))
            yield out()
            return
        if event.kind == "plan":
            heading = answer.text
        elif event.kind == "part":
            writing = 0 if writing is None else writing + 1
        state["writing"] = writing
        history[-1]["content"] = in_progress(answer)
        if draft and answer.parts:
            panels["parts"] = draft_parts_html(answer.text, answer.parts, writing=writing,
                                               live=live_part_text(answer.text, heading, answer.parts, writing))
        if answer.sources != listed:
            listed = list(answer.sources)
            panels.update(sources=sources_html(answer.sources), findings="")
        yield out()
    if answer is not None:
        nearest = not draft and answer.text.startswith(NOT_FOUND)
        history[-1]["content"] = link_markers(answer.text, answer.sources) or "(không có nội dung)"
        state.update(text=answer.text, sources=answer.sources, findings=list(answer.findings), parts=answer.parts,
                     nearest=nearest, writing=None)
        if answer.error:
            state["error"] = answer.error
        if draft and answer.parts:
            panels.update(sources=sources_html(answer.sources, parts=answer.parts), findings="",
                          parts=draft_parts_html(answer.text, answer.parts, answer.findings))
        else:
            panels.update(sources=sources_html(answer.sources, nearest), findings=findings_html(answer.findings),
                          parts="")
        yield out()


class AnswerSaver:
    """Keeps the answer being written in the store: its text so far every SAVE_EVERY seconds and at
    each new part, then its end (done, error, or cut when the stream stopped early)."""

    def __init__(self, store: ConversationStore, owner: str, message_id: int):
        self.store, self.owner, self.message_id = store, owner, message_id
        self.saved_at = time.monotonic()
        self.part = None
        self.finished = False

    @staticmethod
    def data(state: dict) -> dict:
        return {k: state.get(k) for k in ("sources", "findings", "parts", "error", "nearest") if state.get(k)}

    def progress(self, state: dict) -> None:
        now = time.monotonic()
        if now - self.saved_at < SAVE_EVERY and state.get("writing") == self.part:
            return
        self.saved_at, self.part = now, state.get("writing")
        self.store.update_message(self.owner, self.message_id, text=state.get("text") or "", status=PENDING,
                                  data=self.data(state))

    def finish(self, state: dict, status: str) -> None:
        if self.finished:
            return
        self.finished = True
        try:
            self.store.update_message(self.owner, self.message_id, text=state.get("text") or "", status=status,
                                      data=self.data(state))
        except Exception as exc:  # noqa: BLE001 - runs in `finally`: never let it raise
            log.warning("Không lưu được câu trả lời: %s", exc)


def start_saving(owner: str, conversation: str | None, message: str, kind: str, unit: str,
                 report_date: str) -> tuple[Conversation, AnswerSaver]:
    """Save the question and an empty pending answer before the model runs (a new conversation when
    none is open, or the open one is not the user's)."""
    store = get_store()
    conv, message_id = store.start(owner, conversation, message, kind=kind,
                                   data={"request": message, "unit": optional(unit),
                                         "report_date": optional(report_date)})
    return conv, AnswerSaver(store, owner, message_id)


def chat_respond(message: str, history: list | None, mode: str, unit: str = "", report_date: str = "",
                 conversation: str | None = None, request: gr.Request = None):
    """Stream one answer into the chat, saved as it goes; yields (history, sources html, findings
    html, parts html, last-answer state, conversation id, side panel list, conversation title, side
    panel status)."""
    history = list(history or [])
    message = (message or "").strip()
    if not message:
        yield (history, *[gr.skip()] * 8)
        return
    draft = is_draft_request(message, mode)
    owner = owner_of(request)
    history = history + [{"role": "user", "content": esc(message)},
                         {"role": "assistant", "content": SEARCHING}]
    kind = "draft" if draft else "ask"
    state = {"kind": kind, "request": message, "text": "", "sources": [], "findings": [], "parts": None}
    try:
        conv, saver = start_saving(owner, conversation, message, kind, unit, report_date)
    except Exception as exc:  # noqa: BLE001 - nothing runs that could not be saved
        history[-1]["content"] = "⚠️ Không lưu được cuộc trò chuyện: " + esc(user_error(exc))
        yield history, gr.skip(), gr.skip(), gr.skip(), state, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return
    state.update(conversation=conv.id, message=saver.message_id)
    empty = sources_html([])
    yield history, empty, "", "", state, conv.id, sidebar.listing_update(owner, conv.id), conv.title, ""
    status = CUT
    same = (conv.id, conv.id, conv.title, "")  # sent again unchanged: cheaper than gr.skip() (see chat_updates)
    try:
        for out in chat_updates(job_events(message, draft, unit, report_date), history, state, draft,
                                {"sources": empty}):
            saver.progress(state)
            yield (*out, *same)
        status = ERROR if state.get("error") and not state.get("text") else DONE
    except Exception as exc:  # noqa: BLE001
        state["error"] = user_error(exc)
        status = ERROR
        history[-1]["content"] = "⚠️ " + esc(state["error"])
        yield history, gr.skip(), gr.skip(), gr.skip(), state, *same
    finally:
        saver.finish(state, status)


# ---- a saved conversation in the chat --------------------------------------------------------------
def chat_view(conv: Conversation | None) -> tuple:
    """(history, sources html, findings html, parts html, last-answer state, conversation id, title)
    for a saved conversation (its last answer's sources and findings), or an empty chat."""
    if conv is None:
        return [], sources_html([]), "", "", None, None, ""
    answers = [m for m in conv.messages if m.role == "assistant"]
    last = answers[-1] if answers else None
    if last is None:
        return history_from(conv.messages), sources_html([]), "", "", None, conv.id, conv.title
    data = last.data
    state = {"kind": last.kind, "request": data.get("request"), "text": last.text, "sources": data.get("sources") or [],
             "findings": data.get("findings") or [], "parts": data.get("parts"), "conversation": conv.id,
             "message": last.id}
    if last.kind == "draft" and data.get("parts"):
        sources = sources_html(state["sources"], parts=data["parts"])
        return (history_from(conv.messages), sources, "", draft_parts_html(last.text, data["parts"], state["findings"]),
                state, conv.id, conv.title)
    return (history_from(conv.messages), sources_html(state["sources"], bool(data.get("nearest"))),
            findings_html(state["findings"]), "", state, conv.id, conv.title)


def conversation_open(conversation_id: str | None, request: gr.Request = None):
    """Reopen a saved conversation of the user's: the chat view, a status line, the editor."""
    try:
        owner = owner_of(request)
        conv = get_store().get(owner, conversation_id) if conversation_id else None
        if conv is None:
            return (*chat_view(None), status_html(sidebar.NOT_FOUND, ok=False), *editor.view(None))
        n = sum(1 for m in conv.messages if m.role == "user")
        return (*chat_view(conv), status_html(f"Đã mở “{conv.title}” ({n} câu hỏi)."), *editor.view(conv))
    except Exception as exc:  # noqa: BLE001
        return (*[gr.skip()] * 7, error_status(exc), *[gr.skip()] * 8)


def conversation_new():
    """An empty chat; the conversation is saved with its first question."""
    return (*chat_view(None), "", *editor.view(None), gr.update(value=None), gr.update(value=None, visible=False))


def conversation_delete(conversation_id: str | None, current: str | None, request: gr.Request = None):
    """Delete a conversation of the user's; the chat empties when it was the open one."""
    try:
        owner = owner_of(request)
        deleted = bool(conversation_id) and get_store().delete(owner, conversation_id)
        listing = sidebar.listing_update(owner, None if conversation_id == current else current)
        msg = status_html("Đã xóa cuộc trò chuyện.") if deleted else status_html(sidebar.NOT_FOUND, ok=False)
        view = (*chat_view(None), *editor.view(None)) if deleted and conversation_id == current \
            else (gr.skip(),) * 15
        return (listing, msg, gr.update(visible=False), *view)
    except Exception as exc:  # noqa: BLE001
        return (gr.skip(), error_status(exc), gr.update(visible=False), *(gr.skip(),) * 15)


def after_answer(last: dict | None, request: gr.Request = None):
    """Once an answer is complete: a draft opens in the editor; the side panel shows the new order."""
    if not last or last.get("kind") != "draft" or not last.get("conversation"):
        return (gr.skip(),) * 8
    try:
        conv = get_store().get(owner_of(request), last["conversation"])
        return editor.view(conv, last.get("message"))
    except Exception as exc:  # noqa: BLE001
        return (*(gr.skip(),) * 4, error_status(exc), *(gr.skip(),) * 3)


def chat_export(history: list | None, last: dict | None, unit: str = "", number: str = "", place: str = "",
                report_date: str = "", title: str = "", request: gr.Request = None):
    """The last draft as Word (.docx; its edited text when it was edited), otherwise the whole
    conversation as Markdown."""
    try:
        if last and last.get("kind") == "draft" and last.get("text"):
            text = last["text"]
            found = get_store().message(owner_of(request), last["message"]) if last.get("message") else None
            if found:
                text = editor.draft_text(found[1]) or text
            path = export_draft_docx(text, unit=optional(unit), number=optional(number),
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


def build() -> tuple[gr.Radio, gr.HTML]:
    """Lay out the tab and wire its events. API names: /chat, /export_chat, /conversations,
    /open_conversation, /new_conversation, /rename_conversation, /delete_conversation, and the
    editor's (/open_draft, /recheck_draft, /save_draft, /export_draft). Returns the side panel's list
    and status line (the page fills them when it opens)."""
    with gr.Row():
        with gr.Column(scale=1, min_width=200, elem_id="conv-panel"):
            panel = sidebar.build()
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="Trò chuyện", height=520, elem_id="chatbot", buttons=["copy"],
                                 placeholder="Hỏi về tài liệu đã nạp, hoặc yêu cầu soạn một mục báo cáo "
                                             "(bắt đầu bằng “Soạn…”, “Viết…”, “Dự thảo…”).",
                                 feedback_options=None, sanitize_html=True)
            parts = gr.HTML(elem_id="draft-parts")
            findings = gr.HTML(elem_id="chat-findings")
            with gr.Row():
                msg = gr.Textbox(show_label=False, placeholder="Nhập câu hỏi hoặc yêu cầu soạn thảo rồi nhấn Enter…",
                                 scale=5, lines=1, max_lines=6, elem_id="chat-input", autofocus=True)
                send = gr.Button("Gửi", variant="primary", scale=1, elem_id="chat-send")
            with gr.Row():
                mode = gr.Radio([MODE_ASK, MODE_DRAFT], value=MODE_ASK, label="Chế độ", scale=3)
                export_btn = gr.Button("Xuất (Word/Markdown)", scale=1, elem_id="chat-export")
            export_file = gr.File(label="Tệp xuất", visible=False, interactive=False)
            export_status = gr.HTML()
            with gr.Accordion("Thông tin văn bản (đơn vị dùng khi hỏi và soạn; các ô khác khi xuất Word)", open=False):
                with gr.Row():
                    unit = gr.Textbox(label="Cơ quan/đơn vị", placeholder="UBND xã Bình Thành", elem_id="info-unit")
                    number = gr.Textbox(label="Số/ký hiệu", placeholder="…/BC-UBND")
                    place = gr.Textbox(label="Địa danh", placeholder="Bình Thành")
                with gr.Row():
                    rdate = gr.Textbox(label="Ngày báo cáo", placeholder="05/01/2026 (để trống: hôm nay)")
                    title = gr.Textbox(label="Trích yếu", placeholder="Báo cáo kết quả thực hiện …")
            draft_editor = editor.build()
        with gr.Column(scale=2):
            sources = gr.HTML(sources_html([]), label="Nguồn", elem_id="chat-sources")
    last = gr.State(None)
    conversation = gr.State(None)
    view = [chatbot, sources, findings, parts, last, conversation, panel.title]

    ev = {"fn": chat_respond, "inputs": [msg, chatbot, mode, unit, rdate, conversation],
          "outputs": [chatbot, sources, findings, parts, last, conversation, panel.listing, panel.title,
                      panel.status]}
    after = {"fn": after_answer, "inputs": [last], "outputs": draft_editor.outputs(), "api_visibility": "private"}
    send.click(**ev, api_name="chat").then(**after)
    msg.submit(**ev, api_visibility="private").then(**after)
    for trigger in (send.click, msg.submit):
        trigger(lambda: "", None, msg, queue=False, api_visibility="private")
    export_btn.click(chat_export, [chatbot, last, unit, number, place, rdate, title], [export_file, export_status],
                     api_name="export_chat")

    opened = [*view, panel.status, *draft_editor.outputs()]
    panel.listing.input(conversation_open, [panel.listing], opened, api_visibility="private")
    panel.open.click(conversation_open, [panel.selected], opened, api_name="open_conversation")
    panel.new.click(conversation_new, None, [*opened, panel.listing, export_file], api_name="new_conversation")
    panel.rename.click(sidebar.conversation_rename, [panel.selected, panel.title], [panel.listing, panel.status],
                       api_name="rename_conversation")
    panel.delete.click(sidebar.delete_ask, [panel.selected], [panel.confirm, panel.status], queue=False,
                       api_visibility="private")
    panel.no.click(sidebar.delete_cancel, None, [panel.confirm, panel.status], queue=False, api_visibility="private")
    panel.yes.click(conversation_delete, [panel.selected, conversation],
                    [panel.listing, panel.status, panel.confirm, *view, *draft_editor.outputs()],
                    api_name="delete_conversation")
    editor.wire(draft_editor, unit, number, place, rdate, title)
    return panel.listing, panel.status
