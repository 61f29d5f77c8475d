"""Draft a report section from retrieved sources.

The model refers to documents only by placeholder ({{VB n}}) and to claims by marker ([n]); the
system writes each citation from registry facts — full form on first mention, short form after
(Nghị định 30/2020) — and then verifies the whole text with the citation engine.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from . import llm, prompts
from .answering import Answer, prompt_hits, source_entries, stream_reply
from .citations import format_citation
from .citations.patterns import RULES
from .documents import Hit
from .packing import format_sources
from .retrieval import retrieve
from .verify import mark_unverified, strip_fences, verify_generated

# Findings the model is asked to fix once: invented documents, citations or figures not in the sources.
REPAIRABLE = {"unknown-document", "unsupported-claim", "future-date", "date-mismatch", "title-mismatch"}
_PLACEHOLDER = re.compile(r"\{\{?\s*VB\s*(\d{1,2})\s*\}?\}")
DRAFT_K = 6
CHARS_PER_TOKEN = 3.0  # measured: 6,000 characters of the seed report = 1,930 Qwen2.5 tokens (llama.cpp)
DRAFT_MAX_TOKENS = 700  # about 400 Vietnamese words: a section, and a bound on a looping small model


def _registry_entries(hits: list[Hit], registry) -> dict[int, object]:
    """Source position → registry entry for the document it comes from (when the registry knows it)."""
    out = {}
    for i, h in enumerate(hits, 1):
        entry = registry.lookup(h.number) if h.number else None
        if entry is not None:
            out[i] = entry
    return out


def repair_budget(draft: str) -> int:
    """Tokens allowed for the repaired draft: about the draft's own length (a repair rewrites a few
    words, not the section), so a small model that starts looping stops early."""
    return min(DRAFT_MAX_TOKENS, int(len(draft) / CHARS_PER_TOKEN * 1.3) + 48)


_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|và)\s*")


def fill_citations(text: str, hits: list[Hit], entries: dict[int, object]) -> str:
    """Replace {{VB n}} with the registry's citation: full the first time a document appears, short after.

    Sources are chunks, so several can come from one document; "{{VB 1}}, {{VB 2}}" naming the
    same document twice in a row is written once.
    """
    seen: set[str] = set()
    out, pos, last = [], 0, None  # last: (document number, end of its placeholder in text)
    for m in _PLACEHOLDER.finditer(text):
        n = int(m.group(1))
        entry = entries.get(n)
        between = text[pos:m.start()]
        if entry is not None and last and last[0] == entry.number and last[1] == pos \
                and _LIST_SEPARATOR.fullmatch(between):
            pos = m.end()  # the same document again, right after itself: drop it and its separator
            last = (entry.number, pos)
            continue
        out.append(between)
        if entry is None:
            h = hits[n - 1] if 1 <= n <= len(hits) else None
            out.append((h.title or "văn bản nguồn") + f" [{n}]" if h else m.group(0))
            last = None
        else:
            out.append(format_citation(entry, first=entry.number not in seen))
            seen.add(entry.number)
            last = (entry.number, m.end())
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def canonical_citations(text: str, hits: list[Hit], registry) -> str:
    """Rewrite every citation of a document the sources mention from the registry's facts.

    The model is asked to write {{VB n}}, but small models copy citations from the sources, and
    sources are sometimes wrong (another decree's title, "Nghị định số Nghị định số"). Whatever it
    typed, a document that is both in the sources and in the registry is written the registry's way:
    full on first mention, short after. Anything else is left for verification to flag.
    """
    from .citations import check_text
    from .verify import source_numbers

    known = source_numbers(hits)
    result = check_text(text)
    doubled = [(f.start, f.end) for f in result.findings if f.code == "duplicate-phrase"]
    wrong_titles = [(f.start, f.end) for f in result.findings if f.code == "title-mismatch"]
    edits, seen = [], set()
    for c in sorted(result.citations, key=lambda c: c.start):
        entry = registry.lookup(c.number) if c.number and c.number in known else None
        if entry is None or (c.doc_type and entry.doc_type and c.doc_type != entry.doc_type):
            continue
        start = min([s for s, e in doubled if s < c.start < e] + [c.start])
        # Type, number, date and issuer are always rewritten; what follows is the model's own words
        # unless it is plainly a trích yếu: one that matches, or a wrong one opening like a title.
        end = max(e for _, e in filter(None, (c.number_span, c.date_span, c.issuer_span, (c.start, c.start))))
        first = entry.number not in seen
        if first and c.title_span:
            title = text[c.title_span[0]:c.title_span[1]].lower()
            wrong = any(s < c.title_span[1] and c.title_span[0] < e for s, e in wrong_titles)
            if not wrong or title.startswith(tuple(RULES["title_starters_certain"])):
                end = c.title_span[1]
        edits.append((start, end, format_citation(entry, first=first)))
        seen.add(entry.number)
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text


_HEADING_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?[ \t]+(?=\S)")


def heading_as_requested(text: str, request: str) -> str:
    """Drop an outline number from the first line that the request did not give (small models copy
    the worked example's "2.4."); the user's own numbering is kept."""
    m = _HEADING_NUMBER.match(text)
    if m and not re.search(rf"(?<![\d.]){re.escape(m.group(1))}(?![\d])", request):
        return text[m.end():]
    return text


def _context(report_date: date | None, unit: str | None) -> str:
    lines = []
    if unit:
        lines.append(f"Đơn vị báo cáo: {unit}.")
    if report_date:
        lines.append(f"Ngày báo cáo: {report_date.strftime('%d/%m/%Y')}.")
    return "".join(line + "\n" for line in lines)


def _findings(text: str, hits: list[Hit], report_date: date | None) -> list[dict]:
    findings, _ = verify_generated(text, hits, require_markers=True)
    if report_date:  # a cited document dated after the report is wrong in a draft too
        from .citations import check_text
        from .verify import as_dict

        findings += [as_dict(f) for f in check_text(text, report_date=report_date).findings
                     if f.code == "future-date"]
    return findings


def draft_stream(request: str, report_date: date | None = None, unit: str | None = None,
                 filters: dict | None = None) -> Iterator[tuple[str, Answer]]:
    answer = Answer()
    hits = prompt_hits(request, retrieve(request, DRAFT_K, filters))
    answer.hits = hits
    answer.sources = source_entries(hits)
    yield "sources", answer
    if not hits:
        answer.text = "Không tìm thấy tài liệu liên quan để soạn mục này. Hãy nạp văn bản, báo cáo liên quan trước."
        yield "done", answer
        return
    from .index import registry_with_corpus

    registry = registry_with_corpus()
    entries = _registry_entries(hits, registry)
    messages = prompts.messages("draft", context=_context(report_date, unit),
                                sources=format_sources(hits, placeholders=True), request=request)
    raw = yield from stream_reply(answer, messages, DRAFT_MAX_TOKENS,
                                  render=lambda raw: fill_citations(raw, hits, entries))
    if answer.error:
        return
    raw = strip_fences(raw)
    text = canonical_citations(fill_citations(raw.strip(), hits, entries), hits, registry)
    problems = [f for f in _findings(text, hits, report_date) if f["code"] in REPAIRABLE and f["severity"] != "info"]
    if problems:
        # One repair attempt: the model sees exactly what failed; whatever still fails stays marked.
        yield "repair", answer
        try:
            repaired = llm.complete(prompts.messages(
                "draft_repair", draft=raw.strip(), problems="\n".join(f'- "{f["text"]}": {f["message"]}' for f in problems),
                documents=", ".join(f"{{{{VB {n}}}}}" for n in sorted(entries)) or "(không có)"),
                max_tokens=repair_budget(raw))
        except llm.LLMUnavailable:
            repaired = ""
        if repaired.strip():
            candidate = canonical_citations(fill_citations(strip_fences(repaired).strip(), hits, entries), hits, registry)
            still = [f for f in _findings(candidate, hits, report_date) if f["code"] in REPAIRABLE and f["severity"] != "info"]
            if len(still) < len(problems):
                text = candidate
    text = heading_as_requested(text, request)
    answer.text = mark_unverified(text, _findings(text, hits, report_date))
    answer.findings = _findings(answer.text, hits, report_date)  # offsets into the text shown
    yield "done", answer


def draft(request: str, report_date: date | None = None, unit: str | None = None,
          filters: dict | None = None) -> Answer:
    answer = Answer()
    for _, answer in draft_stream(request, report_date, unit, filters):
        pass
    return answer
