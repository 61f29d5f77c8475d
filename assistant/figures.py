"""Figures of a report as records: the value, what it counts, its unit and its period.

"Cấp bản sao trích lục hộ tịch: 153 trường hợp" under the lead-in "+ Năm 2025:" is the record
(label "Cấp bản sao trích lục hộ tịch", value "153", unit "trường hợp", period "Năm 2025"). The
period comes from the nearest place the report states it: the clause or sentence itself ("Trong
năm 2025, …", "Năm 2026 (từ 31/12/2025 đến 22/4/2026): …"), else the lead-in line above
("+ Quý I năm 2026:"), else the heading, else the report's own period. Summaries list these records;
drafting hands them to the model as facts; verification compares a written figure's period with
its source's. The rules (period patterns, two-word units, label connectors) are data in
`data/figures.json`.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from .text import FIGURE, fold, nfc, sentence_cuts

RULES = json.loads((Path(__file__).resolve().parent / "data" / "figures.json").read_text(encoding="utf-8"))
PERIOD = re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in RULES["period_patterns"]) + r")(?![\w])",
                    re.IGNORECASE)
_MULTIWORD_UNITS = sorted(RULES["multiword_units"], key=len, reverse=True)
_NOT_UNITS = frozenset(RULES["not_units"])
_DROP_PREFIXES = sorted(RULES["label_drop_prefixes"], key=len, reverse=True)
ORDINAL_BEFORE = re.compile(r"(?:^|[\s(])(?:" + "|".join(re.escape(w) for w in RULES["ordinal_words"])
                             + r")\s*$", re.IGNORECASE)
_DATE_BEFORE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*[.)])\s+")
_HEADING = re.compile(r"^\s*(?:[IVXLC]{1,5}\.|\d{1,2}(?:\.\d{1,2})*\.?)\s+\S")
_CLAUSE_SPLIT = re.compile(r";|\n")
_SUBCLAUSE_SPLIT = re.compile(r",\s+(?=\D)")
LEAD_MAX = 120


@dataclass
class FigureRecord:
    value: str                 # as written: "1.707", "69,2"
    unit: str | None           # "trường hợp", "việc", "%"
    label: str                 # what it counts, in the report's words
    period: str | None         # "Năm 2025", "Quý I năm 2026", "từ 01/7/2025 đến nay"
    section: str = ""          # "II > 1 > 1.9"
    page: int | None = None
    clause: str = ""           # the clause it was read from
    start: int = -1            # offsets of the value in the text it was read from
    end: int = -1

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("start", "end", "clause"):
            d.pop(k)
        return d

    def line(self) -> str:
        """One line for a person: "Năm 2025 — Cấp bản sao trích lục hộ tịch: 153 trường hợp"."""
        amount = f"{self.value} {self.unit}".strip() if self.unit and self.unit != "%" else f"{self.value}{self.unit or ''}"
        what = f"{self.label}: {amount}" if self.label else amount
        return f"{self.period} — {what}" if self.period else what


def _cap(text: str) -> str:
    if text.isupper():
        text = text.lower()
    return text[:1].upper() + text[1:] if text else text


def _period_text(text: str, m: re.Match) -> str:
    """A period as stated, with the dates that explain it: "Năm 2025 (từ 01/7/2025 đến 14/12/2025)"."""
    after = PERIOD.match(text, m.end() + 2) if text[m.end():m.end() + 2] == " (" else None
    if after and text[after.end():after.end() + 1] == ")":
        return _cap(text[m.start():after.end() + 1].strip())
    return _cap(m.group(0).strip())


def periods_in(text: str) -> list[re.Match]:
    """Period expressions in the text, skipping dates ("ngày 11 tháng 6 năm 2025") and a law's year."""
    out = []
    for m in PERIOD.finditer(text):
        before = text[max(0, m.start() - 24):m.start()]
        if m.group(0).lower().startswith("năm") and (_DATE_BEFORE.search(before) or re.search(r"tháng\s+\d{1,2}\s+$", before)):
            continue
        out.append(m)
    return out


def _first_period(text: str) -> str | None:
    found = periods_in(text)
    return _period_text(text, found[0]) if found else None


def unit_phrase(text: str, end: int) -> str | None:
    """The unit right after a figure ending at `end`: a known two-word unit ("trường hợp", "lượt
    người") or the next word; None when what follows is not a unit."""
    rest = text[end:end + 40]
    stripped = rest.lstrip()
    if stripped.startswith("%"):
        return "%"
    low = stripped.lower()
    for u in _MULTIWORD_UNITS:
        if low.startswith(u) and not low[len(u):len(u) + 1].isalpha():
            return stripped[:len(u)].lower()
    m = re.match(r"[^\W\d_]+", stripped)
    if not m or stripped is rest:  # no space before the word: "02lượt" is not a unit reading
        return None if not m or rest[:1].isalpha() else None
    word = m.group(0).lower()
    return None if word in _NOT_UNITS else word


def _label(clause: str, start: int, end: int, unit: str | None) -> str:
    """What the figure at clause[start:end] counts: the words before it in its own sub-clause (after
    the last ':' when the clause reads "label: figure"); when those say nothing, the words after."""
    before = clause[:start]
    colon = before.rstrip().endswith(":")
    if colon:
        head = before.rstrip()[:-1]
        head = head.rsplit(":", 1)[-1]
    else:
        parts = _SUBCLAUSE_SPLIT.split(before)
        head = parts[-1] if parts else before
    head = _BULLET.sub("", head).strip(" \t-+•:;,(")
    folded = head.lower()
    for p in _DROP_PREFIXES:
        if folded.startswith(p + " "):
            head, folded = head[len(p) + 1:], folded[len(p) + 1:]
    for p in _DROP_PREFIXES:
        if folded.endswith(" " + p):
            head = head[:-(len(p) + 1)]
    head = head.strip(" ,:;")
    if len(head.split()) >= 2 or colon:
        return _cap(head)
    # "Tổ chức 02 hội nghị tuyên truyền pháp luật": the words after the unit say what is counted.
    after = clause[end:]
    if unit:
        after = after.lstrip()[len(unit):]
    after = re.split(r"[,;:.(]|\s(?:với|và|đạt|trong đó|chiếm)\s", after, maxsplit=1)[0].strip()
    label = " ".join(x for x in (head, unit if unit and unit != "%" else "", after) if x)
    return _cap(label.strip())


def _is_figure(text: str, m: re.Match, line_start: int) -> bool:
    before = text[max(line_start, m.start() - 30):m.start()]
    if ORDINAL_BEFORE.search(before) or _DATE_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
        return False
    if not before.strip() and text[m.end(1):m.end(1) + 1] in (".", ")"):
        return False  # outline numbering at the start of a line
    value = m.group(1)
    if re.fullmatch(r"(?:19|20)\d\d", value) and not unit_phrase(text, m.end(0)):
        return False  # a year standing alone
    return True


def extract_figures(text: str, *, section: str = "", page: int | None = None,
                    heading_period: str | None = None, default_period: str | None = None,
                    lead_period: str | None = None) -> list[FigureRecord]:
    """Figure records of a passage (a chunk body or a whole report), in order."""
    text = nfc(text)
    out: list[FigureRecord] = []
    lead = lead_period
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if _HEADING.match(stripped) and len(stripped) <= 160 and not stripped.rstrip().endswith(":") \
                and not FIGURE.search(stripped.split(" ", 1)[-1]):
            lead = None  # a new heading: the lead-in period above it no longer applies
            heading_period = _first_period(stripped) or heading_period
            continue
        if stripped.endswith(":") and len(stripped) <= LEAD_MAX and not any(
                _is_figure(line, m, 0) for m in FIGURE.finditer(line)):
            lead = _first_period(stripped)  # "+ Năm 2025:" sets the period; "- Công tác hộ tịch:" clears it
            continue
        line_period = None
        cuts = [0, *sentence_cuts(line), len(line)]
        for a, b in zip(cuts, cuts[1:]):
            sentence = line[a:b]
            running = None  # a period stated in the sentence holds for the rest of it
            offset = 0
            for clause in _CLAUSE_SPLIT.split(sentence):
                c_start = a + sentence.find(clause, offset)
                offset = c_start - a + len(clause)
                figures = [m for m in FIGURE.finditer(clause) if _is_figure(clause, m, 0)]
                stated = periods_in(clause)
                first_fig = figures[0].start() if figures else len(clause)
                for p in stated:
                    if p.start() < first_fig:
                        if running and clause[max(0, p.start() - 2):p.start()] == " (":
                            continue  # the dates explaining the period just read
                        running = _period_text(clause, p)
                        if line_period is None and c_start < 60:
                            line_period = running  # "Năm 2025 (…): …" opens the line
                # Only the figures after the last ':' that is followed by a figure are values:
                # in "trẻ dưới 06 tuổi: 90 trường hợp" the 06 belongs to the label.
                for i, m in enumerate(figures):
                    nxt = figures[i + 1].start() if i + 1 < len(figures) else len(clause)
                    if ":" in clause[m.end():nxt] and i + 1 < len(figures):
                        continue
                    unit = unit_phrase(clause, m.end(1) if clause[m.end(1):m.end(0)].strip() != "%" else m.end(0) - 1)
                    if clause[m.end(1):m.end(0)].strip() == "%":
                        unit = "%"
                    if unit is None and not clause[m.end(0):].lstrip().startswith("%"):
                        continue  # a bare number says nothing a clerk can reuse
                    period = running or line_period or lead or heading_period or default_period
                    out.append(FigureRecord(
                        value=m.group(1), unit=unit, label=_label(clause, m.start(), m.end(0), unit),
                        period=period, section=section, page=page, clause=clause.strip(" \t-+•"),
                        start=line_start + c_start + m.start(1), end=line_start + c_start + m.end(1)))
    return out


# --- periods as intervals, for comparing them ------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@lru_cache(maxsize=2048)
def period_interval(period: str | None, today: date | None = None) -> tuple[date, date] | None:
    """The days a period covers: "Năm 2025" → 1/1–31/12/2025, "Quý I năm 2026" → 1/1–31/3/2026,
    "6 tháng đầu năm 2026" → 1/1–30/6/2026, "từ 01/7/2025 đến nay" → 1/7/2025–today."""
    if not period:
        return None
    p = fold(period)
    dates = re.findall(r"(\d{1,2})/(\d{1,2})/(\d{4})", p)
    try:
        if re.search(r"(?<![a-z])tu (?:ngay )?\d", p) and dates:
            start = date(int(dates[0][2]), int(dates[0][1]), int(dates[0][0]))
            end = date(int(dates[1][2]), int(dates[1][1]), int(dates[1][0])) if len(dates) > 1 else (today or date.max)
            return start, end
        m = re.search(r"quy (i{1,3}|iv|[1-4])(?:/| nam )(\d{4})", p)
        if m:
            q = _ROMAN.get(m.group(1)) or int(m.group(1))
            y = int(m.group(2))
            end_month = q * 3
            return date(y, end_month - 2, 1), _month_end(y, end_month)
        m = re.search(r"(\d{1,2}|sau|chin) thang (dau|cuoi) nam (\d{4})", p)
        if m:
            n = {"sau": 6, "chin": 9}.get(m.group(1)) or int(m.group(1))
            y = int(m.group(3))
            if m.group(2) == "dau":
                return date(y, 1, 1), _month_end(y, n)
            return date(y, 13 - n, 1), date(y, 12, 31)
        m = re.search(r"thang (\d{1,2})(?:/| nam )(\d{4})", p)
        if m:
            y, mo = int(m.group(2)), int(m.group(1))
            return date(y, mo, 1), _month_end(y, mo)
        m = re.search(r"(?:nam hoc|giai doan|nhiem ky) (\d{4}) ?- ?(\d{4})", p)
        if m:
            return date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
        m = re.search(r"nam (\d{4})", p)
        if m:
            y = int(m.group(1))
            return date(y, 1, 1), date(y, 12, 31)
    except ValueError:
        return None
    return None


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1).fromordinal(date(year, month + 1, 1).toordinal() - 1)


def periods_compatible(a: str | None, b: str | None) -> bool:
    """False only when both periods are known and do not overlap ("Năm 2025" vs "Quý I năm 2026")."""
    ia, ib = period_interval(a), period_interval(b)
    if ia is None or ib is None:
        return True
    return ia[0] <= ib[1] and ib[0] <= ia[1]
