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

from ..fields import Field, fields_in, is_decentralisation
from ..index import Index
from ..manifest import DocumentRecord
from ..retrieval import retrieve
from ..text import fold
from ..units import Unit, is_legal_text, record_unit, same_unit
from .request import SectionRequest

MAX_PARTS = 5
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
    previous: DocumentRecord | None = None  # the unit's report the outline came from
    notes: list[str] = field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        return [p.heading for p in self.parts]


def _part_words(total: int, n: int) -> int:
    return max(MIN_PART_WORDS, round(total / max(n, 1)))


def unit_reports(index: Index, unit: Unit | None) -> list[DocumentRecord]:
    """The unit's own documents (not legal texts), newest first."""
    if unit is None:
        return []
    docs = [d for d in index.documents() if not is_legal_text(d.kind) and same_unit(record_unit(d), unit)]
    return sorted(docs, key=lambda d: (d.date or "", d.ingested_at or ""), reverse=True)


def _section_text(index: Index, rec: DocumentRecord, req: SectionRequest) -> str | None:
    """The body of the same section in a report: chunks whose section path ends at the request's
    number, or whose heading line carries the request's title."""
    ids = sorted(index.chunk_ids_for([rec.doc_id]))
    chunks = index.get_chunks(ids)
    title = fold(req.title)
    title_words = [w for w in title.split() if len(w) > 2][:4]
    picked = []
    for cid in ids:
        text, meta = chunks.get(cid, ("", {}))
        section = str(meta.get("section") or "")
        last = section.split(" > ")[-1].strip() if section else ""
        if req.number and last == req.number:
            picked.append((cid, text, meta))
        elif not req.number and title_words and all(w in fold(text.split("\n", 1)[0]) for w in title_words):
            picked.append((cid, text, meta))
    if not picked:
        return None
    bodies = []
    for _, text, meta in picked:
        offset = meta.get("body_offset")
        bodies.append(text[offset:] if isinstance(offset, int) else text)
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


def plan_section(req: SectionRequest, index: Index) -> Plan:
    """The outline of the section (see the module doc)."""
    mandate_section = is_decentralisation(req.title or req.text)
    total = req.target_words

    def part_for(heading: str, f: Field | None) -> PartPlan:
        kind = "mandate" if (mandate_section and f is not None) else "topic"
        query = " ".join(x for x in (req.title, heading, " ".join(f.areas[:5]) if f and kind == "mandate" else "") if x)
        return PartPlan(heading=heading, kind=kind, field=f, query=query)

    parts: list[PartPlan] = []
    basis, previous = "single", None
    if req.fields:
        basis = "request"
        words = req.field_words or [f.name for f in req.fields]
        parts = [part_for(f"Lĩnh vực {w}", f) for w, f in zip(words, req.fields)]
    else:
        for rec in unit_reports(index, req.unit)[:3]:
            section = _section_text(index, rec, req)
            outline = _outline_from(section) if section else []
            if outline:
                basis, previous = "previous-report", rec
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
    return Plan(request=req, parts=parts, basis=basis, previous=previous)
