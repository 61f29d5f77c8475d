"""The side panel "Cuộc trò chuyện": the user's saved conversations, newest first, to reopen, rename
or delete (after a confirmation). A new conversation starts empty and is saved with its first
question. Every handler reads and writes only the requesting user's conversations."""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ..conversations import get_store
from .common import error_status, owner_of
from .render import conversation_choices, status_html

NOT_FOUND = "Không tìm thấy cuộc trò chuyện này (có thể đã bị xóa)."


@dataclass
class Panel:
    """The panel's components. `selected` (hidden) mirrors the list's choice: the API's handlers take
    a conversation id from it, since the list itself accepts only the ids it shows in that session."""
    new: gr.Button
    listing: gr.Radio
    selected: gr.Textbox
    open: gr.Button
    title: gr.Textbox
    rename: gr.Button
    delete: gr.Button
    confirm: gr.Row
    yes: gr.Button
    no: gr.Button
    status: gr.HTML


def listing_update(owner: str, selected: str | None = None):
    """The side panel's list for `owner`, with `selected` marked (when it is still there)."""
    choices = conversation_choices(get_store().conversations(owner))
    value = selected if any(cid == selected for _, cid in choices) else None
    return gr.update(choices=choices, value=value)


def conversations_list(selected: str | None = None, request: gr.Request = None):
    """(list, status): the user's conversations."""
    try:
        owner = owner_of(request)
        update = listing_update(owner, selected)
        n = len(update["choices"])
        return update, "" if n else status_html("Chưa có cuộc trò chuyện nào được lưu.", ok=False)
    except Exception as exc:  # noqa: BLE001
        return gr.skip(), error_status(exc)


def conversation_rename(conversation_id: str | None, title: str, request: gr.Request = None):
    """(list, status)."""
    try:
        owner = owner_of(request)
        if not conversation_id:
            return gr.skip(), status_html("Chọn cuộc trò chuyện cần đổi tên.", ok=False)
        if not (title or "").strip():
            return gr.skip(), status_html("Nhập tên mới cho cuộc trò chuyện.", ok=False)
        if not get_store().rename(owner, conversation_id, title):
            return listing_update(owner), status_html(NOT_FOUND, ok=False)
        return listing_update(owner, conversation_id), status_html("Đã đổi tên cuộc trò chuyện.")
    except Exception as exc:  # noqa: BLE001
        return gr.skip(), error_status(exc)


def delete_ask(conversation_id: str | None):
    """The first click on "Xóa": ask for confirmation."""
    if not conversation_id:
        return gr.update(visible=False), status_html("Chọn cuộc trò chuyện cần xóa.", ok=False)
    return gr.update(visible=True), status_html("Xóa hẳn cuộc trò chuyện này cùng các bản thảo trong đó?", ok=False)


def delete_cancel():
    return gr.update(visible=False), ""


def build() -> Panel:
    gr.Markdown("### Cuộc trò chuyện")
    new = gr.Button("+ Cuộc trò chuyện mới", elem_id="conv-new", size="sm")
    listing = gr.Radio(choices=[], label="Đã lưu", elem_id="conv-list", interactive=True)
    selected = gr.Textbox(visible=False, elem_id="conv-selected")
    open_ = gr.Button(visible=False, elem_id="conv-open")
    with gr.Accordion("Đổi tên hoặc xóa", open=False, elem_id="conv-manage"):
        title = gr.Textbox(label="Tên cuộc trò chuyện", elem_id="conv-title", max_lines=1)
        rename = gr.Button("Đổi tên", size="sm", elem_id="conv-rename")
        delete = gr.Button("Xóa cuộc trò chuyện", size="sm", variant="stop", elem_id="conv-delete")
        with gr.Row(visible=False) as confirm:
            yes = gr.Button("Xóa", size="sm", variant="stop", elem_id="conv-delete-yes")
            no = gr.Button("Không", size="sm", elem_id="conv-delete-no")
    status = gr.HTML(elem_id="conv-status")
    listing.change(lambda value: value or "", listing, selected, queue=False, api_visibility="private")
    return Panel(new, listing, selected, open_, title, rename, delete, confirm, yes, no, status)
