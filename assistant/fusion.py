"""Reciprocal rank fusion of ranked id lists (BM25, dense, ...)."""
from __future__ import annotations


def rrf(rankings: list[list[str]], weights: list[float] | None = None, k: int = 60) -> list[tuple[str, float]]:
    """Fuse rankings: score(d) = sum_i w_i / (k + rank_i(d)), ranks from 1. Best first.

    A list with weight 0 is ignored (its ids do not enter the result). Within one list only the first
    occurrence of an id counts. Ties keep the order in which ids were first met (list by list), so the
    result is deterministic.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("rrf: one weight per ranking")
    if k < 0:
        raise ValueError("rrf: k must be >= 0")
    scores: dict[str, float] = {}
    for ranking, w in zip(rankings, weights):
        if w < 0:
            raise ValueError("rrf: weights must be >= 0")
        if w == 0:
            continue
        seen: set[str] = set()
        rank = 0
        for doc in ranking:
            if doc in seen:
                continue
            seen.add(doc)
            rank += 1
            scores[doc] = scores.get(doc, 0.0) + w / (k + rank)
    order = {d: i for i, d in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def score_fusion(scored: list[list[tuple[str, float]]], weights: list[float] | None = None
                 ) -> list[tuple[str, float]]:
    """Fuse scored rankings: score(d) = sum_i w_i * norm_i(d), best first.

    norm_i min-max scales list i's own scores to [0, 1] (its best 1, its last 0; all 1 when the scores
    are equal); an id missing from a list gets 0 from it. Unlike RRF this keeps how far ahead a
    retriever's leader is (bench/retrieval_eval.py: ALQAC 2023, held-out halves). Weight 0 ignores a
    list, only the first occurrence of an id in a list counts, ties keep first-met order.
    """
    if weights is None:
        weights = [1.0] * len(scored)
    if len(weights) != len(scored):
        raise ValueError("score_fusion: one weight per ranking")
    scores: dict[str, float] = {}
    for ranking, w in zip(scored, weights):
        if w < 0:
            raise ValueError("score_fusion: weights must be >= 0")
        if w == 0 or not ranking:
            continue
        first: dict[str, float] = {}
        for doc, s in ranking:
            first.setdefault(doc, float(s))
        lo, hi = min(first.values()), max(first.values())
        span = hi - lo
        for doc, s in first.items():
            scores[doc] = scores.get(doc, 0.0) + w * ((s - lo) / span if span > 1e-12 else 1.0)
    order = {d: i for i, d in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
