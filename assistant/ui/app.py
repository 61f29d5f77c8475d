"""The app's layout: a header and four tabs, the theme, and the style sheet (style.css beside this file)."""
from __future__ import annotations

from importlib import resources

import gradio as gr

from ..config import get_settings
from . import chat, check, documents, sidebar, summary
from .render import esc

APP_TITLE = "Trợ lý soạn báo cáo"
HEADER = (f"<div id='app-header'><h1>{APP_TITLE}</h1><p>Văn phòng HĐND và UBND xã — soạn thảo, kiểm tra "
          "trích dẫn và tóm tắt báo cáo từ tài liệu đã nạp. Mọi dữ liệu xử lý ngay trên máy này.</p></div>")
THEME_FONT = ("ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Arial", "sans-serif")
CSS = resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8")


def theme() -> gr.themes.Base:
    # Local fonts only: the default theme fetches Google Fonts, which offline offices cannot reach.
    return gr.themes.Default(primary_hue="red", secondary_hue="amber", neutral_hue="slate",
                             font=THEME_FONT, font_mono=THEME_FONT)  # tables use the mono font: keep diacritics clean


def user_badge(request: gr.Request = None) -> str:
    """Who is signed in, and the way out; or that the work is kept in this machine's one profile."""
    user = getattr(request, "username", None)
    if user:
        return (f"<div id='user-badge'>Người dùng: <b>{esc(user)}</b> · "
                "<a href='logout' id='signout'>Đăng xuất</a></div>")
    return "<div id='user-badge'>Làm việc trên máy này (không cần đăng nhập)</div>"


def build_app() -> gr.Blocks:
    """The four tabs; the document lists fill when the page opens and when "Tài liệu" is chosen, the
    user's saved conversations when the page opens."""
    with gr.Blocks(title=APP_TITLE, analytics_enabled=False) as demo:
        with gr.Row(equal_height=False):
            gr.HTML(HEADER, scale=4)
            badge = gr.HTML(elem_id="user-box", scale=1)
        with gr.Tabs():
            with gr.Tab("Trò chuyện", id="chat"):
                conversations, conversations_status = chat.build()
            with gr.Tab("Kiểm tra trích dẫn", id="check"):
                check.build(get_settings())
            with gr.Tab("Tóm tắt báo cáo", id="summary"):
                summary_choice = summary.build()
            with gr.Tab("Tài liệu", id="docs") as docs_tab:
                table, delete_choice, tasks_choice, docs_status = documents.build(summary_choice)
        refresh = {"fn": documents.docs_refresh, "inputs": None,
                   "outputs": [table, delete_choice, summary_choice, tasks_choice, docs_status],
                   "queue": False, "api_visibility": "private"}
        demo.load(**refresh)
        docs_tab.select(**refresh)
        demo.load(user_badge, None, badge, queue=False, api_visibility="private")
        demo.load(sidebar.conversations_list, [conversations], [conversations, conversations_status], queue=False,
                  api_name="conversations")
    return demo
