"""Users of the app: a JSON file {username: bcrypt hash}, written atomically with mode 0600.

`assistant user-add NAME` adds or replaces a user; the app asks for a login only when the file
has at least one user (and refuses to listen beyond this machine without one).
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
import unicodedata
from pathlib import Path

import bcrypt

from .config import get_settings

_lock = threading.Lock()
MIN_PASSWORD = 8
# bcrypt reads at most 72 bytes; longer (UTF-8) passwords are rejected rather than silently cut.
MAX_PASSWORD_BYTES = 72
_dummy_hash: bytes | None = None


def _dummy() -> bytes:
    """A hash to compare against when the user does not exist, so timing does not reveal user names."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = bcrypt.hashpw(b"khong-co-nguoi-dung", bcrypt.gensalt())
    return _dummy_hash


class AuthError(ValueError):
    """Bad user name or password when adding a user; the message is Vietnamese."""


def users_path() -> Path:
    return get_settings().users_path


def _norm(s: str) -> str:
    return unicodedata.normalize("NFC", s or "")


def load_users(path: Path | None = None) -> dict[str, str]:
    path = path or users_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise AuthError(f"Không đọc được tệp người dùng '{path}': {exc}. Sửa hoặc xóa tệp rồi thêm lại người dùng "
                        "bằng `assistant user-add`.") from exc
    if not isinstance(data, dict):
        raise AuthError(f"Tệp người dùng '{path}' không đúng dạng {{tên: mã băm}}.")
    return {str(k): str(v) for k, v in data.items()}


def _write_atomic(path: Path, users: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".users-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(users, fh, ensure_ascii=False, indent=2, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        os.chmod(path, 0o600)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _validate(username: str, password: str) -> tuple[str, bytes]:
    username = _norm(username).strip()
    if not username or any(c.isspace() for c in username) or len(username) > 64:
        raise AuthError("Tên đăng nhập không hợp lệ: cần 1–64 ký tự, không có khoảng trắng.")
    pw = _norm(password).encode("utf-8")
    if len(_norm(password)) < MIN_PASSWORD:
        raise AuthError(f"Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD} ký tự.")
    if len(pw) > MAX_PASSWORD_BYTES:
        raise AuthError(f"Mật khẩu quá dài: tối đa {MAX_PASSWORD_BYTES} byte (khoảng 24–72 ký tự tiếng Việt).")
    return username, pw


def add_user(username: str, password: str, path: Path | None = None) -> None:
    """Add or replace a user (the password is stored only as a bcrypt hash)."""
    username, pw = _validate(username, password)
    hashed = bcrypt.hashpw(pw, bcrypt.gensalt()).decode("ascii")
    path = path or users_path()
    with _lock:
        users = load_users(path)
        users[username] = hashed
        _write_atomic(path, users)


def remove_user(username: str, path: Path | None = None) -> bool:
    path = path or users_path()
    with _lock:
        users = load_users(path)
        if users.pop(_norm(username).strip(), None) is None:
            return False
        _write_atomic(path, users)
        return True


def check_user(username: str, password: str) -> bool:
    """True when the user exists and the password matches (constant work either way)."""
    try:
        users = load_users()
    except AuthError:
        return False
    name = _norm(username or "").strip()
    pw = _norm(password or "").encode("utf-8")
    if len(pw) > MAX_PASSWORD_BYTES:
        return False
    stored = users.get(name)
    try:
        ok = bcrypt.checkpw(pw, stored.encode("ascii") if stored else _dummy())
    except ValueError:  # a damaged hash in the file
        return False
    return bool(stored) and ok


def users_configured() -> bool:
    try:
        return bool(load_users())
    except AuthError:
        return False
