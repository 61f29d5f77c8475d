"""Ask: a free question over the index, answered only from retrieved sources, with markers [n]."""
from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field

from . import llm, prompts
from .config import get_settings
from .documents import Hit
from .packing import format_sources, pack
from .retrieval import retrieve
from .verify import strip_fences, verify_generated

NOT_FOUND = "Không tìm thấy trong tài liệu đã nạp."
# Below this cosine similarity (multilingual-e5) a chunk with no lexical match is not relevant.
MIN_DENSE_SCORE = 0.80
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


def relevant(hits: list[Hit]) -> list[Hit]:
    return [h for h in hits if h.meta.get("pinned") or h.meta.get("bm25")
            or (h.meta.get("dense") or 0) >= MIN_DENSE_SCORE]


def prompt_hits(query: str, hits: list[Hit]) -> list[Hit]:
    """The relevant hits packed into the prompt budget: exactly the sources the model will see."""
    from .index import get_index
    from .lexical import tokens

    hits = relevant(hits)
    if not hits:
        return hits
    try:
        idf = get_index().bm25.idf(tokens(query))
    except Exception:  # noqa: BLE001  (statistics are an aid; the candidates themselves will do)
        idf = None
    return pack(hits, query, get_settings().prompt_source_chars, idf)


def stream_reply(answer: Answer, messages: list[dict], max_tokens: int,
                 render: Callable[[str], str] | None = None) -> Generator[tuple[str, Answer], None, str]:
    """Stream the model's reply into `answer.text` (through `render`), a "token" event per piece.

    On failure: `answer.error` is set and one "error" event yielded. Returns the raw reply.
    """
    raw = ""
    try:
        for piece in llm.stream_chat(messages, max_tokens=max_tokens):
            raw += piece
            answer.text = render(raw) if render else raw
            yield "token", answer
    except llm.LLMUnavailable as exc:
        answer.error = str(exc)
        yield "error", answer
    return raw


def ask_stream(question: str, k: int | None = None, filters: dict | None = None) -> Iterator[tuple[str, Answer]]:
    """Yields (event, answer-so-far): "sources" once, "token" while streaming, then "done" or "error"."""
    answer = Answer()
    hits = prompt_hits(question, retrieve(question, k, filters))
    answer.hits = hits
    answer.sources = source_entries(hits)
    yield "sources", answer
    if not hits:
        answer.text = NOT_FOUND
        yield "done", answer
        return
    raw = yield from stream_reply(answer, prompts.messages("ask", sources=format_sources(hits), question=question),
                                  ASK_MAX_TOKENS)
    if answer.error:
        return
    answer.text = strip_fences(raw).strip()
    answer.findings, _ = verify_generated(answer.text, hits)
    yield "done", answer


def ask(question: str, k: int | None = None, filters: dict | None = None) -> Answer:
    answer = Answer()
    for _, answer in ask_stream(question, k, filters):
        pass
    return answer
