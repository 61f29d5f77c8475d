"""Verification of generated text with the same engine that checks users' drafts.

Every citation the model writes is checked against the registry and against the retrieved
sources; every figure is looked up in the sources; [n] markers must point at a source. Anything
that fails is a finding, and the answer text marks it "chưa xác minh".
"""
from __future__ import annotations

import bisect
import re
from dataclasses import asdict, is_dataclass

from .citations import check_text, normalise_number
from .documents import Hit
from .text import FIGURE, MARKER, UNVERIFIED, nfc, unit_after

BEFORE_WINDOW = 40
# Findings shown in the text itself: a wrong or unknown citation must be impossible to miss.
MARKED_CODES = {"unknown-document", "date-mismatch", "title-mismatch", "issuer-mismatch", "type-code-mismatch",
                "future-date", "invalid-date"}


def as_dict(finding) -> dict:
    d = asdict(finding) if is_dataclass(finding) else dict(finding)
    return {k: d.get(k) for k in ("code", "severity", "message", "start", "end", "text", "suggestion")}


def source_numbers(hits: list[Hit]) -> set[str]:
    from .citations import find_citations

    out = set()
    for h in hits:
        if h.number:
            out.add(normalise_number(h.number))
        for c in find_citations(h.text):
            if c.number:
                out.add(c.number)
    return out


_CLAIM_LINE = re.compile(r"^[ \t]*(?:[-+•*]|[a-zđ]\)|\d+(?:\.\d+)*\.?)?[ \t]*(.+)$", re.MULTILINE)


def _unmarked_claims(text: str) -> list[dict]:
    """Lines that state something (five words or more) without any [n] marker: not traceable."""
    out = []
    for m in _CLAIM_LINE.finditer(text):
        body = m.group(1).strip()
        numbered = m.group(0).strip() != body
        if len(body.split()) < 5 or MARKER.search(body) or body.endswith(":") or body.isupper():
            continue
        if numbered and len(body.split()) <= 10 and not body.endswith("."):
            continue  # a numbered heading ("1.3. Phân quyền, phân cấp trong lĩnh vực tư pháp")
        out.append({
            "code": "unsupported-claim", "severity": "info", "start": m.start(1), "end": m.end(1),
            "text": body[:200], "message": "Ý này không ghi nguồn [n] nên chưa truy được tới tài liệu — " + UNVERIFIED + ".",
            "suggestion": "Đối chiếu với các nguồn bên cạnh, thêm số nguồn hoặc bỏ ý này.",
        })
    return out


def verify_generated(text: str, hits: list[Hit], *, check_figures: bool = True,
                     require_markers: bool = False) -> tuple[list[dict], list]:
    """Findings for generated text, plus its citations (with statuses).

    `require_markers` is for report drafts: every statement must point at a source, and the NĐ 30/2020
    rule on full first citations applies; a chat answer may cite briefly.
    """
    text = nfc(text)
    result = check_text(text)
    findings = [as_dict(f) for f in result.findings if f.code != "format"
                and (require_markers or not (f.code == "incomplete-citation" and f.severity == "info"))]
    known = source_numbers(hits)
    for c in result.citations:
        if c.number and c.number not in known:
            findings.append({
                "code": "unsupported-claim", "severity": "warning", "start": c.start, "end": c.end, "text": c.text,
                "message": f"Văn bản {c.number} không có trong các nguồn đã truy xuất — {UNVERIFIED}.",
                "suggestion": "Kiểm tra lại văn bản gốc hoặc bỏ trích dẫn này.",
            })
            if c.status == "verified":
                c.status = "unknown"  # in the registry, but not supported by the sources given
    for m in MARKER.finditer(text):
        n = int(m.group(1))
        if not 1 <= n <= len(hits):
            findings.append({
                "code": "unsupported-claim", "severity": "warning", "start": m.start(), "end": m.end(),
                "text": m.group(0), "message": f"Đánh dấu nguồn {m.group(0)} không ứng với nguồn nào.",
                "suggestion": "Bỏ đánh dấu này hoặc kiểm tra lại nguồn.",
            })
    if check_figures:
        findings += _figure_findings(text, hits, result.citations)
    if require_markers:
        findings += _unmarked_claims(text)
    findings.sort(key=lambda f: (f["start"] or 0, f["code"]))
    return findings, result.citations


_ORDINAL_BEFORE = re.compile(r"(?:mục|điều|khoản|điểm|chương|phần|tiết|lần|bước|giai đoạn|quý|tháng|năm|ngày|số)\s*$",
                             re.I)
_FENCE = re.compile(r"<{2,3}[‹<]?\s*(?:HẾT\s+)?NGUỒN\s*\d*\s*[>›]{1,3}|[‹]{3}|[›]{3}")


def strip_fences(text: str) -> str:
    """Source delimiters the model sometimes echoes back are not part of an answer."""
    return _FENCE.sub("", text)


def _citation_parts(citations) -> list[tuple[int, int]]:
    """Spans that belong to a citation's identity (type, number, date), where numbers are not figures."""
    spans = []
    for c in citations:
        parts = [p for p in (c.type_span, c.number_span, c.date_span) if p]
        spans += parts or [(c.start, c.end)]
    return spans


def _figure_findings(text: str, hits: list[Hit], citations) -> list[dict]:
    spans = _citation_parts(citations)
    source_text = " ".join(nfc(h.text) for h in hits)
    source_figures: dict[str, set[str | None]] = {}
    for m in FIGURE.finditer(source_text):
        source_figures.setdefault(m.group(1), set()).add(unit_after(source_text, m.end(1)))
    spans.sort()
    span_starts = [s for s, _ in spans]
    out = []
    line_start, scanned = 0, 0
    for m in FIGURE.finditer(text):
        value = m.group(1)
        k = bisect.bisect_right(span_starts, m.start(1)) - 1
        if k >= 0 and any(s <= m.start(1) < e for s, e in spans[max(0, k - 8):k + 1]):
            continue  # (spans rarely nest; the few before it are enough)
        nl = text.rfind("\n", scanned, m.start())  # figures come in order: each stretch scanned once
        scanned = m.start()
        if nl >= 0:
            line_start = nl + 1
        # Only the last words before a figure matter ("Điều", "năm", …): a bounded window.
        before = text[max(line_start, m.start() - BEFORE_WINDOW):m.start()]
        at_line_start = m.start() - line_start <= BEFORE_WINDOW and not before.strip()
        if at_line_start and text[m.end(1):m.end(1) + 1] in (".", ")"):
            continue  # outline numbering ("1.", "2)") at the start of a line
        if MARKER.match(text, max(0, m.start() - 1)) or _ORDINAL_BEFORE.search(before):
            continue  # [n] markers, "Điều 7", "mục 1", "năm 2025" are not figures
        unit = unit_after(text, m.end(1))
        units = source_figures.get(value)
        if units is not None and (unit is None or unit in units or units == {None}):
            continue
        end = m.end(1) + (1 if text[m.end(1):m.end(1) + 1] == "%" else 0)
        if units is not None:  # the number is in the sources, but counting something else
            seen = ", ".join(sorted(f"{value} {u}" for u in units if u))
            out.append({
                "code": "unsupported-claim", "severity": "warning", "start": m.start(1), "end": end,
                "text": text[m.start(1):end],
                "message": f"Số liệu '{value} {unit}' không có trong các nguồn (nguồn ghi {seen}) — {UNVERIFIED}.",
                "suggestion": "Kiểm tra lại đơn vị tính của số liệu trong báo cáo gốc.",
            })
            continue
        out.append({
            "code": "unsupported-claim", "severity": "warning", "start": m.start(1), "end": end,
            "text": text[m.start(1):end],
            "message": f"Số liệu '{text[m.start(1):end]}' không tìm thấy trong các nguồn — {UNVERIFIED}.",
            "suggestion": "Đối chiếu với báo cáo gốc trước khi sử dụng.",
        })
    return out


def mark_unverified(text: str, findings: list[dict]) -> str:
    """Insert a visible "(chưa xác minh)" after each unsupported or unknown citation/figure."""
    marks = sorted({f["end"] for f in findings
                    if f.get("end") is not None and (f["code"] in MARKED_CODES or (
                        f["code"] == "unsupported-claim" and f.get("severity") != "info"))},
                   reverse=True)
    text = nfc(text)
    for end in marks:
        text = text[:end] + f" ({UNVERIFIED})" + text[end:]
    return text
