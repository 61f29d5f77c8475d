"""Users file: bcrypt hashes only, atomic 0600 writes, login checks, and the serve-time guard."""
from __future__ import annotations

import json
import os
import stat

import pytest

from assistant import auth


@pytest.fixture
def users_file(tmp_path, monkeypatch):
    from assistant.config import reset_settings

    path = tmp_path / "secret" / "users.json"
    monkeypatch.setenv("ASSISTANT_USERS_FILE", str(path))
    reset_settings()
    yield path
    reset_settings()


def test_no_users_until_one_is_added(users_file):
    assert not auth.users_configured()
    assert not auth.check_user("lan", "mat-khau-dai")
    auth.add_user("lan", "mat-khau-dai")
    assert auth.users_configured()


def test_password_is_hashed_and_file_is_private(users_file):
    auth.add_user("lan", "Mật khẩu 2026!")
    raw = users_file.read_text(encoding="utf-8")
    assert "Mật khẩu" not in raw and "2026" not in raw
    data = json.loads(raw)
    assert data["lan"].startswith("$2")
    assert stat.S_IMODE(os.stat(users_file).st_mode) == 0o600
    assert not [p for p in users_file.parent.iterdir() if p.name.endswith(".tmp")]


def test_check_user(users_file):
    auth.add_user("lan", "Mật khẩu 2026!")
    auth.add_user("minh", "khac-hoan-toan")
    assert auth.check_user("lan", "Mật khẩu 2026!")
    # the same password typed in decomposed Unicode (NFD) still matches
    import unicodedata

    assert auth.check_user("lan", unicodedata.normalize("NFD", "Mật khẩu 2026!"))
    assert not auth.check_user("lan", "mật khẩu 2026!")
    assert not auth.check_user("minh", "Mật khẩu 2026!")
    assert not auth.check_user("khong-co", "Mật khẩu 2026!")
    assert not auth.check_user("", "")


def test_replacing_a_password(users_file):
    auth.add_user("lan", "mat-khau-cu-1")
    auth.add_user("lan", "mat-khau-moi-2")
    assert auth.check_user("lan", "mat-khau-moi-2") and not auth.check_user("lan", "mat-khau-cu-1")
    assert list(json.loads(users_file.read_text())) == ["lan"]


@pytest.mark.parametrize("name,pw", [("", "mat-khau-dai"), ("co khoang trang", "mat-khau-dai"),
                                     ("lan", "ngan"), ("lan", "ấ" * 30)])
def test_bad_input_is_refused_in_vietnamese(users_file, name, pw):
    with pytest.raises(auth.AuthError) as err:
        auth.add_user(name, pw)
    assert any(w in str(err.value) for w in ("Tên đăng nhập", "Mật khẩu"))
    assert not users_file.exists()


def test_damaged_file_refuses_logins(users_file):
    users_file.parent.mkdir(parents=True)
    users_file.write_text("{không phải json", encoding="utf-8")
    assert not auth.users_configured()
    assert not auth.check_user("lan", "mat-khau-dai")
    with pytest.raises(auth.AuthError):
        auth.add_user("lan", "mat-khau-dai")


def test_remove_user(users_file):
    auth.add_user("lan", "mat-khau-dai")
    assert auth.remove_user("lan") and not auth.remove_user("lan")
    assert not auth.users_configured()


def test_serve_refuses_network_without_users_but_allows_it_with_users(users_file, monkeypatch, capsys):
    from assistant.ui import serving as ui

    launched = {}
    monkeypatch.setattr(ui, "launch", lambda demo, host, port, block=True, gate=None: launched.update(
        host=host, gate=gate))
    monkeypatch.setattr(ui, "warm_up", lambda: None)
    monkeypatch.setattr(ui.gr.Blocks, "block_thread", lambda self: None)
    assert ui.serve(host="0.0.0.0", port=7999) == 2
    assert "user-add" in capsys.readouterr().err and not launched
    assert ui.serve(host="127.0.0.1", port=7999) == 0
    assert launched["gate"] is None  # loopback without users: the one local profile, no sign-in
    auth.add_user("lan", "mat-khau-dai")
    assert ui.serve(host="0.0.0.0", port=7999) == 0
    assert launched["host"] == "0.0.0.0" and launched["gate"] is not None
    assert launched["gate"].app_kwargs()["routes"][0].path == "/login"


def test_loopback_detection():
    from assistant.ui.serving import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("::")


# ---- sessions and failed sign-ins ----------------------------------------------------------------
class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_session_opens_until_it_expires_or_ends(users_file, tmp_path):
    auth.add_user("lan", "mat-khau-dai")
    clock = Clock()
    sessions = auth.Sessions(tmp_path / "d", hours=1, clock=clock)
    cookie = sessions.issue("lan", "127.0.0.1")
    assert sessions.user(cookie) == "lan"
    assert 3599 <= sessions.remaining(cookie) <= 3600
    # The key and the sessions stay private to the app's user.
    assert stat.S_IMODE(os.stat(tmp_path / "d" / auth.KEY_FILE).st_mode) == 0o600
    # Another process on the same data directory (a restarted app) reads the same session.
    assert auth.Sessions(tmp_path / "d", hours=1, clock=clock).user(cookie) == "lan"
    clock.now += 3601
    assert sessions.user(cookie) is None and sessions.remaining(cookie) == 0
    clock.now -= 3601
    sessions.end(cookie)
    assert sessions.user(cookie) is None  # signed out: the same cookie opens nothing, wherever it was copied


def test_forged_altered_or_orphaned_cookies_open_nothing(users_file, tmp_path):
    auth.add_user("lan", "mat-khau-dai")
    sessions = auth.Sessions(tmp_path / "d")
    cookie = sessions.issue("lan")
    token, sig = cookie.split(".")
    def flip(s: str) -> str:  # another last character (a random one may already be "A")
        return s[:-1] + ("B" if s[-1] == "A" else "A")

    for bad in ("", "x", ".", token, f"{token}.", f"{token}.{flip(sig)}", f"{flip(token)}.{sig}", "ấ." + sig,
                cookie + "x" * 300, None):
        assert sessions.user(bad) is None, bad
    # A cookie signed with another installation's key is refused.
    other = auth.Sessions(tmp_path / "other").issue("lan")
    assert sessions.user(other) is None
    # A user removed from the users file is signed out everywhere.
    assert sessions.user(cookie) == "lan"
    auth.remove_user("lan")
    assert sessions.user(cookie) is None


def test_repeated_failures_hold_back_the_name_and_the_address(users_file, tmp_path):
    auth.add_user("lan", "mat-khau-dai")
    clock = Clock()
    limiter = auth.SignInLimiter(per_user=3, per_address=5, window=600, clock=clock)
    sessions = auth.Sessions(tmp_path / "d")
    for _ in range(3):
        assert auth.sign_in("lan", "sai", "10.0.0.5", sessions, limiter).message == \
            "Tên đăng nhập hoặc mật khẩu không đúng."
    # Held back now, even with the right password, and told when to come back (in Vietnamese).
    held = auth.sign_in("lan", "mat-khau-dai", "10.0.0.9", sessions, limiter)
    assert held.cookie is None and held.retry_after > 0
    assert held.message == "Đăng nhập sai quá nhiều lần. Thử lại sau 10 phút."
    # The window slides: once the failures are old enough, the right password works again.
    clock.now += 601
    ok = auth.sign_in("lan", "mat-khau-dai", "10.0.0.9", sessions, limiter)
    assert ok.user == "lan" and sessions.user(ok.cookie) == "lan"
    # One address trying many names is held back too (and cannot reset itself by a right password).
    for name in ("a1", "a2", "a3", "a4", "a5"):
        auth.sign_in(name, "sai", "10.0.0.7", sessions, limiter)
    assert limiter.wait("lan", "10.0.0.7") > 0
    assert auth.sign_in("lan", "mat-khau-dai", "10.0.0.7", sessions, limiter).cookie is None
    assert auth.sign_in("lan", "mat-khau-dai", "10.0.0.8", sessions, limiter).cookie  # not from elsewhere
    assert auth.sign_in("", "", "10.0.0.8", sessions, limiter).message == "Nhập tên đăng nhập và mật khẩu."


def test_the_local_profile_can_never_be_a_user_name(users_file):
    from assistant.conversations import LOCAL_PROFILE

    with pytest.raises(auth.AuthError):
        auth.add_user(LOCAL_PROFILE, "mat-khau-dai")
