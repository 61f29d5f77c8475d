"""Plan a section by parts, the way a careful clerk does before writing.

The outline comes, in order of preference, from
1. the request itself ("gồm các lĩnh vực tư pháp, thanh tra và đối ngoại": one part per field);
2. the same section in the unit's most recent report ("1.3." there has "Đối với lĩnh vực Tư pháp:",
   "Đối với lĩnh vực Thanh tra:" … or a), b) items): the parts it had last time;
3. the fields of the legal texts that answer the request (two or more fields: one part each);
4. else one part.
A part about a field in a section on phân quyền / phân cấp is a *mandate* part: its facts are the
decrees that govern the field and the tasks they give the commune; any other part is a *topic* part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..documents import Hit
from ..fields import Field, fields_in, is_decentralisation
from ..index import Index
from ..manifest import DocumentRecord
from ..retrieval import retrieve
from ..summarising.sections import heading_kind
from ..text import fold
from ..units import Unit, is_legal_text, record_unit, same_unit
from .request import SectionRequest

MAX_PARTS = 5
# Sections recognised by what they are about rather than by their words (summarising's reader).
_KINDS_BY_MEANING = frozenset({"difficulties", "causes", "lessons", "tasks", "recommendations", "strengths"})
SAME_SECTION_MIN = 0.75  # e.g. all of a two-word title's distinctive words, or most of them and the number
MIN_PART_WORDS = 40
# "Đối với lĩnh vực Tư pháp:", "- Về lĩnh vực đối ngoại:", "Trong lĩnh vực thanh tra,"
_FIELD_LEAD = re.compile(r"^\s*(?:[-+•]\s*)?(?:Đối với|Về|Trong)\s+(?:các\s+)?lĩnh vực\s+([^:,.]{2,60})[:,]",
                         re.IGNORECASE | re.MULTILINE)
_LETTER_ITEM = re.compile(r"^\s*([a-zđ])\)\s+(.{3,240})$", re.MULTILINE)
_TOPIC_LEAD = re.compile(r"^\s*[-+•]\s*((?:Công tác|Kết quả|Về)\s[^:]{2,60}):\s*$", re.MULTILINE)


@dataclass
class PartPlan:
    heading: str                     # "Lĩnh vực tư pháp", "Công tác hộ tịch"
    kind: str                        # "mandate" | "topic"
    field: Field | None = None
    query: str = ""                  # what to retrieve for this part
    words: int = 80


@dataclass
class Plan:
    request: SectionRequest
    parts: list[PartPlan]
    basis: str                       # request | previous-report | legal-texts | single
    previous: DocumentRecord | None = None  # the unit's report the outline (or the section) came from
    section: list[Hit] = field(default_factory=list)  # that report's chunks of the same section
    notes: list[str] = field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        return [p.heading for p in self.parts]


def _part_words(total: int, n: int) -> int:
    return max(MIN_PART_WORDS, round(total / max(n, 1)))


def unit_reports(index: Index, unit: Unit | None, until: date | None = None) -> list[DocumentRecord]:
    """The unit's own documents (not legal texts), newest first; with `until`, none dated after it."""
    if unit is None:
        return []
    docs = [d for d in index.documents() if not is_legal_text(d.kind) and same_unit(record_unit(d), unit)
            and not (until and d.date and d.date > until.isoformat())]
    return sorted(docs, key=lambda d: (d.date or "", d.ingested_at or ""), reverse=True)


# Words that do not tell one section title from another ("Kết quả công tác hộ tịch năm 2025").
_TITLE_FILLER = frozenset(fold(w) for w in (
    "công", "tác", "kết", "quả", "thực", "hiện", "trong", "của", "và", "các", "cho", "năm", "tháng", "đầu",
    "cuối", "quý", "báo", "cáo", "sơ", "tổng", "về", "việc", "tình", "hình", "mục", "phần", "đối", "với"))


def _title_words(text: str) -> set[str]:
    return {w for w in fold(text).replace(",", " ").split() if w.isalpha() and w not in _TITLE_FILLER}


def _heading_title(chunk_text: str, section: str) -> tuple[str, str]:
    """(label, title) of the chunk's own section: "1.9", "Thủ tục hành chính" — read where the
    heading is written (the path prefixed to the chunk, or the body's first line)."""
    label = section.split(" > ")[-1].strip() if section else ""
    if not label:
        return "", ""
    rx = re.compile(rf"(?:^|> )\s*{re.escape(label)}\.?(?:\s+([^>\n]+))?\s*$", re.IGNORECASE)
    lines = [ln for ln in chunk_text.split("\n")[:5] if ln.strip()]
    for i, line in enumerate(lines):
        m = rx.search(line)
        if m:
            if m.group(1):
                return label, m.group(1).strip()
            # "Phần thứ ba" with its title on the next line ("KIẾN NGHỊ, ĐỀ XUẤT")
            return label, lines[i + 1].strip() if i + 1 < len(lines) else ""
    return label, ""


def same_section(index: Index, rec: DocumentRecord, req: SectionRequest) -> list[Hit]:
    """The chunks of the section of `rec` that is the one requested: its title shares most of its
    distinctive words with the request's title (the number helps, but numbering differs between
    reports). [] when no section of the report is clearly it."""
    ids = sorted(index.chunk_ids_for([rec.doc_id]))
    chunks = index.get_chunks(ids)
    want = _title_words(req.title)
    kind = heading_kind(req.title)
    kind = kind if kind in _KINDS_BY_MEANING else None
    best, best_score = None, 0.0
    for cid in ids:
        text, meta = chunks.get(cid, ("", {}))
        label, title = _heading_title(text, str(meta.get("section") or ""))
        have = _title_words(title)
        shared = want & have
        if kind is not None:
            # "Khó khăn, vướng mắc …" is the report's "Hạn chế, khó khăn" or "Tồn tại, hạn chế":
            # a section of that kind, whatever its words, and never a section of another kind.
            if heading_kind(title) != kind:
                continue
            score = 1.0 + 0.5 * len(shared) / max(1, len(want))
        elif not have or not shared:
            continue
        else:
            score = len(shared) / len(have) + 0.5 * len(shared) / max(1, len(want))
        if req.number and label == req.number:
            score += 0.3
        section = str(meta.get("section") or "")
        if score > best_score:
            best, best_score = section, score
    if best is None or best_score < SAME_SECTION_MIN:
        return []
    unit = record_unit(rec)
    out = []
    for cid in ids:
        text, meta = chunks.get(cid, ("", {}))
        if str(meta.get("section") or "") == best:
            extra = {"unit": unit.name, "unit_key": unit.key} if unit else {}
            out.append(Hit(doc_id=rec.doc_id, source=rec.source, title=rec.title or "", number=rec.number or "",
                           page=meta.get("page"), section=best, score=1.0, text=text,
                           meta={**meta, **extra, "chunk_id": cid}))
    return out


def _section_text(hits: list[Hit]) -> str:
    bodies = []
    for h in hits:
        offset = h.meta.get("body_offset")
        bodies.append(h.text[offset:] if isinstance(offset, int) else h.text)
    return "\n".join(bodies)


def _outline_from(section: str) -> list[tuple[str, Field | None]]:
    """Sub-parts of a report section: its "Đối với lĩnh vực …" lines, else its a), b) items, else its
    "- Công tác …:" lead-ins."""
    found = []
    for m in _FIELD_LEAD.finditer(section):
        words = m.group(1).strip()
        f = fields_in(words)
        found.append((f"Lĩnh vực {words[:1].lower() + words[1:]}", f[0] if f else None))
    if found:
        return found
    for m in _LETTER_ITEM.finditer(section):
        first = re.split(r"[:;.]|,\s", m.group(2), maxsplit=1)[0].strip()
        words = first.split()
        heading = " ".join(words[:12])
        f = fields_in(m.group(2))
        found.append((heading, f[0] if f else None))
    if len(found) >= 2:
        return found
    found = []
    for m in _TOPIC_LEAD.finditer(section):
        f = fields_in(m.group(1))
        found.append((m.group(1).strip(), f[0] if f else None))
    return found if len(found) >= 2 else []


def plan_section(req: SectionRequest, index: Index, until: date | None = None) -> Plan:
    """The outline of the section (see the module doc)."""
    mandate_section = is_decentralisation(req.title or req.text)
    total = req.target_words

    def part_for(heading: str, f: Field | None) -> PartPlan:
        kind = "mandate" if (mandate_section and f is not None) else "topic"
        query = " ".join(x for x in (req.title, heading, " ".join(f.areas[:5]) if f and kind == "mandate" else "") if x)
        return PartPlan(heading=heading, kind=kind, field=f, query=query)

    parts: list[PartPlan] = []
    basis, previous = "single", None
    section_hits: list[Hit] = []
    if req.fields:
        basis = "request"
        words = req.field_words or [f.name for f in req.fields]
        parts = [part_for(f"Lĩnh vực {w}", f) for w, f in zip(words, req.fields)]
    else:
        for rec in unit_reports(index, req.unit, until)[:3]:
            hits = same_section(index, rec, req)
            if hits and not section_hits:
                section_hits, previous = hits, rec
            outline = _outline_from(_section_text(hits)) if hits else []
            if outline:
                basis, previous, section_hits = "previous-report", rec, hits
                parts = [part_for(h, f) for h, f in outline[:MAX_PARTS]]
                break
        if not parts and mandate_section:
            hits = retrieve(req.title or req.text, 8, {"scope": "legal"}, index=index)
            fields: list[Field] = []
            for h in hits:
                for f in fields_in(h.title or ""):
                    if f not in fields:
                        fields.append(f)
            if len(fields) >= 2:
                basis = "legal-texts"
                parts = [part_for(f"Lĩnh vực {f.name}", f) for f in fields[:MAX_PARTS]]
    if not parts:
        topic = req.title or req.text
        f = fields_in(topic)
        parts = [PartPlan(heading="", kind="mandate" if mandate_section and f else "topic",
                          field=f[0] if f else None, query=topic)]
    for p in parts:
        p.words = _part_words(total, len(parts))
    return Plan(request=req, parts=parts, basis=basis, previous=previous, section=section_hits)
