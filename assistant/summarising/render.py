"""The summary as people read it: the header with the date as "22/02/2026", the overview, every
figure on one line grouped by field and period, each section's substance (causes by side,
recommendations by addressee) and, when asked, the comparison with the last period as a table.
Pure functions of the Summary; the app and the CLI show this text, the JSON keeps ISO dates."""
from __future__ import annotations

import re

from ..figures import FigureRecord
from ..text import vn_date
from .compare import COMPARISON_HEADERS, comparison_rows, period_heading
from .extract import Summary

SIDES = {"objective": "Nguyên nhân khách quan", "subjective": "Nguyên nhân chủ quan", None: "Nguyên nhân"}
NO_ADDRESSEE = "Không nêu cơ quan"
OWN_PERIOD = "Kỳ báo cáo"
FIGURE_HEADERS = ["Lĩnh vực", "Kỳ", "Chỉ tiêu", "Số liệu", "Mục", "Trang"]
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def figure_groups(s: Summary) -> list[tuple[str, str, list[FigureRecord]]]:
    """(field, period, records) in the report's order of first appearance."""
    groups: dict[tuple[str, str], list[FigureRecord]] = {}
    for r in s.figures:
        key = (s.field_of(r), _cap(r.period or s.period or OWN_PERIOD))
        groups.setdefault(key, []).append(r)
    return [(f, p, rs) for (f, p), rs in groups.items()]


def figure_rows(s: Summary) -> list[list]:
    """Rows of the app's figure table: field, period, label, amount, section, page."""
    return [[f, p, r.label, r.amount(), r.section, r.page or ""] for f, p, rs in figure_groups(s) for r in rs]


def _where(item: dict) -> str:
    parts = [f"mục {item['section']}" if item.get("section") else "", f"trang {item['page']}" if item.get("page") else ""]
    shown = ", ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


def _items(items: list[dict]) -> list[str]:
    return [f"- {i['text']}{_where(i)}" for i in items]


def _section(title: str, items: list[dict], heading: str | None = None) -> list[str]:
    head = f"**{title}**" + (f" — theo mục “{heading}”" if heading else "")
    return ["", head, *(_items(items) or ["- (báo cáo không có mục này)"])]


def comparison_markdown(comparison: dict) -> list[str]:
    a, b = comparison["a"], comparison["b"]
    headers = list(COMPARISON_HEADERS)
    headers[2], headers[3] = period_heading(a), period_heading(b)
    lines = ["", "**So sánh với kỳ trước**"]
    if comparison.get("warning"):
        lines.append(f"_{comparison['warning']}_")
    rows = comparison_rows(comparison)
    both = sum(1 for r in comparison["rows"] if r.get("a") and r.get("b"))
    lines.append(f"{both} chỉ tiêu có ở cả hai kỳ; {len(rows) - both} chỉ tiêu chỉ có ở một kỳ.")
    lines += ["", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    notes = [f"- {r['label']}: {r['note']}" for r in comparison["rows"] if r.get("note")]
    if notes:
        lines += ["", "Lưu ý:", *notes]
    return lines


def people_dates(text: str) -> str:
    """ISO dates a model may write ("2026-02-22") as staff read them ("22/02/2026")."""
    return _ISO_DATE.sub(lambda m: vn_date(m.group(0)), text)


def render(s: Summary) -> str:
    head = " — ".join(x for x in (s.unit, f"Số {s.number}" if s.number else None,
                                  f"ngày {vn_date(s.date)}" if s.date else None) if x)
    lines = [f"**{s.title or 'Báo cáo'}**", head]
    if s.period:
        lines.append(f"Kỳ báo cáo: {s.period}")
    lines += ["", "**Tóm tắt**", people_dates(s.overview) or "(chưa có)"]
    lines += ["", f"**Số liệu chính** ({len(s.figures)} số liệu, chép nguyên văn từ báo cáo)"]
    if not s.figures:
        lines.append("- (báo cáo không nêu số liệu)")
    for field, period, records in figure_groups(s):
        lines.append(f"_{field} — {period}_")
        lines += [f"- {r.label + ': ' if r.label else ''}{r.amount()}{_where({'section': r.section, 'page': r.page})}"
                  for r in records]
    lines += _section("Khó khăn, vướng mắc, hạn chế", s.difficulties, s.headings.get("difficulties"))
    lines += ["", "**Nguyên nhân**"]
    if not s.causes:
        lines.append("- (báo cáo không có mục này)")
    for side in ("objective", "subjective", None):
        items = [c for c in s.causes if c.get("side") == side]
        if items:
            lines += [f"_{SIDES[side]}:_", *_items(items)]
    lines += _section("Bài học kinh nghiệm", s.lessons, s.headings.get("lessons"))
    lines += ["", "**Nhiệm vụ, giải pháp, phương hướng**"]
    if not s.tasks:
        lines.append("- (báo cáo không có mục này)")
    groups: dict[str | None, list[dict]] = {}
    for t in s.tasks:
        groups.setdefault(t.get("group"), []).append(t)
    for group, items in groups.items():
        if group:
            lines.append(f"_{group}:_")
        lines += _items(items)
    lines += ["", "**Kiến nghị, đề xuất**"]
    if not s.recommendations:
        lines.append("- (báo cáo không có mục này)")
    by_whom: dict[str | None, list[dict]] = {}
    for r in s.recommendations:
        by_whom.setdefault(r.get("addressee"), []).append(r)
    for who, items in by_whom.items():
        lines += [f"_Đối với {who}:_" if who else f"_{NO_ADDRESSEE}:_", *_items(items)]
    if s.comparison:
        lines += comparison_markdown(s.comparison)
    return "\n".join(lines)
