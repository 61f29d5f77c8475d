"""Check a report: its own header, doubled phrases, every citation, and totals with their parts.

One check per module (check_header, check_duplicates, check_registry, check_sums); this module
runs them over one NFC text and its folded shadow and returns the citations with the findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.text import nfc

from . import patterns as P
from .check_duplicates import check_duplicates
from .check_header import check_header
from .check_registry import check_citations
from .check_sums import check_sums
from .find import Citation, find_in
from .findings import Context, Finding, dedupe
from .header import read_header
from .lookalikes import check_letters, typed_lookalikes
from .own_number import HEADER_ZONE, own_number
from .resolve import Registry, default_registry

__all__ = ["CheckResult", "Finding", "check_text"]


@dataclass
class CheckResult:
    report_date: date | None
    citations: list[Citation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"report_date": self.report_date.isoformat() if self.report_date else None,
                "citations": [c.to_dict() for c in self.citations],
                "findings": [f.to_dict() for f in self.findings]}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def check_text(text: str, report_date: date | None = None, registry: Registry | None = None) -> CheckResult:
    """Find, resolve and check every citation; report_date None = the header's date line."""
    t = nfc(text)
    s = P.shadow(t)
    if registry is None:
        registry = default_registry()
    header_zone = t[:HEADER_ZONE]
    header = read_header(header_zone) if header_zone.strip() else {"date": None, "issuer": None, "number": None}
    if report_date is None:
        report_date = header.get("date")
    cites = find_in(t, s)
    ctx = Context(t, s, registry, report_date, typed_lookalikes(text))
    findings: list[Finding] = []
    findings += check_header(ctx, header)
    findings += check_duplicates(ctx)
    findings += check_citations(ctx, cites)
    findings += check_sums(ctx)
    if ctx.lookalikes:
        own = own_number(t, s)
        numbers = [c.number_span for c in cites if c.number_span] + ([(own.rest_start, own.rest_end)] if own else [])
        findings += check_letters(ctx, numbers)
    return CheckResult(report_date=report_date, citations=cites, findings=dedupe(findings))
