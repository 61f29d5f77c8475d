"""Ask: a free question over the index, answered only from retrieved sources, with markers [n]."""
from __future__ import annotations

import logging
from collections.abc import Iterator

from langchain_core.runnables import RunnableGenerator, RunnableLambda

from . import llm, prompts
from .analyser import tokens
from .answers import Answer, Event, source_entries
from .config import get_settings
from .documents import Hit
from .errors import LLMUnavailable
from .figures import first_period
from .index import get_index
from .lookup import ABSENT, asks_a_quantity, figure_answer
from .packing import format_sources, pack
from .query import QUESTION_SYLLABLES, analyse_query
from .replies import stream_reply, strip_scaffolding
from .retrieval import retrieve
from .units import known_units, unit_in, without_unit
from .verify import answer_findings, mark_unverified

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
    try:
        return get_index().bm25.idf(tokens(query))
    except Exception:  # noqa: BLE001
        log.debug("idf unavailable", exc_info=True)
        return {}


def answerable(query: str, hits: list[Hit], idf: dict[str, float] | None = None) -> bool:
    """False when the index plainly holds nothing that answers the question: then no model call."""
    if not hits:
        return False
    if not get_settings().local_embeddings or any(h.meta.get("pinned") for h in hits) \
            or all(h.meta.get("dense") is None for h in hits) or analyse_query(query).unaccented:
        return True  # the threshold is measured for this embedder, on accented questions, with dense scores
    return evidence(query, hits, query_idf(query) if idf is None else idf) >= MIN_EVIDENCE


def prompt_hits(query: str, hits: list[Hit], idf: dict[str, float] | None = None) -> list[Hit]:
    """The relevant hits packed into the prompt budget: exactly the sources the model will see."""
    hits = relevant(hits)
    if not hits:
        return hits
    return pack(hits, query, get_settings().prompt_source_chars, query_idf(query) if idf is None else idf)


def _retrieve_step(args: dict) -> dict:
    """Retriever: the question's sources. The unit named in the question (or the one given) decides
    whose reports count: other units' reports are left out; legal texts serve everyone."""
    question = args["question"]
    unit = unit_in(question, known_units(get_index().documents())) or unit_in(args.get("unit"))
    filters = dict(args.get("filters") or {})
    if unit is not None:
        filters["unit"] = unit.name
    found = retrieve(question, args.get("k"), filters)
    # With the unit's documents only, the unit's name is satisfied by construction: the gate weighs
    # what the question asks about, not whose it is.
    gate_question = without_unit(question, unit) if unit is not None else question
    return {**args, "unit": unit, "found": found, "idf": query_idf(question), "gate_question": gate_question}


def _pack_step(state: dict) -> dict:
    """Packer: the sentences that answer, within the prompt budget; the question-level gate."""
    hits = prompt_hits(state["question"], state["found"], state["idf"])
    gate = state.get("gate_question") or state["question"]
    ok = bool(hits) and answerable(gate, state["found"], query_idf(gate) if gate != state["question"] else state["idf"])
    return {**state, "hits": hits, "answerable": ok}


def _focused_hits(state: dict, have: list[Hit]) -> list[Hit]:
    """The unit's passages for the question without the unit's name: within the unit's own reports
    the name only pulls their headers and introductions, where it stands most often. For the record
    lookup only; what the model reads is unchanged."""
    seen = {h.meta.get("chunk_id") for h in have}
    found = retrieve(state["gate_question"], None, {"unit": state["unit"].name})
    return [h for h in found if h.meta.get("chunk_id") not in seen]


def _answer_step(states: Iterator[dict]) -> Iterator[Event]:
    """Prompt → chat model → verifier, streaming: "sources", "token"…, then "done" or "error"."""
    for state in states:
        answer = Answer(hits=state["hits"], sources=source_entries(state["hits"]))
        yield Event("sources", answer)
        if not state["answerable"]:
            answer.text = NOT_FOUND + (NEAREST_NOTE if state["hits"] else "")
            yield Event("done", answer)
            continue
        hits = state["hits"]
        looked_up = figure_answer(state["question"], hits, state["unit"], searched=state["found"])
        if (looked_up is None or looked_up.startswith(ABSENT)) and state["unit"] is not None \
                and asks_a_quantity(state["question"]):
            focused = _focused_hits(state, hits)
            again = figure_answer(state["question"], hits + focused, state["unit"], searched=state["found"] + focused) \
                if focused else looked_up
            if again and again != looked_up:
                hits = hits + focused
                answer.hits, answer.sources = hits, source_entries(hits)
            looked_up = again
        if looked_up:  # the records single the figure out: quoted with its period and source, no model
            answer.text = looked_up
            answer.findings = answer_findings(answer.text, hits, unit=state["unit"],
                                              period=first_period(state["question"]))
            yield Event("done", answer)
            continue
        prompt = prompts.template("ask").invoke({
            "sources": format_sources(state["hits"]), "question": state["question"]})
        raw = ""
        try:
            for raw, _cut in stream_reply(llm.stream_chat(prompt, max_tokens=ASK_MAX_TOKENS)):
                answer.text = raw
                yield Event("token", answer)
        except LLMUnavailable as exc:
            answer.error = str(exc)
            yield Event("error", answer)
            continue
        text = strip_scaffolding(raw).strip()
        # Like a draft, an answer carries its own warnings: a wrong citation or figure is marked in place.
        asked = first_period(state["question"])
        answer.text = mark_unverified(text, answer_findings(text, state["hits"], unit=state["unit"], period=asked))
        answer.findings = answer_findings(answer.text, state["hits"], unit=state["unit"], period=asked)
        yield Event("done", answer)


def ask_chain():
    """The ask job as a LangChain runnable: retriever → packer → prompt → chat model → verifier.
    Input: {"question", "unit", "k", "filters"}; `.stream()` yields `Event`s. The CLI and the app
    run exactly this."""
    return (RunnableLambda(_retrieve_step).with_config(run_name="retrieve")
            | RunnableLambda(_pack_step).with_config(run_name="pack")
            | RunnableGenerator(_answer_step).with_config(run_name="answer"))


def ask_stream(question: str, k: int | None = None, filters: dict | None = None,
               unit: str | None = None) -> Iterator[Event]:
    return ask_chain().stream({"question": question, "k": k, "filters": filters, "unit": unit})


def ask(question: str, k: int | None = None, filters: dict | None = None, unit: str | None = None) -> Answer:
    answer = Answer()
    for event in ask_stream(question, k, filters, unit):
        answer = event.answer
    return answer
