"""The app in a real browser (Chromium headless via Playwright): ask and see sources, check a
document and see highlights, upload a file and see it listed. Screenshots go to test-artifacts/.

Needs /usr/bin/chromium (Debian package `chromium`); skipped with the reason otherwise.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.app import RunningApp, chromium_page, write_corpus

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    with chromium_page(locale="vi-VN") as page, RunningApp(base / "data", write_corpus(base / "corpus")) as app:
        ARTIFACTS.mkdir(exist_ok=True)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(app.url)
        page.wait_for_selector("#chat-input textarea")
        page.app, page.errors = app, errors
        yield page


def test_ask_shows_answer_and_sources(browser_page):
    page = browser_page
    page.get_by_role("tab", name="Trò chuyện").click()
    page.fill("#chat-input textarea", "Xã Bình Thành trồng bao nhiêu ha lúa?")
    page.click("#chat-send")
    page.wait_for_selector("#chat-sources table")
    page.wait_for_function("document.querySelector('#chatbot').innerText.includes('120 ha lúa')")
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    sources = page.inner_text("#chat-sources")
    assert "[1]" in sources and "05/KH-UBND" in sources
    # the marker [1] in the answer leads to its passage in the sources panel
    marker = page.locator("#chatbot a.tl-marker").first
    assert marker.get_attribute("href") == "#tl-src-1"
    assert "120 ha lúa" in (marker.get_attribute("title") or "")
    assert page.locator("#chat-sources #tl-src-1").count() == 1
    assert not page.errors, page.errors


def test_check_highlights_findings(browser_page):
    page = browser_page
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


def test_upload_lists_the_file(browser_page, tmp_path):
    page = browser_page
    page.get_by_role("tab", name="Tài liệu").click()
    f = tmp_path / "Báo cáo thu ngân sách quý I.md"
    f.write_text("# Báo cáo thu ngân sách quý I năm 2025\n\nTổng thu ngân sách quý I đạt 3,2 tỷ đồng.\n",
                 encoding="utf-8")
    page.set_input_files("#docs-upload input[type=file]", str(f))
    page.click("#docs-ingest")
    page.wait_for_function(
        "document.querySelector('#docs-upload-status').innerText.includes('Đã nạp')", timeout=60_000)
    page.wait_for_function(
        "document.querySelector('#docs-table').innerText.includes('Báo cáo thu ngân sách quý I.md')")
    page.screenshot(path=str(ARTIFACTS / "documents.png"), full_page=True)
    assert (page.app.data_dir.resolve() / "uploads" / f.name).exists()
