"""One period set beside the last: the same indicators of two reports side by side.

Each report gives the figures of its own period (those it states for another period — last year's
column of a comparison table, a target for next period — are not its own). Indicators are matched
across the reports by the words of their labels (accent-folded, without the unit's words), best
pairs first, never by position; a pair needs a compatible unit. The change is A − B, with the
percentage of B; for a rate (%) the change is in percentage points. An indicator found in one
report only is listed as such.
"""
from __future__ import annotations

import re

from ..figures import FigureRecord, period_interval
from ..text import figure_value, fold, vn_date
from .extract import Summary
from .sections import SECTION_KINDS

MATCH_AT = 0.6          # Dice similarity of two labels' words for "the same indicator"
SAME_RECORD_AT = 0.5    # two records of one report with one value and this similarity are one indicator
STOPWORDS = frozenset("cua va cac duoc da trong cho voi la nhung ve co theo tai tren nay do den tu ra vao khi "
                      "mot".split())
NEGATIONS = frozenset({"khong", "chua"})
CHANGES = frozenset({"tang", "giam", "them", "bo_sung"})
_CONTEXT = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"[^\W\d_]+")


def label_words(record: FigureRecord) -> frozenset[str]:
    """The words a label counts by: folded, without stopwords, and without the unit's own words
    unless the label is the unit itself ("Hòa giải viên (…)": 218 hòa giải viên)."""
    unit = set(fold(record.unit or "").split())
    folded = fold(record.label)
    words = [w for w in _WORD.findall(folded) if w not in STOPWORDS] + (["bo_sung"] if "bo sung" in folded else [])
    core = {w for w in _WORD.findall(fold(_CONTEXT.sub(" ", record.label))) if w not in STOPWORDS}
    if core and core <= unit:
        return frozenset(words)
    return frozenset(w for w in words if w not in unit) or frozenset(unit)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice similarity of two labels' words; 0 when one says "không"/"chưa" and the other does not
    ("Hòa giải không thành" is not "Hòa giải thành"), or one counts a change the other does not
    ("bổ sung 01 công chức" is not "03 công chức")."""
    if not a or not b or bool(a & NEGATIONS) != bool(b & NEGATIONS) or (a & CHANGES) != (b & CHANGES):
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _unit_key(unit: str | None) -> str:
    return fold(unit).split()[0] if unit else ""


def units_compatible(a: str | None, b: str | None) -> bool:
    return _unit_key(a) == _unit_key(b)


def is_own_period(record: FigureRecord, s: Summary) -> bool:
    """A figure of the report's own period: none stated, the report's, or covering the same days."""
    if not record.period:
        return True
    p = fold(record.period).strip()
    if p.startswith("trong ky"):
        return True
    if not s.period:
        return False
    own = fold(s.period).strip()
    if p == own or p.startswith(own + " "):
        return True
    days = period_interval(record.period)
    return days is not None and days == period_interval(s.period)


def own_figures(s: Summary) -> list[FigureRecord]:
    """The report's figures for its own period, outside its difficulties, causes, plans and proposals,
    each indicator once (the text and a table in another section restating it are one)."""
    out: list[tuple[FigureRecord, frozenset[str]]] = []
    for r in s.figures:
        if not is_own_period(r, s) or figure_value(r.value) is None or s.section_kinds.get(r.section) in SECTION_KINDS:
            continue  # a count in the difficulties, causes, plans or proposals is not a result of the period
        words = label_words(r)
        if any(r.value == o.value and r.section != o.section and units_compatible(r.unit, o.unit)
               and similarity(words, w) >= SAME_RECORD_AT for o, w in out):
            continue
        out.append((r, words))
    return [r for r, _ in out]


def _vn_number(x: float, decimals: int = 1) -> str:
    """1707 → "1.707", 6.7 → "6,7" (Vietnamese marks)."""
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}".replace(",", ".")
    return f"{x:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def change(a: FigureRecord, b: FigureRecord) -> tuple[str | None, str | None]:
    """("+38", "+17,8%") for A − B; for a rate, ("+6,7 điểm %", None)."""
    va, vb = figure_value(a.value), figure_value(b.value)
    if va is None or vb is None:
        return None, None
    diff = va - vb
    sign = "+" if diff > 0 else ("−" if diff < 0 else "")
    if a.unit == "%":
        return (f"{sign}{_vn_number(abs(diff))} điểm %" if diff else "0"), None
    shown = f"{sign}{_vn_number(abs(diff))}" if diff else "0"
    pct = None if vb == 0 else f"{sign}{_vn_number(abs(diff) / vb * 100)}%" if diff else "0%"
    return shown, pct


def _side(r: FigureRecord | None, s: Summary) -> dict | None:
    if r is None:
        return None
    return {"value": r.value, "unit": r.unit, "period": r.period or s.period, "label": r.label,
            "section": r.section, "page": r.page}


def _about(s: Summary) -> dict:
    return {"source": s.source, "number": s.number, "date": s.date, "title": s.title, "period": s.period,
            "commune": s.commune}


def _restated(a: Summary, b: Summary, rb: FigureRecord, words: frozenset[str]) -> FigureRecord | None:
    """The figure A itself gives for B's period under the very same words (a comparison table)."""
    for r in a.figures:
        if r.period and b.period and not is_own_period(r, a) and units_compatible(r.unit, rb.unit) \
                and is_own_period(FigureRecord(r.value, r.unit, r.label, r.period), b) \
                and label_words(r) == words:
            return r
    return None


def compare_summaries(a: Summary, b: Summary) -> dict:
    """{"a": report A, "b": report B, "rows": [...], "warning"}: each row {"label", "unit", "a", "b",
    "change", "change_percent", "note"}; "a"/"b" is None for an indicator the report does not give."""
    fa, fb = own_figures(a), own_figures(b)
    wa, wb = [label_words(r) for r in fa], [label_words(r) for r in fb]
    candidates = sorted(((similarity(x, y), i, j) for i, x in enumerate(wa) for j, y in enumerate(wb)
                         if units_compatible(fa[i].unit, fb[j].unit)), key=lambda t: (-t[0], t[1], t[2]))
    pair_a: dict[int, int] = {}
    used_b: set[int] = set()
    for score, i, j in candidates:
        if score < MATCH_AT:
            break
        if i in pair_a or j in used_b:
            continue
        pair_a[i] = j
        used_b.add(j)
    rows = []
    for i, ra in enumerate(fa):
        rb = fb[pair_a[i]] if i in pair_a else None
        diff, pct = change(ra, rb) if rb is not None else (None, None)
        note = None
        if rb is not None:
            told = _restated(a, b, rb, wb[pair_a[i]])
            if told is not None and figure_value(told.value) != figure_value(rb.value):
                note = f"Báo cáo kỳ này ghi số liệu kỳ trước là {told.amount()}, khác báo cáo kỳ trước."
        rows.append({"label": ra.label, "unit": ra.unit, "a": _side(ra, a), "b": _side(rb, b),
                     "change": diff, "change_percent": pct, "note": note})
    for j, rb in enumerate(fb):
        if j not in used_b:
            rows.append({"label": rb.label, "unit": rb.unit, "a": None, "b": _side(rb, b),
                         "change": None, "change_percent": None, "note": None})
    warning = None
    if a.commune and b.commune and fold(a.commune) != fold(b.commune):
        warning = (f"Hai báo cáo của hai đơn vị khác nhau ({a.commune}, {b.commune}): so sánh chỉ để tham khảo. "
                   "Hãy chọn hai báo cáo của cùng một đơn vị.")
    return {"a": _about(a), "b": _about(b), "rows": rows, "warning": warning}


def period_heading(side: dict) -> str:
    """A column heading for a person: "6 tháng đầu năm 2026 (BC 97/BC-UBND, 12/06/2026)"."""
    what = side.get("period") or "Kỳ báo cáo"
    ref = ", ".join(x for x in (f"BC {side['number']}" if side.get("number") else None,
                                vn_date(side.get("date")) if side.get("date") else None) if x)
    return f"{what[:1].upper() + what[1:]} ({ref})" if ref else what[:1].upper() + what[1:]


COMPARISON_HEADERS = ["Chỉ tiêu", "Đơn vị tính", "Kỳ này", "Kỳ trước", "Tăng (+), giảm (−)", "Tỷ lệ"]


def comparison_rows(comparison: dict) -> list[list[str]]:
    """Table rows for a person: label, unit, A, B, change, percentage ("chỉ có ở kỳ này" …)."""
    out = []
    for r in comparison["rows"]:
        a, b = r.get("a"), r.get("b")
        unit = r.get("unit") or ""
        out.append([r["label"], "%" if unit == "%" else unit,
                    a["value"] if a else "(không có)", b["value"] if b else "(không có)",
                    r.get("change") or ("chỉ có ở kỳ này" if a and not b else "chỉ có ở kỳ trước" if b and not a else ""),
                    r.get("change_percent") or ""])
    return out
