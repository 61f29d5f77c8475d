"""Fit retrieved sources into the model's prompt: the sentences that answer the request, not whole chunks.

A small model on two CPU cores reads about 90 prompt tokens a second (bench/draft_latency.py), so
six 1,000-character chunks cost 20 s before the first word appears. Packing keeps, within a
character budget, the sentences of the retrieved chunks that share the most (rare) words with the
request — weighted by the chunk's rank, preferring figures (above all, for "bao nhiêu X", figures
of X) — in document order, one piece per line, each with the lead-in line it sits under
("+ Quý I năm 2026:"). Gaps are not marked with "…": small models copy the mark into the draft.
bench/packing_eval.py measures whether the answer survives.
Sources that get nothing are dropped, so the markers [n] the model sees are the sources shown.
The full chunk stays on the Hit: verification and the sources panel use it.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .analyser import tokens
from .documents import Hit
from .figures import periods_compatible, periods_in
from .query import QUESTION_SYLLABLES
from .text import figures_with_units, sentence_cuts

GAP = "\n"
BLOCK_SEPARATOR = "\n\n"
MAX_SOURCE_CHARS = 1000  # a whole chunk's cap when nothing is packed
HEADING_MAX = 120  # a chunk's first line this short is its heading path: kept for context
LONG_UNIT = 200  # a longer sentence (a run-on list of figures) is split at ";"
CUT_AT = 320  # what is still longer (no ";", or a lead-in with its line) is cut to its best part
LEAD_IN_MAX = 120  # "+ Năm 2025:" says nothing alone: it is packed with the line it introduces
FIGURE_BONUS = 1.2  # report sections are built on figures
QUANTITY_BONUS = 2.0  # ... and "bao nhiêu" questions are answered by them,
COUNTED_BONUS = 2.0  # ... above all by a figure of the very thing asked about ("bao nhiêu người": "08 người")
BIGRAM_WEIGHT = 0.5
HEADING_WEIGHT = 0.3  # the section a sentence sits in counts a little towards it
LEAD_WEIGHT = 0.5  # ... and the lead-in line above it ("+ Quý I năm 2026:") a little more
SAME_HIT_DECAY = 0.7  # each further sentence from one chunk counts a little less: spread over sources
TITLE_MAX = 80
PERIOD_MATCH = 1.5   # a sentence of the period asked about …
PERIOD_OTHER = 0.3   # … and one of another period
MAX_CANDIDATES_PER_HIT = 24

# A figure counts something ("08 người", "69,2%"); one followed by these is part of a date.
_NOT_QUANTITY = frozenset({"năm", "tháng", "ngày"})
_ASKS_QUANTITY = re.compile(r"\b(?:bao nhiêu|mấy|số lượng|tổng số|bao nhieu|so luong|tong so)\b", re.IGNORECASE)
# "bao nhiêu người", "mấy việc": what is being counted; a sentence counting it is the answer.
_COUNTED = re.compile(r"\b(?:bao nhiêu|mấy|bao nhieu)\s+([^\W\d_]+)", re.IGNORECASE)
_CLAUSE = re.compile(r"(?<=;)\s+")


@dataclass
class _Unit:
    hit: int  # position of the hit in the retrieved list
    order: int  # position inside the hit
    start: int
    end: int
    text: str
    score: float = 0.0
    lead: bool = False  # a lead-in line ("+ Năm 2025:") standing in for the sentence that holds it
    other_period: bool = False  # of another period than the one the question asks about


def _spans(text: str) -> list[tuple[int, int]]:
    """Line and sentence spans (chunking's sentence ends); a long one split further at ";" (but a
    short list of figures, "khai sinh 236 việc; khai tử 98 việc", stays whole)."""
    spans, pos = [], 0
    for line in text.split("\n"):
        start = pos
        for cut in sentence_cuts(line):
            spans.append((start, pos + cut))
            start = pos + cut
        spans.append((start, pos + len(line)))
        pos += len(line) + 1
    out = []
    for s, e in spans:
        if e - s <= LONG_UNIT:
            out.append((s, e))
            continue
        p = s
        for m in _CLAUSE.finditer(text, s, e):
            out.append((p, m.start()))
            p = m.end()
        out.append((p, e))
    out = [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in out]  # no leading spaces
    return [(s, e) for s, e in out if text[s:e].strip()]


def _units(text: str, hit: int) -> list[_Unit]:
    spans = _spans(text)
    merged: list[tuple[int, int]] = []
    for s, e in spans:  # a short lead-in ending in ":" goes with what follows it
        if merged and text[merged[-1][0]:merged[-1][1]].rstrip().endswith(":") \
                and merged[-1][1] - merged[-1][0] <= LEAD_IN_MAX and len(merged) > 1:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return [_Unit(hit, i, s, e, text[s:e]) for i, (s, e) in enumerate(merged)]


def _leads(units_by_hit: list[list[_Unit]]) -> dict[int, _Unit]:
    """For each sentence, the last lead-in line before it in its chunk ("+ Quý I năm 2026:"): the
    period or subject its figures belong to. Keyed by id(sentence); the value is the line alone."""
    out: dict[int, _Unit] = {}
    for us in units_by_hit:
        current = None
        for u in us:
            lines = u.text.split("\n")
            own, pos = None, u.start
            for line in lines[:-1] if len(lines) > 1 else lines:
                if line.rstrip().endswith(":") and len(line.strip()) <= LEAD_IN_MAX:
                    own = _Unit(u.hit, u.order, pos, pos + len(line), line.strip(), lead=True)
                pos += len(line) + 1
            if own is None and current is not None:
                out[id(u)] = current  # (a sentence that opens with its own lead-in needs no other)
            current = own or current
    return out


def _period_factor(asked: str | None, u: _Unit, lead: _Unit | None, head: _Unit | None) -> float:
    """For a question about a period ("… quý I năm 2026?"): a sentence whose own period (stated in it,
    else in its lead-in line, else in its heading) is that period counts more, one of another period
    much less — the figures of two periods often sit side by side."""
    if asked is None:
        return 1.0
    for text in (u.text, lead.text if lead else "", head.text if head else ""):
        found = periods_in(text)
        if found:
            own = found[0].group(0)
            return PERIOD_MATCH if periods_compatible(asked, own) else PERIOD_OTHER
    return 1.0


def _terms(text: str) -> set[str]:
    return set(tokens(text))


def _cut(text: str, terms: set[str], budget: int) -> str:
    """The window of `budget` characters of a long unit holding the most query terms, ending at a
    clause boundary ("," ";") when one is near, else at a space."""
    if len(text) <= budget:
        return text
    step = max(40, budget // 4)
    best, best_at = -1, 0
    for at in range(0, len(text) - budget + step, step):
        n = len(_terms(text[at:at + budget]) & terms)
        if n > best:
            best, best_at = n, at
    s, e = best_at, min(len(text), best_at + budget)
    if s > 0:  # start after a clause boundary or a space
        k = max(text.rfind(", ", s, s + budget // 3), text.rfind("; ", s, s + budget // 3))
        s = k + 2 if k >= 0 else (text.find(" ", s) + 1 or s)
    if e < len(text):
        k = max(text.rfind(",", s, e), text.rfind(";", s, e))
        e = k + 1 if k > s + budget // 2 else (text.rfind(" ", s, e) if text.rfind(" ", s, e) > s else e)
    return text[s:e].strip()


def _label(h: Hit, earlier: dict[str, int]) -> str:
    """What the model is told a source is: its number, title, whose report (the unit), page, section."""
    doc = h.number
    if h.doc_id in earlier:  # the same document again: say so instead of repeating its long title
        what = f"cùng văn bản với nguồn {earlier[h.doc_id]}"
    else:
        what = h.title if len(h.title) <= TITLE_MAX else h.title[:TITLE_MAX].rsplit(" ", 1)[0] + "…"
    # The section path is left out when the excerpt starts with the chunk's own heading line.
    section = "" if h.meta.get("excerpt", "").startswith(h.text.split("\n", 1)[0]) else h.section
    unit = f"của {h.meta['unit']}" if h.meta.get("unit") and h.doc_id not in earlier else ""
    return " — ".join(x for x in (doc, what, unit, f"trang {h.page}" if h.page else "", section) if x)


def _fenced(i: int, label: str, body: str) -> str:
    body = body.replace("<<<", "‹‹‹").replace(">>>", "›››")
    return f"<<<NGUỒN {i}>>> ({label})\n{body}\n<<<HẾT NGUỒN {i}>>>"


def format_sources(hits: list[Hit]) -> str:
    """Retrieved text is data: each source is fenced so instructions inside it read as quoted material.

    The body is the packed excerpt when there is one (see `pack`), else the chunk up to
    MAX_SOURCE_CHARS; the label says whose report it is, so figures keep their unit.
    """
    blocks, earlier = [], {}
    for i, h in enumerate(hits, 1):
        body = h.meta.get("excerpt") or h.text[:MAX_SOURCE_CHARS]
        blocks.append(_fenced(i, _label(h, earlier), body))
        earlier.setdefault(h.doc_id, i)
    return BLOCK_SEPARATOR.join(blocks)


def pack(hits: list[Hit], query: str, budget: int, idf: Mapping[str, float] | None = None) -> list[Hit]:
    """The hits that fit `budget` characters of prompt (labels and fences included), each with
    `meta["excerpt"]` set. budget <= 0 means no packing: every hit, whole.

    `idf` weighs the query's terms (the index's own statistics, `BM25Store.idf`); for terms it
    lacks, the candidate sentences themselves are the corpus.
    """
    if budget <= 0 or not hits:
        return list(hits)
    units_by_hit = [_units(h.text, i) for i, h in enumerate(hits)]
    # A chunk's short first line is its heading path: context for the sentences under it, never
    # a candidate on its own (a heading alone tells the model nothing).
    heads = [us[0] if len(us) > 1 and len(us[0].text) <= HEADING_MAX else None for us in units_by_hit]
    units = [u for us in units_by_hit for u in us if u is not heads[u.hit]]
    if not units:
        return list(hits)
    q = {t for t in _terms(query) if t.split("_")[0] not in QUESTION_SYLLABLES}
    unit_terms = [_terms(u.text) for u in units]
    head_terms = [_terms(h.text) & q if h else set() for h in heads]
    leads = _leads(units_by_hit)
    lead_terms = {id(u): _terms(lead.text) & q for u in units if (lead := leads.get(id(u)))}
    df: dict[str, int] = {}
    for ts in unit_terms:
        for t in ts & q:
            df[t] = df.get(t, 0) + 1
    n = len(units)
    # The index's statistics where it has them, the candidates' own for terms it does not know.
    idf = {**{t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}, **(idf or {})}

    def weight(terms: set[str]) -> float:
        # A syllable pair ("xã_đã") is rarer than its syllables but says little more: half weight.
        return sum(idf.get(t, 0.0) * (BIGRAM_WEIGHT if "_" in t else 1.0) for t in terms)

    figure_bonus = QUANTITY_BONUS if _ASKS_QUANTITY.search(query) else FIGURE_BONUS
    asked = periods_in(query)
    asked_period = asked[0].group(0) if asked else None
    counted = _COUNTED.search(query)
    counted = counted.group(1).lower() if counted else None
    for u, ts in zip(units, unit_terms):
        units_counted = {unit for _, unit in figures_with_units(u.text) if unit and unit not in _NOT_QUANTITY}
        matched = (weight(ts & q) + HEADING_WEIGHT * weight(head_terms[u.hit])
                   + LEAD_WEIGHT * weight(lead_terms.get(id(u), set())))
        # Dense information beats length; better-ranked hits and sentences with figures are preferred
        # (much preferred when the question asks "bao nhiêu").
        u.score = (matched / math.sqrt(1 + len(u.text) / 200) / (1 + 0.1 * u.hit)
                   * (figure_bonus if units_counted else 1.0)
                   * (COUNTED_BONUS if counted in units_counted else 1.0)
                   * _period_factor(asked_period, u, leads.get(id(u)), heads[u.hit]))
        u.other_period = _period_factor(asked_period, u, leads.get(id(u)), heads[u.hit]) == PERIOD_OTHER

    # What a source block costs besides its sentences, at most: label (either form), fences and the
    # blank line between blocks.
    overhead = [max(len(_label(h, seen)) for seen in ({}, {h.doc_id: 99}))
                + len(_fenced(i + 1, "", "")) + len(BLOCK_SEPARATOR) for i, h in enumerate(hits)]
    chosen: dict[int, list[_Unit]] = {}
    used = 0

    def lead_needed(u: _Unit) -> _Unit | None:
        lead = leads.get(id(u))
        if lead is None or any(x.order == lead.order for x in chosen.get(u.hit, ())):
            return None
        return lead

    def cost(u: _Unit, text_len: int) -> int:
        lead = lead_needed(u)
        extra = len(lead.text) + len(GAP) if lead else 0
        if u.hit in chosen:
            return text_len + len(GAP) + extra
        head = heads[u.hit]
        return text_len + overhead[u.hit] + (len(head.text) + 1 if head else 0) + extra

    def take(u: _Unit, text: str) -> None:
        nonlocal used
        used += cost(u, len(text))
        lead = lead_needed(u)
        if u.hit not in chosen:
            chosen[u.hit] = [heads[u.hit]] if heads[u.hit] else []
        if lead is not None:  # the "+ Quý I năm 2026:" a figure belongs to goes with it
            chosen[u.hit].append(lead)
        u.text = text
        chosen[u.hit].append(u)

    key = lambda u: (-u.score, u.hit, u.order)  # noqa: E731
    # Only each chunk's best few sentences compete: the greedy below is quadratic in candidates.
    per_hit: dict[int, list[_Unit]] = {}
    for u in sorted(units, key=key):
        if len(per_hit.setdefault(u.hit, [])) < MAX_CANDIDATES_PER_HIT:
            per_hit[u.hit].append(u)
    units = [u for us in per_hit.values() for u in us]
    # The best sentence always goes in, cut to fit when it is very long.
    first = min(units, key=key)
    take(first, _cut(first.text, q, max(80, min(CUT_AT, budget - cost(first, 0)))))
    # Sentences of another period than the one asked about stay out: beside the right period's
    # figures, a small model takes the wrong ones as often as not.
    left = [u for u in units if u is not first and u.score > 0 and not u.other_period]
    # Then, while room is left, the opening sentences of the best-ranked chunks: a chunk found by
    # meaning alone shares no words with the request, yet the retriever judged it relevant.
    filler = sorted((u for u in units if u is not first and u.score <= 0 and not u.other_period),
                    key=lambda u: (u.hit + u.order, u.hit))

    def priority(u: _Unit) -> float:
        # Greedy by value per character of prompt: opening a new source costs its label, fences and
        # heading; a source's sentences count a little less as it gets more of the budget.
        taken = sum(1 for x in chosen.get(u.hit, ()) if x is not heads[u.hit])
        n = min(len(u.text), CUT_AT)
        return u.score * SAME_HIT_DECAY ** taken * n / cost(u, n)

    while left:
        best = max(left, key=lambda u: (priority(u), -u.hit, -u.order))
        left.remove(best)
        text = _cut(best.text, q, CUT_AT)
        if used + cost(best, len(text)) <= budget:
            take(best, text)
    for u in filler:
        text = _cut(u.text, q, CUT_AT)
        if used + cost(u, len(text)) <= budget:
            take(u, text)

    out = []
    for i in sorted(chosen):
        # A lead line is dropped when the sentence that holds it was chosen too (it is in there).
        whole = {u.order for u in chosen[i] if not u.lead}
        parts = sorted((u for u in chosen[i] if not (u.lead and u.order in whole)), key=lambda u: (u.order, not u.lead))
        excerpt, prev = "", None
        for u in parts:
            if prev is not None:
                sep = hits[i].text[prev.end:u.start]
                excerpt += GAP if u.order != prev.order + 1 or "\n" in sep else " "
            excerpt += u.text.strip()
            prev = u
        out.append(replace(hits[i], meta={**hits[i].meta, "excerpt": excerpt}))
    return out
