"""The figures of a whole report as records (assistant.figures), read section by section so that each
record carries its section path, its page, and the period its headings state."""
from __future__ import annotations

import bisect
from itertools import groupby

from ..figures import FigureRecord, extract_figures, first_period
from .outline import Block, Heading, section_path


def _heading_period(path: tuple[Heading, ...]) -> str | None:
    """The period the nearest heading states ("IV. NHIỆM VỤ TRỌNG TÂM 6 THÁNG ĐẦU NĂM 2026")."""
    for h in reversed(path):
        p = first_period(h.title)
        if p:
            return p
    return None


def report_figures(blocks: list[Block], default_period: str | None = None) -> list[FigureRecord]:
    """Records of every figure, in order. The header gives none (its number, date and term are not
    figures), but a paragraph of facts may come before the first heading ("Xã … có diện tích tự nhiên
    96,35 km², dân số 27.640 người")."""
    out: list[FigureRecord] = []
    body = [b for b in blocks if b.kind != "heading"]
    for path, group in groupby(body, key=lambda b: b.path):
        parts, starts, pages = [], [], []
        offset = 0
        for b in group:
            starts.append(offset)
            pages.append(b.page)
            parts.append(b.text)
            offset += len(b.text) + 1
        records = extract_figures("\n".join(parts), section=section_path(path),
                                  heading_period=_heading_period(path), default_period=default_period)
        for r in records:
            r.page = pages[max(0, bisect.bisect_right(starts, r.start) - 1)]
        out += records
    return out
