"""Saved work per user: conversations (questions, answers, drafts with their parts, sources and
findings) in one SQLite file, `ASSISTANT_DATA_DIR/conversations.sqlite3`.

Every read and write names its owner (the signed-in user, or `LOCAL_PROFILE` when the app runs on
this machine without users) and touches only that owner's rows: a conversation id alone opens
nothing. Nothing is lost on a crash mid-answer: the question and an empty "pending" answer are
written before the model runs, the answer's text so far is saved as it grows, and `recover()` (run
when the app starts) marks what a crash left pending as cut, keeping its text.

WAL mode, one connection per thread (Gradio runs handlers in many threads; opening and closing a
connection per call cost a checkpoint each time); the file can be backed up while the app runs
(`sqlite3 conversations.sqlite3 ".backup copy.sqlite3"`).
"""
from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .config import get_settings
from .text import nfc

FILE_NAME = "conversations.sqlite3"
# The one profile of an app without users (loopback only). It holds a space, which user names
# cannot (auth._validate), so no user added later ever opens it.
LOCAL_PROFILE = "máy này"
TITLE_CHARS = 80
# A message's status: being written, finished, stopped before the end (crash, lost connection), failed.
PENDING, DONE, CUT, ERROR = "pending", "done", "cut", "error"
STATUSES = (PENDING, DONE, CUT, ERROR)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    kind TEXT,
    text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation, id);
"""


def _now() -> str:
    return datetime.now().isoformat(timespec="microseconds")  # orders conversations used in the same second


def title_from(text: str) -> str:
    """A conversation's first title: its first question, on one line, cut at a word."""
    line = " ".join(nfc(text or "").split())
    if len(line) <= TITLE_CHARS:
        return line or "Cuộc trò chuyện"
    return line[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


@dataclass
class Message:
    id: int
    role: str                  # "user" | "assistant"
    kind: str | None           # assistant messages: "ask" | "draft"
    text: str
    status: str
    data: dict = field(default_factory=dict)   # sources, findings, parts, request, unit, edited text …
    created: str = ""
    updated: str = ""


@dataclass
class Conversation:
    id: str
    owner: str
    title: str
    created: str
    updated: str
    messages: list[Message] = field(default_factory=list)

    def drafts(self) -> list[Message]:
        return [m for m in self.messages if m.role == "assistant" and m.kind == "draft"]


class ConversationStore:
    """The SQLite file of one data directory. Methods take the owner first; a conversation or a
    message of another owner is answered as if it did not exist (None / False)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self):
        """This thread's connection (opened on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
        yield db

    # ---- conversations ---------------------------------------------------------------------------
    def create(self, owner: str, title: str) -> Conversation:
        now = _now()
        conv = Conversation(uuid.uuid4().hex, owner, title_from(title), now, now)
        with self._connect() as db:
            db.execute("INSERT INTO conversations (id, owner, title, created, updated) VALUES (?, ?, ?, ?, ?)",
                       (conv.id, owner, conv.title, now, now))
        return conv

    def conversations(self, owner: str) -> list[Conversation]:
        """The owner's conversations, the most recently used first (without their messages)."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM conversations WHERE owner = ? ORDER BY updated DESC, rowid DESC",
                              (owner,)).fetchall()
        return [Conversation(r["id"], r["owner"], r["title"], r["created"], r["updated"]) for r in rows]

    def get(self, owner: str, conversation_id: str | None) -> Conversation | None:
        """The conversation with its messages in order; None when it is not the owner's."""
        if not conversation_id:
            return None
        with self._connect() as db:
            row = db.execute("SELECT * FROM conversations WHERE id = ? AND owner = ?",
                             (str(conversation_id), owner)).fetchone()
            if row is None:
                return None
            msgs = db.execute("SELECT * FROM messages WHERE conversation = ? ORDER BY id",
                              (row["id"],)).fetchall()
        conv = Conversation(row["id"], row["owner"], row["title"], row["created"], row["updated"])
        conv.messages = [_message(m) for m in msgs]
        return conv

    def rename(self, owner: str, conversation_id: str, title: str) -> bool:
        title = " ".join(nfc(title or "").split())[:200]
        if not title:
            return False
        with self._connect() as db:
            cur = db.execute("UPDATE conversations SET title = ? WHERE id = ? AND owner = ?",
                             (title, str(conversation_id), owner))
        return cur.rowcount == 1

    def delete(self, owner: str, conversation_id: str) -> bool:
        with self._connect() as db:
            cur = db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (str(conversation_id), owner))
        return cur.rowcount == 1

    # ---- messages --------------------------------------------------------------------------------
    def add_message(self, owner: str, conversation_id: str, role: str, text: str = "", *, kind: str | None = None,
                    status: str = DONE, data: dict | None = None) -> int | None:
        """Append a message; its id, or None when the conversation is not the owner's."""
        now = _now()
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                cur = db.execute("UPDATE conversations SET updated = ? WHERE id = ? AND owner = ?",
                                 (now, str(conversation_id), owner))
                if cur.rowcount != 1:
                    db.execute("ROLLBACK")
                    return None
                cur = db.execute("INSERT INTO messages (conversation, role, kind, text, status, data, created, updated) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 (str(conversation_id), role, kind, nfc(text or ""), _status(status),
                                  _dump(data or {}), now, now))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return cur.lastrowid

    def update_message(self, owner: str, message_id: int, *, text: str | None = None, status: str | None = None,
                       data: dict | None = None) -> bool:
        """Change a message of the owner's: its text, its status, and `data` merged key by key."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT m.data FROM messages m JOIN conversations c ON c.id = m.conversation "
                                 "WHERE m.id = ? AND c.owner = ?", (int(message_id), owner)).fetchone()
                if row is None:
                    db.execute("ROLLBACK")
                    return False
                merged = {**json.loads(row["data"] or "{}"), **(data or {})}
                sets, args = ["data = ?", "updated = ?"], [_dump(merged), _now()]
                if text is not None:
                    sets.append("text = ?")
                    args.append(nfc(text))
                if status is not None:
                    sets.append("status = ?")
                    args.append(_status(status))
                db.execute(f"UPDATE messages SET {', '.join(sets)} WHERE id = ?", (*args, int(message_id)))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return True

    def start(self, owner: str, conversation_id: str | None, question: str, *, kind: str,
              data: dict | None = None) -> tuple[Conversation, int]:
        """Save a question and its answer-to-be (empty, pending) in one transaction, in the owner's
        conversation `conversation_id`, or in a new one (titled by the question) when that is not
        the owner's; (conversation, the answer's message id)."""
        now = _now()
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT * FROM conversations WHERE id = ? AND owner = ?",
                                 (str(conversation_id or ""), owner)).fetchone()
                if row is None:
                    conv = Conversation(uuid.uuid4().hex, owner, title_from(question), now, now)
                    db.execute("INSERT INTO conversations (id, owner, title, created, updated) VALUES (?, ?, ?, ?, ?)",
                               (conv.id, owner, conv.title, now, now))
                else:
                    conv = Conversation(row["id"], owner, row["title"], row["created"], now)
                    db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conv.id))
                insert = ("INSERT INTO messages (conversation, role, kind, text, status, data, created, updated) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                db.execute(insert, (conv.id, "user", None, nfc(question or ""), DONE, "{}", now, now))
                cur = db.execute(insert, (conv.id, "assistant", kind, "", PENDING, _dump(data or {}), now, now))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return conv, cur.lastrowid

    def message(self, owner: str, message_id: int) -> tuple[str, Message] | None:
        """(conversation id, message) for a message of the owner's; None otherwise."""
        with self._connect() as db:
            row = db.execute("SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation "
                             "WHERE m.id = ? AND c.owner = ?", (int(message_id), owner)).fetchone()
        return (row["conversation"], _message(row)) if row else None

    def recover(self) -> int:
        """Mark every message a crash left pending as cut (its text so far is kept); how many."""
        with self._connect() as db:
            cur = db.execute("UPDATE messages SET status = ?, updated = ? WHERE status = ?", (CUT, _now(), PENDING))
        return cur.rowcount


def _status(status: str) -> str:
    if status not in STATUSES:
        raise ValueError(f"unknown message status {status!r}")
    return status


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def _message(row: sqlite3.Row) -> Message:
    return Message(row["id"], row["role"], row["kind"], row["text"], row["status"], json.loads(row["data"] or "{}"),
                   row["created"], row["updated"])


_lock = threading.Lock()
_stores: dict[Path, ConversationStore] = {}


def conversations_path() -> Path:
    return get_settings().data_dir / FILE_NAME


def get_store() -> ConversationStore:
    """The store of the current data directory (created on first use)."""
    path = conversations_path().resolve()
    with _lock:
        store = _stores.get(path)
        if store is None:
            store = _stores[path] = ConversationStore(path)
        return store
