"""Past one machine: a Chroma server and an OpenAI-compatible model server reached over HTTP.

1. `chroma run` on 127.0.0.1 as a subprocess; `assistant ingest` / `search` / `docs` through the real
   command line (subprocesses) with ASSISTANT_CHROMA_URL; the server is stopped mid-session (a clear
   Vietnamese message and exit code 1, no traceback) and restarted on the same path (data still there).
   Skipped with the reason when the `chroma` command cannot start a server here.
2. `assistant ask --json` against a stub OpenAI-compatible HTTP server on 127.0.0.1 with
   OPENAI_BASE_URL + OPENAI_API_KEY + ASSISTANT_MODEL: the request carries the model name and the key,
   the answer and its sources come back (a refused key: tests/test_security.py).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fixtures.app import STUB_ANSWER, StubLLM, _StubHandler, free_port

pytestmark = pytest.mark.timeout(120)

BIN = Path(sys.executable).parent
CLI_TIMEOUT = 90

DOCS = {
    "bao-cao-ca-phe.txt": """UBND XÃ EA TÂN

BÁO CÁO
Kết quả sản xuất cà phê năm 2024

Năm 2024 toàn xã thu hoạch 3.450 tấn cà phê nhân, diện tích cà phê tái canh đạt 215 ha.
Giá cà phê bình quân 95.000 đồng/kg.
""",
    "ke-hoach-nuoc-sach.md": """# Kế hoạch cấp nước sạch nông thôn năm 2025

Xã phấn đấu 98% hộ dân dùng nước hợp vệ sinh; xây mới 3 trạm cấp nước tập trung tại thôn 2, thôn 5 và thôn 7.
""",
}
COMMUNE_B_DOC = ("bao-cao-thuy-san.txt", """UBND XÃ BÌNH AN

BÁO CÁO
Kết quả nuôi trồng thủy sản năm 2024

Diện tích nuôi tôm thẻ chân trắng đạt 62 ha, sản lượng 410 tấn.
""")
COMMUNE_B_QUERY = "diện tích nuôi tôm thẻ chân trắng"
LATE_DOC = ("bao-cao-hoc-duong.txt", """UBND XÃ EA TÂN

BÁO CÁO
Tình hình giáo dục năm học 2024-2025

Tỷ lệ học sinh lên lớp đạt 99,2%; xã có 4 trường đạt chuẩn quốc gia.
""")


# ---- helpers ---------------------------------------------------------------------------------------
def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ASSISTANT_", "OPENAI_")) and k != "PYTEST_CURRENT_TEST"}
    env.update(ASSISTANT_DATA_DIR=str(data_dir), ASSISTANT_LOCAL_MODEL="small", ASSISTANT_THREADS="1",
               ASSISTANT_LLM_RETRIES="0", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    exe = BIN / "assistant"
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "assistant", *args]
    cwd = Path(env["ASSISTANT_DATA_DIR"])  # not the checkout: its .env must not leak into the test
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=CLI_TIMEOUT, cwd=cwd)


def write_docs(folder: Path, docs: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def assert_clean_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    """Exit code 1, a Vietnamese message on stderr naming the problem, never a traceback."""
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


class ChromaServer:
    """`chroma run --host 127.0.0.1 --port P --path DIR` in its own process group."""

    def __init__(self, path: Path, port: int | None = None):
        self.path, self.port = path, port or free_port()
        self.proc: subprocess.Popen | None = None
        self.log = path.parent / f"chroma-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1) as r:
                return r.status == 200 and b"heartbeat" in r.read()
        except OSError:
            return False

    def start(self, timeout: float = 40.0) -> ChromaServer:
        exe = BIN / "chroma"
        if not exe.exists():
            raise RuntimeError(f"không có lệnh chroma tại {exe}")
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
        env["ANONYMIZED_TELEMETRY"] = "False"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([str(exe), "run", "--host", "127.0.0.1", "--port", str(self.port),
                                          "--path", str(self.path)], stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.alive():
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        tail = self.log.read_text(errors="replace")[-600:] if self.log.exists() else ""
        raise RuntimeError(f"chroma run không khởi động được trên cổng {self.port}: {tail}")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None
        deadline = time.monotonic() + 10
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)


@pytest.fixture
def chroma_server(tmp_path):
    server = ChromaServer(tmp_path / "chroma-server")
    try:
        server.start()
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"không chạy được máy chủ Chroma (`chroma run`): {exc}")
    try:
        yield server
    finally:
        server.stop()


def server_chunks(server: ChromaServer, collection: str = "documents") -> int:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(host="127.0.0.1", port=server.port,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    return client.get_collection(collection).count()


# ---- 1. Chroma server ----------------------------------------------------------------------------
def test_cli_against_chroma_server_survives_stop_and_restart(chroma_server, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    corpus = write_docs(tmp_path / "corpus", DOCS)
    env = cli_env(data, ASSISTANT_CHROMA_URL=chroma_server.url, OPENAI_BASE_URL=f"http://127.0.0.1:{free_port()}/v1")

    ingest = run_cli("ingest", str(corpus), "--json", env=env)
    assert ingest.returncode == 0, ingest.stderr
    report = json.loads(ingest.stdout)
    assert len(report["ingested"]) == 2 and not report["failed"], report
    chunks = sum(item["chunks"] for item in report["ingested"])
    # The vectors live in the server, not in an embedded store under the data directory.
    assert server_chunks(chroma_server) == chunks
    assert not (data / "chroma").exists()
    assert (chroma_server.path / "chroma.sqlite3").exists()

    def search(*queries: str, env: dict = env) -> list[list[dict]]:
        """One CLI process for several queries (`search --batch`, one JSON line per query)."""
        batch = tmp_path / "queries.txt"
        batch.write_text("\n".join(queries) + "\n", encoding="utf-8")
        proc = run_cli("search", "--batch", str(batch), "--json", "-k", "3", env=env)
        assert proc.returncode == 0, proc.stderr
        lines = [json.loads(line) for line in proc.stdout.splitlines()]
        assert [x["query"] for x in lines] == list(queries)
        return [x["hits"] for x in lines]

    # A second commune on the same server: its own collection and its own data directory.
    env_b = {**env, "ASSISTANT_DATA_DIR": str(tmp_path / "data-b"), "ASSISTANT_COLLECTION": "xa-binh-an"}
    corpus_b = write_docs(tmp_path / "corpus-b", dict([COMMUNE_B_DOC]))
    assert run_cli("ingest", str(corpus_b), env=env_b).returncode == 0
    (own,) = search(COMMUNE_B_QUERY, env=env_b)
    assert own and all(h["source"].endswith(COMMUNE_B_DOC[0]) for h in own), own

    coffee, water, other = search("sản lượng cà phê nhân năm 2024", "trạm cấp nước tập trung", COMMUNE_B_QUERY)
    assert coffee and coffee[0]["source"].endswith("bao-cao-ca-phe.txt"), coffee
    assert "3.450 tấn" in coffee[0]["text"]
    assert water and water[0]["source"].endswith("ke-hoach-nuoc-sach.md"), water
    assert not any(h["source"].endswith(COMMUNE_B_DOC[0]) for h in other), other  # never the other commune's
    assert server_chunks(chroma_server) == chunks and server_chunks(chroma_server, "xa-binh-an") == 1

    # The server goes away mid-session: a clear Vietnamese message, exit code 1, no traceback.
    chroma_server.stop()
    down = run_cli("search", "cà phê", "--json", env=env)
    assert_clean_error(down, "máy chủ Chroma", chroma_server.url)
    assert down.stdout == ""
    write_docs(corpus, dict([LATE_DOC]))
    down = run_cli("ingest", str(corpus), "--json", env=env)
    assert_clean_error(down, "máy chủ Chroma", chroma_server.url)

    # Restarted on the same path: everything indexed before is still there, and ingest resumes.
    chroma_server.start()
    assert server_chunks(chroma_server) == chunks
    again = run_cli("ingest", str(corpus), "--json", env=env)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert [Path(i["source"]).name for i in report["ingested"]] == [LATE_DOC[0]]
    assert len(report["skipped"]) == 2
    coffee, school = search("sản lượng cà phê nhân năm 2024", "trường đạt chuẩn quốc gia")
    assert coffee and "3.450 tấn" in coffee[0]["text"], coffee
    assert school and school[0]["source"].endswith(LATE_DOC[0]), school


def test_open_index_reports_a_lost_chroma_server_in_vietnamese(chroma_server, data_dir, monkeypatch):
    """A long-running process (the app) whose Chroma server stops after the index was opened."""
    from assistant.config import reset_settings
    from assistant.errors import user_message
    from assistant.index import get_index
    from assistant.ingestion import ingest_paths
    from assistant.retrieval import retrieve

    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server.url)
    reset_settings()
    corpus = write_docs(data_dir.parent / "corpus", {"bao-cao-ca-phe.txt": DOCS["bao-cao-ca-phe.txt"]})
    index = get_index()
    assert len(ingest_paths(index, [corpus]).ingested) == 1
    assert retrieve("cà phê nhân", 3)

    chroma_server.stop()
    with pytest.raises(Exception) as info:  # noqa: PT011 — what Chroma's HttpClient lets through
        retrieve("cà phê nhân", 3)
    message = user_message(info.value)
    assert "máy chủ Chroma" in message and chroma_server.url in message, message
    assert "Lỗi không mong đợi" not in message

    chroma_server.start()  # the same client reconnects: no app restart needed
    hits = retrieve("cà phê nhân", 3)
    assert hits and "3.450 tấn" in hits[0].text


# ---- 2. OpenAI-compatible model server ------------------------------------------------------------
class _RecordingHandler(_StubHandler):
    """The stub from fixtures.app, also recording headers and refusing any key but the expected one."""

    def do_POST(self):
        self.server.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
        want = getattr(self.server, "required_key", None)
        if want and self.headers.get("Authorization") != f"Bearer {want}":
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            got = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            # Like OpenAI's own reply: the refused key is echoed in the error body.
            return self._json(401, {"error": {"message": f"Incorrect API key provided: {got}",
                                              "type": "invalid_request_error", "code": "invalid_api_key"}})
        return super().do_POST()


class RecordingStub(StubLLM):
    def __init__(self, answer: str = STUB_ANSWER, required_key: str | None = None):
        super().__init__(answer)
        self.server.RequestHandlerClass = _RecordingHandler
        self.server.headers_seen = []
        self.server.required_key = required_key

    @property
    def headers(self) -> list[dict]:
        return self.server.headers_seen


ASK_DOCS = {"ke-hoach-lua.md": """ỦY BAN NHÂN DÂN XÃ BÌNH THÀNH

Số: 05/KH-UBND

Bình Thành, ngày 10 tháng 01 năm 2025

KẾ HOẠCH

Phát triển sản xuất nông nghiệp năm 2025

Xã Bình Thành phấn đấu trồng 120 ha lúa chất lượng cao trong năm 2025.
"""}


@pytest.fixture(scope="module")
def ask_env(tmp_path_factory):
    """A data directory (embedded Chroma) with one document, ingested through the CLI."""
    base = tmp_path_factory.mktemp("remote-llm")
    data = base / "data"
    data.mkdir()
    corpus = write_docs(base / "corpus", ASK_DOCS)
    env = cli_env(data)
    proc = run_cli("ingest", str(corpus), "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    return env


def test_ask_through_a_remote_openai_compatible_server(ask_env):
    with RecordingStub(required_key="sk-test-remote-123") as stub:
        env = {**ask_env, "OPENAI_BASE_URL": stub.base_url, "OPENAI_API_KEY": "sk-test-remote-123",
               "ASSISTANT_MODEL": "Qwen/Qwen2.5-7B-Instruct"}
        proc = run_cli("ask", "Kế hoạch trồng lúa chất lượng cao của xã Bình Thành năm 2025 ra sao?", "--json", env=env)
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert out["text"] == STUB_ANSWER and "error" not in out
        assert out["sources"] and out["sources"][0]["source"].endswith("ke-hoach-lua.md")
        assert len(stub.requests) == 1, stub.requests
        req, headers = stub.requests[0], stub.headers[0]
        assert req["model"] == "Qwen/Qwen2.5-7B-Instruct"
        assert req["stream"] is True
        assert headers["authorization"] == "Bearer sk-test-remote-123"
        prompt = "\n".join(str(m.get("content")) for m in req["messages"])
        assert "120 ha lúa" in prompt and "Kế hoạch trồng lúa chất lượng cao của xã Bình Thành" in prompt

        # a "bao nhiêu" question the records answer is a quotation of the source, with no model call
        stub.requests.clear()
        proc = run_cli("ask", "Xã Bình Thành trồng bao nhiêu ha lúa?", "--json", env=env)
        out = json.loads(proc.stdout)
        assert "120 ha lúa" in out["text"] and "[1]" in out["text"] and not stub.requests
        assert out["sources"][0]["marker"] == "[1]" and "120 ha" in out["sources"][0]["snippet"]


def test_remote_server_non_streaming_with_the_same_client(monkeypatch):
    """The app's own client settings (base URL, key, model) also work for a plain JSON reply."""
    from assistant import llm
    from assistant.config import reset_settings

    with RecordingStub(answer="Xin chào.", required_key="sk-json") as stub:
        monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url + "/")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-json")
        monkeypatch.setenv("ASSISTANT_MODEL", "remote-json")
        reset_settings()
        try:
            ep = llm.endpoint()
            assert (ep.base_url, ep.api_key, ep.model, ep.local) == (stub.base_url, "sk-json", "remote-json", False)
            reply = llm.client().chat.completions.create(model=ep.model, stream=False,
                                                         messages=[{"role": "user", "content": "chào"}])
            assert reply.choices[0].message.content == "Xin chào."
            assert llm.complete([{"role": "user", "content": "chào"}]) == "Xin chào."
        finally:
            reset_settings()
        assert [r["stream"] if "stream" in r else False for r in stub.requests] == [False, True]
        assert all(h["authorization"] == "Bearer sk-json" for h in stub.headers)

