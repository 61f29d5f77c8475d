"""The web app through its API (gradio_client), one test per endpoint, against a stub model server.

The app runs in this process on a free port with its own data directory and a tiny corpus; the
chat model is `StubLLM`, a real OpenAI-compatible HTTP server on 127.0.0.1 that streams a fixed,
source-marked answer, so no real model is needed.
"""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

STUB_ANSWER = "Theo Kế hoạch số 05/KH-UBND, xã Bình Thành đã trồng 120 ha lúa [1]."

CORPUS = {
    "ke-hoach-05.md": """ỦY BAN NHÂN DÂN XÃ BÌNH THÀNH

Số: 05/KH-UBND

Bình Thành, ngày 10 tháng 01 năm 2025

KẾ HOẠCH

Phát triển sản xuất nông nghiệp năm 2025

I. MỤC ĐÍCH, YÊU CẦU

Xã Bình Thành phấn đấu trồng 120 ha lúa chất lượng cao trong năm 2025, tăng 10 ha so với năm 2024.

II. NỘI DUNG

1. Chuyển đổi 15 ha đất trồng lúa kém hiệu quả sang trồng cây ăn quả.
2. Hỗ trợ giống cho 230 hộ dân.
""",
    "bao-cao-dan-so.txt": """UBND XÃ BÌNH THÀNH

BÁO CÁO
Tình hình dân số và gia đình năm 2024

Dân số toàn xã là 8.450 người, 2.130 hộ. Tỷ lệ tăng dân số tự nhiên 1,1%.
Công tác chứng thực: đã chứng thực 1.245 bản sao từ bản chính.
""",
}


# ---- the stub model server ---------------------------------------------------------------------
class _StubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    answer = STUB_ANSWER
    delay = 0.0  # seconds between streamed pieces (the bench sets it to mimic a model)

    def log_message(self, *args):  # quiet
        pass

    def _json(self, code: int, obj: dict) -> None:
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.rstrip("/").endswith("/models"):
            return self._json(200, {"object": "list", "data": [{"id": "stub", "object": "model"}]})
        self._json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        req = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(req)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            return self._json(404, {"error": {"message": "not found"}})
        text = self.server.answer
        if not req.get("stream"):
            return self._json(200, {"id": "stub", "object": "chat.completion", "created": 0, "model": "stub",
                                    "choices": [{"index": 0, "finish_reason": "stop",
                                                 "message": {"role": "assistant", "content": text}}],
                                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        words = text.split(" ")
        for i, w in enumerate(words):
            piece = w if i == 0 else " " + w
            chunk = {"id": "stub", "object": "chat.completion.chunk", "created": 0, "model": "stub",
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
            if self.server.delay:
                time.sleep(self.server.delay)
        done = {"id": "stub", "object": "chat.completion.chunk", "created": 0, "model": "stub",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
        self.wfile.flush()
        self.close_connection = True


class StubLLM:
    """An OpenAI-compatible /v1/chat/completions server on 127.0.0.1 (streaming SSE or JSON)."""

    def __init__(self, answer: str = STUB_ANSWER, delay: float = 0.0):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
        self.server.daemon_threads = True
        self.server.answer = answer
        self.server.delay = delay
        self.server.requests = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @property
    def requests(self) -> list[dict]:
        return self.server.requests

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


class RunningApp:
    """The app in this process: own data dir, stub model, tiny corpus ingested, on a free port."""

    def __init__(self, data_dir: Path, corpus: Path | None = None, stub_delay: float = 0.0, concurrency=None):
        self.data_dir, self.corpus = data_dir, corpus
        self.stub = StubLLM(delay=stub_delay)
        self.concurrency = concurrency
        self.saved_env = {}

    def _setenv(self, key, value):
        self.saved_env.setdefault(key, os.environ.get(key))
        os.environ[key] = value

    def __enter__(self):
        from assistant.config import reset_settings
        from assistant.index import reset_index

        self.stub.__enter__()
        self._setenv("ASSISTANT_DATA_DIR", str(self.data_dir))
        self._setenv("OPENAI_BASE_URL", self.stub.base_url)
        self._setenv("ASSISTANT_MODEL", "stub")
        self._setenv("ASSISTANT_LLM_RETRIES", "0")
        if self.concurrency:
            self._setenv("ASSISTANT_CONCURRENCY", str(self.concurrency))
        reset_settings()
        reset_index()
        from assistant import ui

        if self.corpus:
            ui._ingest_at_start([str(self.corpus)])
        self.port = free_port()
        self.demo = ui.build_app()
        ui.launch(self.demo, "127.0.0.1", self.port, block=False)
        self.url = f"http://127.0.0.1:{self.port}/"
        return self

    def __exit__(self, *exc):
        from assistant.config import reset_settings
        from assistant.index import reset_index

        try:
            self.demo.close()
        finally:
            self.stub.__exit__()
            for k, v in self.saved_env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            reset_settings()
            reset_index()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("ui")
    with RunningApp(base / "data", write_corpus(base / "corpus")) as running:
        yield running


@pytest.fixture
def client(app):
    from gradio_client import Client

    return Client(app.url, verbose=False)


def text_of(message: dict) -> str:
    from assistant.ui import message_text

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
                 "/delete_document", "/registry_add"):
        assert name in names, names


def test_documents_lists_the_ingested_corpus(client):
    table, _delete_choices, _summary_choices, status = client.predict(api_name="/documents")
    rows = table["data"]
    files = {r[-1] for r in rows}
    assert files == set(CORPUS)
    assert "2 tài liệu" in status
    numbers = {r[2] for r in rows}
    assert "05/KH-UBND" in numbers


def test_chat_streams_an_answer_with_sources(client, app):
    history, sources, _findings = client.predict("Xã Bình Thành trồng bao nhiêu ha lúa?", [], "Hỏi đáp", "", "",
                                                api_name="/chat")
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
    history, _sources, _findings = client.predict("Soạn mục kết quả sản xuất nông nghiệp năm 2025", [], "Hỏi đáp",
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


def test_chat_reports_model_errors_in_vietnamese(app, monkeypatch):
    from gradio_client import Client

    from assistant.config import reset_settings

    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")  # nothing listens there
    reset_settings()
    try:
        history, *_ = Client(app.url, verbose=False).predict("Xã trồng bao nhiêu ha lúa?", [], "Hỏi đáp", "", "",
                                                             api_name="/chat")
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
    from assistant.ui import sanitize_filename

    for bad in ("../../etc/passwd", "..\\..\\boot.ini", "/abs/path/x.pdf", "....", "a\x00b.txt", ""):
        name = sanitize_filename(bad)
        assert "/" not in name and "\\" not in name and not name.startswith(".") and name
    assert sanitize_filename("Báo cáo  tháng 1.DOCX") == "Báo cáo tháng 1.docx"


def test_highlight_escapes_and_marks_by_severity():
    from assistant.ui import highlight_html

    text = "a <b> Nghị định 1/NĐ-CP & c"
    f = [{"start": 6, "end": 21, "severity": "error", "message": "x"},
         {"start": 16, "end": 21, "severity": "info", "message": "y"}]
    out = highlight_html(text, f)
    assert "&lt;b&gt;" in out and "&amp;" in out
    assert '<mark class="sev-error"' in out and "sev-info" not in out.split("tl-doc")[1]


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
    history, sources, _findings = client.predict("Giá vàng SJC hôm nay là bao nhiêu một lượng?", [], "Hỏi đáp", "", "",
                                                 api_name="/chat")
    assert text_of(history[-1]).startswith("Không tìm thấy trong tài liệu đã nạp.")
    assert "Đoạn gần nhất" in sources and "<table" in sources, "the passages found are listed, titled as such"
