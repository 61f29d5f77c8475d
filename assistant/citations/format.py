"""Write a citation the way Nghị định 30/2020/NĐ-CP (Phụ lục I, mục II.6.b) asks.

First mention: tên loại, số/ký hiệu, ngày ban hành, cơ quan ban hành, trích yếu.
Later mentions: tên loại + số/ký hiệu. Luật, Bộ luật, Pháp lệnh: by name only.
"""
from __future__ import annotations

import re
from datetime import date

from .normalise import parse_number
from .resolve import RegistryEntry

_ORG_AND_ROLE = re.compile(r"(.*?)\s*\((.*?)\)\s*$")   # "Bộ Tư pháp (Bộ trưởng)"
_TRAILING_NOTE = re.compile(r"\s*\([^)]*\)\s*$")

_BY_NAME = ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp")


def format_date(d: date) -> str:
    """'11/6/2025', '05/02/2020', '05/3/2020'."""
    # NĐ 30/2020: leading zero for days below 10 and for months 1 and 2.
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{d.day:02d}/{month}/{d.year}"


def _issuer(entry: RegistryEntry) -> str | None:
    if not entry.issuer:
        return None
    m = _ORG_AND_ROLE.match(entry.issuer)
    if m:  # "Bộ Tư pháp (Bộ trưởng)" -> "Bộ trưởng Bộ Tư pháp"
        org, role = m.groups()
        return f"{role} {org}" if role and len(role.split()) <= 3 else org
    return entry.issuer


def _title_phrase(title: str) -> str:
    title = _TRAILING_NOTE.sub("", title.strip())
    first = title.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:  # acronym: keep
        return title
    return title[:1].lower() + title[1:]


def law_name(entry: RegistryEntry) -> str:
    title = _TRAILING_NOTE.sub("", (entry.title or "").strip())
    kind = entry.doc_type or "Luật"
    if not title.lower().startswith(kind.lower()):
        title = f"{kind} {title}"
    year = parse_number(entry.number).year or (entry.date.year if entry.date else None)
    return f"{title} năm {year}" if year else title


def format_citation(entry: RegistryEntry, first: bool = True) -> str:
    """'Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về …' (first=False: short)."""
    kind = entry.doc_type or ""
    if kind in _BY_NAME and entry.title:
        return law_name(entry)
    head = f"{kind} số {entry.number}".strip()
    if not first:
        return head
    parts = [head]
    if entry.date:
        parts.append(f"ngày {format_date(entry.date)}")
    issuer = _issuer(entry)
    if issuer:
        parts.append(f"của {issuer}")
    if entry.title:
        parts.append(_title_phrase(entry.title))
    return " ".join(parts)
