"""Verification of generated text with the same engine that checks users' drafts.

Every citation the model writes is checked against the registry and against the retrieved
sources; every figure is looked up in the sources; [n] markers must point at a source. Anything
that fails is a finding, and the answer text marks it "chưa xác minh".
"""
from __future__ import annotations

import bisect
import re
from dataclasses import asdict, is_dataclass
from datetime import date

from .citations import check_text, find_citations, normalise_number
from .documents import Hit
from .figures import ORDINAL_BEFORE, FigureRecord, extract_figures, first_period, period_answers, periods_compatible
from .text import FIGURE, GAP_OPEN, MARKER, UNVERIFIED, fold, nfc, unit_after
from .units import Unit, mentions, same_unit

BEFORE_WINDOW = 40
# Findings shown in the text itself: a wrong or unknown citation must be impossible to miss.
MARKED_CODES = {"unknown-document", "date-mismatch", "title-mismatch", "issuer-mismatch", "type-code-mismatch",
                "future-date", "invalid-date"}


def finding(code: str, severity: str, text: str, start: int, end: int, message: str,
            suggestion: str | None = None) -> dict:
    """A finding on generated text (the checker's JSON shape), `text` being the whole text."""
    return {"code": code, "severity": severity, "start": start, "end": end, "text": text[start:end],
            "message": message, "suggestion": suggestion}


def as_dict(item) -> dict:
    """A checker Finding (dataclass) or a finding dict, as the JSON shape."""
    d = asdict(item) if is_dataclass(item) else dict(item)
    return {k: d.get(k) for k in ("code", "severity", "message", "start", "end", "text", "suggestion")}


def source_numbers(hits: list[Hit]) -> set[str]:
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
        if len(body.split()) < 5 or MARKER.search(body) or body.endswith(":") or body.isupper() \
                or body.startswith(GAP_OPEN):
            continue  # (a "[cần bổ sung: …]" line says what is missing; it claims nothing)
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
        if MARKER.match(text, max(0, m.start() - 1)) or ORDINAL_BEFORE.search(before):
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


# --- each marker answers for itself ----------------------------------------------------------------

_SENTENCE_MARKERS = re.compile(r"(?:\s*\[\d{1,3}\])+")


def _claims(text: str) -> list[tuple[int, int, list[int]]]:
    """(start, end, markers) of each marked stretch: a sentence or line and the markers that close
    it ("… 153 trường hợp [2]."). Stretches without markers are left to `_unmarked_claims`."""
    out = []
    start = 0
    for m in _SENTENCE_MARKERS.finditer(text):
        markers = [int(x) for x in MARKER.findall(m.group(0))]
        # the stretch runs back to the previous marker run, line start, or sentence end
        line_start = text.rfind("\n", 0, m.start()) + 1
        s = max(start, line_start)
        out.append((s, m.start(), markers))
        start = m.end()
    return out


def _source_records(hit: Hit) -> list:
    key = "_figure_records"
    if key not in hit.meta:
        hit.meta[key] = extract_figures(hit.text, section=hit.section, page=hit.page)
    return hit.meta[key]


def _holds(hit: Hit, value: str, unit: str | None) -> list:
    """Records of `value` (with a compatible unit) in the source; [] when it does not hold it."""
    first = (unit or "").split()[0] if unit else None
    out = []
    for r in _source_records(hit):
        if r.value != value:
            continue
        have = (r.unit or "").split()[0] if r.unit else None
        if first is None or have is None or have == first:
            out.append(r)
    if not out:  # a figure the record reader passed over (no unit word): plain presence counts
        for m in FIGURE.finditer(nfc(hit.text)):
            if m.group(1) == value:
                u = unit_after(nfc(hit.text), m.end(1))
                if first is None or u is None or u == first:
                    out.append(FigureRecord(value=value, unit=u, label="", period=None))
    return out


# Words many figure labels share ("Đăng ký …", "Tổng số …", "Thủ tục …"): they do not tell what a figure counts.
_LABEL_FILLER = frozenset(fold(w) for w in (
    "đăng", "ký", "tổng", "số", "thủ", "tục", "công", "tác", "thực", "hiện", "trong", "đó", "của",
    "và", "các", "cho", "được", "đã", "xã", "ủy", "ban", "nhân", "dân", "ubnd", "năm", "quý", "tháng", "kỳ",
    "việc", "trường", "hợp", "người", "lượt", "hồ", "sơ", "cấp", "tại", "với", "theo", "về", "là", "có"))


def _label_words(label: str) -> set[str]:
    """The words that say what a figure counts: "Đăng ký kết hôn" → {kết… hôn}; none for a label too
    vague to compare."""
    words = {w for w in fold(label or "").replace(",", " ").split() if len(w) > 1 and not w.isdigit()}
    distinct = words - _LABEL_FILLER
    return distinct if len(distinct) >= 2 else set()


def _in(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def marker_findings(text: str, hits: list[Hit], *, unit: Unit | None = None,
                    trusted_spans: list[tuple[int, int]] | None = None) -> list[dict]:
    """Each figure marked [n] must be held by source n itself: held only by another source is
    `source-mismatch`; taken from a document of another unit than the one the text is about,
    `other-unit`; stated for another period than its source gives, `period-mismatch`."""
    text = nfc(text)
    trusted = trusted_spans or []
    out = []
    for start, end, markers in _claims(text):
        stretch = text[start:end]
        valid = [n for n in markers if 1 <= n <= len(hits)]
        if not valid:
            continue
        named = mentions(stretch)
        for r in extract_figures(stretch):
            pos = start + r.start
            if _in(trusted, pos):
                continue
            f_start, f_end = pos, start + r.end
            shown = f"{r.value} {r.unit}".strip() if r.unit != "%" else f"{r.value}%"
            holders = [(n, rec) for n in valid for rec in _holds(hits[n - 1], r.value, r.unit)]
            if not holders:
                elsewhere = [i for i, h in enumerate(hits, 1) if i not in valid and _holds(h, r.value, r.unit)]
                if elsewhere:
                    out.append(finding(
                        "source-mismatch", "warning", text, f_start, f_end,
                        f"Số liệu '{shown}' ghi nguồn {''.join(f'[{n}]' for n in valid)}, nhưng nguồn đó không có số "
                        f"liệu này; số liệu có ở nguồn {''.join(f'[{n}]' for n in elsewhere)}.",
                        f"Sửa đánh dấu nguồn thành [{elsewhere[0]}] sau khi đối chiếu, hoặc bỏ số liệu."))
                continue
            units = {hits[n - 1].meta.get("unit_key"): hits[n - 1].meta.get("unit") for n, _ in holders
                     if hits[n - 1].meta.get("unit_key")}
            about = [u for u in named] or ([unit] if unit is not None else [])
            wrong = [name for key, name in units.items() if about and not any(same_unit(key, a.key) for a in about)]
            if wrong and len(wrong) == len(units):
                out.append(finding(
                    "other-unit", "error", text, f_start, f_end,
                    f"Số liệu '{shown}' lấy từ báo cáo của {wrong[0]}, không phải của {about[0].name}.",
                    f"Dùng số liệu trong báo cáo của {about[0].name}, hoặc ghi rõ đơn vị có số liệu này."))
                continue
            labelled = [rec for _, rec in holders if _label_words(rec.label)]
            if labelled and not any(_label_words(rec.label) & set(fold(stretch).split()) for rec in labelled):
                n = next(n for n, rec in holders if rec in labelled)
                out.append(finding(
                    "source-mismatch", "warning", text, f_start, f_end,
                    f"Số liệu '{shown}' trong nguồn [{n}] là của \"{labelled[0].label}\", không phải của điều câu "
                    "này nói.", "Đối chiếu lại số liệu với nguồn, sửa nội dung hoặc bỏ số liệu."))
                continue
            stated = r.period
            if stated:
                periods = [rec.period for _, rec in holders if rec.period]
                if periods and not any(periods_compatible(stated, p) for p in periods):
                    out.append(finding(
                        "period-mismatch", "warning", text, f_start, f_end,
                        f"Số liệu '{shown}' được ghi cho '{stated}', nhưng nguồn ghi số liệu này cho '{periods[0]}'.",
                        f"Sửa thời gian thành '{periods[0]}' hoặc dùng số liệu của kỳ '{stated}'."))
    return out


def _outside(findings: list[dict], spans: list[tuple[int, int]]) -> list[dict]:
    """Findings not inside the system's own sentences (written from the registry and the register)."""
    return [f for f in findings if not (f.get("start") is not None and _in(spans, f["start"]))]


def draft_findings(text: str, hits: list[Hit], *, unit: Unit | None = None, report_date: date | None = None,
                   trusted_spans: list[tuple[int, int]] | None = None) -> list[dict]:
    """Every finding on a drafted part: citations, figures and markers (verify_generated), each
    marker for itself (marker_findings), cited documents dated after the report. Spans the system
    wrote from the registry and the task register (`trusted_spans`) are facts, not claims."""
    text = nfc(text)
    trusted = trusted_spans or []
    findings, _ = verify_generated(text, hits, require_markers=True)
    findings = _outside(findings, trusted)
    findings += marker_findings(text, hits, unit=unit, trusted_spans=trusted)
    if report_date:  # a cited document dated after the report is wrong in a draft too
        findings += [as_dict(f) for f in check_text(text, report_date=report_date).findings if f.code == "future-date"]
    findings.sort(key=lambda f: (f["start"] or 0, f["code"]))
    return findings


def answer_findings(text: str, hits: list[Hit], *, unit: Unit | None = None,
                    period: str | None = None) -> list[dict]:
    """Every finding on a chat answer: as for drafts, but brief citations are fine; for a question
    about a period, a figure its sources give for another period (`asked_period_findings`)."""
    findings, _ = verify_generated(text, hits)
    findings += marker_findings(text, hits, unit=unit)
    if period:
        findings += asked_period_findings(text, hits, period, findings)
    findings.sort(key=lambda f: (f["start"] or 0, f["code"]))
    return findings


def dated_records(hit: Hit) -> list:
    """The source's figure records, a report's figures without a stated period taking the report's
    own (read at ingestion from its title or opening, else from the title: "… 6 tháng cuối năm 2025")."""
    key = "_dated_records"
    if key not in hit.meta:
        own = (hit.meta.get("period") or first_period(hit.title)) if hit.meta.get("unit") else None
        hit.meta[key] = extract_figures(hit.text, section=hit.section, page=hit.page, default_period=own)
    return hit.meta[key]


def report_date_of(hit: Hit) -> date | None:
    try:
        return date.fromisoformat(str(hit.meta.get("date") or ""))
    except ValueError:
        return None


def asked_period_findings(text: str, hits: list[Hit], asked: str, existing: list[dict] | None = None) -> list[dict]:
    """A question about one period ("… trong quý I năm 2026?") answered with a figure its sources give
    only for another or a longer period is `period-mismatch`, marked or not: a small model takes the
    figure of the period beside the one asked as often as not."""
    text = nfc(text)
    taken = [(f.get("start") or 0, f.get("end") or 0) for f in existing or []]
    claims = _claims(text)
    out = []
    for r in extract_figures(text):
        if any(a < r.end and r.start < b for a, b in taken):
            continue
        markers = next((m for s, e, m in claims if s <= r.start < e), [])
        chosen = [hits[n - 1] for n in markers if 1 <= n <= len(hits)] or hits
        first = (r.unit or "").split()[0] if r.unit else None
        held = [(rec.period, report_date_of(h)) for h in chosen for rec in dated_records(h)
                if rec.value == r.value and (first is None or not rec.unit or rec.unit.split()[0] == first)]
        if not held or any(p is None or period_answers(asked, p, d) for p, d in held):
            continue
        shown = f"{r.value} {r.unit}".strip() if r.unit != "%" else f"{r.value}%"
        out.append(finding(
            "period-mismatch", "warning", text, r.start, r.end,
            f"Câu hỏi hỏi về '{asked}', nhưng nguồn ghi số liệu '{shown}' cho '{held[0][0]}'.",
            f"Nguồn không có số liệu riêng của kỳ '{asked}'; đối chiếu lại hoặc ghi rõ kỳ của số liệu."))
    return out
