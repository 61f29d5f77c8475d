"""Security requirements, each shown through the code path a user (or an attacker) would take.

- uploads are limited by size and type (the app's upload handler, and over HTTP through Gradio);
- uploaded file names cannot write outside data_dir/uploads (raw HTTP with a hostile `orig_name`);
- the app listens on loopback by default and refuses any other address without users; with users,
  no API route answers an HTTP request that has not signed in;
- passwords are stored only as bcrypt hashes; the sign-in page is the app's own, in Vietnamese, its
  session cookie is HttpOnly, expires, and dies on sign-out; repeated failures are held back (429);
- a user sees only their own saved conversations, in the page and through the Gradio API;
- neither the model key nor document text reaches the logs or stderr at the default level;
- HTML in documents (titles, text) and in model answers is shown as text, never run (Chromium).
"""
from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from fixtures.app import STUB_ANSWER, RunningApp, chromium_page, free_port
from test_remote import RecordingStub, cli_env, run_cli, write_docs

pytestmark = pytest.mark.timeout(150)

SECRET = "secret-xyz"
MARKER = "DAUHIEU-MAT-7F3A91"
XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=1">'
EVIL_DOCS = {
    "thue-phi-nong-nghiep.md": f"# {XSS_SCRIPT}\n\nBáo cáo thu thuế sử dụng đất phi nông nghiệp năm 2024 "
                               "đạt 1,5 tỷ đồng, bằng 104% dự toán.\n",
    "dich-ta-lon.md": f"# Kế hoạch phòng chống dịch tả lợn châu Phi {XSS_IMG}\n\nTriển khai tiêm phòng cho "
                      f"1.200 con lợn tại 5 thôn {XSS_IMG} trong quý I năm 2025.\n",
}
MARKER_DOC = ("bao-cao-mat.txt", f"""UBND XÃ BÌNH THÀNH

BÁO CÁO
Kết quả thu gom rác thải sinh hoạt năm 2024

Mã nội bộ {MARKER}: xã thu gom 1.870 tấn rác thải sinh hoạt, đạt 96% khối lượng phát sinh.
""")


def _noop_progress(*args, **kwargs):
    return None


def upload_of(path: Path, name: str | None = None) -> dict:
    """What Gradio hands the handler for one uploaded file."""
    return {"path": str(path), "orig_name": name or path.name, "meta": {"_type": "gradio.FileData"}}


def saved_uploads(data_dir: Path) -> list[str]:
    uploads = data_dir.resolve() / "uploads"
    return sorted(p.name for p in uploads.iterdir() if not p.name.startswith(".")) if uploads.exists() else []


HOSTILE_NAMES = ["../../etc/passwd.txt", "..\\..\\..\\boot.ini.txt", "....//....//bi-mat.md",
                 "/tmp/ra-ngoai/tuyet-doi.md", "C:\\Windows\\win.ini.txt", ".bashrc.md", "a\x00b.txt",
                 "con<script>.md", " ../ .txt"]


def test_save_upload_never_leaves_the_uploads_folder(data_dir, tmp_path):
    from assistant.ui.uploads import ALLOWED_EXT, save_upload, uploads_dir

    src = tmp_path / "noi-dung.txt"
    src.write_text("Nội dung.\n", encoding="utf-8")
    uploads = uploads_dir()
    for name in HOSTILE_NAMES:
        dest, shown = save_upload(upload_of(src, name))
        assert dest.parent == uploads and dest.exists(), (name, dest)
        assert not dest.name.startswith(".") and "/" not in dest.name and "\\" not in dest.name
        assert dest.suffix in ALLOWED_EXT, dest
    assert not Path("/tmp/ra-ngoai/tuyet-doi.md").exists()
    assert not (data_dir.parent / "etc").exists() and not (data_dir / "etc").exists()
    assert "passwd.txt" in saved_uploads(data_dir)


# ---- loopback by default, sign-in off loopback --------------------------------------------------
def test_loopback_by_default(monkeypatch):
    from assistant.config import Settings
    from assistant.ui.serving import is_loopback

    monkeypatch.delenv("ASSISTANT_HOST", raising=False)
    assert Settings(_env_file=None).host == "127.0.0.1"
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.10", "10.0.0.5", "ubnd-xa.local", "127.0.0.1.nip.io", ""):
        assert not is_loopback(host), host


def test_serve_refuses_other_addresses_without_users(tmp_path, monkeypatch, capsys):
    from assistant.config import reset_settings
    from assistant.ui import serve

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_HOST", "0.0.0.0")
    reset_settings()
    try:
        assert serve(port=free_port()) == 2  # the address from ASSISTANT_HOST
        for host in ("::", "192.168.1.10", "ubnd-xa.local"):  # and from --host
            assert serve(host=host, port=free_port()) == 2
    finally:
        reset_settings()
    err = capsys.readouterr().err
    assert err.count("Từ chối chạy") == 4 and "0.0.0.0" in err and "user-add" in err, err


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve stopped: {proc.stderr.read() if proc.stderr else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("serve did not open its port")


def test_users_file_holds_only_bcrypt_hashes_and_signin_guards_the_api(tmp_path):
    data = tmp_path / "data"
    password = "Mật-khẩu-rất-riêng-2025"
    env = cli_env(data, OPENAI_BASE_URL=f"http://127.0.0.1:{free_port()}/v1")
    added = run_cli("user-add", "canbo1", "--password", password, env=env)
    assert added.returncode == 0, added.stderr
    users_file = data / "users.json"
    raw = users_file.read_text(encoding="utf-8")
    assert password not in raw and password.encode("utf-8").hex() not in raw
    stored = json.loads(raw)["canbo1"]
    assert stored.startswith("$2b$") and len(stored) == 60
    assert (users_file.stat().st_mode & 0o777) == 0o600

    # `assistant serve` with users configured: every API route needs a signed-in session.
    port = free_port()
    proc = subprocess.Popen([*_cli_cmd(), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            cwd=data, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _wait_for_port(port, proc)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10) as anon:
            for method, path, kwargs in (
                    ("GET", "/config", {}), ("GET", "/gradio_api/info", {}),
                    ("POST", "/gradio_api/call/documents", {"json": {"data": []}}),
                    ("POST", "/gradio_api/run/documents", {"json": {"data": []}}),
                    ("POST", "/gradio_api/queue/join", {"json": {"data": [], "fn_index": 0, "session_hash": "x"}}),
                    ("POST", "/gradio_api/upload", {"files": {"files": ("a.txt", b"x")}}),
                    ("GET", f"/gradio_api/file={users_file}", {})):
                r = anon.request(method, path, **kwargs)
                assert r.status_code == 401, (method, path, r.status_code, r.text[:200])
            r = anon.post("/login", data={"username": "canbo1", "password": "sai-mat-khau-1"})
            assert r.status_code in (400, 401)
            assert anon.get("/config").status_code == 401
            r = anon.post("/login", data={"username": "canbo1", "password": password})
            assert r.status_code == 200, r.text
            assert anon.get("/config").status_code == 200  # the same session, now signed in

        from gradio_client import Client

        with pytest.raises(Exception):  # noqa: B017, PT011 — gradio_client's own error for a 401
            Client(base + "/", verbose=False)
        _table, *_rest, status = Client(base + "/", auth=("canbo1", password), verbose=False).predict(
            api_name="/documents")
        assert "0 tài liệu" in status
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    err = proc.stderr.read()
    assert password not in err and "Traceback" not in err, err


def _cli_cmd() -> list[str]:
    import sys

    exe = Path(sys.executable).parent / "assistant"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]


# ---- no secrets or document text in logs --------------------------------------------------------
def test_cli_logs_hold_neither_the_key_nor_document_text(tmp_path):
    data = tmp_path / "data"
    corpus = write_docs(tmp_path / "corpus", dict([MARKER_DOC]))
    (corpus / "hong.pdf").write_bytes(b"%PDF-1.4 " + MARKER.encode() + b" not really a pdf")  # a failing file
    with RecordingStub(answer=f"Xã thu gom 1.870 tấn rác [1]. {MARKER}", required_key=SECRET) as stub:
        env = cli_env(data, OPENAI_BASE_URL=stub.base_url, OPENAI_API_KEY=SECRET, ASSISTANT_MODEL="m")
        ingest = run_cli("ingest", str(corpus), env=env)
        ask = run_cli("ask", "Kết quả thu gom rác thải sinh hoạt năm 2024 của xã ra sao?", "--json", env=env)
        # a refused key, the error path, with the server echoing what it got
        refused = run_cli("ask", "Xã thu gom rác thải ra sao?", env={**env, "OPENAI_API_KEY": SECRET + "-cu"})
    assert ingest.returncode == 1 and "hong.pdf" in ingest.stderr  # the broken PDF is reported, by name only
    assert ask.returncode == 0, ask.stderr
    assert stub.headers[0]["authorization"] == f"Bearer {SECRET}"  # the key was really used
    assert MARKER in json.loads(ask.stdout)["sources"][0]["snippet"]  # and the document was really read
    assert refused.returncode == 1 and "OPENAI_API_KEY" in refused.stderr
    for proc in (ingest, ask, refused):
        assert SECRET not in proc.stderr, proc.stderr
        assert MARKER not in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr, proc.stderr
    assert SECRET not in ingest.stdout + ask.stdout + refused.stdout


# ---- the running app: uploads over HTTP, logs, and escaping in a browser ------------------------
@pytest.fixture(scope="module")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("security")
    corpus = write_docs(base / "corpus", EVIL_DOCS)
    saved = {k: os.environ.get(k) for k in ("ASSISTANT_MAX_UPLOAD_MB", "OPENAI_API_KEY")}
    os.environ["ASSISTANT_MAX_UPLOAD_MB"] = "1.5"
    os.environ["OPENAI_API_KEY"] = SECRET
    try:
        with RunningApp(base / "data", corpus) as running:
            running.base = base
            yield running
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _call(app, api: str, data: list) -> list:
    """Call a Gradio endpoint over plain HTTP (what any script on the network could send)."""
    with httpx.Client(base_url=app.url, timeout=60) as c:
        r = c.post(f"/gradio_api/call/{api}", json={"data": data})
        r.raise_for_status()
        event_id = r.json()["event_id"]
        body = c.get(f"/gradio_api/call/{api}/{event_id}").text
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if line == "event: complete":
            return json.loads(lines[i + 1].removeprefix("data: "))
        if line == "event: error":
            raise RuntimeError(lines[i + 1])
    raise AssertionError(body)


def _http_upload(app, name: str, content: bytes) -> httpx.Response:
    with httpx.Client(base_url=app.url, timeout=60) as c:
        return c.post("/gradio_api/upload", files={"files": (name, content)})


# ---- uploads at the handler (the running app's process, its settings: 1.5 MB) ---------------------
def test_upload_handler_refuses_big_files_everywhere(app, tmp_path):
    from assistant.ui.check import check_run
    from assistant.ui.documents import docs_upload
    from assistant.ui.summary import summary_run

    big = tmp_path / "bao-cao-lon.txt"
    big.write_bytes(b"Bao cao thu ngan sach. " * int(1.6 * 2**20 / 23))  # 1.6 MB > 1.5 MB
    small = tmp_path / "bao-cao-nho.txt"
    small.write_text("Báo cáo thu ngân sách quý I đạt 3,2 tỷ đồng.\n", encoding="utf-8")
    before = saved_uploads(app.data_dir)

    status, table, *_ = docs_upload([upload_of(big), upload_of(small)], progress=_noop_progress)
    assert "vượt giới hạn 1.5 MB" in status and "bao-cao-lon.txt" in status, status
    assert "Đã nạp bao-cao-nho.txt" in status, status
    assert sorted(set(saved_uploads(app.data_dir)) - set(before)) == ["bao-cao-nho.txt"]
    listed = [r[-1] for r in table]
    assert "bao-cao-nho.txt" in listed and "bao-cao-lon.txt" not in listed
    # The citation check and the summary refuse the same file before reading it.
    *_, summary, state = check_run("", upload_of(big), "")
    assert "vượt giới hạn" in summary and state is None
    status, body, *_ = summary_run(None, upload_of(big), progress=_noop_progress)
    assert "vượt giới hạn" in status and body == ""


def test_upload_handler_refuses_other_types(app, tmp_path):
    from assistant.ui.documents import docs_upload

    before = saved_uploads(app.data_dir)
    outs = []
    for name, content in (("virus.exe", b"MZ\x90\x00"), ("trang.html", b"<script>alert(1)</script>"),
                          ("anh.svg", b"<svg onload=alert(1)>"), ("macro.docm", b"PK\x03\x04"),
                          ("khong-duoi", b"hello")):
        f = tmp_path / name
        f.write_bytes(content)
        outs.append((name, docs_upload([upload_of(f)], progress=_noop_progress)[0]))
    for name, status in outs:
        assert "không được hỗ trợ" in status, (name, status)
    assert saved_uploads(app.data_dir) == before


def test_http_uploads_are_limited_by_size(app, tmp_path):
    from gradio_client import Client, handle_file

    before = saved_uploads(app.data_dir)
    # Above 1.5 MB Gradio refuses the bytes themselves (413), before any handler runs.
    r = _http_upload(app, "qua-lon.txt", b"a" * int(1.7 * 1024 * 1024))
    assert r.status_code == 413, (r.status_code, r.text[:200])
    # Between 1 and 1.5 MB the configured limit (not a rounded one) lets the file in.
    ok = padded_docx(tmp_path / "bao-cao-1-3mb.docx", int(1.3 * 2**20))
    assert 1.0 < ok.stat().st_size / 2**20 < 1.5
    status, *_ = Client(app.url, verbose=False).predict([handle_file(str(ok))], api_name="/upload")
    assert "Đã nạp bao-cao-1-3mb.docx" in status, status
    assert sorted(set(saved_uploads(app.data_dir)) - set(before)) == ["bao-cao-1-3mb.docx"]


def padded_docx(path: Path, size: int) -> Path:
    """A small Word report made `size` bytes big by an unreferenced binary part (cheap to ingest)."""
    import zipfile

    from docx import Document

    doc = Document()
    doc.add_paragraph("Báo cáo tổng hợp số liệu thu ngân sách xã quý I năm 2025: đạt 3,2 tỷ đồng.")
    doc.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as z:
        z.writestr("customXml/dem.bin", os.urandom(max(0, size - path.stat().st_size - 200)))
    return path


def test_http_uploads_are_limited_by_type_and_name(app):
    from assistant.ui.uploads import ALLOWED_EXT

    before = saved_uploads(app.data_dir)
    # A hostile type: Gradio may refuse it outright, otherwise the handler must.
    for name, content in (("virus.exe", b"MZ\x90\x00"), ("trang.html", b"<script>alert(1)</script>")):
        r = _http_upload(app, name, content)
        if r.status_code != 200:
            continue
        (path,) = r.json()
        try:
            (status, *_) = _call(app, "upload", [[{"path": path, "orig_name": name,
                                                    "meta": {"_type": "gradio.FileData"}}]])
        except RuntimeError as exc:  # Gradio's File(file_types=…) refused it before the handler
            assert "Invalid file type" in str(exc), exc
            continue
        assert "không được hỗ trợ" in status, status
    assert saved_uploads(app.data_dir) == before

    # Hostile names sent as `orig_name` by a script: every copy lands in data_dir/uploads.
    outside = app.base / "ra-ngoai" / "tuyet-doi.md"
    names = ["../../etc/passwd.txt", "../../../../../../tmp/thoat-ra.txt", str(outside), "..\\..\\boot.ini.md"]
    for i, name in enumerate(names):
        r = _http_upload(app, name, f"Nội dung thử số {i} về công tác dân số.\n".encode())
        assert r.status_code == 200, r.text
        (path,) = r.json()
        (status, *_) = _call(app, "upload", [[{"path": path, "orig_name": name,
                                                "meta": {"_type": "gradio.FileData"}}]])
        assert "Đã nạp" in status, (name, status)
    assert not (app.base / "etc").exists() and not (app.data_dir / "etc").exists()
    assert not outside.exists() and not outside.parent.exists()
    assert not Path("/tmp/thoat-ra.txt").exists()
    new = sorted(set(saved_uploads(app.data_dir)) - set(before))
    assert {"passwd.txt", "thoat-ra.txt", "tuyet-doi.md"} <= set(new), new
    assert all(Path(n).suffix in ALLOWED_EXT for n in new)


def test_app_logs_hold_neither_the_key_nor_document_text(app, capfd, tmp_path):
    from gradio_client import Client, handle_file

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    root = logging.getLogger()
    keep = Keep(level=logging.WARNING)  # the default ASSISTANT_LOG_LEVEL
    root.addHandler(keep)
    try:
        f = tmp_path / MARKER_DOC[0]
        f.write_text(MARKER_DOC[1], encoding="utf-8")
        bad = tmp_path / "hong.pdf"
        bad.write_bytes(b"%PDF-1.4 " + MARKER.encode())
        client = Client(app.url, verbose=False)
        status, *_ = client.predict([handle_file(str(f)), handle_file(str(bad))], api_name="/upload")
        assert "Đã nạp" in status and "hong.pdf" in status, status
        app.stub.requests.clear()
        history, sources, *_ = client.predict("Kết quả thu gom rác thải sinh hoạt của xã ra sao?", [], "Hỏi đáp",
                                              "", "", api_name="/chat")
        assert MARKER in sources and app.stub.requests  # the document and the model were really used
        _marked, _f, _c, summary = client.predict(f"Văn bản {MARKER} số 99/QĐ-XYZ ngày 31/02/2025.", None, "",
                                                  api_name="/check")
    finally:
        root.removeHandler(keep)
    logged = "\n".join(keep.format(r) + (str(r.exc_info) if r.exc_info else "") for r in records)
    out, err = capfd.readouterr()
    for where, text in (("logging", logged), ("stderr", err), ("stdout", out)):
        assert SECRET not in text, (where, text[-2000:])
        assert MARKER not in text, (where, text[-2000:])


def test_html_in_documents_and_answers_never_runs(app):
    app.stub.server.answer = f"Thu thuế đạt 1,5 tỷ đồng [1]. {XSS_IMG} {XSS_SCRIPT} **đậm**"
    try:
        with chromium_page() as page:
            errors, dialogs = [], []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(app.url)
            page.wait_for_selector("#chat-input textarea")

            def pwned():
                return page.evaluate("window.__pwned")

            def live_payloads() -> int:
                """Elements the payloads would have created, had any HTML been parsed."""
                return page.evaluate("""document.querySelectorAll('img[src="x"], script:not([src])').length
                                      ? [...document.querySelectorAll('img[src="x"], script:not([src])')]
                                          .filter(e => (e.outerHTML || '').includes('__pwned')).length : 0""")

            # Tài liệu: the titles are listed as text.
            page.get_by_role("tab", name="Tài liệu").click()
            page.wait_for_function("document.querySelector('#docs-table').innerText.includes('window.__pwned')")
            table = page.inner_text("#docs-table")
            assert XSS_SCRIPT in table and "onerror" in table
            assert pwned() is None

            # Trò chuyện: a question (with HTML) whose sources are the hostile documents; the model's
            # answer carries HTML too.
            page.get_by_role("tab", name="Trò chuyện").click()
            page.fill("#chat-input textarea", f"Thu thuế sử dụng đất phi nông nghiệp và phòng chống dịch tả lợn? "
                                              f"{XSS_IMG}")
            page.click("#chat-send")
            page.wait_for_function("document.querySelector('#chat-sources').innerText.includes('window.__pwned')")
            page.wait_for_function("document.querySelector('#chatbot').innerText.includes('đậm')")
            sources = page.inner_text("#chat-sources")
            assert XSS_SCRIPT in sources, sources
            assert "onerror" in page.inner_text("#chatbot")
            assert pwned() is None

            # Kiểm tra trích dẫn: the text, the findings and the citations table.
            page.get_by_role("tab", name="Kiểm tra trích dẫn").click()
            page.fill("#check-text textarea",
                      f"Căn cứ Quyết định số 07/QĐ-UBND ngày 02/01/2025 của UBND xã Bình Thành về {XSS_SCRIPT};\n"
                      f"thực hiện Kế hoạch số 05/KH-UBND ngày 10/01/2099 {XSS_IMG} của UBND xã Bình Thành.")
            page.click("#check-run")
            page.wait_for_selector("#check-highlight mark")
            page.wait_for_function("document.querySelector('#check-findings').innerText.trim().length > 0")
            assert XSS_SCRIPT in page.inner_text("#check-highlight")
            assert pwned() is None

            # Tóm tắt: the document list shows the hostile titles as options.
            page.get_by_role("tab", name="Tóm tắt báo cáo").click()
            page.click("#summary-doc input")
            page.wait_for_selector("ul[role=listbox] li")
            assert "window.__pwned" in page.inner_text("ul[role=listbox]")
            page.keyboard.press("Escape")

            time.sleep(0.5)  # let any injected handler fire
            assert pwned() is None
            assert live_payloads() == 0
            assert not dialogs and not errors, (dialogs, errors)
            # Control: the same payload, parsed as HTML on purpose, does run in this browser.
            page.evaluate("p => document.body.insertAdjacentHTML('beforeend', p)", XSS_IMG)
            page.wait_for_function("window.__pwned === 1", timeout=5_000)
    finally:
        app.stub.server.answer = STUB_ANSWER


# ---- the sign-in page, sessions, and each user's own conversations ------------------------------------
LAN, MINH = ("lan", "Mật-khẩu-của-Lan-2026"), ("minh", "mat-khau-cua-minh-26")


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory):
    base = tmp_path_factory.mktemp("signed")
    corpus = write_docs(base / "corpus", dict([MARKER_DOC]))
    with RunningApp(base / "data", corpus, users=dict([LAN, MINH])) as running:
        yield running


def test_sign_in_page_is_vietnamese_and_its_cookie_expires_and_ends(signed_app):
    from assistant.auth import SESSION_COOKIE

    page = {"accept": "text/html"}
    with httpx.Client(base_url=signed_app.url, timeout=30) as browser:
        r = browser.get("/", headers=page)
        assert r.status_code == 303 and r.headers["location"] == "/login"  # the app's own page, not Gradio's
        r = browser.get("/login", headers=page)
        assert r.status_code == 200 and '<html lang="vi">' in r.text
        assert "Tên đăng nhập" in r.text and "Mật khẩu" in r.text and "Đăng nhập" in r.text
        r = browser.post("/login", data={"username": LAN[0], "password": "sai-mat-khau"}, headers=page)
        assert r.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng." in r.text
        assert SESSION_COOKIE not in r.cookies
        r = browser.post("/login", data={"username": LAN[0], "password": LAN[1]}, headers=page)
        assert r.status_code == 303 and r.headers["location"] == "./"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=36000" in cookie
        value = r.cookies[SESSION_COOKIE]
        assert browser.get("/", headers=page).status_code == 200
        assert browser.get("/config").status_code == 200
        r = browser.get("/logout", headers=page)
        assert r.status_code == 303 and r.headers["location"] == "login?da_dang_xuat=1"
        assert "Đã đăng xuất." in browser.get("/login?da_dang_xuat=1", headers=page).text
    # The cookie kept from before the sign-out opens nothing any more.
    with httpx.Client(base_url=signed_app.url, timeout=30, cookies={SESSION_COOKIE: value}) as replay:
        r = replay.get("/config")
        assert r.status_code == 401 and "Chưa đăng nhập" in r.json()["detail"]


def test_repeated_failed_sign_ins_are_held_back(signed_app):
    with httpx.Client(base_url=signed_app.url, timeout=30) as c:
        codes = [c.post("/login", data={"username": "khong-ai", "password": f"doan-{i}"}).status_code for i in range(6)]
        assert codes[:5] == [401] * 5 and codes[5] == 429
        r = c.post("/login", data={"username": "khong-ai", "password": "doan-7"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        assert r.json()["detail"].startswith("Đăng nhập sai quá nhiều lần. Thử lại sau")
    # Another name from the same address still signs in (the address's own limit is higher).
    with httpx.Client(base_url=signed_app.url, timeout=30) as c:
        assert c.post("/login", data={"username": MINH[0], "password": MINH[1]}).status_code == 200


def test_a_user_sees_only_their_own_conversations_even_through_the_api(signed_app):
    from gradio_client import Client

    lan = Client(signed_app.url, auth=LAN, verbose=False)
    lan.predict("Xã thu gom bao nhiêu tấn rác thải sinh hoạt năm 2024?", [], "Hỏi đáp", "", "", api_name="/chat")
    listing, _ = lan.predict(api_name="/conversations")
    (label, lan_id), = [tuple(c) for c in listing["choices"]]
    assert label.startswith("Xã thu gom bao nhiêu tấn rác")

    minh = Client(signed_app.url, auth=MINH, verbose=False)
    listing, status = minh.predict(api_name="/conversations")
    assert listing["choices"] == [] and "Chưa có cuộc trò chuyện" in status
    history, sources, *_rest = minh.predict(lan_id, api_name="/open_conversation")  # knowing the id is not enough
    assert history == [] and "Không tìm thấy" in _rest[3] and MARKER not in sources
    _listing, status = minh.predict(lan_id, "Của Minh", api_name="/rename_conversation")
    assert "Không tìm thấy" in status
    _listing, status, *_ = minh.predict(lan_id, api_name="/delete_conversation")
    assert "Không tìm thấy" in status

    listing, _ = lan.predict(api_name="/conversations")
    assert [tuple(c) for c in listing["choices"]] == [(label, lan_id)]  # untouched: same title, still there
    history, sources, *_ = Client(signed_app.url, auth=LAN, verbose=False).predict(lan_id,
                                                                                 api_name="/open_conversation")
    assert len(history) == 2 and MARKER in sources
