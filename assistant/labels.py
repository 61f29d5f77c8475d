"""What the app and the exports show alike: severity and citation-status labels, the highlighter
that marks each finding's span in the checked text, and the text of a chat message.

The highlighter is a pure function over offsets (`segments`); the app turns its pieces into
`<mark>` elements, the Word export into highlighted runs, with the colours named here.
"""
from __future__ import annotations

import itertools
from typing import NamedTuple

SEVERITY_LABEL = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Ghi chú"}
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
STATUS_LABEL = {"verified": "Đã xác minh", "mismatch": "Sai lệch", "unknown": "Chưa có trong danh mục",
                "local": "Văn bản địa phương", "incomplete": "Thiếu thông tin"}
# Word's highlight colour per severity (names of docx.enum.text.WD_COLOR_INDEX members).
WORD_HIGHLIGHT = {"error": "PINK", "warning": "YELLOW", "info": "TURQUOISE"}


def field(item, key: str):
    """A finding's or citation's field, whether it is a dict (JSON) or an object (dataclass)."""
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def severity_label(severity: str | None) -> str:
    return SEVERITY_LABEL.get(severity, severity or "")


def status_label(status: str | None) -> str:
    return STATUS_LABEL.get(status, status or "")


def severity_counts(findings: list) -> dict[str, int]:
    """{'error': n, 'warning': n, 'info': n} over the findings."""
    return {s: sum(1 for f in findings if field(f, "severity") == s) for s in SEVERITY_LABEL}


def counts_phrase(findings: list) -> str:
    """'2 lỗi, 1 cảnh báo, 0 ghi chú'."""
    counts = severity_counts(findings)
    return ", ".join(f"{counts[s]} {label.lower()}" for s, label in SEVERITY_LABEL.items())


class Segment(NamedTuple):
    """A piece of the text: [start, end), the strongest severity covering it (None: unmarked), and
    the findings that cover it."""

    start: int
    end: int
    severity: str | None
    findings: list


def segments(text: str, findings: list, lo: int = 0, hi: int | None = None) -> list[Segment]:
    """`text[lo:hi]` cut at every finding's start and end (offsets into the NFC text); findings
    whose span is missing or falls outside the text are left out. Empty when the range is."""
    hi = len(text) if hi is None else hi
    spans = []
    for f in findings:
        start, end = field(f, "start"), field(f, "end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            spans.append((start, end, field(f, "severity") or "info", f))
    cuts = sorted({lo, hi, *(s for s, *_ in spans if lo < s < hi), *(e for _, e, *_ in spans if lo < e < hi)})
    out = []
    for a, b in itertools.pairwise(cuts):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        severity = max(covering, key=lambda s: SEVERITY_RANK.get(s[2], 0))[2] if covering else None
        out.append(Segment(a, b, severity, [s[3] for s in covering]))
    return out


def message_text(content) -> str:
    """A chat message's text: Gradio 6 sends content as a string or a list of {"type", "text"} parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return content.get("text") or ""
    if isinstance(content, (list, tuple)):
        return "".join(message_text(p) for p in content)
    return ""
