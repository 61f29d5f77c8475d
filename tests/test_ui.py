"""The web app through its API (gradio_client), one test per endpoint, against a stub model server.

The app runs in this process on a free port with its own data directory and a tiny corpus (with an
invented decree that gives the commune tasks); the chat model is `StubLLM`, a real OpenAI-compatible
HTTP server on 127.0.0.1 that streams a fixed, source-marked answer, so no real model is needed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

# STUB_ANSWER, StubLLM and _StubHandler are unused here: test_remote.py still imports them from this module.
from fixtures.app import CORPUS, DECREE, RunningApp, free_port, write_corpus


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("ui")
    with RunningApp(base / "data", write_corpus(base / "corpus", decree=True)) as running:
        yield running


@pytest.fixture
def client(app):
    from gradio_client import Client

    return Client(app.url, verbose=False)


def text_of(message: dict) -> str:
    from assistant.labels import message_text

    return message_text(message["content"])


def file_of(value) -> str:
    """A File output: a path, or a Gradio update dict carrying one."""
    if isinstance(value, dict):
        value = value.get("value")
        if isinstance(value, dict):
            value = value.get("path")
    return str(value or "")


# ---- tests ------------------------------------------------------------------------------------
def test_api_lists_every_endpoint(client):
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    for name in ("/chat", "/export_chat", "/check", "/export_check", "/summarize", "/documents", "/upload",
                 "/delete_document", "/registry_add", "/conversations", "/open_conversation", "/new_conversation",
                 "/rename_conversation", "/delete_conversation", "/open_draft", "/recheck_draft", "/save_draft",
                 "/export_draft", "/task_register", "/export_appendix"):
        assert name in names, names


def test_documents_lists_the_ingested_corpus(client):
    table, _delete_choices, _summary_choices, tasks_choices, status = client.predict(api_name="/documents")
    rows = table["data"]
    files = {r[-1] for r in rows}
    assert files == {*CORPUS, DECREE[0]}
    assert "3 tài liệu" in status
    assert [label for label, _ in tasks_choices["choices"]] == [  # only the legal texts have a register
        "977/2025/NĐ-CP — Quy định về phân cấp nhiệm vụ quản lý chợ cho chính quyền cấp xã"]
    numbers = {r[2] for r in rows}
    assert "05/KH-UBND" in numbers


def test_chat_streams_an_answer_with_sources(client, app):
    # (a question a figure answers is answered from the figure records without the model: see
    # test_answering; this one needs the model's words)
    history, sources, _findings, parts, *_ = client.predict("Kế hoạch của xã Bình Thành về trồng lúa nêu những gì?", [],
                                                            "Hỏi đáp", "", "", api_name="/chat")
    assert parts == ""  # a question has no parts
    assert history[0]["role"] == "user" and history[-1]["role"] == "assistant"
    assert "120 ha" in text_of(history[-1])
    assert "[1]" in sources and "<table" in sources
    assert app.stub.requests, "the stub model was not called"


def test_chat_history_is_per_session(app):
    from gradio_client import Client

    a, b = Client(app.url, verbose=False), Client(app.url, verbose=False)
    h1, *_ = a.predict("Dân số toàn xã là bao nhiêu?", [], "Hỏi đáp", "", "", api_name="/chat")
    h2, *_ = b.predict("Xã trồng bao nhiêu ha lúa?", [], "Hỏi đáp", "", "", api_name="/chat")
    assert len(h1) == 2 and len(h2) == 2
    assert "Dân số" in text_of(h1[0]) and "Dân số" not in text_of(h2[0])


def test_draft_request_is_detected_and_exports_word(client, app):
    app.stub.requests.clear()
    history, *_ = client.predict("Soạn mục kết quả sản xuất nông nghiệp năm 2025", [], "Hỏi đáp",
                                 "UBND xã Bình Thành", "05/01/2026", api_name="/chat")
    assert history[-1]["role"] == "assistant" and text_of(history[-1])
    assert not text_of(history[-1]).startswith("⚠"), text_of(history[-1])
    file, status = client.predict(history, "UBND xã Bình Thành", "05/BC-UBND", "Bình Thành", "05/01/2026",
                                  "Báo cáo kết quả sản xuất nông nghiệp", api_name="/export_chat")
    file = file_of(file)
    assert file.endswith(".docx"), status
    from docx import Document

    text = "\n".join(p.text for p in Document(file).paragraphs)
    cells = "\n".join(c.text for t in Document(file).tables for r in t.rows for c in r.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Bình Thành, ngày 05 tháng 01 năm 2026" in cells
    assert "BÁO CÁO" in text


def test_chat_export_markdown_for_questions(app):
    from gradio_client import Client

    c = Client(app.url, verbose=False)
    history, *_ = c.predict("Dân số toàn xã là bao nhiêu?", [], "Hỏi đáp", "", "", api_name="/chat")
    file, status = c.predict(history, "", "", "", "", "", api_name="/export_chat")
    file = file_of(file)
    assert file.endswith(".md"), status
    body = Path(file).read_text(encoding="utf-8")
    assert "Dân số toàn xã" in body and "Trợ lý" in body
    assert "[1]" in body and "<a " not in body  # the markers, without the chat's links


def test_chat_reports_model_errors_in_vietnamese(app, monkeypatch):
    from gradio_client import Client

    from assistant.config import reset_settings

    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")  # nothing listens there
    reset_settings()
    try:
        history, *_ = Client(app.url, verbose=False).predict("Kế hoạch của xã Bình Thành về trồng lúa nêu những gì?", [], "Hỏi đáp",
                                                             "", "", api_name="/chat")
    finally:
        monkeypatch.setenv("OPENAI_BASE_URL", app.stub.base_url)
        reset_settings()
    msg = text_of(history[-1])
    assert msg.startswith("⚠") and "Traceback" not in msg and "kết nối" in msg


def test_check_highlights_findings_and_lists_citations(client):
    text = ("Căn cứ Nghị định số 999/2099/NĐ-CP ngày 01/01/2099 của Chính phủ; "
            "căn cứ Kế hoạch số 05/KH-UBND ngày 10/01/2025 của UBND xã Bình Thành. <script>alert(1)</script>")
    marked, findings, citations, summary, *_ = client.predict(text, None, "05/01/2026", api_name="/check")
    assert "<script>" not in marked and "&lt;script&gt;" in marked
    assert "<mark" in marked
    assert findings["data"], "expected at least one finding"
    assert any("999/2099/NĐ-CP" in " ".join(map(str, r)) for r in citations["data"])
    assert "trích dẫn" in summary


def test_check_accepts_an_uploaded_file_and_exports_word(client, tmp_path):
    from gradio_client import handle_file

    f = tmp_path / "bao-cao.txt"
    f.write_text("Thực hiện Kế hoạch số 05/KH-UBND ngày 10/01/2025 của UBND xã Bình Thành.", encoding="utf-8")
    marked, _findings, _citations, _summary = client.predict("", handle_file(str(f)), "", api_name="/check")
    assert "05/KH-UBND" in marked
    file, status = client.predict(api_name="/export_check")
    file = file_of(file)
    assert file.endswith(".docx"), status
    from docx import Document

    assert "BÁO CÁO KIỂM TRA TRÍCH DẪN" in "\n".join(p.text for p in Document(file).paragraphs)


def test_check_without_text_asks_for_input(client):
    _marked, _findings, _citations, summary = client.predict("", None, "", api_name="/check")
    assert "Dán văn bản" in summary


def test_summarize_an_indexed_report(client):
    table, *_ = client.predict(api_name="/documents")
    doc_id = next(r[0] for r in table["data"] if r[-1] == "bao-cao-dan-so.txt")
    status, body = client.predict(doc_id, None, api_name="/summarize")
    assert "⚠" not in status, status
    assert body.strip()


def test_upload_saves_sanitised_copy_and_lists_it(client, app, tmp_path):
    from gradio_client import handle_file

    f = tmp_path / "..báo cáo <script>.md"
    f.write_text("# <script>alert('x')</script>\n\nNội dung thử nghiệm về thu ngân sách 12 tỷ đồng.\n",
                 encoding="utf-8")
    status, table, *_ = client.predict([handle_file(str(f))], api_name="/upload")
    assert "Đã nạp" in status, status
    uploads = app.data_dir.resolve() / "uploads"
    saved = [p.name for p in uploads.iterdir() if not p.name.startswith(".")]
    assert len(saved) == 1 and "<" not in saved[0] and not saved[0].startswith(".")
    assert any(r[-1] == saved[0] for r in table["data"])


def test_upload_refuses_unsupported_type(client, tmp_path):
    from gradio_client import handle_file

    f = tmp_path / "virus.exe"
    f.write_bytes(b"MZ\x00")
    try:
        status, *_ = client.predict([handle_file(str(f))], api_name="/upload")
    except Exception as exc:  # Gradio itself may refuse the type before the handler runs  # noqa: BLE001
        assert "virus.exe" in str(exc) or "type" in str(exc).lower()
        return
    assert "không được hỗ trợ" in status


def test_delete_document(client):
    table, *_ = client.predict(api_name="/documents")
    before = len(table["data"])
    doc_id = next(r[0] for r in table["data"] if r[-1] == "bao-cao-dan-so.txt")
    status, table, *_ = client.predict(doc_id, api_name="/delete_document")
    assert "Đã xóa" in status
    assert len(table["data"]) == before - 1
    status, *_ = client.predict("khong-co", api_name="/delete_document")
    assert "Không có tài liệu" in status


def test_registry_add_then_check_knows_it(client):
    status = client.predict("12/QĐ-UBND", "Quyết định", "03/02/2025", "UBND xã Bình Thành",
                            "Về việc thành lập Tổ công tác", api_name="/registry_add")
    assert "Đã thêm" in status, status
    status = client.predict("12/QĐ-UBND", "Quyết định", "31/02/2025", "", "", api_name="/registry_add")
    assert "không đúng" in status
    _marked, _findings, citations, _summary = client.predict(
        "Thực hiện Quyết định số 12/QĐ-UBND ngày 03/02/2025 của UBND xã Bình Thành.", None, "",
        api_name="/check")
    row = next(r for r in citations["data"] if "12/QĐ-UBND" in r[2])
    assert row[-1] != "Chưa có trong danh mục", row


# ---- pure helpers ----------------------------------------------------------------------------
def test_sanitize_filename_never_leaves_the_folder():
    from assistant.ui.uploads import sanitize_filename

    for bad in ("../../etc/passwd", "..\\..\\boot.ini", "/abs/path/x.pdf", "....", "a\x00b.txt", ""):
        name = sanitize_filename(bad)
        assert "/" not in name and "\\" not in name and not name.startswith(".") and name
    assert sanitize_filename("Báo cáo  tháng 1.DOCX") == "Báo cáo tháng 1.docx"


def test_highlight_escapes_and_marks_by_severity():
    from assistant.ui.render import highlight_html

    text = "a <b> Nghị định 1/NĐ-CP & c"
    f = [{"start": 6, "end": 21, "severity": "error", "message": "x"},
         {"start": 16, "end": 21, "severity": "info", "message": "y"}]
    out = highlight_html(text, f)
    assert "&lt;b&gt;" in out and "&amp;" in out
    assert '<mark class="sev-error"' in out and "sev-info" not in out.split("tl-doc")[1]
    assert 'title="Lỗi: x | Ghi chú: y"' in out  # both findings named on the overlap


SOURCES = [{"marker": "[1]", "title": "Kế hoạch <b>05</b>", "number": "05/KH-UBND", "page": 2,
            "section": "II. NỘI DUNG", "snippet": "Trồng 120 ha lúa & 15 ha cây ăn quả."}]


def test_markers_link_to_their_source_and_unknown_markers_stay_text():
    from assistant.ui.render import link_markers, sources_html

    out = link_markers("Trồng 120 ha <lúa> [1], xem thêm [2].", SOURCES)
    assert '<a class="tl-marker" href="#tl-src-1"' in out and "&lt;lúa&gt;" in out
    assert "[2]" in out and "#tl-src-2" not in out
    assert "120 ha lúa &amp; 15 ha" in out  # the passage is shown on hover, escaped
    table = sources_html(SOURCES)
    assert "id='tl-src-1'" in table and "Kế hoạch &lt;b&gt;05&lt;/b&gt;" in table and "trang 2, II. NỘI DUNG" in table
    assert "Nguồn tham khảo" in table
    assert "Đoạn gần nhất" in sources_html(SOURCES, nearest=True)
    assert "Chưa có nguồn" in sources_html([])


def test_findings_and_citations_as_rows_and_html():
    from assistant.ui.render import check_summary, citation_rows, findings_html, findings_rows

    findings = [{"code": "future-date", "severity": "error", "message": "Ngày <sau> ngày báo cáo",
                 "text": "ngày 01/01/2099", "suggestion": "Kiểm tra lại ngày"}]
    citations = [{"text": "Nghị định số 120/2025/NĐ-CP", "doc_type": "Nghị định", "number": "120/2025/NĐ-CP",
                  "date": "2025-06-11", "issuer": "Chính phủ", "status": "verified"},
                 {"text": "Quyết định số 5/QĐ-UBND", "doc_type": "Quyết định", "number": "5/QĐ-UBND",
                  "date": None, "issuer": None, "status": "local"}]
    assert findings_rows(findings) == [["Lỗi", "future-date", "Ngày <sau> ngày báo cáo", "ngày 01/01/2099",
                                        "Kiểm tra lại ngày"]]
    rows = citation_rows(citations)
    assert rows[0][3] == "11/06/2025" and rows[0][-1] == "Đã xác minh"
    assert rows[1][3] == "" and rows[1][-1] == "Văn bản địa phương"
    html = findings_html(findings)
    assert "Ngày &lt;sau&gt;" in html and "sev-error" in html and "→ Kiểm tra lại ngày" in html
    assert findings_html([]) == ""
    assert check_summary(None, citations, findings) == ("Ngày báo cáo: không rõ. 2 trích dẫn; "
                                                        "1 lỗi, 0 cảnh báo, 0 ghi chú.")


def test_summary_markdown_escapes_and_lists_sources_and_notes():
    from assistant.ui.render import summary_markdown

    body = summary_markdown("Dòng một <i>\nDòng hai\n\nĐoạn mới", SOURCES,
                            [{"severity": "warning", "message": "Số liệu chưa khớp"}])
    assert body.startswith("Dòng một &lt;i&gt;  \nDòng hai\n\nĐoạn mới")  # single newlines kept as breaks
    assert "**Nguồn:**\n- [1] Kế hoạch &lt;b&gt;05&lt;/b&gt;, trang 2, II. NỘI DUNG" in body
    assert "**Lưu ý khi kiểm tra:**\n- Cảnh báo: Số liệu chưa khớp" in body


def test_plain_history_gives_back_what_was_typed_and_written():
    from assistant.ui.render import link_markers, plain_history

    history = [{"role": "user", "content": "a &lt; b &amp; c"},
               {"role": "assistant", "content": [{"type": "text", "text": "Đúng [1]"}]},
               {"role": "assistant", "content": link_markers("Trồng 120 ha <lúa> [1][2].", SOURCES)},
               {"role": "assistant", "content": link_markers("Đã hòa giải [1]. [cần bổ sung: số vụ <việc>]", SOURCES)},
               {"role": "assistant", "content": ""}]
    assert '<mark class="tl-todo"' in history[3]["content"]  # the chat shows a draft's gap highlighted
    assert plain_history(history) == [{"role": "user", "content": "a < b & c"},
                                      {"role": "assistant", "content": "Đúng [1]"},
                                      {"role": "assistant", "content": "Trồng 120 ha <lúa> [1][2]."},
                                      {"role": "assistant", "content": "Đã hòa giải [1]. [cần bổ sung: số vụ <việc>]"}]


def test_ingest_report_lines_use_the_names_users_gave():
    from assistant.ingestion import IngestReport
    from assistant.ui.render import ingest_lines

    report = IngestReport(ingested=[{"source": "/u/bao-cao.md", "pages": 1, "chunks": 3, "warnings": ["ít chữ"]}],
                          skipped=[{"source": "/u/cu.txt", "reason": "không đổi"}],
                          failed=[{"source": "/u/hong.pdf", "error": "Tệp 'hong.pdf' hỏng."}])
    assert ingest_lines(report, {"/u/bao-cao.md": "Báo cáo.md"}) == [
        (True, "Đã nạp Báo cáo.md (1 trang, 3 đoạn) — ít chữ"), (True, "Bỏ qua cu.txt: không đổi"),
        (False, "Tệp 'hong.pdf' hỏng.")]


def test_chat_updates_fill_sources_then_text_then_links():
    """The streaming loop alone, fed a job's events: the panel fills first, then the text grows."""
    from assistant.answers import Answer, Event
    from assistant.ui.chat import chat_updates

    answer = Answer(sources=SOURCES)  # one object throughout, as the jobs stream it
    history = [{"role": "user", "content": "?"}, {"role": "assistant", "content": "…"}]
    state = {"kind": "ask", "text": "", "sources": [], "findings": []}

    def events():
        yield Event("sources", answer)
        answer.text = "Trồng 120 ha <lúa>"
        yield Event("token", answer)
        answer.text = "Trồng 120 ha lúa [1]."
        answer.findings = [{"severity": "info", "message": "Đã đối chiếu"}]
        yield Event("done", answer)

    updates = [(u[0][-1]["content"], *u[1:]) for u in chat_updates(events(), history, state, draft=False)]
    assert len(updates) == 3
    assert "tl-table" in updates[0][1] and "Nguồn tham khảo" in updates[0][1]
    assert updates[1][0] == "Trồng 120 ha &lt;lúa&gt;"
    assert state["text"] == "Trồng 120 ha lúa [1]."  # the state follows the answer, so it can be saved
    text, sources, findings, parts, last = updates[-1]
    assert 'href="#tl-src-1"' in text and "Đã đối chiếu" in findings and "tl-src-1" in sources and parts == ""
    assert last["text"] == "Trồng 120 ha lúa [1]." and last["sources"] == SOURCES


def test_chat_updates_show_a_draft_part_by_part_with_its_sources_and_findings():
    from assistant.answers import Answer, Event
    from assistant.ui.chat import chat_updates

    answer = Answer(text="1. Tư pháp")
    history = [{"role": "user", "content": "Soạn"}, {"role": "assistant", "content": "…"}]

    def events():
        answer.parts = [{"heading": "Hộ tịch", "text": "", "sources": [], "findings": []},
                        {"heading": "Chứng thực", "text": "", "sources": [], "findings": []}]
        answer.progress = "Phần 1/2: hộ tịch"
        yield Event("plan", answer)
        yield Event("part", answer)
        answer.sources = SOURCES[:1]
        answer.text += "\nĐã đăng ký 12 việc [1]."
        yield Event("token", answer)
        answer.parts[0]["text"] = "Đã đăng ký 12 việc [1]."
        answer.progress = "Phần 2/2: chứng thực"
        yield Event("part", answer)
        answer.text += "\n[cần bổ sung: số bản sao đã chứng thực]"
        yield Event("token", answer)
        answer.parts[1]["text"] = "[cần bổ sung: số bản sao đã chứng thực]"
        answer.parts[0].update(sources=["[1]"], start=11, end=34)
        answer.parts[1].update(sources=[], start=35, end=len(answer.text))
        answer.findings = [{"severity": "warning", "message": "Số <12> chưa khớp", "start": 26, "end": 28, "part": 0}]
        answer.progress = ""
        yield Event("done", answer)

    updates = [(u[0][-1]["content"], u[1], u[3]) for u in chat_updates(events(), history, {}, draft=True)]
    assert updates[0][0] == "1. Tư pháp\n\n⏳ Phần 1/2: hộ tịch"
    assert "Phần 1/2: Hộ tịch" in updates[0][2] and "chờ soạn" in updates[0][2]  # the outline, nothing written yet
    writing_first = updates[2][2]
    assert "tl-part-writing" in writing_first and "Đã đăng ký 12 việc [1]." in writing_first  # the part as it grows
    assert "tl-src-1" in updates[2][1]  # the panel is redrawn when a part brings sources
    second = updates[4][2]
    assert "⏳ đang soạn" in second.split("tl-part-2")[1] and "✔ đã soạn" in second.split("tl-part-2")[0]
    assert '<mark class="tl-todo"' in second  # a gap shows highlighted while it is written
    text, sources, parts = updates[-1]
    assert "⏳" not in text and "tl-marker" in text
    assert "<th>Phần</th>" in sources and "<td>1</td>" in sources  # source [1] is used by part 1
    first, gap = parts.split("id='tl-part-2'")
    assert "Số &lt;12&gt; chưa khớp" in first and "Số &lt;12&gt; chưa khớp" not in gap  # findings under their part
    assert 'class="sev-warning"' in first and "Nguồn của phần này" in first
    assert '<mark class="tl-todo"' in gap and "1 chỗ cần bổ sung" in parts


def test_chat_updates_stop_at_an_error():
    from assistant.answers import Answer, Event
    from assistant.ui.chat import chat_updates

    history = [{"role": "user", "content": "?"}, {"role": "assistant", "content": "…"}]
    failed = Answer(error="Không kết nối được tới mô hình <x>.")
    state = {}
    updates = list(chat_updates([Event("error", failed), Event("token", Answer(text="muộn"))], history, state,
                                draft=False))
    assert len(updates) == 1 and updates[0][0][-1]["content"] == "⚠️ Không kết nối được tới mô hình &lt;x&gt;."
    assert state["error"] == "Không kết nối được tới mô hình <x>."


def test_draft_requests_are_recognised_without_accents_too():
    from assistant.ui.chat import MODE_ASK, MODE_DRAFT, is_draft_request

    for message in ("Soạn mục kết quả", "  viết báo cáo", "Dự thảo kế hoạch", "du thao ke hoach"):
        assert is_draft_request(message, MODE_ASK), message
    assert not is_draft_request("Dân số xã là bao nhiêu?", MODE_ASK)
    assert is_draft_request("Dân số xã là bao nhiêu?", MODE_DRAFT)


def test_upload_checks_name_the_file_and_the_setting(data_dir, tmp_path, monkeypatch):
    from assistant.config import reset_settings
    from assistant.errors import UsageError
    from assistant.ui.uploads import ALLOWED_EXT, check_upload

    exe = tmp_path / "a.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(UsageError, match="'a.exe' không được hỗ trợ"):
        check_upload(exe, "a.exe")
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_MB", "0.001")
    reset_settings()
    big = tmp_path / "lon.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(UsageError, match="ASSISTANT_MAX_UPLOAD_MB"):
        check_upload(big, "lon.txt")
    assert set(ALLOWED_EXT) == {".pdf", ".docx", ".md", ".txt"}


def test_non_loopback_without_users_is_refused(tmp_path, monkeypatch, capsys):
    from assistant.config import reset_settings
    from assistant.ui import serve

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "d"))
    reset_settings()
    try:
        assert serve(host="0.0.0.0", port=free_port()) == 2
    finally:
        reset_settings()
    assert "user-add" in capsys.readouterr().err


def test_a_question_the_corpus_cannot_answer_lists_the_nearest_passages_as_such(client):
    history, sources, *_ = client.predict("Giá vàng SJC hôm nay là bao nhiêu một lượng?", [], "Hỏi đáp", "", "",
                                          api_name="/chat")
    assert text_of(history[-1]).startswith("Không tìm thấy trong tài liệu đã nạp.")
    assert "Đoạn gần nhất" in sources and "<table" in sources, "the passages found are listed, titled as such"


# ---- saved conversations, the draft editor, the task register (issue 16, issues 12 and 13) ----------
class Req:
    """What Gradio hands a handler as `gr.Request`: here only the user's name matters."""

    def __init__(self, username=None):
        self.username = username


def choices_of(update) -> list[tuple[str, str]]:
    return [tuple(c) for c in update["choices"]]


def test_a_conversation_is_saved_and_reopened_after_a_reload(app):
    from gradio_client import Client

    first = Client(app.url, verbose=False)
    first.predict("Xã Bình Thành trồng bao nhiêu ha lúa?", [], "Hỏi đáp", "UBND xã Bình Thành", "", api_name="/chat")
    listing, status = first.predict(api_name="/conversations")
    mine = [c for c in choices_of(listing) if c[0].startswith("Xã Bình Thành trồng bao nhiêu ha lúa?")]
    assert mine and status == ""
    conversation_id = mine[0][1]

    again = Client(app.url, verbose=False)  # a reloaded page: a new session, nothing in memory
    history, sources, _findings, _parts, title, status, *editor = again.predict(conversation_id,
                                                                               api_name="/open_conversation")
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert text_of(history[0]) == "Xã Bình Thành trồng bao nhiêu ha lúa?"
    assert "120 ha" in text_of(history[1]) and 'href="#tl-src-1"' in text_of(history[1])
    assert "05/KH-UBND" in sources and title == "Xã Bình Thành trồng bao nhiêu ha lúa?" and "Đã mở" in status
    assert "chưa có bản thảo" in editor[3]  # the editor says there is no draft to edit
    # The reopened conversation goes on where it was.
    again.predict("Hỗ trợ giống cho bao nhiêu hộ dân?", history, "Hỏi đáp", "", "", api_name="/chat")
    from assistant.conversations import LOCAL_PROFILE, get_store

    conv = get_store().get(LOCAL_PROFILE, conversation_id)
    assert [m.role for m in conv.messages] == ["user", "assistant", "user", "assistant"]
    assert all(m.status == "done" for m in conv.messages)


def test_rename_and_delete_a_conversation(app):
    from gradio_client import Client

    c = Client(app.url, verbose=False)
    c.predict("Dân số toàn xã là bao nhiêu?", [], "Hỏi đáp", "", "", api_name="/chat")
    listing, _ = c.predict(api_name="/conversations")
    conversation_id = next(cid for label, cid in choices_of(listing) if label.startswith("Dân số toàn xã"))
    listing, status = c.predict(conversation_id, "Dân số 2024: <b>Bình Thành</b>", api_name="/rename_conversation")
    assert "Đã đổi tên" in status
    assert any(label.startswith("Dân số 2024: <b>Bình Thành</b> · ") for label, _ in choices_of(listing)), listing
    listing, status, *_ = c.predict(conversation_id, api_name="/delete_conversation")
    assert "Đã xóa" in status and conversation_id not in [cid for _, cid in choices_of(listing)]
    *_, status = c.predict(conversation_id, api_name="/open_conversation")[:6]
    assert "Không tìm thấy" in status


def test_the_question_is_saved_before_the_model_runs_and_a_cut_answer_is_kept(app):
    from assistant.conversations import CUT, PENDING, get_store
    from assistant.ui.chat import chat_respond, chat_view
    from assistant.ui.render import CUT_NOTE

    owner = "kiem-thu-cat"
    app.stub.server.delay = 0.05  # the model writes slowly: the answer can be stopped half-way
    try:
        stream = chat_respond("Xã Bình Thành trồng bao nhiêu ha lúa?", [], "Hỏi đáp", "", "", None, request=Req(owner))
        history, *_rest, state, conversation_id, _listing, _title, _status = next(stream)
        conv = get_store().get(owner, conversation_id)  # saved before the model was asked anything
        assert [(m.role, m.status) for m in conv.messages] == [("user", "done"), ("assistant", PENDING)]
        for history, *_rest in stream:
            if "120" in text_of(history[-1]):
                break
        stream.close()  # the browser went away mid-answer
    finally:
        app.stub.server.delay = 0.0
    answer = get_store().get(owner, conversation_id).messages[-1]
    assert answer.status == CUT and "120" in answer.text
    shown = chat_view(get_store().get(owner, conversation_id))[0][-1]["content"]
    assert "120" in shown and CUT_NOTE in shown


def test_a_crash_mid_answer_leaves_the_answer_marked_cut_at_the_next_start(data_dir):
    from assistant.conversations import CUT, PENDING, get_store
    from assistant.ui.render import CUT_NOTE, history_from

    store = get_store()
    conv = store.create("lan", "Soạn mục tư pháp")
    store.add_message("lan", conv.id, "user", "Soạn mục tư pháp")
    mid = store.add_message("lan", conv.id, "assistant", "", kind="draft", status=PENDING)
    store.update_message("lan", mid, text="Đối với lĩnh vực tư pháp:", status=PENDING)  # the last save before the crash
    assert store.recover() == 1  # what `assistant serve` does when it starts
    answer = store.get("lan", conv.id).messages[-1]
    assert answer.status == CUT and answer.text == "Đối với lĩnh vực tư pháp:"
    assert history_from([answer])[0]["content"].endswith(CUT_NOTE)


def test_ask_and_draft_take_the_unit_from_the_form(monkeypatch):
    from assistant.ui import chat

    seen = {}
    monkeypatch.setattr(chat, "ask_stream", lambda question, unit=None: seen.update(question=question, unit=unit) or [])
    chat.job_events("Chứng thực bao nhiêu bản sao?", False, "  UBND xã An Hòa ", "")
    assert seen == {"question": "Chứng thực bao nhiêu bản sao?", "unit": "UBND xã An Hòa"}
    chat.job_events("Chứng thực bao nhiêu bản sao?", False, "", "")
    assert seen["unit"] is None


EDIT = ("\nThực hiện Nghị định số 977/2025/NĐ-CP ngày 20/6/2025 của Chính phủ quy định về phân cấp nhiệm vụ quản lý "
        "chợ cho chính quyền cấp xã, xã đã lập kế hoạch phát triển chợ. [cần bổ sung: số chợ trên địa bàn]")


def test_a_draft_is_edited_rechecked_and_exported_with_its_appendix(app):
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from gradio_client import Client

    c = Client(app.url, verbose=False)
    c.predict("Soạn mục kết quả sản xuất nông nghiệp năm 2025", [], "Hỏi đáp", "UBND xã Bình Thành", "05/01/2026",
              api_name="/chat")
    listing, _ = c.predict(api_name="/conversations")
    conversation_id = next(cid for label, cid in choices_of(listing) if label.startswith("Soạn mục kết quả sản xuất"))
    *_view, draft_choice, text, appendix, status, checked, _files = c.predict(conversation_id,
                                                                              api_name="/open_conversation")[:12]
    assert draft_choice["value"] and text.startswith("Kết quả sản xuất nông nghiệp năm 2025")
    assert appendix["visible"] is False  # the draft cites no decree with tasks
    assert "tl-doc" in checked

    edited = text + EDIT
    marked, status, appendix = c.predict(edited, "05/01/2026", api_name="/recheck_draft")
    assert "Đã kiểm tra lại" in status and "còn 1 chỗ [cần bổ sung: …]" in status and "đã được lưu" in status
    assert '<mark class="tl-todo"' in marked and "[cần bổ sung: số chợ trên địa bàn]" in marked
    assert appendix["visible"] is True and appendix["value"] is True
    assert "Nghị định số 977/2025/NĐ-CP (3 nhiệm vụ)" in appendix["label"]

    files, status = c.predict(edited, True, "UBND xã Bình Thành", "15/BC-UBND", "Bình Thành", "05/01/2026",
                              "Báo cáo kết quả sản xuất nông nghiệp", api_name="/export_draft")
    paths = [file_of(f) for f in (files["value"] if isinstance(files, dict) else files)]
    assert len(paths) == 2 and all(p.endswith(".docx") for p in paths), status
    body = Document(paths[0])
    words = "\n".join(p.text for p in body.paragraphs)
    assert "xã đã lập kế hoạch phát triển chợ" in words  # the edited text, not the draft as written
    gaps = [r for p in body.paragraphs for r in p.runs if r.text.startswith("[cần bổ sung")]
    assert gaps and all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in gaps)
    appendix_doc = Document(paths[1])
    lines = [p.text for p in appendix_doc.paragraphs if p.text]
    assert lines[1] == "DANH MỤC NHIỆM VỤ PHÂN CẤP, PHÂN QUYỀN CHO CẤP XÃ"
    assert "(Kèm theo Báo cáo số 15/BC-UBND ngày 05 tháng 01 năm 2026 của UBND xã Bình Thành)" in lines
    rows = [[cell.text for cell in r.cells] for r in appendix_doc.tables[0].rows]
    assert sum(1 for r in rows if r[2].endswith("Nghị định số 977/2025/NĐ-CP")) == 3
    assert "phụ lục" in status and "còn 1 chỗ" in status

    reopened = Client(app.url, verbose=False).predict(conversation_id, api_name="/open_conversation")
    assert reopened[7] == edited  # the edit was saved with the conversation


def test_task_register_of_a_chosen_document_and_its_appendix(client):
    from docx import Document

    table, *_ = client.predict(api_name="/documents")
    doc_id = next(r[0] for r in table["data"] if r[-1] == DECREE[0])
    view, status = client.predict([doc_id], api_name="/task_register")
    assert "1 văn bản; 3 nhiệm vụ của cấp xã" in status
    assert "<h3>Nghị định số 977/2025/NĐ-CP ngày 20/6/2025 của" in view  # the registry's citation
    assert "quy định về phân cấp nhiệm vụ quản lý chợ cho chính quyền cấp xã</h3>" in view
    assert "<td>Quản lý chợ</td><td>03</td><td>01</td>" in view  # counts per field, one moved from the district
    assert "<td>khoản 1 Điều 1</td><td>Ủy ban nhân dân cấp xã</td>" in view and "★" in view
    view, status = client.predict([], api_name="/task_register")
    assert view == "" and "Chọn" in status
    file, status = client.predict([doc_id], "UBND xã Bình Thành", "15/BC-UBND", "05/01/2026",
                                  api_name="/export_appendix")
    rows = [[c.text for c in r.cells] for r in Document(file_of(file)).tables[0].rows]
    assert rows[1][0] == "I. QUẢN LÝ CHỢ (03 nhiệm vụ)" and len(rows) == 5, rows
