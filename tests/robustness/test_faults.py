"""Faults: the model endpoint down, slow, failing or answering garbage; the disk full while indexing.

ask() must come back with a clear Vietnamese error in Answer.error and still the sources; a full disk
gives "Ổ đĩa đã đầy…" and loses nothing already indexed.
"""
from __future__ import annotations

import errno
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant import answering, llm
from assistant.bm25 import BM25Store
from assistant.config import reset_settings
from assistant.documents import Hit
from assistant.errors import user_message
from assistant.index import Index
from assistant.ingestion import ingest_paths
from assistant.retrieval import retrieve

from .conftest import assert_consistent, write_reports

TIMEOUT = 1.0


def _chunk(content: str) -> bytes:
    ev = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "stub",
          "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}]}
    return f"data: {json.dumps(ev, ensure_ascii=False)}\n\n".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def _send(self, code: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _sse_head(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        mode = self.server.mode
        self.server.calls += 1
        try:
            if mode == "slow":
                time.sleep(TIMEOUT * 3)
                return self._send(200, b"{}")
            if mode == "slow-stream":  # starts answering, then stalls past the timeout
                self._sse_head()
                self.wfile.write(_chunk("Theo"))
                self.wfile.flush()
                time.sleep(TIMEOUT * 3)
                return
            if mode == "500":
                return self._send(500, b'{"error": {"message": "internal error"}}')
            if mode == "503-html":
                return self._send(503, b"<html>Bad gateway</html>", "text/html")
            if mode == "not-json":
                return self._send(200, b"<html>this is not an OpenAI server</html>", "application/json")
            if mode == "bad-sse":
                self._sse_head()
                self.wfile.write(_chunk("Theo tài liệu"))
                self.wfile.write(b"data: {not json at all\n\n")
                self.wfile.write(b"data: [DONE]\n\n")
                return
            if mode == "wrong-shape-sse":
                self._sse_head()
                self.wfile.write(b'data: {"unexpected": [1, 2, 3]}\n\n')
                self.wfile.write(b'data: {"choices": "nope"}\n\n')
                self.wfile.write(b"data: [DONE]\n\n")
                return
            if mode == "cut-sse":  # the connection drops mid-answer
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                body = _chunk("Theo")
                self.wfile.write(f"{len(body):x}\r\n".encode() + body + b"\r\n")
                self.wfile.write(b"ff\r\npartial")
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if mode == "ok":
                self._sse_head()
                self.wfile.write(_chunk("Đăng ký khai sinh 12 việc [1]."))
                self.wfile.write(b"data: [DONE]\n\n")
                return
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def stub(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.mode = "ok"
    server.calls = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("ASSISTANT_LLM_RETRIES", "0")
    reset_settings()
    yield server
    server.shutdown()
    server.server_close()
    reset_settings()


HIT = Hit(doc_id="abc", source="bao-cao.md", title="Báo cáo hộ tịch", number="01/BC-UBND", page=1,
          section="I. KẾT QUẢ", score=1.0, text="Đăng ký khai sinh 12 việc.", meta={"bm25": 3.0})

EXPECT = {
    "down": "Không kết nối được",
    "slow": "không trả lời trong",
    "slow-stream": "không trả lời trong",
    "500": "báo lỗi 500",
    "503-html": "báo lỗi 503",
    "not-json": "không đúng định dạng",
    "bad-sse": "không đúng định dạng",
    "wrong-shape-sse": "không đúng định dạng",
    "cut-sse": "ngắt",
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", list(EXPECT))
def test_ask_reports_model_faults_in_vietnamese_with_sources(stub, monkeypatch, mode):
    monkeypatch.setattr(answering, "retrieve", lambda *a, **k: [HIT])
    if mode == "down":
        with socket.socket() as s:  # a port nothing listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
        reset_settings()
    stub.mode = mode
    t0 = time.monotonic()
    answer = answering.ask("Xã đăng ký khai sinh bao nhiêu việc?")
    elapsed = time.monotonic() - t0
    assert answer.error, (mode, answer.text)
    assert EXPECT[mode] in answer.error, (mode, answer.error)
    assert "Traceback" not in answer.error and "{" not in answer.error
    assert answer.sources and answer.sources[0]["source"] == "bao-cao.md"
    assert answer.to_dict()["error"] == answer.error
    assert elapsed < TIMEOUT * 3 + 2, elapsed  # the timeout is honoured


def test_ask_stream_ends_with_error_event(stub, monkeypatch):
    monkeypatch.setattr(answering, "retrieve", lambda *a, **k: [HIT])
    stub.mode = "bad-sse"
    events = [e.kind for e in answering.ask_stream("Khai sinh?")]
    assert events[0] == "sources" and events[-1] == "error"


def test_healthy_stub_still_answers(stub, monkeypatch):
    monkeypatch.setattr(answering, "retrieve", lambda *a, **k: [HIT])
    answer = answering.ask("Xã đăng ký khai sinh bao nhiêu việc?")
    assert answer.error is None and "12 việc" in answer.text


@pytest.mark.parametrize("mode", ["500", "not-json", "bad-sse", "cut-sse"])
def test_stream_chat_raises_only_llm_unavailable(stub, mode):
    stub.mode = mode
    with pytest.raises(llm.LLMUnavailable):
        llm.complete([{"role": "user", "content": "?"}])


# ---------------------------------------------------------------------------- disk full


ENOSPC = OSError(errno.ENOSPC, "No space left on device")


def _raise(*a, **k):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_user_message_for_full_disk():
    assert user_message(ENOSPC).startswith("Ổ đĩa đã đầy")


def _search_sources(idx, query="đăng ký khai sinh hộ tịch", k=10):
    return {h.source for h in retrieve(query, k, index=idx)}


def test_disk_full_on_bm25_commit_loses_nothing(data_dir, tmp_path, monkeypatch):
    old = write_reports(tmp_path / "cu", 2)
    idx = Index()
    ingest_paths(idx, old)
    before = assert_consistent(idx)

    new = write_reports(tmp_path / "moi", 1, start=20)
    monkeypatch.setattr(BM25Store, "commit", _raise)
    with pytest.raises(OSError) as info:
        ingest_paths(idx, new)
    assert user_message(info.value).startswith("Ổ đĩa đã đầy")
    monkeypatch.undo()

    # reopen (as after a restart): the old documents are all still there and searchable
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir))
    reopened = Index()
    assert set(before["sources"]) <= {d.source for d in reopened.documents()}
    for n in (1, 2):
        assert any(h.source.endswith(f"bao-cao-{n:03d}.md") for h in retrieve(f"mã hồ sơ HS{n:04d}", 3,
                                                                                  index=reopened))
    # space freed: the next ingest repairs and completes everything
    report = ingest_paths(reopened, old + new)
    assert not report.failed
    st = assert_consistent(reopened)
    assert st["docs"] == 3


def test_disk_full_on_chroma_upsert_is_clear_and_loses_nothing(data_dir, tmp_path, monkeypatch):
    old = write_reports(tmp_path / "cu", 2)
    idx = Index()
    ingest_paths(idx, old)
    before = assert_consistent(idx)

    new = write_reports(tmp_path / "moi", 1, start=20)
    monkeypatch.setattr(type(idx.collection), "upsert", _raise)
    report = ingest_paths(idx, new)
    monkeypatch.undo()
    assert not report.ingested and report.failed
    for f in report.failed:
        assert f["error"].startswith("Ổ đĩa đã đầy"), f
        assert f["code"] == "disk-full"
    # nothing already indexed is lost, in this process and after reopening
    assert before["sources"] == sorted(d.source for d in idx.documents())
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir))
    reopened = Index()
    assert {h.source for h in retrieve("mã hồ sơ HS0002", 3, index=reopened)} & set(before["sources"])
    report = ingest_paths(reopened, old + new)
    assert not report.failed and len(report.ingested) == 1
    assert assert_consistent(reopened)["docs"] == 3
