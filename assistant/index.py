"""The index: Chroma (dense vectors), the BM25 store and the manifest, kept in step behind one API.

Every write goes manifest `pending` → stores → manifest `complete`, so a crash at any point leaves
an index that opens, searches only complete documents, and is repaired by the next ingest.
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from .bm25 import BM25Store
from .citations import RegistryEntry, load_registry
from .config import Settings, get_settings
from .documents import Chunk
from .embeddings import Embedder, get_embedder, with_cache
from .errors import IndexUnavailable, IngestBusy
from .loaders import file_sha256, iter_files
from .manifest import DocumentRecord, Manifest
from .passages import passage_text

log = logging.getLogger(__name__)

EMBED_BATCH = 32


def chroma_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.embedded_vectors:
        url = urlparse(settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}")
        try:
            return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                       ssl=url.scheme == "https", settings=chroma_settings)
        except Exception as exc:
            raise IndexUnavailable(
                f"Không kết nối được máy chủ Chroma tại {settings.chroma_url} ({exc.__class__.__name__}). "
                "Kiểm tra máy chủ (`chroma run --host 127.0.0.1`) và ASSISTANT_CHROMA_URL, "
                "hoặc bỏ biến này để dùng chỉ mục nhúng trong máy."
            ) from exc
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def chunk_id(doc_id: str, i: int) -> str:
    return f"{doc_id}:{i:05d}"


def _clean_meta(meta: dict) -> dict:
    """Chroma metadata takes str/int/float/bool only, never None."""
    out = {}
    for k, v in meta.items():
        if v is None or v == "":
            continue
        out[k] = v if isinstance(v, (str, int, float, bool)) else str(v)
    return out


class Index:
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None):
        self.settings = settings or get_settings()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.embedder = with_cache(embedder or get_embedder(), self.settings.embedding_cache_path)
        self.manifest = Manifest(self.settings.data_dir / "manifest.sqlite3")
        self._client = chroma_client(self.settings)
        try:
            self.collection = self._client.get_or_create_collection(
                self.settings.collection,
                metadata={"hnsw:space": "cosine", "embedder": self.embedder.id},
                embedding_function=None,  # never Chroma's default: it downloads a model at run time
            )
        except Exception as exc:
            raise IndexUnavailable(f"Không mở được bộ sưu tập Chroma '{self.settings.collection}': {exc}") from exc
        built_by = (self.collection.metadata or {}).get("embedder")
        if built_by and built_by != self.embedder.id:
            raise IndexUnavailable(
                f"Chỉ mục '{self.settings.collection}' được tạo bằng bộ embedding '{built_by}', "
                f"khác bộ đang dùng '{self.embedder.id}'. Không thể trộn hai loại vector: đổi lại "
                "ASSISTANT_EMBEDDINGS, hoặc dùng ASSISTANT_COLLECTION khác / thư mục dữ liệu khác rồi nạp lại."
            )
        self.bm25 = BM25Store(self.settings.data_dir / "bm25" / self.settings.collection)
        self._write_lock = threading.Lock()
        self._docs_cache: tuple | None = None

    # ---- writer lock -------------------------------------------------------------------------
    @contextmanager
    def writer(self, wait: float = 0.0):
        """Only one ingest writes at a time, across processes (flock) and threads."""
        got = self._write_lock.acquire(timeout=wait) if wait > 0 else self._write_lock.acquire(blocking=False)
        if not got:
            raise IngestBusy("Đang có một lần nạp tài liệu khác chạy trong ứng dụng. Đợi nó xong rồi thử lại.")
        path = self.settings.data_dir / "ingest.lock"
        fh = open(path, "a+")
        try:
            deadline = time.monotonic() + max(wait, 0)
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IngestBusy(
                            "Đang có một lần nạp tài liệu khác chạy (tiến trình khác giữ "
                            f"{path}). Đợi nó xong rồi thử lại.") from None
                    time.sleep(0.2)
            fh.seek(0), fh.truncate(), fh.write(str(os.getpid())), fh.flush()
            yield self
        finally:
            try:
                fcntl.flock(fh, fcntl.LOCK_UN)
            finally:
                fh.close()
                self._write_lock.release()

    # ---- writes (call inside writer()) -------------------------------------------------------
    def recover(self) -> list[DocumentRecord]:
        """Remove chunks of documents a crash left pending; bring BM25 in step with complete ones."""
        pending = self.manifest.all(status="pending")
        for rec in pending:
            self._delete_chunks(rec.doc_id)
            self.manifest.delete(rec.doc_id)
        self._reconcile_bm25()
        return pending

    def _reconcile_bm25(self) -> None:
        wanted = {chunk_id(r.doc_id, i) for r in self.manifest.all() for i in range(r.chunks)}
        have = self.bm25.ids()
        extra = have - wanted
        missing = sorted(wanted - have)
        if not extra and not missing:
            return
        if extra:
            self.bm25.remove(extra)
        for start in range(0, len(missing), 1000):
            got = self.collection.get(ids=missing[start:start + 1000], include=["documents"])
            self.bm25.add(got["ids"], got["documents"])
        self.bm25.commit()
        log.info("BM25 đồng bộ lại: bỏ %d, thêm %d đoạn", len(extra), len(missing))

    def _delete_chunks(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})
        self.bm25.remove(i for i in self.bm25.ids() if i.startswith(doc_id + ":"))

    def add_document(self, rec: DocumentRecord, chunks: list[Chunk],
                     progress: Callable[[int], None] | None = None) -> int:
        """Index one document's chunks; returns the number of chunks written."""
        rec.status = "pending"
        self.manifest.put(rec)
        self._delete_chunks(rec.doc_id)  # leftovers of an interrupted earlier attempt
        base = {"doc_id": rec.doc_id, "source": rec.source, "kind": rec.kind, "number": rec.number,
                "issuer": rec.issuer, "title": rec.title, "year": rec.year, "date": rec.date,
                "unit": rec.meta.get("unit"), "unit_key": rec.meta.get("unit_key"),
                "period": rec.meta.get("period")}
        ids, texts = [], []
        for start in range(0, len(chunks), EMBED_BATCH):
            batch = chunks[start:start + EMBED_BATCH]
            batch_ids = [chunk_id(rec.doc_id, start + j) for j in range(len(batch))]
            batch_texts = [c.text for c in batch]
            # the vector sees the document named in front (passages.py); Chroma and BM25 keep the chunk text
            vectors = self.embedder.embed_passages([passage_text(rec, c) for c in batch])
            metas = [_clean_meta({**base, **c.meta, "page": c.page, "section": c.section, "chunk": start + j})
                     for j, c in enumerate(batch)]
            self.collection.upsert(ids=batch_ids, embeddings=np.asarray(vectors), documents=batch_texts,
                                   metadatas=metas)
            ids += batch_ids
            texts += batch_texts
            if progress:
                progress(len(batch))
        self.bm25.add(ids, texts)
        self.manifest.mark_complete(rec.doc_id, len(chunks))
        return len(chunks)

    def remove_document(self, doc_id: str) -> None:
        self._delete_chunks(doc_id)
        self.manifest.delete(doc_id)

    def commit(self) -> None:
        self.bm25.commit()  # other processes' stores pick the new files up on their next use (BM25Store.refresh)

    # ---- reads -------------------------------------------------------------------------------
    def documents(self) -> list[DocumentRecord]:
        """Complete documents, cached until the manifest changes (in this process or another)."""
        version = self.manifest.version()
        cached = self._docs_cache
        if cached is None or cached[0] != version:
            docs = self.manifest.all()
            cached = self._docs_cache = (version, docs, {d.doc_id: d for d in docs})
        return cached[1]

    def records_by_id(self) -> dict[str, DocumentRecord]:
        """Complete documents by doc_id (cached like `documents`)."""
        self.documents()
        return self._docs_cache[2]

    def chunk_count(self) -> int:
        return self.collection.count()

    def _store_error(self, exc: Exception) -> IndexUnavailable:
        where = self.settings.vectors_where
        return IndexUnavailable(
            f"Không đọc/ghi được kho vector Chroma ({where}): {exc.__class__.__name__}. "
            + ("Kiểm tra máy chủ Chroma đang chạy và ASSISTANT_CHROMA_URL; dữ liệu trên máy chủ không bị mất."
               if not self.settings.embedded_vectors else "Kiểm tra thư mục dữ liệu (ASSISTANT_DATA_DIR) và dung lượng ổ đĩa."))

    def get_chunks(self, ids: list[str]) -> dict[str, tuple[str, dict]]:
        if not ids:
            return {}
        try:
            got = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        except Exception as exc:
            raise self._store_error(exc) from exc
        return {i: (d, m or {}) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}

    def dense_search(self, query: str, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        vec = self.embedder.embed_query(query)
        try:
            if self.collection.count() == 0:
                return []
            res = self.collection.query(query_embeddings=[np.asarray(vec)], n_results=k, where=where or None,
                                        include=["distances"])
        except Exception as exc:
            raise self._store_error(exc) from exc
        return [(i, 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0])]

    def chunk_ids_for(self, doc_ids: Iterable[str]) -> set[str]:
        by_id = self.records_by_id()
        out = set()
        for doc_id in doc_ids:
            rec = by_id.get(doc_id)
            if rec is not None:
                out.update(chunk_id(doc_id, i) for i in range(rec.chunks))
        return out

    def complete_doc_ids(self) -> set[str]:
        return set(self.records_by_id())

    def is_stale(self, paths: list[Path]) -> bool:
        """True when some supported file under paths is not indexed at its current content."""
        known = {(r.source, r.sha256) for r in self.manifest.all()}
        for f in iter_files(paths):
            if (str(f), file_sha256(f)) not in known:
                return True
        return False


_index: Index | None = None
_index_lock = threading.Lock()


def get_index() -> Index:
    """The process-wide index (opened once: loading BM25 and Chroma is not free)."""
    global _index
    with _index_lock:
        if _index is None:
            _index = Index()
        return _index


def reset_index() -> None:
    global _index
    with _index_lock:
        _index = None


def registry_with_corpus(index: Index | None = None):
    """The document registry extended by the indexed documents' own headers (số/ký hiệu, date, issuer,
    title). Checking works without an index: if it cannot be opened, the registry alone is returned."""
    registry = load_registry()
    try:
        docs = (index or get_index()).documents()
    except Exception as exc:
        log.info("Không đọc được chỉ mục cho danh mục văn bản: %s", exc)
        return registry
    registry.add_many([RegistryEntry(number=d.number, doc_type=d.kind, issuer=d.issuer,
                                     date=date.fromisoformat(d.date) if d.date else None, effective_date=None,
                                     title=d.title, source=f"corpus:{d.source}", confidence="corpus")
                       for d in docs if d.number and d.kind], source="corpus")
    return registry
