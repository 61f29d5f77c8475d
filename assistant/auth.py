"""Users of the app and their sign-in sessions.

Users: a JSON file {username: bcrypt hash}, written atomically with mode 0600. `assistant user-add
NAME` adds or replaces a user; the app asks for a sign-in only when the file has at least one user
(and refuses to listen beyond this machine without one).

Sessions: a signed cookie (a random token and its HMAC under a key kept in the data directory, mode
0600) naming a row of `sessions.sqlite3` that says whose session it is and when it expires. Signing
out deletes the row, so a copied cookie dies with it; a user removed from the users file is signed
out everywhere. Failed sign-ins are counted per user name and per address (`SignInLimiter`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import tempfile
import threading
import time
import unicodedata
from collections import deque
from contextlib import closing
from dataclasses import dataclass
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
    content = json.dumps(users, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    _private_file(path, content, prefix=".users-")


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


_users_seen: tuple[tuple, dict[str, str]] | None = None


def _users_snapshot() -> dict[str, str]:
    """The users file, read again only when it changes (sessions are checked on every request)."""
    global _users_seen
    path = users_path()
    try:
        st = path.stat()
        stamp = (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return {}
    if _users_seen is None or _users_seen[0] != stamp:
        try:
            _users_seen = (stamp, load_users(path))
        except AuthError:
            return {}
    return _users_seen[1]


# ---- sessions -----------------------------------------------------------------------------------
SESSION_HOURS = 10                 # a working day; then the sign-in page again
SESSION_COOKIE = "tro_ly_phien"
KEY_FILE = "session.key"
SESSIONS_FILE = "sessions.sqlite3"
_CACHE_SECONDS = 30                # a session checked within this long is not read from the file again


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _private_file(path: Path, content: bytes, prefix: str = ".key-") -> None:
    """Write `content` to a new file readable by its owner only (atomic: no one sees a half file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
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


class Sessions:
    """Sign-in sessions of one data directory: `issue` a cookie value, read its `user`, `end` it."""

    def __init__(self, data_dir: Path | None = None, *, hours: float = SESSION_HOURS, clock=time.time):
        self.data_dir = Path(data_dir or get_settings().data_dir)
        self.seconds = int(hours * 3600)
        self.clock = clock
        self.key = self._load_key()
        self.path = self.data_dir / SESSIONS_FILE
        self._cache: dict[str, tuple[str, float, float]] = {}  # token hash -> (user, expires, checked at)
        self._lock = threading.Lock()
        with closing(self._connect()) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, user TEXT NOT NULL, "
                       "created REAL NOT NULL, expires REAL NOT NULL, address TEXT)")

    def _load_key(self) -> bytes:
        path = self.data_dir / KEY_FILE
        try:
            key = bytes.fromhex(path.read_text(encoding="ascii").strip())
            if len(key) >= 32:
                return key
        except (OSError, ValueError):
            pass
        key = secrets.token_bytes(32)
        _private_file(path, key.hex().encode("ascii"))
        return key

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout=30000")
        return db

    def _sign(self, token: str) -> str:
        return _b64(hmac.new(self.key, token.encode("ascii"), hashlib.sha256).digest())

    @staticmethod
    def _hash(token: str) -> str:
        return hashlib.sha256(token.encode("ascii")).hexdigest()

    def _token(self, cookie: str | None) -> str | None:
        """The token of a well-formed cookie whose signature holds; None otherwise."""
        token, dot, sig = (cookie or "").partition(".")
        if not dot or not token or len(cookie) > 200 or not token.isascii():
            return None
        return token if hmac.compare_digest(sig, self._sign(token)) else None

    def issue(self, username: str, address: str = "") -> str:
        """A new session for a signed-in user; the cookie's value."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with closing(self._connect()) as db:
            db.execute("DELETE FROM sessions WHERE expires <= ?", (now,))
            db.execute("INSERT INTO sessions (token, user, created, expires, address) VALUES (?, ?, ?, ?, ?)",
                       (self._hash(token), username, now, now + self.seconds, address[:64]))
        return f"{token}.{self._sign(token)}"

    def user(self, cookie: str | None) -> str | None:
        """Whose session the cookie opens; None when it is forged, ended, expired or its user is gone."""
        token = self._token(cookie)
        if token is None:
            return None
        key, now = self._hash(token), self.clock()
        with self._lock:
            cached = self._cache.get(key)
        if cached is None or now - cached[2] > _CACHE_SECONDS:
            with closing(self._connect()) as db:
                row = db.execute("SELECT user, expires FROM sessions WHERE token = ?", (key,)).fetchone()
            if row is None:
                with self._lock:
                    self._cache.pop(key, None)
                return None
            cached = (row[0], row[1], now)
            with self._lock:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[key] = cached
        user, expires, _ = cached
        if expires <= now or user not in _users_snapshot():
            return None
        return user

    def end(self, cookie: str | None) -> None:
        """Sign out: the session's row goes, so the cookie opens nothing, wherever it was copied."""
        token = self._token(cookie)
        if token is None:
            return
        key = self._hash(token)
        with closing(self._connect()) as db:
            db.execute("DELETE FROM sessions WHERE token = ?", (key,))
        with self._lock:
            self._cache.pop(key, None)

    def remaining(self, cookie: str | None) -> float:
        """Seconds before the session expires (0 when it does not open)."""
        token = self._token(cookie)
        if token is None:
            return 0.0
        with closing(self._connect()) as db:
            row = db.execute("SELECT expires FROM sessions WHERE token = ?", (self._hash(token),)).fetchone()
        return max(0.0, row[0] - self.clock()) if row else 0.0


# ---- failed sign-ins ----------------------------------------------------------------------------
MAX_FAILURES_PER_USER = 5          # wrong passwords for one user name …
MAX_FAILURES_PER_ADDRESS = 20      # … or from one address (an office behind one router) …
FAILURE_WINDOW = 15 * 60           # … within 15 minutes: that name or address waits until the oldest leaves


class SignInLimiter:
    """Counts failed sign-ins per user name and per address in a sliding window."""

    def __init__(self, *, per_user: int = MAX_FAILURES_PER_USER, per_address: int = MAX_FAILURES_PER_ADDRESS,
                 window: float = FAILURE_WINDOW, clock=time.monotonic):
        self.limits = {"user": per_user, "address": per_address}
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, address: str) -> list[tuple[str, str]]:
        return [("user", _norm(username).strip().casefold()), ("address", address or "")]

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and now - times[0] >= self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def wait(self, username: str, address: str) -> float:
        """Seconds before this name, from this address, may try again (0: now)."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key in self._keys(username, address):
                times = self._recent(key, now)
                limit = self.limits[key[0]]
                if len(times) >= limit:
                    longest = max(longest, times[-limit] + self.window - now)
        return longest

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > 50_000:  # a flood of names: forget the oldest half
                for key in list(self._failures)[:25_000]:
                    del self._failures[key]
            for key in self._keys(username, address):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, username: str) -> None:
        """A right password clears the name's count (not the address's: one account must not reset it)."""
        with self._lock:
            self._failures.pop(self._keys(username, "")[0], None)


@dataclass
class SignIn:
    """What a sign-in attempt came to: the cookie's value, or a Vietnamese message (and when to retry)."""
    user: str | None = None
    cookie: str | None = None
    message: str = ""
    retry_after: int = 0


def wait_phrase(seconds: float) -> str:
    minutes = int(-(-seconds // 60))
    return f"{minutes} phút" if minutes > 1 else "1 phút"


def sign_in(username: str, password: str, address: str, sessions: Sessions, limiter: SignInLimiter) -> SignIn:
    """Check a sign-in (refused at once while the name or address is held back), open a session."""
    name = _norm(username or "").strip()
    if not name or not password:
        return SignIn(message="Nhập tên đăng nhập và mật khẩu.")
    wait = limiter.wait(name, address)
    if wait > 0:
        return SignIn(message=f"Đăng nhập sai quá nhiều lần. Thử lại sau {wait_phrase(wait)}.",
                      retry_after=int(wait) + 1)
    if not check_user(name, password):
        limiter.failed(name, address)
        return SignIn(message="Tên đăng nhập hoặc mật khẩu không đúng.")
    limiter.succeeded(name)
    return SignIn(user=name, cookie=sessions.issue(name, address))
