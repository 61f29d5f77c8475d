"""A finding of the checker and the context every check writes it from (a leaf of the checks)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .resolve import Registry


@dataclass
class Finding:
    code: str
    severity: str          # error | warning | info
    message: str           # Vietnamese
    start: int
    end: int
    text: str
    suggestion: str | None = None

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message, "start": self.start,
                "end": self.end, "text": self.text, "suggestion": self.suggestion}


@dataclass
class Context:
    """The NFC text `t`, its folded shadow `s` (same length), the registry and the report's date."""
    t: str
    s: str
    registry: Registry
    report_date: date | None
    lookalikes: dict[int, str] = field(default_factory=dict)  # offset -> "Ð", "–" … as typed (lookalikes.py)

    def finding(self, code, severity, message, start, end, suggestion=None) -> Finding:
        return Finding(code, severity, message, start, end, self.t[start:end], suggestion)


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (code, span), in text order."""
    seen = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.code)):
        k = (f.code, f.start, f.end)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def dmy(d: date) -> str:
    """'11/06/2025': the date as a message quotes it."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"
