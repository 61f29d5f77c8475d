"""Each citation against the registry (date, trích yếu, type, issuer) and against NĐ 30/2020
(tên loại ↔ ký hiệu, numbering form, a complete first mention).

Severity policy: `error` only when the fact contradicting the text is certain (an internal
contradiction, or a `verified`/`user` registry entry); a `from-secondary-source` or `corpus`
entry supports a `warning`; style and completeness points are `warning` or `info`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import patterns as P
from .find import Citation
from .findings import Context, Finding, dmy
from .format import format_citation, format_date, law_name
from .issuers import compatible, issuer_code_of, without_term
from .lookalikes import describe, in_span
from .normalise import NumberParts, parse_number
from .resolve import RegistryEntry
from .titles import Signature, different_titles, judge_title

MISMATCH_CODES = {"date-mismatch", "title-mismatch", "issuer-mismatch", "type-code-mismatch"}
_YEAR_DIGITS = re.compile(r"(\d{4})")
_ISSUED_LOOKBACK = 160
_ISSUED_ON = re.compile(r"(?<![a-z])ngay {0,3}(?:\d{1,2} {0,2}[/.-] {0,2}\d{1,2} {0,2}[/.-] {0,2}\d{4}"
                        r"|\d{1,2} {1,3}thang {1,3}\d{1,2} {1,3}nam {1,3}\d{4})")
_ISSUED_VERB = re.compile(r"(?<![a-z])(?:ban hanh|da ky|ky ban hanh)(?![a-z])")
_PARENTHESISED_NOTE = re.compile(r"\s*\(.*?\)")  # "Bộ Tư pháp (Bộ trưởng)"


def label(c: Citation) -> str:
    """How a message names the cited document ('Nghị định số 120/2025/NĐ-CP')."""
    if c.law_name:
        return c.law_name
    return f"{c.doc_type + ' ' if c.doc_type else ''}số {c.number}" if c.number else c.text


def _is_central(parts: NumberParts) -> bool:
    code = P.fkey(parts.issuer_code or "")
    iss = P.ISSUER_BY_CODE.get(code)
    if iss is not None:
        return iss.level == "central"
    return P.fkey(parts.type_code or "") in ("nd", "tt", "ttlt")


def _severity(entry: RegistryEntry) -> str:
    return "error" if entry.trusted else "warning"


def _src(entry: RegistryEntry) -> str:
    return {"verified": "danh mục (đã kiểm chứng)", "from-secondary-source": "danh mục (nguồn thứ cấp, cần kiểm tra lại)",
            "user": "danh mục văn bản của đơn vị", "corpus": "kho văn bản đã nạp"}.get(entry.confidence, "danh mục")


@dataclass
class _Earlier:
    """What the earlier citations of the same text said, for first mentions and contradictions."""
    seen: set[str] = field(default_factory=set)              # lookup keys already cited
    dated: dict[str, Citation] = field(default_factory=dict)  # "key@year" -> first dated mention (no-year numbers)
    years: dict[str, int] = field(default_factory=dict)       # key -> year of that first dated mention
    titled: dict[str, Citation] = field(default_factory=dict)  # identity -> first mention with a trích yếu


def check_citations(ctx: Context, cites: list[Citation]) -> list[Finding]:
    out: list[Finding] = []
    earlier = _Earlier()
    for c in cites:
        fs: list[Finding] = []
        if c.date_invalid:
            fs.append(ctx.finding("invalid-date", "error", f"Ngày \"{c.date_text}\" không tồn tại.", *c.date_span))
        if c.form == "law":
            fs += _check_law(ctx, c)
        elif c.form == "bare":
            fs += _check_bare(ctx, c)
            c.status = "incomplete"
        else:
            fs += _check_numbered(ctx, c, earlier)
        if c.date and ctx.report_date and c.date > ctx.report_date and c.date_span:
            fs.append(ctx.finding("future-date", "error",
                                  f"{label(c)} ghi ngày {dmy(c.date)}, sau ngày của báo cáo ({dmy(ctx.report_date)}): "
                                  "văn bản được viện dẫn không thể ban hành sau báo cáo.", *c.date_span))
        if c.status is None:
            c.status = "unknown"
        if c.status in ("verified",) and any(f.code in MISMATCH_CODES for f in fs):
            c.status = "mismatch"
        out += fs
    return out


def _check_law(ctx: Context, c: Citation) -> list[Finding]:
    fs: list[Finding] = []
    year = c.date.year if c.date else None
    if year is None and c.date_text:
        m = _YEAR_DIGITS.search(c.date_text)
        year = int(m.group(1)) if m else None
    hits = ctx.registry.lookup_law(c.law_name or "", year)
    if len(hits) != 1:
        c.status = "unknown"
        return fs
    entry = hits[0]
    c.number = entry.number
    c.status = "verified"
    if c.date and entry.date and c.date != entry.date:
        note = " (đó là ngày có hiệu lực)" if entry.effective_date == c.date else ""
        fs.append(ctx.finding("date-mismatch", _severity(entry),
                              f"{law_name(entry)} ({entry.number}) được thông qua ngày {dmy(entry.date)}, không phải "
                              f"{dmy(c.date)}{note}. Nguồn: {_src(entry)}.", *c.date_span,
                              suggestion=f"ngày {entry.date.day:02d} tháng {entry.date.month:02d} năm {entry.date.year}"))
        c.status = "mismatch"
    return fs


def _check_bare(ctx: Context, c: Citation) -> list[Finding]:
    parts = parse_number(c.number)
    cands = ctx.registry.candidates(parts.serial_int, parts.year, c.doc_type)
    if len(cands) == 1:
        suggestion = format_citation(cands[0])
        hint = f" Có thể là {cands[0].doc_type} số {cands[0].number}."
    else:
        code = {"Nghị định": "NĐ-CP", "Thông tư": "TT-…", "Nghị quyết": "NQ-…", "Quyết định": "QĐ-…"}.get(c.doc_type or "", "…")
        suggestion = f"{c.doc_type or ''} số {parts.serial}/{parts.year or 'năm'}/{code} ngày … của … về …".strip()
        hint = ""
    return [ctx.finding("incomplete-citation", "warning",
                        f"Viện dẫn \"{c.text}\" thiếu số, ký hiệu đầy đủ (số/năm/ký hiệu), ngày ban hành, cơ quan ban hành "
                        f"và trích yếu (NĐ 30/2020).{hint}", c.start, c.end, suggestion=suggestion)]


def _check_numbered(ctx: Context, c: Citation, earlier: _Earlier) -> list[Finding]:
    fs: list[Finding] = []
    parts = parse_number(c.number)
    dtype = P.TYPE_BY_NAME.get(c.doc_type) if c.doc_type else None
    issuer_fold = P.fkey(without_term(parts.issuer_code or ""))
    issuer = P.ISSUER_BY_CODE.get(issuer_fold)

    type_fs = _type_and_code(ctx, c, parts, dtype, issuer_fold, issuer)
    fs += type_fs
    type_flagged = bool(type_fs)
    fs += _numbering_form(ctx, c, parts, issuer)

    # Issuer phrase ↔ ký hiệu.
    if c.issuer_code and parts.issuer_code and not compatible(c.issuer_code, parts.issuer_code):
        named = P.ISSUER_BY_CODE[P.fkey(c.issuer_code)]
        right = issuer.name if issuer else parts.issuer_code
        fs.append(ctx.finding("issuer-mismatch", "error",
                              f"{label(c)} có ký hiệu \"{parts.issuer_code}\" ({right}) nhưng được ghi là của "
                              f"\"{c.issuer}\" ({named.name}).", *c.issuer_span, suggestion=right))

    # Registry. Numbers without a year (local, HĐND, Party documents) restart every year: the year
    # comes from the date, else from an earlier dated mention, else the registry must know only one.
    year = c.date.year if (c.date and not parts.year) else None
    if year is None and not parts.year:
        year = earlier.years.get(parts.key)
    entry = ctx.registry.lookup(c.number, year=year) if (parts.year or year) else _only_entry(ctx, c.number)
    if entry is not None:
        c.status = "verified"
        fs += _against_entry(ctx, c, entry, parts, type_flagged)
        if not c.date and entry.date and ctx.report_date and entry.date > ctx.report_date:
            fs.append(ctx.finding("future-date", "warning",
                                  f"{label(c)} ban hành ngày {dmy(entry.date)}, sau ngày của báo cáo.", c.start, c.end))
    elif _is_central(parts):
        c.status = "unknown"
    else:
        c.status = "local"
    if c.status == "unknown" and parts.key not in earlier.seen:
        sev = "info" if issuer is not None and issuer.kind == "party" else "warning"
        near = [e for e in ctx.registry.candidates(parts.serial_int) if parse_number(e.number).issuer_code == parts.issuer_code]
        sugg = " hoặc ".join(e.number for e in near[:3]) if near else None
        fs.append(ctx.finding("unknown-document", sev,
                              f"Không tìm thấy {label(c)} trong danh mục văn bản; chưa kiểm tra được ngày ban hành, "
                              "cơ quan ban hành và trích yếu — cần đối chiếu với văn bản gốc.",
                              c.start, c.number_span[1], suggestion=(f"Có phải {sugg}?" if sugg else None)))

    # The same local number cited twice with different dates in the same year.
    if c.date and not parts.year:
        k = f"{parts.key}@{c.date.year}"
        other = earlier.dated.get(k)
        if other is not None and other.date != c.date and c.date_span:
            fs.append(ctx.finding("date-mismatch", "warning",
                                  f"{label(c)} được ghi ngày {dmy(c.date)}, nhưng ở trên ghi ngày {dmy(other.date)}.",
                                  *c.date_span, suggestion=f"ngày {format_date(other.date)}"))
        earlier.dated.setdefault(k, c)
        earlier.years.setdefault(parts.key, c.date.year)

    # The same document cited twice with two different trích yếu (the registry cannot tell which).
    if c.title and c.title_span:
        identity = parts.key + (f"@{year}" if year and not parts.year else "")
        other = earlier.titled.setdefault(identity, c)
        if other is not c and entry is None and different_titles(other.title, c.title):
            fs.append(ctx.finding("title-mismatch", "warning",
                                  f"{label(c)} ở trên được ghi trích yếu \"{other.title}\", ở đây lại là "
                                  f"\"{c.title}\": một văn bản chỉ có một trích yếu.", *c.title_span,
                                  suggestion=other.title))

    fs += _first_mention(ctx, c, parts, dtype, entry, earlier.seen)
    return fs


def _issued_on_before(ctx: Context, c: Citation) -> bool:
    """The sentence gives the date before the citation: "Ngày 05/01/2026, UBND xã ban hành Kế hoạch số …"."""
    lo = max(0, c.start - _ISSUED_LOOKBACK)
    clause = ctx.s[lo:c.start]
    cut = max(clause.rfind(". "), clause.rfind(";"), clause.rfind("\n"))
    m = _ISSUED_ON.search(clause, cut + 1)
    return bool(m and _ISSUED_VERB.search(clause, m.end()))


def _only_entry(ctx: Context, number: str) -> RegistryEntry | None:
    """A number without a year and without a date: the registry entry, if it knows only one document."""
    hits = ctx.registry.lookup_all(number)
    return hits[0] if hits and len({e.date for e in hits}) == 1 else None


def _type_and_code(ctx: Context, c: Citation, parts: NumberParts, dtype: P.DocType | None, issuer_fold: str,
                   issuer: P.Issuer | None) -> list[Finding]:
    """Tên loại ↔ ký hiệu, and who may issue this type; at most one finding."""
    type_span = (c.start, c.number_span[1])
    code_fold = P.fkey(parts.type_code or "")
    if code_fold in P.INVALID_CODES:
        return [ctx.finding("type-code-mismatch", "error", f"Ký hiệu \"{parts.type_code}\" không hợp lệ: "
                            f"{P.INVALID_CODES[code_fold]}.", *type_span)]
    if c.explicit_type and dtype is not None:
        word_is_letter = dtype.letter
        if parts.type_code and code_fold in P.TYPES_BY_CODE:
            names = P.TYPES_BY_CODE[code_fold]
            if not word_is_letter and dtype.name not in names:
                right = sorted(names)[0]
                right_code = next((cd for cd in dtype.codes), None)
                return [ctx.finding("type-code-mismatch", "error",
                                    f"Tên loại \"{c.type_text}\" không khớp ký hiệu \"{parts.type_code}\" ({right}).",
                                    *type_span,
                                    suggestion=f"{right} số {c.number}" + (
                                        f" hoặc {dtype.name} số {c.number.replace(parts.type_code, right_code, 1)}"
                                        if right_code else ""))]
            if word_is_letter and P.fkey(c.type_text or "") == "cong van":
                return [ctx.finding("type-code-mismatch", "warning",
                                    f"Ký hiệu \"{parts.type_code}\" là của {sorted(names)[0]}, không phải công văn "
                                    "(công văn không có chữ viết tắt tên loại).", *type_span)]
        elif issuer_fold == "qh" and dtype.name not in P.QH_TYPES:
            return [ctx.finding("type-code-mismatch", "error",
                                f"Ký hiệu \"{c.number}\" là văn bản của Quốc hội (Luật hoặc Nghị quyết), không phải "
                                f"{dtype.name}.", *type_span)]
        elif parts.form == "state" and not parts.type_code and issuer_fold != "qh" and len(parts.groups) >= 2 \
                and not dtype.letter and dtype.codes:
            return [ctx.finding("type-code-mismatch", "warning",
                                f"Ký hiệu \"{c.number}\" không có chữ viết tắt tên loại của {dtype.name} "
                                f"(\"{dtype.codes[0]}\"); dạng này là ký hiệu của công văn.", *type_span)]
    # Who may issue this type.
    eff_type = dtype if (dtype and not dtype.letter) else (
        P.TYPE_BY_NAME.get(c.doc_type) if c.doc_type else None)
    if eff_type and issuer is not None:
        if (eff_type.issuers and issuer_fold not in {P.fkey(x) for x in eff_type.issuers}) or (
                eff_type.issuer_kinds and issuer.kind not in eff_type.issuer_kinds):
            return [ctx.finding("type-code-mismatch", "error",
                                f"{eff_type.name} không do {issuer.name} ban hành (ký hiệu \"{c.number}\").", *type_span)]
    return []


def _numbering_form(ctx: Context, c: Citation, parts: NumberParts, issuer: P.Issuer | None) -> list[Finding]:
    """Party vs state numbering, and spaces inside the number as written."""
    fs: list[Finding] = []
    if issuer is not None and parts.form == "party" and issuer.kind != "party":
        fs.append(ctx.finding("format", "warning",
                              f"Văn bản của {issuer.name} đánh số dạng \"số/ký hiệu\" (vd: {parts.serial}/{parts.type_code}-{parts.issuer_code}), "
                              "không phải dạng của văn bản Đảng.", *c.number_span,
                              suggestion=f"{parts.serial}/{parts.type_code}-{parts.issuer_code}"))
    elif issuer is not None and parts.form == "state" and issuer.kind == "party" and parts.type_code:
        fs.append(ctx.finding("format", "warning",
                              f"Văn bản của Đảng đánh số dạng \"số-ký hiệu/cơ quan\" (vd: {parts.serial}-{parts.type_code}/{parts.issuer_code}).",
                              *c.number_span, suggestion=f"{parts.serial}-{parts.type_code}/{parts.issuer_code}"))
    spaced = bool(c.number_text and P.SPACED_SEPARATOR_RE.search(c.number_text))
    typed = in_span(ctx.lookalikes, *c.number_span)
    if typed:
        problems = [describe(typed)] + (["có dấu cách quanh dấu \"/\" hoặc \"-\""] if spaced else [])
        fs.append(ctx.finding("format", "warning", "Số, ký hiệu được gõ sai ký tự: " + "; ".join(problems)
                              + ". Văn bản hiển thị giống nhau nhưng không tra cứu được theo số, ký hiệu.",
                              *c.number_span, suggestion=c.number))
    elif spaced:
        fs.append(ctx.finding("format", "warning", "Số, ký hiệu không có dấu cách quanh dấu \"/\" và \"-\".",
                              *c.number_span, suggestion=c.number))
    return fs


def _first_mention(ctx: Context, c: Citation, parts: NumberParts, dtype: P.DocType | None,
                   entry: RegistryEntry | None, seen: set[str]) -> list[Finding]:
    """The first mention must be complete (NĐ 30/2020, Phụ lục I, II.6.b); later ones may be short."""
    key = parts.key + (f"@{c.date.year}" if c.date and not parts.year else "")
    first = parts.key not in seen and key not in seen
    seen.add(parts.key)
    seen.add(key)
    if not first or (dtype and dtype.by_name) or c.doc_type in ("Luật", "Bộ luật", "Pháp lệnh"):
        return []
    missing = []
    if not c.explicit_type:
        missing.append("tên loại")
    if not c.date_span and not _issued_on_before(ctx, c):
        missing.append("ngày ban hành")
    if not c.issuer:
        missing.append("cơ quan ban hành")
    if not c.title:
        missing.append("trích yếu")
    if not missing:
        return []
    sev = "warning" if c.explicit_type and "ngày ban hành" in missing else "info"
    sugg = format_citation(entry) if entry is not None else None
    return [ctx.finding("incomplete-citation", sev,
                        f"Lần viện dẫn đầu tiên của {label(c)} còn thiếu: {', '.join(missing)} (NĐ 30/2020).",
                        c.start, c.end, suggestion=sugg)]


def _against_entry(ctx: Context, c: Citation, entry: RegistryEntry, parts: NumberParts, type_flagged: bool) -> list[Finding]:
    fs: list[Finding] = []
    sev = _severity(entry)
    src = _src(entry)
    if c.date and entry.date and c.date != entry.date and c.date_span:
        note = " — ngày được ghi là ngày có hiệu lực, không phải ngày ban hành" if entry.effective_date == c.date else ""
        fs.append(ctx.finding("date-mismatch", sev,
                              f"{entry.doc_type or ''} số {entry.number} ban hành ngày {dmy(entry.date)}, không phải "
                              f"{dmy(c.date)}{note}. Nguồn: {src}.", *c.date_span,
                              suggestion=f"ngày {format_date(entry.date)}"))
    if c.title and entry.title and c.title_span:
        fs += _title_findings(ctx, c, entry, src)
    if not type_flagged and c.explicit_type and entry.doc_type and c.doc_type != entry.doc_type \
            and not P.TYPE_BY_NAME.get(c.doc_type, P.TYPES[0]).letter:
        fs.append(ctx.finding("type-code-mismatch", sev,
                              f"{entry.number} là {entry.doc_type}, không phải {c.doc_type}. Nguồn: {src}.",
                              c.start, c.number_span[1], suggestion=f"{entry.doc_type} số {entry.number}"))
    if c.issuer_code and entry.issuer:
        code = issuer_code_of(_PARENTHESISED_NOTE.sub("", entry.issuer))
        if code and not compatible(c.issuer_code, code) and compatible(c.issuer_code, parts.issuer_code or code):
            fs.append(ctx.finding("issuer-mismatch", sev,
                                  f"{entry.number} do {entry.issuer} ban hành, không phải \"{c.issuer}\". Nguồn: {src}.",
                                  *c.issuer_span, suggestion=entry.issuer))
    return fs


def _title_findings(ctx: Context, c: Citation, entry: RegistryEntry, src: str) -> list[Finding]:
    verdict = judge_title(c.title, entry, ctx.registry)
    doc = f"{entry.doc_type or ''} số {entry.number}".strip()
    if verdict.kind == "other":
        best = verdict.other
        sev = "error" if entry.trusted and best.trusted else "warning"
        return [ctx.finding("title-mismatch", sev,
                            f"Trích yếu ghi cho {doc} là nội dung của {best.doc_type or ''} số {best.number} "
                            f"({best.title}). Trích yếu đúng của {entry.number}: \"{entry.title}\". Nguồn: {src}.",
                            *c.title_span, suggestion=format_citation(entry))]
    if verdict.kind == "conflict":
        return [ctx.finding("title-mismatch", _severity(entry),
                            f"Trích yếu ghi {_distinguishing(verdict.cited, verdict.own)}, nhưng {doc} là văn bản về "
                            f"{_distinguishing(verdict.own, verdict.cited)}: \"{entry.title}\". Nguồn: {src}.",
                            *c.title_span, suggestion=format_citation(entry))]
    if verdict.kind == "unlike":
        return [ctx.finding("title-mismatch", "warning",
                            f"Trích yếu không khớp với {doc}: \"{entry.title}\". Nguồn: {src}.",
                            *c.title_span, suggestion=format_citation(entry))]
    return []


def _distinguishing(sig: Signature, against: Signature) -> str:
    """'lĩnh vực "thanh tra"', '"phân quyền, phân cấp"': the words on which two titles differ."""
    parts = []
    if sig.modes and against.modes and not sig.modes & against.modes:
        parts.append(" và ".join(f"\"{m}\"" for m in sorted(sig.modes)))
    if sig.domains and against.domains and not sig.domains & against.domains:
        parts.append("lĩnh vực " + ", ".join(f"\"{f}\"" for f in sig.fields))
    return " trong ".join(parts)
