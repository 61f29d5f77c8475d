"""The draft editor under the chat: a draft of the open conversation in an editable box, "Kiểm tra
lại" (the citation check on the edited text, findings and every "[cần bổ sung: …]" highlighted),
saving the edited text with the conversation, and export to Word (NĐ 30/2020) of the edited text
with, where the draft cites decrees whose task register has tasks, its appendix."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import gradio as gr

from ..citations import check_text
from ..conversations import Conversation, get_store
from ..export import export_draft_docx
from ..index import registry_with_corpus
from ..labels import counts_phrase
from ..text import nfc
from .common import error_status, optional, owner_of, parse_date
from .render import finding_items, highlight_html, placeholder_spans, status_html
from .tasks import cited_phrase, export_appendix, registers_cited

NO_DRAFT = "Cuộc trò chuyện này chưa có bản thảo. Yêu cầu soạn một mục báo cáo (bắt đầu bằng “Soạn…”)."
APPENDIX_LABEL = "Kèm phụ lục danh mục nhiệm vụ"


@dataclass
class Editor:
    """The editor's components (built by `build`, wired by the chat tab)."""
    accordion: gr.Accordion
    choice: gr.Dropdown
    text: gr.Textbox
    appendix: gr.Checkbox
    status: gr.HTML
    checked: gr.HTML
    files: gr.File
    ref: gr.State
    recheck: gr.Button
    save: gr.Button
    export: gr.Button

    def outputs(self) -> list:
        """What `view` fills, in its order."""
        return [self.choice, self.text, self.ref, self.appendix, self.status, self.checked, self.files,
                self.accordion]


def draft_label(message) -> str:
    request = " ".join((message.data.get("request") or message.text or "Bản thảo").split())
    return f"{request[:70]} · {message.created[11:16]} {message.created[8:10]}/{message.created[5:7]}"


def draft_text(message) -> str:
    """What the editor shows: the saved edit, else the draft as written."""
    return message.data.get("edited") or message.text


def gaps_phrase(text: str) -> str:
    n = len(placeholder_spans(text))
    return f"còn {n} chỗ [cần bổ sung: …] phải điền" if n else "không còn chỗ [cần bổ sung: …] nào"


def checked_view(text: str, message) -> str:
    """The last check of this text, if it was checked; else the draft's own findings while unedited."""
    checked = message.data.get("checked") or {}
    if checked.get("text") == text:
        findings = checked.get("findings") or []
    elif text == message.text:
        findings = message.data.get("findings") or []
    else:
        findings = []
    return highlight_html(text, findings) + (f"<div>{finding_items(findings)}</div>" if findings else "")


def view(conversation: Conversation | None, message_id: int | None = None) -> tuple:
    """The editor for a conversation: its drafts to choose from, the chosen (else the latest) in the
    box, the appendix offer when the draft cites decrees with tasks."""
    drafts = [m for m in conversation.drafts() if m.text or m.data.get("edited")] if conversation else []
    if not drafts:
        return (gr.update(choices=[], value=None), "", None, gr.update(visible=False, value=False),
                status_html(NO_DRAFT, ok=False) if conversation else "", "", gr.update(value=None, visible=False),
                gr.update(open=False))
    chosen = next((m for m in drafts if m.id == message_id), drafts[-1])
    text = draft_text(chosen)
    try:
        appendix = appendix_offer(text, chosen.data.get("sources"))
    except Exception as exc:  # noqa: BLE001 - the editor opens even when the index cannot be read
        appendix = gr.update(visible=False, value=False)
        status = error_status(exc)
    else:
        status = status_html(f"Bản thảo: {gaps_phrase(text)}. Sửa trực tiếp trong ô, rồi “Kiểm tra lại” hoặc "
                             "“Xuất Word”.", ok=not placeholder_spans(text))
    return (gr.update(choices=[(draft_label(m), m.id) for m in drafts], value=chosen.id), text, {"message": chosen.id},
            appendix, status, checked_view(text, chosen), gr.update(value=None, visible=False), gr.update(open=True))


def appendix_offer(text: str, sources: list[dict] | None):
    """The appendix checkbox: shown, ticked and naming the decrees when the text cites decrees whose
    register has tasks; hidden otherwise."""
    registers = registers_cited(text, sources)
    return gr.update(visible=bool(registers), value=bool(registers),
                     label=f"{APPENDIX_LABEL}: {cited_phrase(registers)}" if registers else APPENDIX_LABEL)


def _owned(request, ref: dict | None):
    """(owner, message) of the draft being edited; message None when there is none or it is not theirs."""
    owner = owner_of(request)
    if not ref or not ref.get("message"):
        return owner, None
    found = get_store().message(owner, ref["message"])
    return owner, found[1] if found else None


def draft_open(message_id, request: gr.Request = None):
    """Another draft of the open conversation chosen in the list."""
    try:
        owner = owner_of(request)
        found = get_store().message(owner, int(message_id)) if message_id not in (None, "") else None
        if found is None:
            return view(None)
        return view(get_store().get(owner, found[0]), found[1].id)
    except Exception as exc:  # noqa: BLE001
        return (gr.skip(), gr.skip(), gr.skip(), gr.skip(), error_status(exc), gr.skip(), gr.skip(), gr.skip())


def draft_recheck(text: str, ref: dict | None, report_date: str = "", request: gr.Request = None):
    """The citation check on the edited text; the text and its findings are saved with the draft.
    Returns (highlighted html, status, appendix offer — the edit may cite other decrees)."""
    try:
        text = nfc(text or "")
        if not text.strip():
            return "", status_html("Ô bản thảo đang trống.", ok=False), gr.skip()
        result = check_text(text, report_date=parse_date(report_date) or date.today(), registry=registry_with_corpus())
        findings = result.to_dict()["findings"]
        owner, message = _owned(request, ref)
        saved = ""
        if message is not None:
            get_store().update_message(owner, message.id, data={"edited": text, "checked": {
                "text": text, "findings": findings, "citations": len(result.citations),
                "at": datetime.now().isoformat(timespec="seconds")}})
            saved = " Bản sửa đã được lưu."
        errors = sum(1 for f in findings if f.get("severity") == "error")
        msg = (f"Đã kiểm tra lại: {len(result.citations)} trích dẫn; {counts_phrase(findings)}; "
               f"{gaps_phrase(text)}.{saved}")
        body = highlight_html(text, findings) + (f"<div>{finding_items(findings)}</div>" if findings else "")
        offer = appendix_offer(text, message.data.get("sources") if message else None)
        return body, status_html(msg, ok=errors == 0 and not placeholder_spans(text)), offer
    except Exception as exc:  # noqa: BLE001
        return "", error_status(exc), gr.skip()


def draft_save(text: str, ref: dict | None, request: gr.Request = None):
    try:
        owner, message = _owned(request, ref)
        if message is None:
            return status_html("Chưa có bản thảo nào đang mở để lưu.", ok=False)
        get_store().update_message(owner, message.id, data={"edited": nfc(text or "")})
        return status_html(f"Đã lưu bản sửa lúc {datetime.now():%H:%M}.")
    except Exception as exc:  # noqa: BLE001
        return error_status(exc)


def draft_export(text: str, ref: dict | None, with_appendix: bool, unit: str = "", number: str = "", place: str = "",
                 report_date: str = "", title: str = "", request: gr.Request = None):
    """The edited text as Word (NĐ 30/2020), and its appendix when asked for and the draft has one.
    Returns (files, status)."""
    try:
        text = nfc(text or "")
        if not text.strip():
            return gr.update(value=None, visible=False), status_html("Ô bản thảo đang trống.", ok=False)
        day = parse_date(report_date) or date.today()
        owner, message = _owned(request, ref)
        if message is not None:
            get_store().update_message(owner, message.id, data={"edited": text})
        paths = [export_draft_docx(text, unit=optional(unit), number=optional(number), place=optional(place),
                                   date=day, title=optional(title))]
        msg = f"Đã xuất bản thảo ra Word: {paths[0].name}"
        if with_appendix:
            registers = registers_cited(text, message.data.get("sources") if message else None)
            if registers:
                paths.append(export_appendix(registers, unit=optional(unit), report_number=optional(number),
                                             report_date=day))
                msg += f"; phụ lục: {paths[1].name} ({cited_phrase(registers)})"
        gaps = len(placeholder_spans(text))
        if gaps:
            msg += f". Lưu ý: {gaps_phrase(text)} (đã tô vàng trong tệp Word)"
        return gr.update(value=[str(p) for p in paths], visible=True), status_html(msg + ".", ok=not gaps)
    except Exception as exc:  # noqa: BLE001
        return gr.update(value=None, visible=False), error_status(exc)


def build() -> Editor:
    """Lay out the editor (closed until a draft exists); the chat tab wires it."""
    with gr.Accordion("Bản thảo: sửa, kiểm tra lại và xuất Word", open=False, elem_id="draft-editor") as accordion:
        choice = gr.Dropdown(label="Bản thảo trong cuộc trò chuyện này", choices=[], elem_id="draft-choice",
                             interactive=True)
        text = gr.Textbox(label="Nội dung bản thảo (sửa trực tiếp)", lines=14, max_lines=40, elem_id="draft-edit",
                          interactive=True)
        with gr.Row():
            recheck = gr.Button("Kiểm tra lại", variant="primary", elem_id="draft-recheck")
            save = gr.Button("Lưu bản sửa", elem_id="draft-save")
            export = gr.Button("Xuất Word", elem_id="draft-export")
        appendix = gr.Checkbox(label=APPENDIX_LABEL, value=False, visible=False, elem_id="draft-appendix")
        status = gr.HTML(elem_id="draft-status")
        files = gr.File(label="Tệp xuất", file_count="multiple", visible=False, interactive=False,
                        elem_id="draft-files")
        checked = gr.HTML(elem_id="draft-checked")
    return Editor(accordion, choice, text, appendix, status, checked, files, gr.State(None), recheck, save, export)


def wire(editor: Editor, unit, number, place, report_date, title) -> None:
    """The editor's events (API names /open_draft, /recheck_draft, /save_draft, /export_draft)."""
    editor.choice.input(draft_open, [editor.choice], editor.outputs(), api_name="open_draft")
    editor.recheck.click(draft_recheck, [editor.text, editor.ref, report_date],
                         [editor.checked, editor.status, editor.appendix], api_name="recheck_draft")
    editor.save.click(draft_save, [editor.text, editor.ref], [editor.status], api_name="save_draft")
    editor.export.click(draft_export, [editor.text, editor.ref, editor.appendix, unit, number, place, report_date, title],
                 [editor.files, editor.status], api_name="export_draft")
