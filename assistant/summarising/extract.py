"""What a report itself says, read without the model: its header, its period, every figure as a record
(label, unit, period, section, page) and the substance of its sections."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..chunking import chunk_document
from ..citations import read_header
from ..config import get_settings
from ..documents import Chunk, Document, Page
from ..figures import FigureRecord, first_period
from ..index import chunk_id, get_index
from ..loaders import load
from ..units import document_unit
from .outline import read_outline
from .records import report_figures
from .sections import SECTION_KINDS, read_sections

NUMBERING = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+")


@dataclass
class Summary:
    unit: str | None = None        # the issuer as written: "ỦY BAN NHÂN DÂN XÃ AN HÒA"
    commune: str | None = None     # whose figures: "xã An Hòa"
    number: str | None = None
    date: str | None = None        # ISO; people see vn_date()
    title: str | None = None
    period: str | None = None      # the report's own period, from its title: "6 tháng cuối năm 2025"
    source: str = ""
    figures: list[FigureRecord] = field(default_factory=list)
    difficulties: list[dict] = field(default_factory=list)
    causes: list[dict] = field(default_factory=list)           # each with "side": objective | subjective | None
    lessons: list[dict] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)            # each with "group": "Giải pháp", "Phương hướng" …
    recommendations: list[dict] = field(default_factory=list)  # each with "addressee" (None when not stated)
    headings: dict = field(default_factory=dict)               # kind -> the heading it was read under
    section_kinds: dict = field(default_factory=dict)          # section path -> kind of section
    section_titles: dict = field(default_factory=dict)         # section path -> its heading
    overview: str = ""
    comparison: dict | None = None

    @property
    def key_figures(self) -> list[dict]:
        """The clauses holding the figures, verbatim (the JSON kept them before records existed)."""
        seen, out = set(), []
        for r in self.figures:
            if r.clause and r.clause not in seen:
                seen.add(r.clause)
                out.append({"text": r.clause, "section": r.section, "page": r.page})
        return out

    def field_of(self, record: FigureRecord) -> str:
        """The field a figure is reported under: the title of its own section, as the report groups
        its work ("Công tác hộ tịch", "Tiếp công dân"), in sentence case."""
        path = record.section.split(" > ") if record.section else []
        for i in range(len(path), 0, -1):
            title = NUMBERING.sub("", self.section_titles.get(" > ".join(path[:i])) or "")
            if title:
                title = title.lower() if title.isupper() else title
                return title[:1].upper() + title[1:]
        return "Chung"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["figures"] = [{**r.to_dict(), "field": self.field_of(r)} for r in self.figures]
        d["key_figures"] = self.key_figures
        if d["comparison"] is None:
            d.pop("comparison")
        return d


    @classmethod
    def from_dict(cls, d: dict) -> Summary:
        """The summary back from its JSON (`to_dict`)."""
        names = {f.name for f in fields(cls)}
        s = cls(**{k: v for k, v in d.items() if k in names and k != "figures"})
        record_names = {f.name for f in fields(FigureRecord)}
        s.figures = [FigureRecord(**{k: v for k, v in r.items() if k in record_names}) for r in d.get("figures", [])]
        return s


def extract(doc: Document) -> Summary:
    head = read_header(doc.text[:6000]) or {}
    unit = document_unit(doc.text, head.get("issuer"))
    s = Summary(unit=head.get("issuer"), commune=unit.name if unit else None, number=head.get("number"),
                date=head["date"].isoformat() if head.get("date") else None, title=head.get("title"),
                source=doc.source)
    s.period = first_period(s.title or "")
    blocks = read_outline(doc)
    s.section_titles = {b.section: b.path[-1].title for b in blocks if b.kind == "heading"}
    s.figures = report_figures(blocks, default_period=s.period)
    sections = read_sections(blocks)
    for kind in SECTION_KINDS:
        setattr(s, kind, sections.items.get(kind, []))
    s.headings = sections.headings
    s.section_kinds = sections.section_kinds
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
    doc.pages = [Page(1, "\n\n".join(body_of(c) for c in chunks))]
    return doc, chunks


def body_of(chunk: Chunk) -> str:
    """The source text of a chunk, without the heading path chunking prefixes for the embedder."""
    offset = chunk.meta.get("body_offset")
    if isinstance(offset, int) and 0 <= offset <= len(chunk.text):
        return chunk.text[offset:]
    return chunk.text


def read_summary(target: str) -> Summary:
    """The model-free summary of a report file or an indexed document (figures, sections)."""
    doc, _ = load_target(target)
    return extract(doc)
