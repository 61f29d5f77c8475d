"""The persistent BM25 store: per chunk id, BM25 scores over the analyser's tokens (bm25s format).

`BM25Store(directory)` keeps, per chunk id, the accented tokens as (term id, count) pairs; folded
statistics are derived from them (folding is per character), so nothing is tokenised twice and the
texts themselves are not kept. `commit()` rebuilds two bm25s indexes (accented, folded) with vectorised
numpy (no per-token Python loops: 100k chunks in tens of seconds, where `bm25s.BM25.index()` loops over
every token in Python) and swaps a new generation directory in atomically: files are written to a fresh
directory, fsynced, then the `CURRENT` pointer file is replaced with os.replace. Loading maps the arrays
(mmap) and reads the vocabularies only; the token store is read lazily on the first add/remove.
Nothing is pickled. tests/test_bm25.py checks the scores equal `bm25s.BM25(method="lucene").index()`.

Layout of one generation directory::

    ids.json                     chunk ids in row order
    tok_terms.npy / tok_counts.npy / tok_offsets.npy   per-row (term id, count), term ids = accented vocab
    accented/ folded/            bm25s.BM25.save() output (CSC score matrix + vocab + params)
"""
from __future__ import annotations

import json
import math
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .analyser import HEADING_BOOST, document_tokens, folded_tokens, tokens
from .text import fold


def _lucene_index(terms: np.ndarray, counts: np.ndarray, offsets: np.ndarray, vocab: list[str],
                  k1: float, b: float):
    """A bm25s.BM25 (method='lucene') over rows given as unique term ids and their counts
    (row r = terms[offsets[r]:offsets[r + 1]]).

    The formulas of `bm25s.BM25.index()`, vectorised: index() loops over every token in Python (minutes
    at 100k chunks, and commit() rebuilds everything). The model is filled through the four attributes
    index() sets (`scores`, `vocab_dict`, `unique_token_ids_set`, `nonoccurrence_array`); the bm25s
    version range in pyproject.toml is the one tests/test_bm25.py shows to score equal to index().
    """
    import bm25s

    n_docs = len(offsets) - 1
    n_vocab = len(vocab)
    rows = np.repeat(np.arange(n_docs, dtype=np.int32), np.diff(offsets))
    tf = counts.astype(np.float32)
    doc_len = np.bincount(rows, weights=tf, minlength=n_docs)
    avg_len = float(doc_len.mean()) if n_docs else 1.0
    df = np.bincount(terms, minlength=n_vocab).astype(np.float64)
    idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = (k1 * (1.0 - b + b * doc_len / max(avg_len, 1e-9))).astype(np.float32)
    data = norm[rows]
    data += tf
    np.divide(tf, data, out=data)  # tf / (tf + k1 * (1 - b + b * |d| / avg|d|))
    del tf
    data *= idf[terms]
    order = np.argsort(terms, kind="stable")  # CSC: by term, rows stay ascending inside a column
    data = data[order]
    indices = rows[order]
    del order, rows
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms, minlength=n_vocab), out=indptr[1:])
    model = bm25s.BM25(k1=k1, b=b, method="lucene", backend="numpy")
    model.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
    model.vocab_dict = {t: i for i, t in enumerate(vocab)}
    model.unique_token_ids_set = set(model.vocab_dict.values())
    model.nonoccurrence_array = None  # lucene has no non-occurrence term
    return model


def _document_frequency(model, term_id: int) -> int:
    """Chunks holding the term: the length of its column in the CSC score matrix."""
    indptr = model.scores["indptr"]
    return int(indptr[term_id + 1] - indptr[term_id])


def _fsync_tree(path: Path) -> None:
    for root, _dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _save_npy(path: Path, arr: np.ndarray) -> None:
    np.save(path, np.ascontiguousarray(arr), allow_pickle=False)


@dataclass(frozen=True)
class _Snapshot:
    row_ids: list[str]
    row_of: dict[str, int]
    acc: object  # bm25s.BM25 over accented tokens
    fold: object  # bm25s.BM25 over accent-folded tokens
    gen: Path | None


class BM25Store:
    """Persistent BM25 over chunk ids: accented and folded bm25s indexes, rebuilt on `commit()`.

    `add`/`remove` change the stored tokens; searches use the last committed indexes, except that removed
    ids are hidden immediately. Call `commit()` once per ingest batch, never per query.
    Thread-safe: one writer at a time; searches read an immutable snapshot.
    """

    K1 = 1.2
    B = 0.75

    def __init__(self, directory: Path, *, heading_boost: int = HEADING_BOOST):
        """heading_boost: how many times a chunk's heading line counts (benches compare values; the
        product uses the analyser's default)."""
        self.directory = Path(directory)
        self.heading_boost = heading_boost
        self._lock = threading.RLock()
        # committed, searchable snapshot
        self._snap = _Snapshot([], {}, None, None, None)
        # token store (lazy): committed rows + pending edits
        self._tok_loaded = False
        self._vocab: list[str] = []
        self._term_id: dict[str, int] = {}
        self._terms = np.zeros(0, np.uint32)
        self._counts = np.zeros(0, np.uint16)
        self._offsets = np.zeros(1, np.int64)
        self._pending: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._dropped: set[str] = set()   # committed rows removed or replaced since the last commit
        self._load()

    # The committed generation, read through one attribute so a refresh in another thread swaps it whole.
    @property
    def _row_ids(self) -> list[str]:
        return self._snap.row_ids

    @property
    def _row_of(self) -> dict[str, int]:
        return self._snap.row_of

    @property
    def _gen(self) -> Path | None:
        return self._snap.gen

    def idf(self, terms: Iterable[str], *, folded: bool = False) -> dict[str, float]:
        """BM25's idf, log(1 + (N - df + 0.5) / (df + 0.5)), of each term over the committed chunks
        (accented index, or the accent-folded one for folded terms). A term no chunk has gets df = 0,
        the highest weight; an empty store gives {}."""
        self.refresh()
        snap = self._snap
        model = snap.fold if folded else snap.acc
        if model is None or not snap.row_ids:
            return {}
        vocab = model.vocab_dict
        n = len(snap.row_ids)
        out = {}
        for t in dict.fromkeys(terms):
            tid = vocab.get(t)
            df = _document_frequency(model, tid) if tid is not None else 0
            out[t] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return out

    # -- persistence ------------------------------------------------------------------------------

    def _current_name(self) -> str | None:
        try:
            return (self.directory / "CURRENT").read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def refresh(self) -> bool:
        """Follow a generation committed by another process (or another store on the same directory).

        A long-running app and a command-line ingest share the data directory: without this the app keeps
        searching its old generation and, on its next ingest, reads token files the other writer deleted.
        Only done when this store holds no uncommitted edits; returns True when it reloaded.
        """
        name = self._current_name()
        if name is None or (self._gen is not None and self._gen.name == name):
            return False
        with self._lock:
            if self._pending or self._dropped or (self._gen is not None and self._gen.name == name):
                return False
            for attempt in range(3):
                try:
                    self._load()
                    break
                except FileNotFoundError:  # the other writer swapped again meanwhile
                    if attempt == 2:
                        raise
                    time.sleep(0.05)
            self._tok_loaded = False
            self._vocab, self._term_id = [], {}
            self._terms = np.zeros(0, np.uint32)
            self._counts = np.zeros(0, np.uint16)
            self._offsets = np.zeros(1, np.int64)
            return True

    def _load(self) -> None:
        name = self._current_name()
        if name is None:
            return
        import bm25s

        gen = self.directory / name
        ids = json.loads((gen / "ids.json").read_text(encoding="utf-8"))
        acc = fold_ = None
        if ids:
            acc = bm25s.BM25.load(gen / "accented", mmap=True, show_progress=False)
            fold_ = bm25s.BM25.load(gen / "folded", mmap=True, show_progress=False)
        self._snap = _Snapshot(ids, {i: n for n, i in enumerate(ids)}, acc, fold_, gen)

    def _ensure_tokens(self) -> None:
        if self._tok_loaded:
            return
        if self._gen is not None and self._row_ids:
            self._terms = np.load(self._gen / "tok_terms.npy")
            self._counts = np.load(self._gen / "tok_counts.npy")
            self._offsets = np.load(self._gen / "tok_offsets.npy")
            vocab = json.loads((self._gen / "accented" / "vocab.index.json").read_text(encoding="utf-8"))
            self._vocab = [""] * len(vocab)
            for t, i in vocab.items():
                self._vocab[i] = t
            self._term_id = vocab
        self._tok_loaded = True

    def _encode(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        toks = document_tokens(text, self.heading_boost)
        ids = np.fromiter((self._term_id.setdefault(t, len(self._term_id)) for t in toks), np.int64, len(toks))
        if len(self._vocab) < len(self._term_id):
            self._vocab.extend([""] * (len(self._term_id) - len(self._vocab)))
            for t in toks:
                self._vocab[self._term_id[t]] = t
        uniq, cnt = np.unique(ids, return_counts=True)
        return uniq.astype(np.uint32), np.minimum(cnt, 65535).astype(np.uint16)

    # -- editing ------------------------------------------------------------------------------------

    def add(self, ids: list[str], texts: list[str]) -> None:
        """Add or replace chunks (searchable after `commit()`)."""
        if len(ids) != len(texts):
            raise ValueError("ids and texts differ in length")
        with self._lock:
            self.refresh()
            self._ensure_tokens()
            for cid, text in zip(ids, texts):
                if cid in self._row_of:
                    self._dropped.add(cid)
                self._pending[cid] = self._encode(text)

    def remove(self, ids: Iterable[str]) -> None:
        """Forget chunks; they stop appearing in results at once, statistics update on `commit()`."""
        with self._lock:
            self.refresh()
            self._ensure_tokens()
            for cid in ids:
                self._pending.pop(cid, None)
                if cid in self._row_of:
                    self._dropped.add(cid)

    def ids(self) -> set[str]:
        with self._lock:
            self.refresh()
            return (set(self._row_ids) - self._dropped) | set(self._pending)

    def __len__(self) -> int:
        return len(self.ids())

    def vocabulary_size(self) -> int:
        """Distinct accented terms (syllables, bigrams, document numbers) in the committed index."""
        self.refresh()
        acc = self._snap.acc
        return len(acc.vocab_dict) if acc is not None else 0

    def commit(self) -> None:
        """Rebuild both indexes from the stored tokens and save a new generation atomically."""
        with self._lock:
            if self._tok_loaded is False and not self._pending and not self._dropped and self._gen is not None:
                return  # nothing changed
            self._ensure_tokens()
            # 1. merge kept committed rows with pending rows
            keep = np.array([cid not in self._dropped for cid in self._row_ids], dtype=bool)
            lengths = np.diff(self._offsets)
            mask = np.repeat(keep, lengths)
            terms_parts = [self._terms[mask]]
            counts_parts = [self._counts[mask]]
            len_parts = [lengths[keep]]
            new_ids = [cid for cid, k in zip(self._row_ids, keep) if k]
            for cid, (t, c) in self._pending.items():
                terms_parts.append(t)
                counts_parts.append(c)
                len_parts.append(np.array([len(t)], np.int64))
                new_ids.append(cid)
            terms = np.concatenate(terms_parts).astype(np.uint32, copy=False)
            counts = np.concatenate(counts_parts).astype(np.uint16, copy=False)
            del terms_parts, counts_parts, mask
            lens = np.concatenate(len_parts).astype(np.int64)
            offsets = np.zeros(len(new_ids) + 1, np.int64)
            np.cumsum(lens, out=offsets[1:])
            # 2. prune the vocabulary to used terms (ids become dense again; order, hence row sorting, kept)
            used = np.bincount(terms, minlength=len(self._vocab)) > 0
            remap = (np.cumsum(used) - 1).astype(np.uint32)
            terms = remap[terms]
            vocab = [self._vocab[i] for i in np.flatnonzero(used).tolist()]
            # 3. folded rows: map terms, merge terms that fold together within a row
            fvocab_of: dict[str, int] = {}
            fmap = np.fromiter((fvocab_of.setdefault(fold(t), len(fvocab_of)) for t in vocab), np.int64, len(vocab))
            fvocab = list(fvocab_of)
            nf = max(len(fvocab), 1)
            key = np.repeat(np.arange(len(new_ids), dtype=np.int64), lens) * nf
            key += fmap[terms]
            order = np.argsort(key)
            key = key[order]
            starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if key.size else key[:0]
            fcounts = np.minimum(np.add.reduceat(counts[order].astype(np.uint32), starts), 65535).astype(np.uint16) \
                if key.size else counts[:0]
            del order
            fkey = key[starts]
            del key
            frows = fkey // nf
            fterms = (fkey % nf).astype(np.uint32)
            del fkey
            foffsets = np.zeros(len(new_ids) + 1, np.int64)
            np.cumsum(np.bincount(frows, minlength=len(new_ids)), out=foffsets[1:])
            del frows
            # 4. build and save into a fresh generation directory
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
            tmp = self.directory / f".{name}.tmp"
            tmp.mkdir()
            try:
                acc = fold_ = None
                if new_ids:
                    acc = _lucene_index(terms, counts, offsets, vocab, self.K1, self.B)
                    fold_ = _lucene_index(fterms, fcounts, foffsets, fvocab, self.K1, self.B)
                    acc.save(tmp / "accented", show_progress=False)
                    fold_.save(tmp / "folded", show_progress=False)
                (tmp / "ids.json").write_text(json.dumps(new_ids, ensure_ascii=False), encoding="utf-8")
                _save_npy(tmp / "tok_terms.npy", terms)
                _save_npy(tmp / "tok_counts.npy", counts)
                _save_npy(tmp / "tok_offsets.npy", offsets)
                _fsync_tree(tmp)
                gen = self.directory / name
                os.rename(tmp, gen)
                ptmp = self.directory / f".CURRENT.{uuid.uuid4().hex[:8]}.tmp"
                with open(ptmp, "w", encoding="utf-8") as f:
                    f.write(name)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(ptmp, self.directory / "CURRENT")
                _fsync_dir(self.directory)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            # 5. swap the in-memory snapshot
            self._terms, self._counts, self._offsets = terms, counts, offsets
            self._vocab = vocab
            self._term_id = {t: i for i, t in enumerate(vocab)}
            self._pending, self._dropped = {}, set()
            self._snap = _Snapshot(new_ids, {i: n for n, i in enumerate(new_ids)}, acc, fold_, gen)
            # 6. clean old generations (readers in other processes mmap'd files stay valid on POSIX)
            for p in self.directory.iterdir():
                if p.is_dir() and p != gen and (p.name.startswith("gen-") or p.name.endswith(".tmp")):
                    shutil.rmtree(p, ignore_errors=True)

    # -- search -------------------------------------------------------------------------------------

    def search(self, query: str, k: int = 10, *, folded: bool = False,
               allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk id, BM25 score) over committed chunks; `allowed` restricts to those ids.

        folded=True matches accent-folded query tokens against the folded index (unaccented queries).
        Only chunks sharing at least one term with the query are returned.
        """
        self.refresh()
        snap, dropped = self._snap, self._dropped  # one consistent committed generation
        model, row_ids, row_of = (snap.fold if folded else snap.acc), snap.row_ids, snap.row_of
        if model is None or k <= 0:
            return []
        q = folded_tokens(query) if folded else tokens(query)
        qids = list(dict.fromkeys(model.get_tokens_ids(q)))
        if not qids:
            return []
        scores = model.get_scores_from_ids(qids)
        if allowed is not None:
            rows = np.fromiter((row_of[c] for c in allowed if c in row_of), np.int64)
            if rows.size == 0:
                return []
            sub = scores[rows]
        else:
            rows = None
            sub = scores
        want = k + len(dropped)
        if want < sub.size:
            top = np.argpartition(-sub, want)[:want]
        else:
            top = np.arange(sub.size)
        top = top[np.argsort(-sub[top], kind="stable")]
        out: list[tuple[str, float]] = []
        for t in top.tolist():
            s = float(sub[t])
            if s <= 0.0:
                break
            cid = row_ids[rows[t] if rows is not None else t]
            if cid in dropped:
                continue
            out.append((cid, s))
            if len(out) == k:
                break
        return out
