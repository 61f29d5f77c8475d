"""The report's own header against NĐ 30/2020 (Phụ lục I): the "Số:" line, the date line, the motto,
and the ký hiệu against the issuer block."""
from __future__ import annotations

import re
from datetime import date

from . import patterns as P
from .findings import Context, Finding
from .issuers import code_after, compatible, issuer_code_of
from .lookalikes import describe, in_span
from .normalise import normalise_number, parse_number
from .own_number import HEADER_ZONE, OwnNumber, front_matter_end, own_number

_HDR_MOTTO = re.compile(r"doc lap[ \t]*-?[ \t]*tu do[ \t]*-?[ \t]*hanh phuc")
_BLANK_NUMBER = re.compile(r"[\s/-]")                  # "Số:    /BC-UBND": left for the Văn thư
_LEADING_DIGITS = re.compile(r"(\d+)")
_WIDE_SPACE = re.compile(r"\s{2,}")


def check_header(ctx: Context, header: dict) -> list[Finding]:
    out: list[Finding] = []
    t, s = ctx.t, ctx.s
    z0 = front_matter_end(s)  # Markdown front matter is not the header
    zone = min(len(s), z0 + HEADER_ZONE)
    own = own_number(t, s)
    if own:
        out += _number_line(ctx, header, own)
    out += _date_line(ctx, z0, zone)
    mm = _HDR_MOTTO.search(s, z0, zone)
    if mm and t[mm.start():mm.end()] != "Độc lập - Tự do - Hạnh phúc":
        out.append(ctx.finding("format", "info", "Tiêu ngữ viết đúng là \"Độc lập - Tự do - Hạnh phúc\".",
                               mm.start(), mm.end(), suggestion="Độc lập - Tự do - Hạnh phúc"))
    return out


def _number_line(ctx: Context, header: dict, own: OwnNumber) -> list[Finding]:
    out: list[Finding] = []
    t = ctx.t
    raw = t[own.rest_start:own.rest_end]
    lead = len(raw) - len(raw.lstrip())
    raw_s = raw.strip()
    span = (own.so_end - 2, own.rest_start + lead + len(raw_s))
    if _BLANK_NUMBER.match(raw_s) or raw_s[:1] in "/-":
        out.append(ctx.finding("format", "info", "Số văn bản đang để trống (chưa lấy số tại Văn thư).", *span))
    else:
        mm = _LEADING_DIGITS.match(raw_s)
        problems, fixed = [], raw_s
        if " " in own.colon and ":" in own.colon:
            problems.append("không có dấu cách trước dấu hai chấm sau chữ \"Số\"")
        if P.SPACED_SEPARATOR_RE.search(raw_s):
            problems.append("không có dấu cách quanh dấu \"/\" và \"-\"")
        typed = in_span(ctx.lookalikes, own.rest_start + lead, own.rest_start + lead + len(raw_s))
        if typed:
            problems.append("gõ " + describe(typed))
        if mm and int(mm.group(1)) < 10 and len(mm.group(1)) == 1:
            problems.append("số nhỏ hơn 10 phải ghi thêm số 0 phía trước")
            fixed = "0" + fixed
        if problems:
            num = normalise_number(_WIDE_SPACE.split(fixed)[0])
            out.append(ctx.finding("format", "warning",
                                   "Số, ký hiệu văn bản chưa đúng thể thức (NĐ 30/2020, Phụ lục I): "
                                   + "; ".join(problems) + ".", *span, suggestion=f"Số: {num}"))
    own = parse_number(raw_s) if raw_s[:1].isdigit() else None
    issuer_code = issuer_code_of(header.get("issuer"))
    code = own.issuer_code if own else code_after(raw_s)
    if issuer_code and code and not compatible(issuer_code, code):
        iss = P.ISSUER_BY_CODE.get(P.fkey(code))
        right = P.ISSUER_BY_CODE[P.fkey(issuer_code)]
        out.append(ctx.finding(
            "issuer-mismatch", "error",
            f"Ký hiệu \"{code}\" ({iss.name if iss else 'cơ quan khác'}) không khớp cơ quan ban hành "
            f"\"{header.get('issuer')}\" (viết tắt đúng: {right.code}).", *span,
            suggestion=raw_s.replace(code, right.code) if code in raw_s else None))
    return out


def _date_line(ctx: Context, z0: int, zone: int) -> list[Finding]:
    out: list[Finding] = []
    t, s = ctx.t, ctx.s
    dm = P.HEADER_DATE_RE.search(s, z0, zone)
    if not dm:
        return out
    d_raw, m_raw = t[dm.start("d"):dm.end("d")].strip(), t[dm.start("m"):dm.end("m")].strip()
    span = (dm.start("place"), dm.end("y"))
    year = int(dm.group("y"))
    if not d_raw or not m_raw or not d_raw.isdigit() or not m_raw.isdigit():
        out.append(ctx.finding("format", "warning",
                               "Ngày ban hành văn bản chưa ghi đủ ngày, tháng (NĐ 30/2020: thời gian ban hành phải viết đầy đủ).",
                               *span))
        return out
    d_i, m_i = int(d_raw), int(m_raw)
    try:
        date(year, m_i, d_i)
    except ValueError:
        out.append(ctx.finding("invalid-date", "error", f"Ngày {d_raw} tháng {m_raw} năm {year} không tồn tại.", *span))
        return out
    problems = []
    if d_i < 10 and len(d_raw) == 1:
        problems.append("ngày nhỏ hơn 10 phải ghi thêm số 0")
    if m_i < 3 and len(m_raw) == 1:
        problems.append("tháng 1, 2 phải ghi thêm số 0")
    month = f"{m_i:02d}" if m_i < 3 else str(m_i)
    good = f"ngày {d_i:02d} tháng {month} năm {year}"
    place = t[dm.start("place"):dm.end("place")].strip()
    if problems:
        out.append(ctx.finding("format", "warning",
                               "Địa danh, ngày tháng chưa đúng thể thức (NĐ 30/2020): " + "; ".join(problems) + ".",
                               *span, suggestion=f"{place}, {good}"))
    elif m_i >= 3 and len(m_raw) == 2:
        out.append(ctx.finding("format", "info", "Tháng từ 3 trở đi không cần số 0 phía trước (NĐ 30/2020).", *span,
                               suggestion=f"{place}, {good}"))
    return out
