"""Retrieval evaluation: the product's BM25, dense and hybrid search, and the comparisons behind its defaults.

Prints tables (R@1, R@5, R@10, MRR@10); nothing passes or fails.

    python bench/retrieval_eval.py                 # everything: ALQAC, the commune set, the product pipeline
    python bench/retrieval_eval.py --embed-only    # only fill the passage-vector cache (run it early, in background)
    python bench/retrieval_eval.py --no-dense      # BM25 only (fast)
    python bench/retrieval_eval.py --only commune --data-dir /tmp/eval-index   # reuse the product's index

Sets (shared material through assistant.config.shared_dir(): ../shared, or ASSISTANT_SHARED_DIR):
  * ALQAC 2023 (176 queries, each against its own corpus; data/retrieval_eval/README.md). An article is
    the unit: dense scores an article by its best chunk (articles over ~480 tokens are split).
  * bench/data/retrieval_questions.jsonl: 52 commune-staff questions over data/decrees/*.md and the seed
    report, evaluated in memory (decrees split at "Điều N." headings, the report at numbered sections) and
    through the product's `assistant.retrieval.retrieve` on an index of the same files.

What each table decides (the product's value in brackets):
  * ALQAC accented / accents stripped: BM25 vs dense vs hybrid, RRF vs min-max score fusion, fusion
    weights chosen on one half of the queries and reported on the other [score fusion 0.6 : 0.4,
    retrieval.FUSION_BM25 / FUSION_DENSE]; unaccented queries served by folded BM25 alone, because e5
    collapses without diacritics [retrieval.UNACCENTED_DENSE_WEIGHT = 0].
  * BM25 heading boost 1 vs 2 [analyser.HEADING_BOOST = 2].
  * commune set: plain vs document-named passages for the dense side [passages.passage_text], and the
    same fusion comparison on questions written for this product.

Passage and query vectors are cached in bench/.cache/ keyed by embedder id + sha256(text).
"""
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_index import ALQAC_DIR, DECREES_DIR, ROOT, SEED_REPORT, build_index, decree_paths

from assistant.analyser import HEADING_BOOST
from assistant.bm25 import BM25Store
from assistant.documents import Chunk
from assistant.embeddings import get_embedder
from assistant.fusion import rrf, score_fusion
from assistant.ingestion import document_record
from assistant.loaders import load
from assistant.manifest import DocumentRecord
from assistant.passages import passage_text
from assistant.query import analyse_query
from assistant.retrieval import FUSION_BM25, FUSION_DENSE, retrieve
from assistant.text import fold, nfc

QUESTIONS = ROOT / "bench" / "data" / "retrieval_questions.jsonl"
CACHE_DIR = ROOT / "bench" / ".cache"
DENSE_MAX_TOKENS = 480
DEPTH = 100         # ranking depth of each retriever in the in-memory pipeline
FUSION_DEPTH = 40   # what retrieve() asks each retriever for at k=10: max(k * 4, 20)
RRF_K = 60


# ----------------------------------------------------------------------------------------------------
# Passage-vector cache
# ----------------------------------------------------------------------------------------------------

_NOT_FILENAME_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_QUERY_KEY = "\x00query\x00"  # cache key prefix that keeps query vectors apart from passage vectors


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Vectors of one embedder: keys.json (text hashes, in row order) + vecs.npy, rewritten atomically."""

    def __init__(self, embedder, directory: Path = CACHE_DIR):
        self.embedder = embedder
        self.dir = directory / _NOT_FILENAME_SAFE.sub("_", embedder.id)[:120]
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

    def get(self, texts: Sequence[str], batch: int = 32, log: Callable[[str], None] | None = None,
            embed: Callable[[list[str]], np.ndarray] | None = None) -> np.ndarray:
        """Vectors of `texts` (passages, unless `embed` says otherwise), embedding the uncached ones."""
        embed = embed or self.embedder.embed_passages
        todo = self.missing(texts)
        t0 = time.time()
        for i in range(0, len(todo), batch):
            part = todo[i:i + batch]
            vecs = embed(part)
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

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors (embed_query), cached like passages under a prefixed key."""
        def embed(keyed: list[str]) -> np.ndarray:
            return np.stack([self.embedder.embed_query(t[len(_QUERY_KEY):]) for t in keyed])

        return self.get([_QUERY_KEY + t for t in texts], embed=embed)


# ----------------------------------------------------------------------------------------------------
# Splitting long texts for the embedder (e5 reads ≤ 512 tokens)
# ----------------------------------------------------------------------------------------------------

_PIECE_BREAK = re.compile(r"(?<=[.;:])\s+|\s+")  # after a sentence or clause end, else at any space


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
        for piece in _PIECE_BREAK.split(par):
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


def chunk_for_dense(corpus: Corpus, count: Callable[[str], int]) -> Corpus:
    corpus.chunk_texts, corpus.chunk_owner = [], []
    for i, t in enumerate(corpus.texts):
        for piece in split_for_dense(t, count):
            corpus.chunk_texts.append(piece)
            corpus.chunk_owner.append(i)
    return corpus


def commune_records() -> dict[str, DocumentRecord]:
    """DocumentRecord per commune file, read by the product's loader (kind, number, title)."""
    return {p.name: document_record(load(p), str(p)) for p in commune_files()}


def titled(corpus: Corpus, recs: dict[str, DocumentRecord]) -> Corpus:
    """The commune units as the product embeds them (`passages.passage_text`: document kind, number and
    title, then "Điều N.", then the text); same ids. Unit ids are "<file>#<n>"."""
    texts = []
    for uid, text, dieu in zip(corpus.ids, corpus.texts, corpus.dieu or [None] * len(corpus.ids)):
        rec = recs.get(uid.split("#")[0]) or DocumentRecord(doc_id=uid, source=uid, sha256="")
        texts.append(passage_text(rec, Chunk(text=text, meta={"dieu": dieu} if dieu else {})))
    return Corpus(corpus.name + " [title]", corpus.ids, texts, dieu=corpus.dieu)


# ----------------------------------------------------------------------------------------------------
# Commune question set: decrees split by "Điều N." headings, the seed report by numbered sections
# ----------------------------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^(?:#{1,6}\s+(?P<h>.+?)|\*\*(?P<b>Điều\s+\d+[a-z]?\..*?)\*\*.*)\s*$")
_DIEU_HEADING = re.compile(r"^Điều\s+(\d+[a-z]?)\.")
_LEADING_DIGITS = re.compile(r"\d+")
_REPORT_HEADING = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))\s+\S")
_OUTLINE_LABEL = re.compile(r"^\s*([IVX]+|\d+(?:\.\d+)*|[a-zđ])[.)]?(?:\s|$)")  # "II.", "1.3.", "a)"
_SPACES = re.compile(r"\s+")


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
        if len(content) < 40 and not _DIEU_HEADING.match(head):
            pending_heads.append(head)
            continue
        dm = _DIEU_HEADING.match(head)
        dieu = None
        if dm:
            n = int(_LEADING_DIGITS.match(dm.group(1)).group())
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
        if _REPORT_HEADING.match(s) and len(s) < 120 and not s.startswith(("a)", "b)")):
            if "\n".join(body).strip():
                units.append(Unit(f"{name}#{len(units)}", name, head, None, f"{head}\n" + "\n".join(body).strip()))
            head, body = s, []
        elif s:
            body.append(s)
    if body:
        units.append(Unit(f"{name}#{len(units)}", name, head, None, f"{head}\n" + "\n".join(body).strip()))
    return units


def commune_files() -> list[Path]:
    return decree_paths() + ([SEED_REPORT] if SEED_REPORT.exists() else [])


def load_commune() -> tuple[list[Unit], list[dict]]:
    units: list[Unit] = []
    for p in decree_paths():
        units += split_decree(p.name, nfc(p.read_text(encoding="utf-8")))
    if SEED_REPORT.exists():
        units += split_report(SEED_REPORT.name, nfc(SEED_REPORT.read_text(encoding="utf-8")))
    questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return units, questions


def commune_corpus(units: list[Unit]) -> Corpus:
    return Corpus("commune", [u.uid for u in units], [u.text for u in units], dieu=[u.dieu for u in units])


def _norm_head(s: str) -> str:
    return _SPACES.sub(" ", fold(s)).strip(" :.")


def _path(section: str) -> list[str]:
    out = []
    for c in section.split(">"):
        m = _OUTLINE_LABEL.match(c)
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


# ----------------------------------------------------------------------------------------------------
# Retrievers, fusion, metrics
# ----------------------------------------------------------------------------------------------------

Scored = list[tuple[str, float]]


def bm25_stores(corpora: Sequence[Corpus], base: Path, heading_boost: int = HEADING_BOOST) -> dict[str, BM25Store]:
    """One BM25Store per corpus (the product's analysis and, unless given, its heading boost)."""
    stores = {}
    for c in corpora:
        store = BM25Store(base / f"{_NOT_FILENAME_SAFE.sub('_', c.name)}-h{heading_boost}", heading_boost=heading_boost)
        store.add(c.ids, c.texts)
        store.commit()
        stores[c.name] = store
    return stores


class DenseIndex:
    def __init__(self, corpus: Corpus, cache: VectorCache):
        self.corpus = corpus
        self.vecs = cache.get(corpus.chunk_texts)
        self.owner = np.asarray(corpus.chunk_owner)

    def search(self, qvec: np.ndarray, depth: int = DEPTH) -> Scored:
        """(unit id, cosine of its best chunk), best first."""
        sims = self.vecs @ qvec
        best = np.full(len(self.corpus.ids), -np.inf, dtype=np.float32)
        np.maximum.at(best, self.owner, sims)
        top = np.argsort(-best, kind="stable")[:depth]
        return [(self.corpus.ids[i], float(best[i])) for i in top]


def ids(scored: Scored) -> list[str]:
    return [d for d, _ in scored]


def sfuse(bm: Scored, dn: Scored, w_bm: float, w_dn: float, depth: int = FUSION_DEPTH) -> list[str]:
    """Min-max score fusion (the product's default) of the top `depth` of each list."""
    return ids(score_fusion([bm[:depth], dn[:depth]], [w_bm, w_dn]))


def rfuse(bm: Scored, dn: Scored, w_dn: float, k: int = RRF_K, depth: int = FUSION_DEPTH,
          dense_depth: int | None = None) -> list[str]:
    """Reciprocal rank fusion (ASSISTANT_FUSION=rrf) of the top `depth` of each list."""
    return ids(rrf([ids(bm[:depth]), ids(dn[:dense_depth or depth])], [1.0, w_dn], k=k))


def routed(texts: list[str], acc: list[Scored], folded: list[Scored], dense: list[Scored]) -> list[list[str]]:
    """What retrieve() ranks: a query analyse_query() finds unaccented gets folded BM25 alone, any other
    accented BM25 and dense fused by score."""
    return [ids(folded[i][:FUSION_DEPTH]) if analyse_query(t).unaccented
            else sfuse(acc[i], dense[i], FUSION_BM25, FUSION_DENSE) for i, t in enumerate(texts)]


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


def halves(qids: list[str]) -> tuple[list[int], list[int]]:
    """Deterministic split of query indexes by sha256(qid) parity."""
    a = [i for i, q in enumerate(qids) if int(hashlib.sha256(q.encode()).hexdigest(), 16) % 2 == 0]
    b = [i for i in range(len(qids)) if i not in set(a)]
    return a, b


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
# Filling the vector cache
# ----------------------------------------------------------------------------------------------------

def embed_only() -> None:
    """Embed every passage the evaluation needs: ALQAC articles, commune units plain and document-named."""
    emb = get_embedder()
    cache = VectorCache(emb)
    count = token_counter(emb)
    _, corpora = load_alqac()
    units, _ = load_commune()
    commune = commune_corpus(units)
    sets = [chunk_for_dense(c, count) for c in [commune, titled(commune, commune_records()), *corpora.values()]]
    for c in sets:  # the commune sets first: ready in minutes
        todo = len(cache.missing(c.chunk_texts))
        print(f"{c.name}: {len(c.texts)} units, {len(c.chunk_texts)} chunks, {todo} to embed", flush=True)
        cache.get(c.chunk_texts, log=lambda s: print(s, flush=True))
    print("done", flush=True)


# ----------------------------------------------------------------------------------------------------
# ALQAC
# ----------------------------------------------------------------------------------------------------

def run_alqac(dense: bool, work: Path) -> None:
    queries, corpora = load_alqac()
    golds = [q.gold for q in queries]
    qids = [q.qid for q in queries]
    n = len(queries)
    acc_q = [q.text for q in queries]
    fold_q = [fold(q.text) for q in queries]
    print(f"\n## ALQAC 2023: {n} queries, corpora: "
          + ", ".join(f"{c.name} ({len(c.ids)} articles)" for c in corpora.values()))

    stores, t = timed(lambda: bm25_stores(corpora.values(), work))
    print(f"(BM25Store add+commit, both corpora: {t:.1f}s)")
    B, tb = timed(lambda: [stores[q.corpus].search(acc_q[i], DEPTH) for i, q in enumerate(queries)])
    Fu, tf = timed(lambda: [stores[q.corpus].search(fold_q[i], DEPTH, folded=True) for i, q in enumerate(queries)])

    # heading boost (analyser.HEADING_BOOST): the first line of a unit counted 1, 2, 3 times
    rows = []
    for boost in sorted({1, HEADING_BOOST, 3}):
        st = stores if boost == HEADING_BOOST else bm25_stores(corpora.values(), work, heading_boost=boost)
        acc = [ids(st[q.corpus].search(acc_q[i], DEPTH)) for i, q in enumerate(queries)]
        folded = [ids(st[q.corpus].search(fold_q[i], DEPTH, folded=True)) for i, q in enumerate(queries)]
        rows += [(f"heading x{boost}: bm25 accented +bigrams, accented queries", metrics(acc, golds), None),
                 (f"heading x{boost}: bm25 folded +bigrams, unaccented queries", metrics(folded, golds), None)]
    table(f"ALQAC, BM25 heading boost (analyser.HEADING_BOOST = {HEADING_BOOST} in the product)", rows)
    if not dense:
        return

    cache = VectorCache(get_embedder())
    count = token_counter(cache.embedder)
    dense_idx = {}
    for c in corpora.values():
        todo = len(cache.missing(chunk_for_dense(c, count).chunk_texts))
        if todo:
            print(f"(embedding {todo} uncached chunks of {c.name}; --embed-only fills the cache beforehand)", flush=True)
        dense_idx[c.name] = DenseIndex(c, cache)
    qv_acc, tqa = timed(lambda: cache.queries(acc_q))
    qv_fold, tqf = timed(lambda: cache.queries(fold_q))
    D, td = timed(lambda: [dense_idx[q.corpus].search(qv_acc[i]) for i, q in enumerate(queries)])
    Dfold, tdf = timed(lambda: [dense_idx[q.corpus].search(qv_fold[i]) for i, q in enumerate(queries)])

    # accented queries: each retriever, both fusions at the product's depth, weights tuned on one half
    rows = [
        ("bm25 accented +bigrams (BM25Store)", metrics([ids(b) for b in B], golds), tb),
        ("dense e5-small (best chunk per article)", metrics([ids(d) for d in D], golds), td + tqa),
        (f"RRF k={RRF_K} 1:1, depth {FUSION_DEPTH}", metrics([rfuse(B[i], D[i], 1.0) for i in range(n)], golds), None),
    ]
    for wb in (0.5, FUSION_BM25, 0.7):
        rows.append((f"score fusion min-max {wb:.1f}:{1 - wb:.1f}, depth {FUSION_DEPTH}"
                     + (" (product)" if wb == FUSION_BM25 else ""),
                     metrics([sfuse(B[i], D[i], wb, 1 - wb) for i in range(n)], golds), None))
    rrf_grid = {f"k={k} wd={wd} dd={dd}": (lambda i, k=k, wd=wd, dd=dd: rfuse(B[i], D[i], wd, k, dense_depth=dd))
                for k in (5, 10, 20, 60) for wd in (0.5, 0.75, 1.0, 1.25) for dd in (10, 20, FUSION_DEPTH)}
    score_grid = {f"w_bm25={wb:.1f}": (lambda i, wb=wb: sfuse(B[i], D[i], wb, 1 - wb))
                  for wb in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)}
    print("\n(2-fold: tune on one half of the queries, report on the other)")
    rows.append((*cross_validate(golds, qids, rrf_grid, "RRF grid k x w_dense x dense depth"), None))
    rows.append((*cross_validate(golds, qids, score_grid, "score fusion grid w_bm25"), None))
    n_unacc = sum(analyse_query(t).unaccented for t in acc_q)
    rows.append((f"product routing ({n_unacc} of {n} taken for unaccented)", metrics(routed(acc_q, B, Fu, D), golds),
                 None))
    table("ALQAC, accented queries", rows)

    # accents stripped: e5 collapses, so any dense weight hurts; the product routes to folded BM25 alone
    table("ALQAC, accents stripped (fold(query))", [
        ("bm25 folded +bigrams (BM25Store folded=True)", metrics([ids(f) for f in Fu], golds), tf),
        ("dense e5-small", metrics([ids(d) for d in Dfold], golds), tdf + tqf),
        (f"score fusion {FUSION_BM25}:{FUSION_DENSE}, folded bm25 + dense",
         metrics([sfuse(Fu[i], Dfold[i], FUSION_BM25, FUSION_DENSE) for i in range(n)], golds), None),
        (f"RRF k={RRF_K} 1:1, folded bm25 + dense", metrics([rfuse(Fu[i], Dfold[i], 1.0) for i in range(n)], golds),
         None),
        (f"product routing ({sum(analyse_query(t).unaccented for t in fold_q)} of {n} taken for unaccented)",
         metrics(routed(fold_q, [stores[q.corpus].search(fold_q[i], DEPTH) for i, q in enumerate(queries)], Fu, Dfold),
                 golds), None),
    ])


# ----------------------------------------------------------------------------------------------------
# Commune set
# ----------------------------------------------------------------------------------------------------

def run_commune(dense: bool, work: Path) -> None:
    units, qs = load_commune()
    n = len(qs)
    print(f"\n## Commune question set: {n} questions over {len(units)} sections "
          f"({len({u.source for u in units})} files)")
    golds = [{u.uid for u in units if unit_matches(q, u.source, u.section, u.dieu)} for q in qs]
    for q, g in zip(qs, golds):
        if not g:
            print(f"  WARNING: no section matches {q['id']} ({q['doc']}, dieu={q['dieu']}, section={q['section']})")
    corpus = commune_corpus(units)
    store = bm25_stores([corpus], work)["commune"]
    store1 = bm25_stores([corpus], work, heading_boost=1)["commune"]
    unaccented = [analyse_query(q["question"]).unaccented for q in qs]
    A = [store.search(q["question"], DEPTH) for q in qs]
    F = [store.search(q["question"], DEPTH, folded=True) for q in qs]
    bm25_routed = [F[i] if unaccented[i] else A[i] for i in range(n)]  # what retrieve() searches
    rows = [("bm25 accented +bigrams", metrics([ids(a) for a in A], golds), None),
            ("bm25 folded +bigrams", metrics([ids(f) for f in F], golds), None),
            ("bm25 routed (folded if unaccented)", metrics([ids(r) for r in bm25_routed], golds), None),
            ("bm25 routed, heading x1", metrics(
                [ids(store1.search(q["question"], DEPTH, folded=unaccented[i])) for i, q in enumerate(qs)], golds),
             None)]
    if dense:
        cache = VectorCache(get_embedder())
        count = token_counter(cache.embedder)
        qvecs = cache.queries([q["question"] for q in qs])
        for label, c in (("plain passages", corpus), ("document-named passages", titled(corpus, commune_records()))):
            di = DenseIndex(chunk_for_dense(c, count), cache)
            D = [di.search(qvecs[i]) for i in range(n)]
            # unaccented questions: folded BM25 alone (dense weight 0), as retrieve() does
            rrf_routed = [ids(F[i]) if unaccented[i] else rfuse(A[i], D[i], 1.0, depth=DEPTH) for i in range(n)]
            score_routed = routed([q["question"] for q in qs], A, F, D)
            rows += [(f"dense e5-small, {label}", metrics([ids(d) for d in D], golds), None),
                     (f"routed hybrid RRF k={RRF_K} 1:1, {label}", metrics(rrf_routed, golds), None),
                     (f"routed hybrid score {FUSION_BM25}:{FUSION_DENSE}, {label}"
                      + (" = product" if c is not corpus else ""), metrics(score_routed, golds), None)]
    table("Commune set, in-memory pipeline (decrees by Điều, report by section)", rows)


def run_product(data_dir: Path) -> None:
    """The product pipeline (`assistant.retrieval.retrieve`, k=10) on an index of the decrees and the seed
    report (data_dir is kept and reused: unchanged files are not ingested again)."""
    _, qs = load_commune()
    files = commune_files()
    print(f"\n(indexing {len(files)} files into {data_dir})", flush=True)
    index, t = timed(lambda: build_index(files, data_dir))
    print(f"(index ready in {t:.0f}s: {index.chunk_count()} chunks)", flush=True)
    rankings, golds = [], []
    t0 = time.perf_counter()
    for q in qs:
        hits = retrieve(q["question"], 10, index=index)
        keys = [f"h{i}" for i in range(len(hits))]
        rankings.append(keys)
        golds.append({key for key, h in zip(keys, hits)
                      if unit_matches(q, h.source, h.section, (h.meta or {}).get("dieu"))})
    rows = [(f"retrieve(q, 10): all ({len(qs)})", metrics(rankings, golds), time.perf_counter() - t0)]
    for kind in sorted({q["kind"] for q in qs}):
        idx = [i for i, q in enumerate(qs) if q["kind"] == kind]
        rows.append((f"  {kind} ({len(idx)})", metrics([rankings[i] for i in idx], [golds[i] for i in idx]), None))
    table("Commune set through assistant.retrieval.retrieve (index of the decrees + seed report)", rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--embed-only", action="store_true", help="only fill the vector cache")
    ap.add_argument("--no-dense", action="store_true", help="BM25 only (no embedder, no product pipeline)")
    ap.add_argument("--only", choices=["alqac", "commune", "product"], default=None)
    ap.add_argument("--data-dir", default=None, help="the product pipeline's index: kept here and reused "
                                                     "(default: a temporary directory)")
    args = ap.parse_args()
    if not ALQAC_DIR.is_dir() or not DECREES_DIR.is_dir():
        print(f"shared material not found under {ALQAC_DIR.parent} (set ASSISTANT_SHARED_DIR)")
        return 0
    if args.embed_only:
        embed_only()
        return 0
    t0 = time.time()
    work = Path(tempfile.mkdtemp(prefix="retrieval-eval-"))
    try:
        if args.only in (None, "alqac"):
            run_alqac(not args.no_dense, work)
        if args.only in (None, "commune"):
            run_commune(not args.no_dense, work)
        if args.only in (None, "product") and not args.no_dense:
            run_product(Path(args.data_dir) if args.data_dir else work / "index")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ntotal {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
