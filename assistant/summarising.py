"""Summarise a report: structure and figures extracted from the text itself, prose from the model.

Key figures, tasks, difficulties, causes and recommendations are read from the report's own
sections (so every figure is copied exactly, with its section and page); the model only writes a
short overview per part (map) and one overview of those (reduce), and that prose is verified too
against the report itself.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.runnables import RunnableGenerator, RunnableLambda

from . import llm, prompts
from .answers import Answer, Event
from .chunking import chunk_document
from .citations import read_header
from .config import get_settings
from .documents import Chunk, Document, Hit, Page
from .errors import LLMUnavailable
from .index import chunk_id, get_index
from .loaders import load
from .replies import strip_scaffolding
from .text import CLAUSE_BREAK, fold
from .verify import mark_unverified, verify_generated

# Section headings (accent-folded) → summary field.
SECTION_KINDS = [
    ("difficulties", ("kho khan", "vuong mac", "han che", "ton tai")),
    ("causes", ("nguyen nhan",)),
    ("recommendations", ("kien nghi", "de xuat", "de nghi")),
    ("tasks", ("nhiem vu", "phuong huong", "giai phap", "ke hoach")),
    ("results", ("ket qua", "tinh hinh", "danh gia")),
]
_FIGURE = re.compile(r"\d[\d.,]*\s*(?:%|việc|hồ sơ|bản|vụ|người|lượt|hộ|trường hợp|đồng|tỷ|triệu|ha|tấn|km|xã|"
                     r"thôn|cuộc|hội nghị|văn bản|đơn|thủ tục|tổ|hòa giải viên|biên chế|công chức|tờ)", re.IGNORECASE)
MAP_CHARS = 3500
MAX_MAP_PARTS = 6
OVERVIEW_TOKENS = 260


def _whole_sentences(text: str) -> str:
    """Drop a sentence cut off by the token limit (and echoed delimiters)."""
    text = strip_scaffolding(text).strip()
    # "… khoảng 1." is a number cut in the middle ("1.150"), not the end of a sentence; "năm 2020."
    # is a sentence end (four digits cannot open a grouped number).
    if text and (text[-1] not in ".!?…)" or re.search(r"(?<![\d.,])\d{1,3}[.,]$", text)):
        cut = max(text.rfind(". "), text.rfind(".\n"))
        text = text[:cut + 1] if cut > 0 else text
    return text


@dataclass
class Summary:
    unit: str | None = None
    number: str | None = None
    date: str | None = None
    title: str | None = None
    period: str | None = None
    key_figures: list[dict] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    difficulties: list[dict] = field(default_factory=list)
    causes: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    overview: str = ""


def _kind_of(section: str) -> str | None:
    folded = fold(section)
    for kind, words in SECTION_KINDS:
        if any(w in folded for w in words):
            return kind
    return None


def _items(body: str) -> list[str]:
    """Bullet or numbered lines of a section body (without its heading path)."""
    out = []
    for line in body.splitlines():
        line = line.strip()
        if len(line) < 12:
            continue
        m = re.match(r"^(?:[-+•*]|\d+(?:\.\d+)*[.)]|[a-zđ]\))\s+(.*)", line)
        if m:
            out.append(m.group(1).strip())
    return out


def _split(chunk: Chunk) -> tuple[str, str]:
    """(heading-path prefix, source text) of a chunk; chunking prefixes the path for the embedder."""
    offset = chunk.meta.get("body_offset")
    if isinstance(offset, int) and 0 <= offset <= len(chunk.text):
        return chunk.text[:offset], chunk.text[offset:]
    return "", chunk.text


def _body(chunk: Chunk) -> str:
    return _split(chunk)[1]


_TOP_HEADING = re.compile(r"^\s*(?:[IVXLC]+\.|PHẦN|Phần)\s+\S")


def _walk(chunk: Chunk):
    """Yield (kind, line) for each line of the chunk, kind following the top-level headings met."""
    prefix, body = _split(chunk)
    kind = None
    for line in prefix.splitlines():
        if _TOP_HEADING.match(line):
            kind = _kind_of(line)
    if kind is None and not prefix:
        kind = _kind_of(chunk.section or "")
    for line in body.splitlines():
        if re.match(r"\s*Nơi nhận", line):
            kind = None  # distribution list and signature block
            continue
        if _TOP_HEADING.match(line) or (line.isupper() and len(line.split()) >= 2):
            kind = _kind_of(line)
            continue
        yield kind, line


def _period(title: str | None) -> str | None:
    if not title:
        return None
    m = re.search(r"((?:6|06|sáu|9|chín) tháng[^,;.]*năm \d{4}|năm \d{4}|quý [IV1-4]+[^,;.]*\d{4}|"
                  r"nhiệm kỳ \d{4}\s*-\s*\d{4}|giai đoạn \d{4}\s*-\s*\d{4}|01 năm[^,;.]*)", title, re.IGNORECASE)
    return m.group(1) if m else None


def extract(doc: Document, chunks: list[Chunk]) -> Summary:
    head = read_header(doc.text[:6000]) or {}
    s = Summary(unit=head.get("issuer"), number=head.get("number"),
                date=head["date"].isoformat() if head.get("date") else None, title=head.get("title"))
    s.period = _period(s.title)
    seen_fig: set[str] = set()
    for c in chunks:
        for kind, line in _walk(c):
            if kind and kind != "results":
                for item in _items(line):
                    getattr(s, kind).append({"text": item, "section": c.section, "page": c.page})
        body = _body(c)
        for sentence in CLAUSE_BREAK.split(body):
            sentence = sentence.strip(" -+•\t")
            if not _FIGURE.search(sentence):
                continue
            if len(sentence) < 8 or sentence in seen_fig or re.fullmatch(r"[\d\s/.-]+", sentence):
                continue
            if re.search(r"\d+/\d{4}/|/(?:QĐ|KH|BC|NQ|TB|CV|UBND)", sentence):  # a citation, not a figure
                continue
            seen_fig.add(sentence)
            s.key_figures.append({"text": sentence, "section": c.section, "page": c.page})
    return s


def load_target(target: str) -> tuple[Document, list[Chunk]]:
    """A report file path, or the doc_id of an indexed document."""
    path = Path(target)
    if path.exists():
        doc = load(path, max_bytes=int(get_settings().max_upload_mb * 1024 * 1024))
        return doc, chunk_document(doc, max_chars=get_settings().chunk_chars)
    index = get_index()
    rec = index.manifest.get(target)
    if rec is None:
        raise FileNotFoundError(target)
    if Path(rec.source).exists():
        return load_target(rec.source)
    ids = [chunk_id(rec.doc_id, i) for i in range(rec.chunks)]
    got = index.get_chunks(ids)
    chunks = [Chunk(text=got[i][0], page=got[i][1].get("page"), section=got[i][1].get("section", ""),
                    meta=got[i][1])
              for i in ids if i in got]
    doc = Document(source=rec.source, sha256=rec.sha256, format=rec.format, pages=[])
    doc.pages = [Page(1, "\n\n".join(_body(c) for c in chunks))]
    return doc, chunks


def _as_hits(doc: Document, chunks: list[Chunk]) -> list[Hit]:
    return [Hit(doc_id=doc.sha256[:16], source=doc.source, title="", number="", page=c.page, section=c.section,
                score=0.0, text=_body(c)) for c in chunks]


def render(s: Summary) -> str:
    def lines(items: list[dict]) -> str:
        return "\n".join(f"- {i['text']} (mục {i['section'] or '—'}, trang {i['page'] or '—'})" for i in items) or "- (không thấy trong báo cáo)"

    head = " — ".join(x for x in (s.unit, s.number, s.date) if x)
    parts = [f"**{s.title or 'Báo cáo'}**", head, f"Kỳ báo cáo: {s.period}" if s.period else "",
             "", "**Tóm tắt**", s.overview or "(chưa có)",
             "", "**Số liệu chính**", lines(s.key_figures[:25]),
             "", "**Nhiệm vụ, giải pháp**", lines(s.tasks),
             "", "**Khó khăn, vướng mắc**", lines(s.difficulties),
             "", "**Nguyên nhân**", lines(s.causes),
             "", "**Kiến nghị, đề xuất**", lines(s.recommendations)]
    return "\n".join(p for p in parts if p is not None)


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


def _load_step(args: dict) -> dict:
    doc, chunks = load_target(args["target"])
    return {"doc": doc, "chunks": chunks}


def _extract_step(state: dict) -> dict:
    """What the report itself says: figures, tasks, difficulties… copied with section and page."""
    return {**state, "summary": extract(state["doc"], state["chunks"]), "hits": _as_hits(state["doc"], state["chunks"])}


def _map_parts(hits: list[Hit]) -> list[str]:
    parts, current = [], ""
    for h in hits:
        if current and len(current) + len(h.text) > MAP_CHARS:
            parts.append(current)
            current = ""
        current += h.text + "\n"
    if current:
        parts.append(current)
    return parts[:MAX_MAP_PARTS]


def _overview_step(states) -> Iterator[Event]:
    """Prompt → chat model per part (map), one overview of those (reduce), verified against the report."""
    for state in states:
        s, hits = state["summary"], state["hits"]
        answer = Answer(hits=hits)
        answer.sources = [{"marker": f"[{i}]", "doc_id": h.doc_id, "source": h.source, "number": s.number,
                           "title": s.title, "page": h.page, "section": h.section, "snippet": h.text[:200]}
                          for i, h in enumerate(hits, 1)]
        overviews = []
        parts = _map_parts(hits)
        try:
            for i, part in enumerate(parts, 1):
                answer.progress = f"Tóm tắt phần {i}/{len(parts)}…"
                yield Event("part", answer)
                prompt = prompts.template("summarize").invoke({"report": part})
                overviews.append(_whole_sentences(llm.complete(prompt, max_tokens=OVERVIEW_TOKENS)))
        except LLMUnavailable as exc:
            answer.error = str(exc) + " Phần số liệu và mục dưới đây vẫn được trích trực tiếp từ báo cáo."
        answer.progress = "Tổng hợp…"
        overview = reduce_overviews([o for o in overviews if o])
        findings, _ = verify_generated(overview, hits) if overview else ([], [])
        s.overview = mark_unverified(overview, findings)
        answer.text = render(s)
        offset = answer.text.find(s.overview) if s.overview else -1
        answer.findings = [dict(f, start=f["start"] + offset, end=f["end"] + offset) for f in
                           verify_generated(s.overview, hits)[0]] if offset >= 0 and s.overview else []
        answer.summary = s.__dict__
        answer.progress = ""
        yield Event("error" if answer.error and not answer.text else "done", answer)


def summarize_chain():
    """The summary job as a LangChain runnable: load → extract → (prompt → chat model per part) →
    reduce → verify. Input: {"target": a file path or an indexed document id}."""
    return (RunnableLambda(_load_step).with_config(run_name="load")
            | RunnableLambda(_extract_step).with_config(run_name="extract")
            | RunnableGenerator(_overview_step).with_config(run_name="overview"))


def summarize(target: str) -> Answer:
    answer = Answer()
    for event in summarize_chain().stream({"target": target}):
        answer = event.answer
    return answer
