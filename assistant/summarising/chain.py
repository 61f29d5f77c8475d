"""The summary job as a LangChain runnable: load → extract → overview (map/reduce: prompt → chat
model) → verify → compare → render, yielding `Event`s.

Everything a clerk reuses is read from the report itself (figures as records, each section's
substance, copied with section and page). The model only shortens: it writes an overview of a
digest of that extracted material (the main figures, the first difficulties, causes, tasks and
recommendations) — one part for a typical report, so one call; a longer digest is mapped part by
part and reduced once. Its prose is verified against the report and a figure it did not copy is
marked. A report without recognisable structure is mapped from its own text. With a second report,
the same indicators are set side by side.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from langchain_core.runnables import RunnableGenerator, RunnableLambda

from .. import llm, prompts
from ..answers import Answer, Event
from ..documents import Chunk, Document, Hit
from ..errors import LLMUnavailable
from ..replies import strip_scaffolding
from ..verify import mark_unverified, verify_generated
from .compare import compare_summaries, own_figures
from .extract import Summary, body_of, extract, load_target, read_summary
from .render import people_dates, render
from .sections import SECTION_KINDS

MAP_CHARS = 2400        # one part of the extracted material given to the model (a typical report: one part)
RAW_MAP_CHARS = 2400    # one part of a report's own text, when nothing could be extracted
MAX_MAP_PARTS = 3
MAP_TOKENS = 200
OVERVIEW_TOKENS = 220
ITEM_WORDS = 18         # an item is cut to this many words in the model's input
MAP_FIGURES = 10        # figures given to the model, the report's own period first
MAP_ITEMS = 3           # difficulties, causes, tasks, recommendations given to the model, each
_CUT_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}[.,]$")


def _whole_sentences(text: str) -> str:
    """Drop a sentence cut off by the token limit (and echoed delimiters)."""
    text = strip_scaffolding(text).strip()
    # "… khoảng 1." is a number cut in the middle ("1.150"), not the end of a sentence; "năm 2020."
    # is a sentence end (four digits cannot open a grouped number).
    if text and (text[-1] not in ".!?…)" or _CUT_NUMBER.search(text)):
        cut = max(text.rfind(". "), text.rfind(".\n"))
        text = text[:cut + 1] if cut > 0 else text
    return text


def _short(text: str, words: int = ITEM_WORDS) -> str:
    w = text.split()
    return text if len(w) <= words else " ".join(w[:words]) + " …"


def _pack(title: str, lines: list[str], limit: int) -> str:
    out, size = [title], len(title)
    for line in lines:
        if size + len(line) + 1 > limit:
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out) if len(out) > 1 else ""


def map_parts(s: Summary, hits: list[Hit]) -> list[str]:
    """What the model shortens: a digest of the extracted material (the main figures, the first
    difficulties, causes, tasks and recommendations), in as few parts of MAP_CHARS as it fits — one
    for a typical report; the report's own text when nothing was extracted."""
    own = own_figures(s)
    others = [r for r in s.figures if r not in own and s.section_kinds.get(r.section) not in SECTION_KINDS]
    lines = [f"- {r.line()}" for r in (own + others)[:MAP_FIGURES]]
    lines += [f"- Khó khăn: {_short(i['text'])}" for i in s.difficulties[:MAP_ITEMS]]
    lines += [f"- Nguyên nhân: {_short(i['text'])}" for i in s.causes[:MAP_ITEMS]]
    lines += [f"- Nhiệm vụ: {_short(i['text'])}" for i in s.tasks[:MAP_ITEMS]]
    lines += [f"- Kiến nghị{' ' + i['addressee'] if i.get('addressee') else ''}: {_short(i['text'])}"
              for i in s.recommendations[:MAP_ITEMS]]
    title = f"Báo cáo: {s.title or ''}" + (f" ({s.period})" if s.period else "")
    parts: list[str] = []
    while lines and len(parts) < MAX_MAP_PARTS:
        part = _pack(title, lines, MAP_CHARS)
        taken = part.count("\n")
        if not taken:
            break
        parts.append(part)
        lines = lines[taken:]
    if parts:
        return parts
    raw, current = [], ""
    for h in hits:
        if current and len(current) + len(h.text) > RAW_MAP_CHARS:
            raw.append(current)
            current = ""
        current += h.text[:RAW_MAP_CHARS] + "\n"
    if current:
        raw.append(current)
    return raw[:MAX_MAP_PARTS]


def reduce_overviews(overviews: list[str]) -> str:
    """One overview from the parts' overviews (the reduce step); the parts joined when the model
    cannot answer, or when there is only one."""
    if len(overviews) <= 1:
        return overviews[0] if overviews else ""
    parts = "\n".join(f"Phần {i}: {o}" for i, o in enumerate(overviews, 1))
    try:
        reduced = _whole_sentences(llm.complete(prompts.template("summarize_reduce").invoke({"parts": parts}),
                                                max_tokens=OVERVIEW_TOKENS))
    except LLMUnavailable:
        reduced = ""
    return reduced or " ".join(overviews)


def _as_hits(doc: Document, chunks: list[Chunk]) -> list[Hit]:
    return [Hit(doc_id=doc.sha256[:16], source=doc.source, title="", number="", page=c.page, section=c.section,
                score=0.0, text=body_of(c)) for c in chunks]


def _load_step(args: dict) -> dict:
    doc, chunks = load_target(args["target"])
    return {"doc": doc, "chunks": chunks, "compare": args.get("compare")}


def _extract_step(state: dict) -> dict:
    """What the report itself says (and, with a second report, the two periods side by side)."""
    s = extract(state["doc"])
    if state.get("compare"):
        s.comparison = compare_summaries(s, read_summary(state["compare"]))
    return {**state, "summary": s, "hits": _as_hits(state["doc"], state["chunks"])}


def _overview_step(states) -> Iterator[Event]:
    """Prompt → chat model per part (map), one overview of those (reduce), verified against the report."""
    for state in states:
        s, hits = state["summary"], state["hits"]
        answer = Answer(hits=hits)
        answer.sources = [{"marker": f"[{i}]", "doc_id": h.doc_id, "source": h.source, "number": s.number,
                           "title": s.title, "page": h.page, "section": h.section, "snippet": h.text[:200]}
                          for i, h in enumerate(hits, 1)]
        overviews = []
        parts = map_parts(s, hits)
        try:
            for i, part in enumerate(parts, 1):
                answer.progress = f"Tóm tắt phần {i}/{len(parts)}…"
                yield Event("part", answer)
                prompt = prompts.template("summarize").invoke({"report": part})
                overviews.append(_whole_sentences(llm.complete(prompt, max_tokens=MAP_TOKENS)))
        except LLMUnavailable as exc:
            answer.error = str(exc) + " Phần số liệu và các mục dưới đây vẫn được trích trực tiếp từ báo cáo."
        answer.progress = "Tổng hợp…"
        overview = people_dates(reduce_overviews([o for o in overviews if o]))
        findings, _ = verify_generated(overview, hits) if overview else ([], [])
        s.overview = mark_unverified(overview, findings)
        answer.text = render(s)
        offset = answer.text.find(s.overview) if s.overview else -1
        answer.findings = [dict(f, start=f["start"] + offset, end=f["end"] + offset) for f in
                           verify_generated(s.overview, hits)[0]] if offset >= 0 and s.overview else []
        answer.summary = s.to_dict()
        answer.progress = ""
        yield Event("error" if answer.error and not answer.text else "done", answer)


def summarize_chain():
    """The summary job as a LangChain runnable. Input: {"target": a file path or an indexed
    document id, "compare": optionally the report of the period before, to set beside it}."""
    return (RunnableLambda(_load_step).with_config(run_name="load")
            | RunnableLambda(_extract_step).with_config(run_name="extract")
            | RunnableGenerator(_overview_step).with_config(run_name="overview"))


def summarize(target: str, compare: str | None = None) -> Answer:
    answer = Answer()
    for event in summarize_chain().stream({"target": target, "compare": compare}):
        answer = event.answer
    return answer
