"""Facts a part is written from, gathered before any prose.

What the system can know without the model, it states itself:
- the decrees that govern a field, cited from the registry (type, number, date, issuer, exact title);
- the tasks those decrees give the commune (the task register: how many, in which areas, which Điều);
- the unit's own figures with their period (figure records from the unit's reports).
The rest — what the unit did — comes from retrieved passages of the unit's own reports (never
another unit's), packed into the model's budget. Every fact points at a source (`Sources`), which
is what the draft's markers [n] mean.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from ..citations import Registry, RegistryEntry, find_citations, format_citation
from ..documents import Hit
from ..errors import AssistantError
from ..fields import Field, fields_in, is_decentralisation
from ..figures import FigureRecord, extract_figures, periods_in
from ..packing import pack
from ..retrieval import retrieve
from ..tasks import TaskRegister, register_for
from ..text import sentences
from ..units import Unit
from .planning import PartPlan, Plan

PASSAGE_K = 5
# A report's opening and closing formulas ("… báo cáo kết quả … như sau:", "Trên đây là báo cáo …"):
# they say what the document is, not what the unit did.
BOILERPLATE = re.compile(r"(?:báo cáo|như sau)[^.;]{0,200}:\s*$|^\s*[-+]?\s*Trên đây là báo cáo|^\s*Nơi nhận",
                         re.IGNORECASE)
SOURCE_OVERHEAD = 60   # a numbered fact line's marker and separators, in characters
MIN_FILL = 200         # room worth filling with retrieved passages after the same section
# A report's own heading line ("5. Tiếp công dân, giải quyết khiếu nại, tố cáo"): a label, not a fact.
HEADING_LINE = re.compile(r"^\s*(?:[IVXLC]{1,5}|\d{1,2}(?:\.\d{1,2})*)\.?\s+[^.;:]{2,160}$")
LEGAL_TYPES = ("Nghị định", "Thông tư")
MAX_GOVERNING = 3


class Sources:
    """The draft's sources, numbered once for the whole section: a marker [n] means the same
    document chunk in every part."""

    def __init__(self):
        self.hits: list[Hit] = []
        self._index: dict[str, int] = {}

    def add(self, hit: Hit) -> int:
        key = hit.meta.get("chunk_id") or f"{hit.doc_id}:{hit.section}:{hit.text[:40]}"
        if key not in self._index:
            self.hits.append(hit)
            self._index[key] = len(self.hits)
        return self._index[key]

    def registry_source(self, entry: RegistryEntry) -> int:
        """A registry entry as a source (the citation's facts come from the document registry)."""
        return self.add(Hit(doc_id=f"registry:{entry.number}", source="danh mục văn bản (registry)",
                            title=entry.title or "", number=entry.number, page=None, section="", score=0.0,
                            text=format_citation(entry), meta={"chunk_id": f"registry:{entry.number}",
                                                               "registry": True, "kind": entry.doc_type}))


@dataclass
class PartFacts:
    plan: PartPlan
    governing: list[RegistryEntry] = field(default_factory=list)
    registers: list[TaskRegister] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)      # what the section needs and the index lacks
    passages: list[Hit] = field(default_factory=list)  # the unit's own, packed (meta["excerpt"])

    @property
    def figures(self) -> list[FigureRecord]:
        return figures_of(self.passages)


def governing_documents(f: Field, registry: Registry, theme: str = "") -> list[RegistryEntry]:
    """The decrees (and circulars) whose title puts them over field `f` — for a section on phân quyền,
    phân cấp, only those whose title says so. Decrees first, newest first."""
    want_mandate = is_decentralisation(theme)
    best: dict[str, RegistryEntry] = {}
    for e in registry:
        if not e.title or e.doc_type not in LEGAL_TYPES:
            continue
        if f not in fields_in(e.title):
            continue
        if want_mandate and not is_decentralisation(e.title):
            continue
        if e.number not in best or _rank(e) < _rank(best[e.number]):
            best[e.number] = e
    entries = sorted(best.values(), key=lambda e: (LEGAL_TYPES.index(e.doc_type),
                                                   -(e.date.toordinal() if e.date else 0), e.number))
    decrees = [e for e in entries if e.doc_type == "Nghị định"]
    return (decrees or entries)[:MAX_GOVERNING]


def _rank(e: RegistryEntry) -> int:
    return {"verified": 0, "user": 1, "from-secondary-source": 2, "corpus": 3}.get(e.confidence, 9)


def task_register(number: str) -> TaskRegister | None:
    """The register of an indexed decree; None when the decree is not indexed."""
    try:
        return register_for(number)
    except AssistantError:
        return None


def unit_evidence(query: str, unit: Unit | None, budget: int, scope: str = "unit",
                  keep: Callable[[str, str], bool] | None = None, until: date | None = None,
                  first: list[Hit] | None = None) -> list[Hit]:
    """Passages from the unit's own reports that speak to the query, packed into `budget`
    characters (each hit's `meta["excerpt"]`): `first` (the same section of the unit's last report)
    ahead of what retrieval finds; with `keep`, only the lines it accepts; with `until`, only
    documents dated on or before it (a report cannot use a later one)."""
    if unit is None:
        return []
    # The same section of the last report is the first evidence: packed on its own, it keeps its
    # sentences (a list of difficulties shares few words with the request, yet it is the answer);
    # what retrieval finds fills the room left.
    packed = [replace(h, meta={**h.meta, "same_section": True}) for h in pack(first, query, budget)] if first else []
    left = budget - sum(len(h.meta.get("excerpt") or "") + SOURCE_OVERHEAD for h in packed)
    seen = {h.meta.get("chunk_id") for h in first or []}
    found = [h for h in retrieve(query, PASSAGE_K, {"unit": unit.name, "scope": scope, "until": until})
             if h.meta.get("chunk_id") not in seen]
    if found and left >= MIN_FILL:
        packed += pack(found, query, left)
    out = []
    for h in packed:
        excerpt = h.meta.get("excerpt") or h.text
        if keep is not None:
            context = h.text.split("\n", 1)[0]  # the chunk's heading path: what its section is about
            excerpt = "\n".join(_with_period(s, h.text) for line in excerpt.split("\n")
                                for s in sentences(line) if not HEADING_LINE.match(s) and keep(s, context))
        excerpt = "\n".join(ln for ln in excerpt.split("\n") if not BOILERPLATE.search(ln))
        if excerpt.strip():
            out.append(replace(h, meta={**h.meta, "excerpt": excerpt}))
    return out


def _with_period(sentence: str, passage: str) -> str:
    """A sentence taken out of its passage (the whole chunk) keeps the period its figures belong to
    ("Năm 2025: …")."""
    if periods_in(sentence):
        return sentence
    start = passage.find(sentence)
    for r in extract_figures(passage):
        if r.period and start <= r.start < start + len(sentence):
            return f"{r.period}: {sentence}"
    return sentence


def figures_of(hits: list[Hit]) -> list[FigureRecord]:
    """The figure records the passages hold, with their period."""
    out = []
    for h in hits:
        out += extract_figures(h.meta.get("excerpt") or h.text, section=h.section, page=h.page)
    return out


def about_field(f: Field, governing: list[RegistryEntry]) -> Callable[[str, str], bool]:
    """For a mandate part: a sentence about the field's work — named in the sentence or in the
    heading of the section it sits in — and not the old report's restatement of the decrees that
    govern the field (the system states those itself)."""
    numbers = {e.number for e in governing}

    def keep(sentence: str, context: str) -> bool:
        if f not in fields_in(sentence) and f not in fields_in(context):
            return False
        return not any(c.number in numbers for c in find_citations(sentence))
    return keep


def gather(plan: Plan, part: PartPlan, registry: Registry, budget: int, report_date: date | None = None) -> PartFacts:
    """The facts of one part."""
    req = plan.request
    facts = PartFacts(plan=part)
    if part.kind == "mandate" and part.field is not None:
        facts.governing = governing_documents(part.field, registry, req.title or req.text)
        if not facts.governing:
            facts.missing.append(f"văn bản quy định phân quyền, phân cấp trong lĩnh vực {part.field.name} "
                                 "(chưa có trong danh mục văn bản)")
        for entry in facts.governing:
            reg = task_register(entry.number)
            if reg is None:
                facts.missing.append(f"nhiệm vụ của cấp xã theo {entry.doc_type} số {entry.number} "
                                     "(văn bản chưa được nạp vào kho)")
            elif not reg.tasks:
                facts.missing.append(f"nhiệm vụ của cấp xã theo {entry.doc_type} số {entry.number} "
                                     "(phần văn bản đã nạp chưa có điều, khoản nào giao cho cấp xã)")
            else:
                facts.registers.append(reg)
    keep = about_field(part.field, facts.governing) if part.kind == "mandate" and part.field else None
    first = plan.section if part.kind == "topic" else None
    facts.passages = unit_evidence(part.query, req.unit, budget, keep=keep, until=report_date, first=first)
    if not facts.passages:
        what = f"lĩnh vực {part.field.name}" if part.field else (part.heading or req.title or "mục này").lower()
        who = req.unit.name if req.unit else "đơn vị"
        facts.missing.append(f"kết quả thực hiện {what} của {who} (chưa có báo cáo của đơn vị trong kho)"
                             if req.unit else "tên đơn vị báo cáo (chọn đơn vị để dùng số liệu của đơn vị)")
    return facts
