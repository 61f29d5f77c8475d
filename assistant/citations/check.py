"""Check every citation of a report against the registry and NĐ 30/2020 rules.

Severity policy: `error` only when the fact contradicting the text is certain (an internal
contradiction, or a `verified`/`user` registry entry); a `from-secondary-source` or `corpus`
entry supports a `warning`; style and completeness points are `warning` or `info`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from assistant.text import nfc

from . import patterns as P
from .find import Citation, _find
from .format import format_citation, format_date, law_name
from .header import read_header
from .normalise import NumberParts, normalise_number, parse_number
from .resolve import Registry, RegistryEntry, default_registry

# Inline patterns, compiled once at import.
_FRONT_MATTER = re.compile(r"\A\s*---\n.*?\n---\n", re.DOTALL)
_RX1 = re.compile(r"[/-]")
_RX2 = re.compile(r"[a-z]{3,} [a-z]{3,}")
_RX3 = re.compile(r"[\s/-]")
_RX4 = re.compile(r"(\d+)")
_RX5 = re.compile(r"\s[/-]|[/-]\s")
_RX6 = re.compile(r"\s{2,}")
_RX7 = re.compile(r"(?<![A-Za-zĐđ])([A-Za-zĐđ]+)\s*$")  # starts at a word start only: linear
_RX8 = re.compile(r"\d+$")
_RX9 = re.compile(r"\([^)]*\)")
_RX10 = re.compile(r"[a-z0-9]+")
_RX11 = re.compile(r"(\d{4})")
_RX12 = re.compile(r"\s*\(.*?\)")
_RX13 = re.compile(r"[ ,:;.\n]*(?:co )?")
_RX14 = re.compile(r"[^.;\n]{0,60}")
_RX15 = re.compile(r"[ ,:.]*")


@dataclass
class Finding:
    code: str
    severity: str          # error | warning | info
    message: str           # Vietnamese
    start: int
    end: int
    text: str
    suggestion: str | None = None

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message, "start": self.start,
                "end": self.end, "text": self.text, "suggestion": self.suggestion}


@dataclass
class CheckResult:
    report_date: date | None
    citations: list[Citation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"report_date": self.report_date.isoformat() if self.report_date else None,
                "citations": [c.to_dict() for c in self.citations],
                "findings": [f.to_dict() for f in self.findings]}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


_MISMATCH_CODES = {"date-mismatch", "title-mismatch", "issuer-mismatch", "type-code-mismatch"}


def check_text(text: str, report_date: date | None = None, registry: Registry | None = None) -> CheckResult:
    """Find, resolve and check every citation; report_date None = the header's date line."""
    t = nfc(text)
    s = P.shadow(t)
    if registry is None:
        registry = default_registry()
    header_zone = t[:3000]
    header = read_header(header_zone) if header_zone.strip() else {"date": None, "issuer": None, "number": None}
    if report_date is None:
        report_date = header.get("date")
    cites = _find(t, s)
    ctx = _Ctx(t, s, registry, report_date)
    findings: list[Finding] = []
    findings += _check_header(ctx, header)
    findings += _check_duplicates(ctx)
    findings += _check_citations(ctx, cites)
    findings += _check_sums(ctx)
    findings = _dedupe(findings)
    return CheckResult(report_date=report_date, citations=cites, findings=findings)


@dataclass
class _Ctx:
    t: str
    s: str
    registry: Registry
    report_date: date | None

    def finding(self, code, severity, message, start, end, suggestion=None) -> Finding:
        return Finding(code, severity, message, start, end, self.t[start:end], suggestion)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.code)):
        k = (f.code, f.start, f.end)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def _d(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _label(c: Citation) -> str:
    if c.law_name:
        return c.law_name
    return f"{c.doc_type + ' ' if c.doc_type else ''}số {c.number}" if c.number else c.text


# --- header -----------------------------------------------------------------------------------

_HDR_NUMBER = re.compile(r"^[ \t*|#>_]*(?P<so>so)(?![a-z_])(?P<colon>[ \t]{0,3}:?)(?P<rest>[^\n|]{0,60})", re.MULTILINE)
_HDR_MOTTO = re.compile(r"doc lap[ \t]*-?[ \t]*tu do[ \t]*-?[ \t]*hanh phuc")


def _check_header(ctx: _Ctx, header: dict) -> list[Finding]:
    out: list[Finding] = []
    t, s = ctx.t, ctx.s
    fm = _FRONT_MATTER.match(s)  # Markdown front matter is not the header
    z0 = fm.end() if fm else 0
    zone = min(len(s), z0 + 3000)
    m = None
    for cand in _HDR_NUMBER.finditer(s, z0, zone):
        rest = cand.group("rest")
        if _RX1.search(rest) and not _RX2.search(rest.split("/")[0]):
            m = cand
            break
    if m:
        rest_start = m.start("rest")
        raw = t[rest_start:m.end("rest")]
        lead = len(raw) - len(raw.lstrip())
        raw_s = raw.strip()
        span = (m.start("so"), rest_start + lead + len(raw_s))
        if _RX3.match(raw_s) or raw_s[:1] in "/-":
            out.append(ctx.finding("format", "info", "Số văn bản đang để trống (chưa lấy số tại Văn thư).",
                                   *span))
        else:
            mm = _RX4.match(raw_s)
            problems, fixed = [], raw_s
            if " " in m.group("colon") and ":" in m.group("colon"):
                problems.append("không có dấu cách trước dấu hai chấm sau chữ \"Số\"")
            if _RX5.search(raw_s):
                problems.append("không có dấu cách quanh dấu \"/\" và \"-\"")
            if mm and int(mm.group(1)) < 10 and len(mm.group(1)) == 1:
                problems.append("số nhỏ hơn 10 phải ghi thêm số 0 phía trước")
                fixed = "0" + fixed
            if problems:
                num = normalise_number(_RX6.split(fixed)[0])
                out.append(ctx.finding("format", "warning",
                                       "Số, ký hiệu văn bản chưa đúng thể thức (NĐ 30/2020, Phụ lục I): "
                                       + "; ".join(problems) + ".", *span, suggestion=f"Số: {num}"))
        own = parse_number(raw_s) if raw_s[:1].isdigit() else None
        issuer_code = _issuer_code_of(header.get("issuer"))
        code = own.issuer_code if own else _code_after(raw_s)
        if issuer_code and code and not _compatible(issuer_code, code):
            iss = P.ISSUER_BY_CODE.get(P.fkey(code))
            right = P.ISSUER_BY_CODE[P.fkey(issuer_code)]
            out.append(ctx.finding(
                "issuer-mismatch", "error",
                f"Ký hiệu \"{code}\" ({iss.name if iss else 'cơ quan khác'}) không khớp cơ quan ban hành "
                f"\"{header.get('issuer')}\" (viết tắt đúng: {right.code}).", *span,
                suggestion=raw_s.replace(code, right.code) if code in raw_s else None))

    dm = P.HEADER_DATE_RE.search(s, z0, zone)
    if dm:
        d_raw, m_raw = t[dm.start("d"):dm.end("d")].strip(), t[dm.start("m"):dm.end("m")].strip()
        span = (dm.start("place"), dm.end("y"))
        year = int(dm.group("y"))
        if not d_raw or not m_raw or not d_raw.isdigit() or not m_raw.isdigit():
            out.append(ctx.finding("format", "warning",
                                   "Ngày ban hành văn bản chưa ghi đủ ngày, tháng (NĐ 30/2020: thời gian ban hành phải viết đầy đủ).",
                                   *span))
        else:
            d_i, m_i = int(d_raw), int(m_raw)
            try:
                date(year, m_i, d_i)
                valid = True
            except ValueError:
                valid = False
                out.append(ctx.finding("invalid-date", "error",
                                       f"Ngày {d_raw} tháng {m_raw} năm {year} không tồn tại.", *span))
            if valid:
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
                    out.append(ctx.finding("format", "info",
                                           "Tháng từ 3 trở đi không cần số 0 phía trước (NĐ 30/2020).", *span,
                                           suggestion=f"{place}, {good}"))
    mm = _HDR_MOTTO.search(s, z0, zone)
    if mm and t[mm.start():mm.end()] != "Độc lập - Tự do - Hạnh phúc":
        out.append(ctx.finding("format", "info", "Tiêu ngữ viết đúng là \"Độc lập - Tự do - Hạnh phúc\".",
                               mm.start(), mm.end(), suggestion="Độc lập - Tự do - Hạnh phúc"))
    return out


def _code_after(raw: str) -> str | None:
    m = _RX7.search(raw)
    return m.group(1) if m else None


def _issuer_code_of(name: str | None) -> str | None:
    """Issuer code named by a phrase ('ĐẢNG ỦY XÃ XUÂN PHÚ' -> 'ĐU'), longest phrase first."""
    if not name:
        return None
    f = P.fkey(name)
    best = None
    for phrase, iss in P.ISSUER_BY_PHRASE.items():
        if (f == phrase or f.startswith(phrase + " ")) and (best is None or len(phrase) > best[0]):
            best = (len(phrase), iss.code)
    if best is None:
        for iss in P.ISSUER_LIST:
            if P.fkey(iss.name) == f:
                return iss.code
    return best[1] if best else None


def _compatible(phrase_code: str, number_code: str) -> bool:
    a, b = P.fkey(phrase_code), P.fkey(_RX8.sub("", number_code))
    if a == b:
        return True
    ia, ib = P.ISSUER_BY_CODE.get(a), P.ISSUER_BY_CODE.get(b)
    if ia and b in {P.fkey(x) for x in ia.compatible}:
        return True
    if ib and a in {P.fkey(x) for x in ib.compatible}:
        return True
    if ia is None or ib is None:
        return True  # an abbreviation we do not know: no opinion
    return False


# --- duplicated phrases -----------------------------------------------------------------------

def _check_duplicates(ctx: _Ctx) -> list[Finding]:
    out = []
    t, s = ctx.t, ctx.s
    for rx, rule in P.DUPLICATE_RULES:
        for m in rx.finditer(s):
            text = t[m.start():m.end()]
            if rule.get("same_words"):
                words = text.lower().split()
                half = len(words) // 2
                if words[:half] != words[half:2 * half]:
                    continue
            if rule.get("case_sensitive_tail"):
                tail = text.split(" ", 1)[1]
                if not tail[:1].isupper():
                    continue
            if "w" in rx.groupindex and m.group("w"):
                first = t[m.start("w"):m.end("w")]
            else:
                first = text.split(" ", 1)[0]
            msg = rule["message"].replace("{text_first}", first).replace("{text}", text)
            suggestion = first if rule.get("fix") == "first" else text.split(" ", 1)[0]
            out.append(ctx.finding("duplicate-phrase", rule["severity"], msg, m.start(), m.end(), suggestion))
    return out


# --- citations --------------------------------------------------------------------------------

def _is_central(parts: NumberParts) -> bool:
    code = P.fkey(parts.issuer_code or "")
    iss = P.ISSUER_BY_CODE.get(code)
    if iss is not None:
        return iss.level == "central"
    return P.fkey(parts.type_code or "") in ("nd", "tt", "ttlt")


_STOP_SYLLABLES = {"cua", "va", "ve", "viec", "cac", "trong", "tai", "theo", "doi", "voi", "nam"}
_LEADING = re.compile(r"^(?:quy dinh (?:chi tiet )?(?:ve )?|ve viec |ve |v/v |ban hanh )")


@lru_cache(maxsize=4096)
def _bigrams(title: str) -> frozenset[str]:
    f = P.fkey(_RX9.sub(" ", title))
    f = _LEADING.sub("", f)
    words = [w for w in _RX10.findall(f)]
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:]) if not (a in _STOP_SYLLABLES and b in _STOP_SYLLABLES))


def _title_weights(registry: Registry) -> dict[str, float]:
    """IDF of title bigrams over the registry: 'tu phap' says more than 'linh vuc'."""
    cache = getattr(registry, "_title_idf", None)
    entries = [e for e in registry if e.title]
    if cache is not None and cache[0] == len(entries):
        return cache[1]
    df: dict[str, int] = {}
    for e in entries:
        for b in _bigrams(e.title):
            df[b] = df.get(b, 0) + 1
    n = len(entries)
    idf = {b: math.log(1 + n / (1 + k)) for b, k in df.items()}
    idf[""] = math.log(1 + n)  # weight of a bigram no registry title has
    registry._title_idf = (len(entries), idf)
    return idf


def _title_score(cited: str, reference: str, idf: dict[str, float] | None = None) -> float:
    """Weighted share of the cited title's bigrams found in the reference title (accent-folded)."""
    a, b = _bigrams(cited), _bigrams(reference)
    if not a:
        return 1.0
    if idf is None:
        return len(a & b) / len(a)
    default = idf.get("", 1.0)
    total = sum(idf.get(x, default) for x in a)
    return sum(idf.get(x, default) for x in a & b) / total


def _severity(entry: RegistryEntry) -> str:
    return "error" if entry.trusted else "warning"


def _src(entry: RegistryEntry) -> str:
    return {"verified": "danh mục (đã kiểm chứng)", "from-secondary-source": "danh mục (nguồn thứ cấp, cần kiểm tra lại)",
            "user": "danh mục văn bản của đơn vị", "corpus": "kho văn bản đã nạp"}.get(entry.confidence, "danh mục")


def _check_citations(ctx: _Ctx, cites: list[Citation]) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    local_dates: dict[str, Citation] = {}
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
            fs += _check_numbered(ctx, c, seen, local_dates)
        if c.date and ctx.report_date and c.date > ctx.report_date and c.date_span:
            fs.append(ctx.finding("future-date", "error",
                                  f"{_label(c)} ghi ngày {_d(c.date)}, sau ngày của báo cáo ({_d(ctx.report_date)}): "
                                  "văn bản được viện dẫn không thể ban hành sau báo cáo.", *c.date_span))
        if c.status is None:
            c.status = "unknown"
        if c.status in ("verified",) and any(f.code in _MISMATCH_CODES for f in fs):
            c.status = "mismatch"
        out += fs
    return out


def _check_law(ctx: _Ctx, c: Citation) -> list[Finding]:
    fs: list[Finding] = []
    year = c.date.year if c.date else None
    if year is None and c.date_text:
        m = _RX11.search(c.date_text)
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
                              f"{law_name(entry)} ({entry.number}) được thông qua ngày {_d(entry.date)}, không phải "
                              f"{_d(c.date)}{note}. Nguồn: {_src(entry)}.", *c.date_span,
                              suggestion=f"ngày {entry.date.day:02d} tháng {entry.date.month:02d} năm {entry.date.year}"))
        c.status = "mismatch"
    return fs


def _check_bare(ctx: _Ctx, c: Citation) -> list[Finding]:
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


def _check_numbered(ctx: _Ctx, c: Citation, seen: set[str], local_dates: dict[str, Citation]) -> list[Finding]:
    fs: list[Finding] = []
    parts = parse_number(c.number)
    type_span = (c.start, c.number_span[1])
    dtype = P.TYPE_BY_NAME.get(c.doc_type) if c.doc_type else None
    code_fold = P.fkey(parts.type_code or "")
    issuer_fold = P.fkey(_RX8.sub("", parts.issuer_code or ""))
    issuer = P.ISSUER_BY_CODE.get(issuer_fold)
    type_flagged = False

    # Tên loại ↔ ký hiệu.
    if code_fold in P.INVALID_CODES:
        fs.append(ctx.finding("type-code-mismatch", "error", f"Ký hiệu \"{parts.type_code}\" không hợp lệ: "
                              f"{P.INVALID_CODES[code_fold]}.", *type_span))
        type_flagged = True
    elif c.explicit_type and dtype is not None:
        word_is_letter = dtype.letter
        if parts.type_code and code_fold in P.TYPES_BY_CODE:
            names = P.TYPES_BY_CODE[code_fold]
            if not word_is_letter and dtype.name not in names:
                right = sorted(names)[0]
                right_code = next((cd for cd in dtype.codes), None)
                fs.append(ctx.finding("type-code-mismatch", "error",
                                      f"Tên loại \"{c.type_text}\" không khớp ký hiệu \"{parts.type_code}\" ({right}).",
                                      *type_span,
                                      suggestion=f"{right} số {c.number}" + (
                                          f" hoặc {dtype.name} số {c.number.replace(parts.type_code, right_code, 1)}"
                                          if right_code else "")))
                type_flagged = True
            elif word_is_letter and P.fkey(c.type_text or "") == "cong van":
                fs.append(ctx.finding("type-code-mismatch", "warning",
                                      f"Ký hiệu \"{parts.type_code}\" là của {sorted(names)[0]}, không phải công văn "
                                      "(công văn không có chữ viết tắt tên loại).", *type_span))
                type_flagged = True
        elif issuer_fold == "qh" and dtype.name not in P.QH_TYPES:
            fs.append(ctx.finding("type-code-mismatch", "error",
                                  f"Ký hiệu \"{c.number}\" là văn bản của Quốc hội (Luật hoặc Nghị quyết), không phải "
                                  f"{dtype.name}.", *type_span))
            type_flagged = True
        elif parts.form == "state" and not parts.type_code and issuer_fold != "qh" and len(parts.groups) >= 2 \
                and not dtype.letter and dtype.codes:
            fs.append(ctx.finding("type-code-mismatch", "warning",
                                  f"Ký hiệu \"{c.number}\" không có chữ viết tắt tên loại của {dtype.name} "
                                  f"(\"{dtype.codes[0]}\"); dạng này là ký hiệu của công văn.", *type_span))
            type_flagged = True
    # Who may issue this type.
    eff_type = dtype if (dtype and not dtype.letter) else (
        P.TYPE_BY_NAME.get(c.doc_type) if c.doc_type else None)
    if not type_flagged and eff_type and issuer is not None:
        if (eff_type.issuers and issuer_fold not in {P.fkey(x) for x in eff_type.issuers}) or (
                eff_type.issuer_kinds and issuer.kind not in eff_type.issuer_kinds):
            fs.append(ctx.finding("type-code-mismatch", "error",
                                  f"{eff_type.name} không do {issuer.name} ban hành (ký hiệu \"{c.number}\").", *type_span))
            type_flagged = True

    # Party vs state numbering.
    if issuer is not None and parts.form == "party" and issuer.kind != "party":
        fs.append(ctx.finding("format", "warning",
                              f"Văn bản của {issuer.name} đánh số dạng \"số/ký hiệu\" (vd: {parts.serial}/{parts.type_code}-{parts.issuer_code}), "
                              "không phải dạng của văn bản Đảng.", *c.number_span,
                              suggestion=f"{parts.serial}/{parts.type_code}-{parts.issuer_code}"))
    elif issuer is not None and parts.form == "state" and issuer.kind == "party" and parts.type_code:
        fs.append(ctx.finding("format", "warning",
                              f"Văn bản của Đảng đánh số dạng \"số-ký hiệu/cơ quan\" (vd: {parts.serial}-{parts.type_code}/{parts.issuer_code}).",
                              *c.number_span, suggestion=f"{parts.serial}-{parts.type_code}/{parts.issuer_code}"))

    # Spacing inside the number as written.
    if c.number_text and _RX5.search(c.number_text):
        fs.append(ctx.finding("format", "warning", "Số, ký hiệu không có dấu cách quanh dấu \"/\" và \"-\".",
                              *c.number_span, suggestion=c.number))

    # Issuer phrase ↔ ký hiệu.
    if c.issuer_code and parts.issuer_code and not _compatible(c.issuer_code, parts.issuer_code):
        named = P.ISSUER_BY_CODE[P.fkey(c.issuer_code)]
        right = issuer.name if issuer else parts.issuer_code
        fs.append(ctx.finding("issuer-mismatch", "error",
                              f"{_label(c)} có ký hiệu \"{parts.issuer_code}\" ({right}) nhưng được ghi là của "
                              f"\"{c.issuer}\" ({named.name}).", *c.issuer_span, suggestion=right))

    # Registry.
    year = c.date.year if (c.date and not parts.year) else None
    entry = ctx.registry.lookup(c.number, year=year) if (parts.year or year) else None
    if entry is None and not parts.year and not c.date:
        entry = None
    if entry is not None:
        c.status = "verified"
        fs += _against_entry(ctx, c, entry, parts, type_flagged)
        if not c.date and entry.date and ctx.report_date and entry.date > ctx.report_date:
            fs.append(ctx.finding("future-date", "warning",
                                  f"{_label(c)} ban hành ngày {_d(entry.date)}, sau ngày của báo cáo.", c.start, c.end))
    elif _is_central(parts):
        c.status = "unknown"
    else:
        c.status = "local"
    if c.status == "unknown" and parts.key not in seen:
        sev = "info" if issuer is not None and issuer.kind == "party" else "warning"
        near = [e for e in ctx.registry.candidates(parts.serial_int) if parse_number(e.number).issuer_code == parts.issuer_code]
        sugg = " hoặc ".join(e.number for e in near[:3]) if near else None
        fs.append(ctx.finding("unknown-document", sev,
                              f"Không tìm thấy {_label(c)} trong danh mục văn bản; chưa kiểm tra được ngày ban hành, "
                              "cơ quan ban hành và trích yếu — cần đối chiếu với văn bản gốc.",
                              c.start, c.number_span[1], suggestion=(f"Có phải {sugg}?" if sugg else None)))

    # The same local number cited twice with different dates in the same year.
    if c.date and not parts.year:
        k = f"{parts.key}@{c.date.year}"
        other = local_dates.get(k)
        if other is not None and other.date != c.date and c.date_span:
            fs.append(ctx.finding("date-mismatch", "warning",
                                  f"{_label(c)} được ghi ngày {_d(c.date)}, nhưng ở trên ghi ngày {_d(other.date)}.",
                                  *c.date_span, suggestion=f"ngày {format_date(other.date)}"))
        local_dates.setdefault(k, c)

    # First mention must be complete (NĐ 30/2020, Phụ lục I, II.6.b); later ones may be short.
    key = parts.key + (f"@{c.date.year}" if c.date and not parts.year else "")
    first = parts.key not in seen and key not in seen
    seen.add(parts.key)
    seen.add(key)
    if first and not (dtype and dtype.by_name) and c.doc_type not in ("Luật", "Bộ luật", "Pháp lệnh"):
        missing = []
        if not c.explicit_type:
            missing.append("tên loại")
        if not c.date_span:
            missing.append("ngày ban hành")
        if not c.issuer:
            missing.append("cơ quan ban hành")
        if not c.title:
            missing.append("trích yếu")
        if missing:
            sev = "warning" if c.explicit_type and "ngày ban hành" in missing else "info"
            sugg = format_citation(entry) if entry is not None else None
            fs.append(ctx.finding("incomplete-citation", sev,
                                  f"Lần viện dẫn đầu tiên của {_label(c)} còn thiếu: {', '.join(missing)} (NĐ 30/2020).",
                                  c.start, c.end, suggestion=sugg))
    return fs


def _against_entry(ctx: _Ctx, c: Citation, entry: RegistryEntry, parts: NumberParts, type_flagged: bool) -> list[Finding]:
    fs: list[Finding] = []
    sev = _severity(entry)
    src = _src(entry)
    if c.date and entry.date and c.date != entry.date and c.date_span:
        note = " — ngày được ghi là ngày có hiệu lực, không phải ngày ban hành" if entry.effective_date == c.date else ""
        fs.append(ctx.finding("date-mismatch", sev,
                              f"{entry.doc_type or ''} số {entry.number} ban hành ngày {_d(entry.date)}, không phải "
                              f"{_d(c.date)}{note}. Nguồn: {src}.", *c.date_span,
                              suggestion=f"ngày {format_date(entry.date)}"))
    if c.title and entry.title and c.title_span:
        idf = _title_weights(ctx.registry)
        own = _title_score(c.title, entry.title, idf)
        best, best_score = None, 0.0
        for other in ctx.registry:
            if other.number == entry.number or not other.title:
                continue
            sc = _title_score(c.title, other.title, idf)
            if sc > best_score:
                best, best_score = other, sc
        if best is not None and best_score >= 0.6 and best_score >= own + 0.25:
            sev2 = "error" if entry.trusted and best.trusted else "warning"
            fs.append(ctx.finding("title-mismatch", sev2,
                                  f"Trích yếu ghi cho {entry.doc_type or ''} số {entry.number} là nội dung của "
                                  f"{best.doc_type or ''} số {best.number} ({best.title}). Trích yếu đúng của "
                                  f"{entry.number}: \"{entry.title}\". Nguồn: {src}.", *c.title_span,
                                  suggestion=format_citation(entry)))
        elif own < 0.35 and len(_bigrams(c.title)) >= 3:
            fs.append(ctx.finding("title-mismatch", "warning",
                                  f"Trích yếu không khớp với {entry.doc_type or ''} số {entry.number}: \"{entry.title}\". "
                                  f"Nguồn: {src}.", *c.title_span, suggestion=format_citation(entry)))
    if not type_flagged and c.explicit_type and entry.doc_type and c.doc_type != entry.doc_type \
            and not P.TYPE_BY_NAME.get(c.doc_type, P.TYPES[0]).letter:
        fs.append(ctx.finding("type-code-mismatch", sev,
                              f"{entry.number} là {entry.doc_type}, không phải {c.doc_type}. Nguồn: {src}.",
                              c.start, c.number_span[1], suggestion=f"{entry.doc_type} số {entry.number}"))
    if c.issuer_code and entry.issuer:
        code = _issuer_code_of(_RX12.sub("", entry.issuer))
        if code and not _compatible(c.issuer_code, code) and _compatible(c.issuer_code, parts.issuer_code or code):
            fs.append(ctx.finding("issuer-mismatch", sev,
                                  f"{entry.number} do {entry.issuer} ban hành, không phải \"{c.issuer}\". Nguồn: {src}.",
                                  *c.issuer_span, suggestion=entry.issuer))
    return fs


# --- sums -------------------------------------------------------------------------------------

_SENT_END = re.compile(r"\.(?!\d)|\n\s*\n|\n(?=\s*[-+•*]|\s*[A-ZĐ0-9])")


def _int(n: str) -> int:
    return int(n.replace(".", ""))


def _check_sums(ctx: _Ctx) -> list[Finding]:
    out = []
    t, s = ctx.t, ctx.s
    for m in P.SUM_TRIGGER_RE.finditer(s):
        lo = max(0, m.start() - 200)
        qtys = list(P.SUM_QTY_RE.finditer(s, lo, m.start()))
        if not qtys:
            continue
        total = qtys[-1]
        gap = s[total.end():m.start()]
        if not _RX13.fullmatch(gap) and not _RX14.fullmatch(gap):
            continue
        before = s[max(0, total.start() - 80):total.start()]
        last_break = max(before.rfind(". "), before.rfind("\n"), before.rfind(";"))
        if "tong" not in before[last_break + 1:] and len(gap.strip(" ,:")) > 0 and not _RX15.fullmatch(gap):
            continue
        unit = total.group("u")
        end_m = _SENT_END.search(s, m.end(), min(len(s), m.end() + P.SUM_WINDOW))
        stop = end_m.start() if end_m else min(len(s), m.end() + P.SUM_WINDOW)
        parts = [q for q in P.SUM_QTY_RE.finditer(s, m.end(), stop) if q.group("u") == unit]
        if len(parts) < 2:
            continue
        total_n = _int(total.group("n"))
        vals = [_int(q.group("n")) for q in parts]
        if sum(vals) != total_n:
            expr = " + ".join(str(v) for v in vals)
            unit_text = t[total.start("u"):total.end("u")]
            out.append(ctx.finding("sum-mismatch", "warning",
                                   f"Tổng số {total.group('n')} {unit_text} không khớp với các số liệu thành phần: "
                                   f"{expr} = {sum(vals)}.", total.start(), parts[-1].end(),
                                   suggestion=f"Kiểm tra lại: tổng các thành phần là {sum(vals)} {unit_text}."))
    return out
