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
    monkeypatch.setattr(ui, "launch", lambda demo, host, port, block=True, auth=None: launched.update(
        host=host, auth=auth))
    monkeypatch.setattr(ui, "warm_up", lambda: None)
    monkeypatch.setattr(ui.gr.Blocks, "block_thread", lambda self: None)
    assert ui.serve(host="0.0.0.0", port=7999) == 2
    assert "user-add" in capsys.readouterr().err and not launched
    auth.add_user("lan", "mat-khau-dai")
    assert ui.serve(host="0.0.0.0", port=7999) == 0
    assert launched["host"] == "0.0.0.0" and launched["auth"] is auth.check_user


def test_loopback_detection():
    from assistant.ui.serving import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("::")
