"""Hybrid retrieval: BM25 (accented or folded) + dense (Chroma) fused by min-max score (reciprocal rank
with ASSISTANT_FUSION=rrf), with metadata filters and exact document-number lookup.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .config import get_settings
from .documents import Hit
from .fusion import rrf, score_fusion
from .index import Index, get_index
from .query import analyse_query
from .text import fold
from .units import Unit, is_legal_text, record_unit, same_unit, unit_in

# Unaccented queries: dense e5 vectors collapse on them (ALQAC MRR@10 0.848 → 0.021) and any dense
# weight hurts the fused result (bench/retrieval_eval.py), so they are served by folded BM25 alone.
UNACCENTED_DENSE_WEIGHT = 0.0
FUSION_BM25, FUSION_DENSE = 0.6, 0.4


@dataclass
class Filters:
    kind: list[str] | None = None
    year_from: int | None = None
    year_to: int | None = None
    issuer: str | None = None
    doc_ids: list[str] | None = None
    # Whose documents: with `unit`, reports of other units are left out (legal texts serve everyone);
    # scope "legal" keeps legal texts only, "unit" the unit's own documents only.
    unit: str | None = None
    scope: str = "all"  # all | legal | unit
    until: date | None = None  # documents dated on or before this day (undated ones too)

    @classmethod
    def from_dict(cls, d: dict | None) -> Filters:
        d = dict(d or {})
        year = d.pop("year", None)
        if isinstance(year, (list, tuple)):
            d["year_from"], d["year_to"] = year
        elif year is not None:
            d["year_from"] = d["year_to"] = int(year)
        kind = d.get("kind")
        if isinstance(kind, str):
            d["kind"] = [kind]
        return cls(**d)

    @property
    def active(self) -> bool:
        return self.scope != "all" or any(v is not None for v in (self.kind, self.year_from, self.year_to,
                                                                   self.issuer, self.doc_ids, self.unit, self.until))


def _norm(s: str | None) -> str:
    return fold(s or "").strip()


def allowed_doc_ids(index: Index, f: Filters) -> set[str] | None:
    if not f.active:
        return None
    out = set()
    kinds = {_norm(k) for k in f.kind} if f.kind else None
    wanted = unit_in(f.unit) if f.unit else None
    for rec in index.documents():
        if f.doc_ids is not None and rec.doc_id not in f.doc_ids:
            continue
        if kinds is not None and _norm(rec.kind) not in kinds:
            continue
        if f.year_from is not None and (rec.year is None or rec.year < f.year_from):
            continue
        if f.year_to is not None and (rec.year is None or rec.year > f.year_to):
            continue
        if f.issuer and _norm(f.issuer) not in _norm(rec.issuer):
            continue
        if not _in_scope(rec, f, wanted):
            continue
        if f.until is not None and rec.date and rec.date > f.until.isoformat():
            continue
        out.add(rec.doc_id)
    return out


def _in_scope(rec, f: Filters, wanted: Unit | None) -> bool:
    legal = is_legal_text(rec.kind)
    if f.scope == "legal":
        return legal
    if legal:
        return f.scope != "unit"
    if wanted is None:
        return f.scope != "unit"
    return same_unit(record_unit(rec), wanted)


def _named_documents(index: Index, refs: list) -> list[str]:
    """Documents whose số/ký hiệu the query names: in full ("120/2025/NĐ-CP") or in part ("Nghị định 120")."""
    if not refs:
        return []
    found = []
    for rec in index.documents():
        if not rec.number:
            continue
        have = rec.number.upper()
        for ref in refs:
            n = ref.number.upper()
            if ref.partial and ref.type and rec.kind and _norm(ref.type) != _norm(rec.kind):
                continue
            if have == n or (ref.partial and (have.startswith(n + "/") or have.split("/")[0].split("-")[0] == n)):
                found.append(rec.doc_id)
                break
    return found


def retrieve(query: str, k: int | None = None, filters: dict | Filters | None = None, *,
             index: Index | None = None) -> list[Hit]:
    settings = get_settings()
    index = index or get_index()
    k = k or settings.top_k
    f = filters if isinstance(filters, Filters) else Filters.from_dict(filters)
    info = analyse_query(query)
    allowed_docs = allowed_doc_ids(index, f)
    complete = index.complete_doc_ids()
    if allowed_docs is not None:
        complete &= allowed_docs
    if not complete:
        return []
    allowed_chunks = index.chunk_ids_for(complete) if allowed_docs is not None else None
    depth = max(k * 4, 20)

    bm25 = index.bm25.search(query, depth, folded=info.unaccented, allowed=allowed_chunks)
    where = {"doc_id": {"$in": sorted(complete)}} if allowed_docs is not None else None
    dense = index.dense_search(query, depth, where=where)
    dense = [(i, s) for i, s in dense if i.split(":")[0] in complete]
    dense_score = dict(dense)
    bm25_score = dict(bm25)

    w_dense = settings.weight_dense * (UNACCENTED_DENSE_WEIGHT if info.unaccented else 1.0)
    if settings.fusion == "rrf":
        fused = rrf([[i for i, _ in bm25], [i for i, _ in dense]], [settings.weight_bm25, w_dense], k=settings.rrf_k)
    else:  # min-max score fusion 0.6 : 0.4 (bench/retrieval_eval.py: ALQAC held-out 0.901 vs RRF 0.897)
        fused = score_fusion([bm25, dense], [FUSION_BM25 * settings.weight_bm25, FUSION_DENSE * w_dense])

    # A query that names a document puts that document's chunks (and the named Điều) first.
    pinned: list[str] = []
    named = [d for d in _named_documents(index, info.refs) if d in complete]
    if named:
        named_chunks = index.chunk_ids_for(named)
        ranked = [i for i, _ in index.bm25.search(query, depth, folded=info.unaccented, allowed=named_chunks)]
        ranked += sorted(named_chunks - set(ranked))
        if info.dieu:
            metas = index.get_chunks(ranked)
            ranked.sort(key=lambda i: 0 if str(metas.get(i, ("", {}))[1].get("dieu", "")) == info.dieu else 1)
        pinned = ranked[:k]

    order = pinned + [i for i, _ in fused if i not in set(pinned)]
    # Rank fusion can push a retriever's clear winner below chunks both lists merely agree on;
    # the best lexical and the best dense match always stay in the answer's sources.
    for best in ([bm25[0][0]] if bm25 else []) + ([dense[0][0]] if dense and w_dense > 0 else []):
        if best not in order[:k] and k > 1:
            order.remove(best)
            order.insert(k - 1, best)
    order = order[:k]
    fused_score = dict(fused)
    chunks = index.get_chunks(order)
    records = index.records_by_id()
    hits = []
    for rank, cid in enumerate(order):
        if cid not in chunks:
            continue
        text, meta = chunks[cid]
        rec = records.get(meta.get("doc_id", cid.split(":")[0]))
        unit = record_unit(rec) if rec is not None else None
        if unit is not None:
            meta = {**meta, "unit": unit.name, "unit_key": unit.key}
            period = (getattr(rec, "meta", None) or {}).get("period")
            if period:
                meta["period"] = period
        hits.append(Hit(
            doc_id=meta.get("doc_id", cid.split(":")[0]), source=meta.get("source", ""),
            title=meta.get("title", ""), number=meta.get("number", ""), page=meta.get("page"),
            section=meta.get("section", ""), score=round(fused_score.get(cid, 1.0 if cid in pinned else 0.0), 6),
            text=text,
            meta={**meta, "chunk_id": cid, "dense": dense_score.get(cid), "bm25": bm25_score.get(cid),
                  "pinned": cid in pinned, "rank": rank + 1},
        ))
    return hits


def hit_to_dict(h: Hit) -> dict:
    """The contract's `search --json` hit shape."""
    return {"doc_id": h.doc_id, "source": h.source, "title": h.title, "number": h.number, "page": h.page,
            "section": h.section, "score": h.score, "text": h.text}
