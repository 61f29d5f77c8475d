"""The commune-level task register in the app: the registers of documents chosen in "Tài liệu", the
registers of the decrees a draft cites (its appendix), and the appendix as Word with the unit's own
figures in the last column where its reports give them."""
from __future__ import annotations

import logging
from pathlib import Path

from ..citations import find_citations, normalise_number
from ..drafting.planning import unit_reports
from ..errors import AssistantError
from ..export import export_tasks_appendix_docx
from ..index import get_index
from ..loaders import load
from ..tasks import TaskRegister, register_for
from ..tasks.results import results_from_reports
from ..units import is_legal_text, unit_in

log = logging.getLogger(__name__)
REPORTS_FOR_RESULTS = 5   # the unit's newest reports read for the appendix's last column


def registers_of(doc_ids: list[str]) -> list[TaskRegister]:
    """The registers of indexed documents, in the order given (AssistantError names what failed)."""
    return [register_for(doc_id) for doc_id in dict.fromkeys(d for d in doc_ids if d)]


def _number(value: str | None) -> str | None:
    try:
        return normalise_number(value) if value else None
    except Exception:  # noqa: BLE001 - an odd number is simply not a decree's
        return None


def registers_cited(text: str, sources: list[dict] | None = None) -> list[TaskRegister]:
    """The registers (with tasks) of the indexed legal texts a draft cites or takes as sources, in
    the order the text first cites them: what its appendix lists."""
    numbers = [c.number for c in find_citations(text or "")]
    numbers += [s.get("number") for s in sources or []]
    wanted = [n for n in dict.fromkeys(_number(n) for n in numbers) if n]
    if not wanted:
        return []
    records: dict[str, object] = {}
    for rec in get_index().documents():
        if rec.number in wanted and is_legal_text(rec.kind):
            if rec.number not in records or (rec.ingested_at or "") > (records[rec.number].ingested_at or ""):
                records[rec.number] = rec
    out = []
    for number in wanted:
        rec = records.get(number)
        if rec is None:
            continue
        try:
            reg = register_for(rec.doc_id)
        except AssistantError as exc:
            log.warning("Không lập được danh mục nhiệm vụ của %s: %s", number, exc)
            continue
        if reg.tasks:
            out.append(reg)
    return out


def unit_results(registers: list[TaskRegister], unit: str | None) -> dict:
    """Figures from the unit's own newest reports for the appendix's last column ({} without a unit)."""
    u = unit_in(unit) if unit else None
    if u is None or not registers:
        return {}
    reports = []
    for rec in unit_reports(get_index(), u)[:REPORTS_FOR_RESULTS]:
        path = Path(rec.source)
        if not path.is_file():
            continue
        try:
            reports.append(load(path))
        except AssistantError as exc:
            log.warning("Bỏ qua '%s' khi lấy kết quả cho phụ lục: %s", path.name, exc)
    return results_from_reports(registers, reports)


def export_appendix(registers: list[TaskRegister], *, unit: str | None, report_number: str | None,
                    report_date) -> Path:
    """The appendix of `registers` as Word (NĐ 30/2020 layout), its last column from the unit's reports."""
    return export_tasks_appendix_docx(registers, unit=unit, report_number=report_number, report_date=report_date,
                                      results=unit_results(registers, unit))


def cited_phrase(registers: list[TaskRegister]) -> str:
    """'Nghị định số 120/2025/NĐ-CP (21 nhiệm vụ)' for each register."""
    return "; ".join(f"{r.short_name} ({len(r.tasks)} nhiệm vụ)" for r in registers)
