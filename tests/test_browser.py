"""The app in a real browser (Chromium headless via Playwright), behind its sign-in page as
`assistant serve` runs it with users: sign in (in Vietnamese, a wrong password first), ask and see
sources, reload the page and reopen the conversation, draft a section and watch its parts being
written, edit the draft, re-check it, export it with its appendix; a second user sees none of it;
check a document and see highlights; upload a file and see it listed; sign out. Screenshots go to
test-artifacts/.

Needs /usr/bin/chromium (Debian package `chromium`); skipped with the reason otherwise. The tests
share one app and one signed-in page and run in file order (each signs in again if it has to).
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from fixtures.app import RunningApp, chromium_page, other_browser, write_corpus

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LAN, MINH = ("lan", "Mật-khẩu-của-Lan-2026"), ("minh", "mat-khau-cua-minh-26")
QUESTION = "Xã Bình Thành trồng bao nhiêu ha lúa?"
DRAFT_REQUEST = "Soạn mục kết quả sản xuất nông nghiệp năm 2025"
EDIT = ("\nThực hiện Nghị định số 977/2025/NĐ-CP ngày 20/6/2025 của Chính phủ quy định về phân cấp nhiệm vụ quản lý "
        "chợ cho chính quyền cấp xã, xã đã lập kế hoạch phát triển chợ. [cần bổ sung: số chợ trên địa bàn]")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    with RunningApp(base / "data", write_corpus(base / "corpus", decree=True), users=dict([LAN, MINH])) as running:
        ARTIFACTS.mkdir(exist_ok=True)
        yield running


@pytest.fixture(scope="module")
def browser_page(app):
    with chromium_page(locale="vi-VN") as page:
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(app.url)
        page.app, page.errors = app, errors
        yield page


def sign_in(page, user: tuple[str, str]) -> None:
    page.fill("#username", user[0])
    page.fill("#password", user[1])
    page.click("#signin-submit")
    page.wait_for_selector("#chat-input textarea")


def signed_in(page) -> None:
    """Back on the app, signed in as Lan (a test run alone starts on the sign-in page)."""
    if "/login" in page.url or page.locator("#signin-form").count():
        sign_in(page, LAN)
    wait_text(page, "#user-badge", LAN[0])


def wait_text(page, selector: str, text: str, timeout: float = 20_000) -> None:
    """Wait until the element exists and its text holds `text`."""
    page.wait_for_function("([sel, text]) => { const e = document.querySelector(sel);"
                           " return !!e && e.innerText.includes(text); }", arg=[selector, text], timeout=timeout)


def wait_value(page, selector: str, text: str) -> None:
    """Wait until the input exists and its value holds `text`."""
    page.wait_for_function("([sel, text]) => { const e = document.querySelector(sel);"
                           " return !!e && e.value.includes(text); }", arg=[selector, text])


def chat_text(page) -> str:
    return page.inner_text("#chatbot")


def test_sign_in_is_vietnamese_and_answers_a_wrong_password_in_vietnamese(browser_page):
    page = browser_page
    if "/login" not in page.url:
        pytest.skip("already signed in")
    page.wait_for_selector("#signin-form")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.inner_text("#signin-submit") == "Đăng nhập"
    page.fill("#username", LAN[0])
    page.fill("#password", "sai-mat-khau")
    page.click("#signin-submit")
    page.wait_for_selector("#signin-message")
    assert page.inner_text("#signin-message") == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert page.input_value("#username") == LAN[0]  # the name stays typed
    page.screenshot(path=str(ARTIFACTS / "signin.png"), full_page=True)
    sign_in(page, LAN)
    wait_text(page, "#user-badge", "lan")
    assert "Đăng xuất" in page.inner_text("#user-box")
    assert not page.errors, page.errors


def test_ask_shows_answer_and_sources(browser_page):
    page = browser_page
    signed_in(page)
    page.get_by_role("tab", name="Trò chuyện").click()
    page.fill("#chat-input textarea", QUESTION)
    page.click("#chat-send")
    page.wait_for_selector("#chat-sources table")
    wait_text(page, "#chatbot", "120 ha lúa")
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    sources = page.inner_text("#chat-sources")
    assert "[1]" in sources and "05/KH-UBND" in sources
    # the marker [1] in the answer leads to its passage in the sources panel
    marker = page.locator("#chatbot a.tl-marker").first
    assert marker.get_attribute("href") == "#tl-src-1"
    assert "120 ha lúa" in (marker.get_attribute("title") or "")
    assert page.locator("#chat-sources #tl-src-1").count() == 1
    # the conversation is saved and listed at once in the side panel
    wait_text(page, "#conv-list", QUESTION)
    assert not page.errors, page.errors


def test_reload_and_reopen_the_conversation_then_draft_edit_recheck_and_export(browser_page):
    page = browser_page
    signed_in(page)
    app = page.app
    page.reload()
    page.wait_for_selector("#chat-input textarea")
    wait_text(page, "#conv-list", QUESTION)
    assert QUESTION not in chat_text(page)  # a reloaded page starts empty …
    page.locator("#conv-list label", has_text=QUESTION).click()  # … until the conversation is reopened
    wait_text(page, "#chatbot", "120 ha lúa")
    assert QUESTION in chat_text(page) and "05/KH-UBND" in page.inner_text("#chat-sources")
    assert "Đã mở" in page.inner_text("#conv-status")

    # A draft in the same conversation: the parts panel shows the part being written, then done.
    page.get_by_text("Thông tin văn bản").click()
    page.fill("#info-unit textarea", "UBND xã Bình Thành")  # the unit whose figures the draft uses
    app.stub.server.delay = 0.15
    try:
        page.fill("#chat-input textarea", DRAFT_REQUEST)
        page.click("#chat-send")
        page.wait_for_selector("#draft-parts .tl-part-writing", timeout=30_000)
        page.wait_for_selector("#draft-parts .tl-part-done", timeout=60_000)
    finally:
        app.stub.server.delay = 0.0
    assert "Phần 1/1" in page.inner_text("#draft-parts")
    assert "Phần" in page.inner_text("#chat-sources")  # each source says which part uses it
    # The draft opens in the editor.
    wait_value(page, "#draft-edit textarea", "Kết quả sản xuất")
    draft = page.input_value("#draft-edit textarea")
    assert not page.locator("#draft-appendix").is_visible()  # it cites no decree with tasks (yet)
    page.screenshot(path=str(ARTIFACTS / "draft.png"), full_page=True)

    page.fill("#draft-edit textarea", draft + EDIT)
    page.click("#draft-recheck")
    wait_text(page, "#draft-status", "Đã kiểm tra lại")
    status = page.inner_text("#draft-status")
    assert "còn 1 chỗ [cần bổ sung: …]" in status and "đã được lưu" in status
    gap = page.locator("#draft-checked .tl-doc mark.tl-todo")  # one mark, or several where a finding overlaps it
    assert "".join(gap.all_inner_texts()) == "[cần bổ sung: số chợ trên địa bàn]"
    page.wait_for_selector("#draft-appendix", state="visible")  # now it cites a decree with tasks
    assert "977/2025/NĐ-CP" in page.inner_text("#draft-appendix")
    assert page.locator("#draft-appendix input").is_checked()
    page.screenshot(path=str(ARTIFACTS / "draft-recheck.png"), full_page=True)

    before = set((app.data_dir / "exports").glob("*.docx"))
    page.click("#draft-export")
    wait_text(page, "#draft-status", "Đã xuất bản thảo")
    page.wait_for_function("document.querySelectorAll('#draft-files a').length >= 2")
    new = sorted(set((app.data_dir / "exports").glob("*.docx")) - before, key=lambda p: p.name)
    assert len(new) == 2
    from docx import Document

    texts = {p.name: "\n".join(par.text for par in Document(p).paragraphs) for p in new}
    draft_file = next(n for n in texts if n.startswith("du-thao-"))
    appendix_file = next(n for n in texts if n.startswith("phu-luc-nhiem-vu-cap-xa"))
    assert "xã đã lập kế hoạch phát triển chợ" in texts[draft_file]  # the edited text is what is exported
    assert "DANH MỤC NHIỆM VỤ PHÂN CẤP, PHÂN QUYỀN CHO CẤP XÃ" in texts[appendix_file]

    # Reload again: the edit was saved with the conversation.
    page.reload()
    page.wait_for_selector("#chat-input textarea")
    page.locator("#conv-list label", has_text=QUESTION).click()
    wait_value(page, "#draft-edit textarea", "phát triển chợ")
    assert page.input_value("#draft-edit textarea") == draft + EDIT
    assert not page.errors, page.errors


def test_a_second_user_sees_none_of_the_first_users_work(app, browser_page):
    with other_browser(browser_page, locale="vi-VN") as other:
        other.goto(app.url)
        other.wait_for_selector("#signin-form")
        sign_in(other, MINH)
        wait_text(other, "#conv-status", "Chưa có cuộc trò chuyện")
        assert QUESTION not in other.inner_text("#conv-list")
        assert "minh" in other.inner_text("#user-box")
        other.screenshot(path=str(ARTIFACTS / "second-user.png"), full_page=True)


def test_check_highlights_findings(browser_page):
    page = browser_page
    signed_in(page)
    page.get_by_role("tab", name="Kiểm tra trích dẫn").click()
    page.fill("#check-text textarea",
              "Căn cứ Nghị định số 999/2099/NĐ-CP ngày 01/01/2099 của Chính phủ;\n"
              "thực hiện Kế hoạch số 05/KH-UBND ngày 10/01/2025 của UBND xã Bình Thành. "
              "<img src=x onerror=\"document.body.dataset.pwned=1\">")
    page.click("#check-run")
    page.wait_for_selector("#check-highlight mark")
    marks = page.locator("#check-highlight .tl-doc mark")
    assert marks.count() >= 1
    assert "999/2099" in " ".join(marks.all_inner_texts())
    assert page.locator("#check-findings").inner_text().strip()
    assert page.evaluate("document.body.dataset.pwned") is None  # document text is escaped, never run
    assert "<img" in page.inner_text("#check-highlight")
    page.screenshot(path=str(ARTIFACTS / "check.png"), full_page=True)


def test_upload_lists_the_file_and_the_task_register_shows(browser_page, tmp_path):
    page = browser_page
    signed_in(page)
    page.get_by_role("tab", name="Tài liệu").click()
    f = tmp_path / "Báo cáo thu ngân sách quý I.md"
    f.write_text("# Báo cáo thu ngân sách quý I năm 2025\n\nTổng thu ngân sách quý I đạt 3,2 tỷ đồng.\n",
                 encoding="utf-8")
    page.set_input_files("#docs-upload input[type=file]", str(f))
    page.click("#docs-ingest")
    wait_text(page, "#docs-upload-status", "Đã nạp", timeout=60_000)
    wait_text(page, "#docs-table", "Báo cáo thu ngân sách quý I.md")
    page.screenshot(path=str(ARTIFACTS / "documents.png"), full_page=True)
    assert (page.app.data_dir.resolve() / "uploads" / f.name).exists()

    page.click("#tasks-panel button")  # open "Danh mục nhiệm vụ của cấp xã"
    page.click("#tasks-docs input")
    page.locator("ul[role=listbox] li", has_text="977/2025/NĐ-CP").click()
    page.keyboard.press("Escape")
    page.click("#tasks-show")
    page.wait_for_selector("#tasks-view table.tl-tasks")
    view = page.inner_text("#tasks-view")
    assert "Nghị định số 977/2025/NĐ-CP" in view and "Quản lý chợ" in view and "khoản 1 Điều 1" in view
    page.screenshot(path=str(ARTIFACTS / "task-register.png"), full_page=True)


def test_rename_start_a_new_conversation_and_delete(browser_page):
    page = browser_page
    signed_in(page)
    page.get_by_role("tab", name="Trò chuyện").click()
    page.locator("#conv-list label", has_text=QUESTION).click()
    wait_text(page, "#conv-status", "Đã mở")
    page.click("#conv-manage button")  # "Đổi tên hoặc xóa"
    page.fill("#conv-title textarea, #conv-title input", "Sản xuất nông nghiệp 2025")
    page.click("#conv-rename")
    wait_text(page, "#conv-list", "Sản xuất nông nghiệp 2025")
    assert QUESTION not in page.inner_text("#conv-list")
    page.click("#conv-new")
    page.wait_for_function("!document.querySelector('#chatbot').innerText.includes('120 ha')")
    page.locator("#conv-list label", has_text="Sản xuất nông nghiệp 2025").click()
    wait_text(page, "#chatbot", "120 ha lúa")
    page.click("#conv-delete")
    wait_text(page, "#conv-status", "Xóa hẳn")  # asked first
    page.click("#conv-delete-yes")
    wait_text(page, "#conv-status", "Đã xóa")
    assert "Sản xuất nông nghiệp 2025" not in page.inner_text("#conv-list")
    assert "120 ha" not in chat_text(page)  # the open conversation was the one deleted


def test_sign_out_returns_to_the_sign_in_page(browser_page):
    page = browser_page
    signed_in(page)
    page.click("#signout")
    page.wait_for_selector("#signin-message")
    assert page.inner_text("#signin-message") == "Đã đăng xuất."
    page.goto(page.app.url)
    page.wait_for_selector("#signin-form")  # the app is closed again
    time.sleep(0.2)
    assert "/login" in page.url
