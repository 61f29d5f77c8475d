"""The manifest: one SQLite row per indexed document, the source of truth for what is complete.

A document is written `pending` before its chunks go into the stores and `complete` after; chunks
of a pending document are never shown and are cleaned up by the next ingest.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT,
    kind TEXT, number TEXT, date TEXT, issuer TEXT, title TEXT, year INTEGER,
    pages INTEGER, chunks INTEGER,
    status TEXT NOT NULL,
    ingested_at TEXT,
    meta TEXT
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass
class DocumentRecord:
    doc_id: str
    source: str
    sha256: str
    format: str = ""
    kind: str | None = None
    number: str | None = None
    date: str | None = None  # ISO
    issuer: str | None = None
    title: str | None = None
    year: int | None = None
    pages: int = 0
    chunks: int = 0
    status: str = "pending"
    ingested_at: str | None = None
    meta: dict = field(default_factory=dict)

    def public(self) -> dict:
        """The contract's `docs --json` shape."""
        d = asdict(self)
        for key in ("format", "status", "meta", "year"):
            d.pop(key)
        return d


class Manifest:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.RLock()
        self._local_writes = 0  # data_version does not move for this connection's own commits

    @contextmanager
    def _tx(self):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self._local_writes += 1

    @staticmethod
    def _row(row: sqlite3.Row | tuple, cols: list[str]) -> DocumentRecord:
        data = dict(zip(cols, row))
        data["meta"] = json.loads(data.get("meta") or "{}")
        return DocumentRecord(**data)

    def _select(self, where: str = "", args: tuple = ()) -> list[DocumentRecord]:
        with self._lock:
            cur = self._db.execute(f"SELECT * FROM documents {where}", args)
            cols = [c[0] for c in cur.description]
            return [self._row(r, cols) for r in cur.fetchall()]

    def version(self) -> tuple[int, int]:
        """Changes when any connection (this process or another) commits: cheap cache validation."""
        with self._lock:
            return (self._db.execute("PRAGMA data_version").fetchone()[0], self._local_writes)

    def get(self, doc_id: str) -> DocumentRecord | None:
        rows = self._select("WHERE doc_id = ?", (doc_id,))
        return rows[0] if rows else None

    def by_source(self, source: str) -> list[DocumentRecord]:
        return self._select("WHERE source = ?", (source,))

    def by_sha(self, sha256: str) -> list[DocumentRecord]:
        return self._select("WHERE sha256 = ?", (sha256,))

    def all(self, status: str | None = "complete") -> list[DocumentRecord]:
        if status is None:
            return self._select("ORDER BY source")
        return self._select("WHERE status = ? ORDER BY source", (status,))

    def put(self, rec: DocumentRecord) -> None:
        data = asdict(rec)
        data["meta"] = json.dumps(rec.meta, ensure_ascii=False)
        cols = ", ".join(data)
        marks = ", ".join("?" for _ in data)
        with self._tx() as db:
            db.execute(f"INSERT OR REPLACE INTO documents ({cols}) VALUES ({marks})", tuple(data.values()))

    def mark_complete(self, doc_id: str, chunks: int) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._tx() as db:
            db.execute("UPDATE documents SET status='complete', chunks=?, ingested_at=? WHERE doc_id=?",
                       (chunks, now, doc_id))

    def delete(self, doc_id: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def get_info(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_info(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO info (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self._lock:
            self._db.close()
