"""Citations in a draft are written from the registry, whatever the model typed.

Small models copy citations from their sources, and sources are sometimes wrong (another decree's
title, "Nghị định số Nghị định số"). A document that is both among the draft's sources and in the
registry is written the registry's way — full on its first mention in the section, short after
(Nghị định 30/2020, Phụ lục I) — and anything else is left for verification to flag.
"""
from __future__ import annotations

from ..citations import Registry, check_text, format_citation
from ..citations.patterns import RULES
from ..documents import Hit
from ..verify import source_numbers


def fix_repeated_words(text: str) -> str:
    """Mechanical slips a model copies from its sources ("năm năm 2025", "Nghị định số Nghị định
    số"), written once, as the checker suggests."""
    result = check_text(text)
    for f in sorted((f for f in result.findings if f.code == "duplicate-phrase" and f.suggestion),
                    key=lambda f: f.start, reverse=True):
        text = text[:f.start] + f.suggestion + text[f.end:]
    return text


def canonical_citations(text: str, hits: list[Hit], registry: Registry, seen: set[str] | None = None) -> str:
    """`text` with every citation of a known source document rewritten from the registry. `seen`
    holds the numbers already cited in full earlier in the section (updated in place)."""
    seen = set() if seen is None else seen
    known = source_numbers(hits)
    result = check_text(text)
    doubled = [(f.start, f.end) for f in result.findings if f.code == "duplicate-phrase"]
    wrong_titles = [(f.start, f.end) for f in result.findings if f.code == "title-mismatch"]
    edits = []
    for c in sorted(result.citations, key=lambda c: c.start):
        entry = registry.lookup(c.number) if c.number and c.number in known else None
        if entry is None or (c.doc_type and entry.doc_type and c.doc_type != entry.doc_type):
            continue
        start = min([s for s, e in doubled if s < c.start < e] + [c.start])
        # Type, number, date and issuer are always rewritten; what follows is the model's own words
        # unless it is plainly a trích yếu: one that matches, or a wrong one opening like a title.
        end = max(e for _, e in filter(None, (c.number_span, c.date_span, c.issuer_span, (c.start, c.start))))
        first = entry.number not in seen
        if c.title_span:
            title = text[c.title_span[0]:c.title_span[1]].lower()
            wrong = any(s < c.title_span[1] and c.title_span[0] < e for s, e in wrong_titles)
            if not wrong or title.startswith(tuple(RULES["title_starters_certain"])):
                end = c.title_span[1]
        edits.append((start, end, format_citation(entry, first=first)))
        seen.add(entry.number)
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text
