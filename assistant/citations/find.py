"""Find document citations in Vietnamese text, with exact spans.

Anchors are document numbers (one regex over the folded shadow of the text, see patterns.py);
around each anchor we read backwards for the type word ("Nghị định", "số") and forwards for the
date, the issuer ("của Chính phủ") and the trích yếu. Laws cited by name ("Luật Hộ tịch năm 2014")
are a second, independent anchor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from assistant.text import nfc

from . import patterns as P
from .normalise import parse_number
from .own_number import own_number

_TERM_DIGITS = re.compile(r"\d+$")          # "QH15" -> "QH"
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass
class Citation:
    text: str
    start: int
    end: int
    doc_type: str | None = None
    number: str | None = None
    date: date | None = None
    date_text: str | None = None
    issuer: str | None = None
    title: str | None = None
    law_name: str | None = None
    status: str | None = None   # verified | mismatch | unknown | local | incomplete (set by check)
    # Spans of the parts (offsets into the NFC text), for precise findings.
    type_span: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    number_span: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    date_span: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    issuer_span: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    title_span: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    number_text: str | None = field(default=None, repr=False, compare=False)   # as written
    type_text: str | None = field(default=None, repr=False, compare=False)     # as written
    issuer_code: str | None = field(default=None, repr=False, compare=False)   # code named by the issuer phrase
    date_invalid: bool = field(default=False, repr=False, compare=False)
    form: str | None = field(default=None, repr=False, compare=False)          # state | party | bare | law
    explicit_type: bool = field(default=False, repr=False, compare=False)

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "doc_type": self.doc_type,
                "number": self.number, "date": self.date.isoformat() if self.date else None,
                "issuer": self.issuer, "title": self.title, "status": self.status}


_WORD = re.compile(r"[a-z]+")
_CELL_END = re.compile(r"[ \t*_]{0,4}\|[ \t]{0,8}")  # the end of a table cell and the next one's padding
# A date cell: "03/9/2025", "ngày 03/9/2025", "03 tháng 9 năm 2025" (named groups as in patterns.DATE_RE).
_CELL_DATE = re.compile(
    r"(?:ngay {0,3})?(?:(?P<d>\d{1,2}) {0,2}[/.-] {0,2}(?P<m>\d{1,2}) {0,2}[/.-] {0,2}(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2}) {1,3}thang {1,3}(?P<m2>\d{1,2}) {1,3}nam {1,3}(?P<y2>\d{4}))")
_TYPE_LOOKBACK = 48  # characters before a number where its type word ("Nghị quyết liên tịch số") may stand
_SO_TAIL = re.compile(r"(?<![a-z])so {0,2}:? {0,2}$")
_TITLE_STOPS = re.compile(r"[;.\n,:\"“”\[|]")  # "[" opens a source marker [n]; "|" ends a table cell
_SPACED_GROUP = re.compile(r"\s+-\s*|\s*-\s+")
_CAP_WORD = re.compile(r"[^\W\d_][\w-]*")
_GENERIC_ISSUER = re.compile(r"[*_]{0,3}[ ,]{0,3}(?:do )?cua {1,2}(?=\w)")
_LAW_STOP = re.compile(
    r"[,;.:()\n\"“”|]|(?<!\w)(?:năm|ngày|số|và|trên|tại|theo|đã|được|để|nhằm|đối với|cho|khi|là|với|"
    r"sửa đổi|hiện hành|này|thì|về|quy định|hướng dẫn|gồm|nêu)(?!\w)", re.IGNORECASE)


def _type_before(s: str, pos: int) -> tuple[P.DocType, int, int, int] | None:
    """Type word ending right before `pos` (optionally followed by 'số' / 'số:').

    Returns (type, type_start, type_end, citation_start) or None.
    """
    lo = max(0, pos - _TYPE_LOOKBACK)
    found = _type_in_tail(s[lo:pos], lo == 0 or not s[lo - 1].isalnum())
    if found is None:
        return None
    dtype, start, end = found
    return dtype, lo + start, lo + end, lo + start


@lru_cache(maxsize=16384)
def _type_in_tail(seg: str, open_start: bool) -> tuple[P.DocType, int, int] | None:
    """The type word at the end of `seg` (offsets in seg); open_start: seg does not begin mid-word."""
    m = _SO_TAIL.search(seg)
    cut = m.start() if m else len(seg.rstrip(" :"))
    head = seg[:cut].rstrip(" ")
    if not head or not head[-1].isalpha():
        return None
    toks = list(_WORD.finditer(head))[-P.MAX_TYPE_WORDS:]
    for k in range(len(toks), 0, -1):
        first = toks[-k]
        phrase = " ".join(head[first.start():].split())
        if phrase in P.TYPE_BY_WORD and (open_start if first.start() == 0 else not seg[first.start() - 1].isalnum()):
            return P.TYPE_BY_WORD[phrase], first.start(), len(head)
    return None


def _trim_number(t: str, start: int, end: int) -> int:
    """Drop trailing ' - word' groups that are not known codes ('05/QĐ-UBND - Về việc')."""
    raw = t[start:end]
    while True:
        seps = list(_SPACED_GROUP.finditer(raw))
        if not seps:
            return start + len(raw)
        last = seps[-1]
        tail = raw[last.end():]
        if "/" in tail or "-" in tail:
            return start + len(raw)
        letters = _TERM_DIGITS.sub("", tail)
        if P.fkey(letters) in P.KNOWN_CODE_FOLDS:
            return start + len(raw)
        raw = raw[:last.start()]


def _parse_date(m: re.Match) -> tuple[date | None, bool]:
    d, mo, y = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else (m.group("d2"), m.group("m2"), m.group("y2"))
    try:
        return date(int(y), int(mo), int(d)), False
    except ValueError:
        return None, True


def _place_end(t: str, s: str, pos: int) -> int:
    """End of a place name ('Bình Thành') starting at pos: up to 4 capitalised words."""
    end = pos
    i = pos
    for _ in range(4):
        m = _CAP_WORD.match(t, i + 1) if i < len(t) and t[i] == " " else None
        if not m or not m.group()[0].isupper():
            break
        word = s[m.start():m.end()]
        two = " ".join(s[m.start():m.end() + 12].split()[:2])
        if word in P.PLACE_STOP or two in P.PLACE_STOP:
            break
        end = i = m.end()
    return end


def _title_end(t: str, s: str, i: int, limit: int) -> int:
    hard = min(limit, i + P.TITLE_MAX, len(s))
    j = i
    while True:
        m = _TITLE_STOPS.search(s, j, hard)
        if not m:
            end = hard
            break
        k = m.start()
        c = s[k]
        if c == "." and k + 1 < len(s) and s[k + 1].isdigit():
            j = k + 1
            continue
        if c == "\n":
            n = k
            while n < len(s) and s[n] in " \t\n\r":
                n += 1
            if n < len(s) and t[n].islower() and n - k < 8:
                j = n
                continue
            end = k
            break
        if c == ",":
            rest = s[k + 1:k + 30].lstrip()
            if t[k + 1:k + 30].lstrip()[:1].isupper() or any(
                    rest.startswith(w) and not rest[len(w):len(w) + 1].isalpha() for w in P.TITLE_STOP_AFTER_COMMA):
                end = k
                break
            j = k + 1
            continue
        end = k
        break
    for w in P.TITLE_STOP_WORDS:
        k = s.find(w, i, end)
        if k != -1:
            end = k
    while end > i and t[end - 1] in " ,-(\t":
        end -= 1
    return end


def _forward(c: Citation, t: str, s: str, pos: int, limit: int) -> int:
    """Read date, issuer and trích yếu after the number; returns the citation's end."""
    end = pos
    for _ in range(2):  # date and issuer may come in either order
        if c.date_span is None:
            m = P.DATE_RE.match(s, pos)
            if m and m.end() <= limit:
                c.date, c.date_invalid = _parse_date(m)
                ds = m.start() + (len(m.group()) - len(m.group().lstrip(" ,(" + P.EMPHASIS)))
                c.date_span = (ds, m.end())
                c.date_text = t[ds:m.end()]
                pos = end = m.end()
                continue
        if c.issuer_span is None:
            m = P.ISSUER_RE.match(s, pos)
            if m and m.end() <= limit:
                iss = P.ISSUER_BY_PHRASE[m.group("issuer")]
                ie = m.end()
                if m.group("place"):
                    ie = _place_end(t, s, ie)
                c.issuer_span = (m.start("issuer"), ie)
                c.issuer = t[m.start("issuer"):ie]
                c.issuer_code = iss.code
                pos = end = ie
                continue
            m = _GENERIC_ISSUER.match(s, pos)
            if m:
                stop = _TITLE_STOPS.search(s, m.end(), min(limit, m.end() + 60))
                ie = stop.start() if stop else min(limit, m.end() + 60)
                ts = P.TITLE_START_RE.search(s, m.end(), ie)
                if ts:
                    ie = ts.start()
                ie_trim = ie
                while ie_trim > m.end() and t[ie_trim - 1] in " ,":
                    ie_trim -= 1
                if ie_trim > m.end() and (stop or ts):
                    c.issuer_span = (m.end(), ie_trim)
                    c.issuer = t[m.end():ie_trim]
                    pos = end = ie_trim
                    continue
        break
    m = P.TITLE_START_RE.match(s, pos)
    if m and m.start("start") < limit:
        ts = m.start("start")
        te = _title_end(t, s, ts, limit)
        if te > ts:
            c.title_span = (ts, te)
            c.title = " ".join(t[ts:te].split())
            end = te
    if _CELL_END.match(s, end) and s[s.rfind("\n", 0, end) + 1:end].lstrip(" \t").startswith("|"):
        end = _table_cells(c, t, s, end, limit)
    return end


def _table_cells(c: Citation, t: str, s: str, pos: int, limit: int) -> int:
    """A table row "| 05/QĐ-UBND | 03/9/2025 | Về việc kiện toàn … |": the next cells give the date and
    the trích yếu the citation did not carry itself. Returns the end of the last cell read."""
    end = pos
    while True:
        bar = _CELL_END.match(s, pos)
        if not bar:
            return end
        cs = bar.end()
        nxt = s.find("|", cs, min(limit, cs + P.TITLE_MAX))
        nl = s.find("\n", cs, nxt if nxt != -1 else min(limit, cs + P.TITLE_MAX))
        if nxt == -1 or nl != -1:
            return end  # the row ends (or the cell is too long to be one)
        ce = nxt
        while ce > cs and s[ce - 1] in " \t":
            ce -= 1
        dm = _CELL_DATE.fullmatch(s, cs, ce) if c.date_span is None else None
        if dm:
            c.date, c.date_invalid = _parse_date(dm)
            c.date_span, c.date_text = (cs, ce), t[cs:ce]
        elif c.title_span is None and ce > cs and P.TITLE_START_RE.match(s, cs):
            c.title_span, c.title = (cs, ce), " ".join(t[cs:ce].split())
        else:
            return end
        pos = end = ce


def find_citations(text: str) -> list[Citation]:
    """Every document citation in `text`; spans are offsets into nfc(text)."""
    t = nfc(text)
    s = P.shadow(t)
    return find_in(t, s)


def find_in(t: str, s: str) -> list[Citation]:
    # Pass 1: anchors with their type words.
    anchors = []
    own = own_number(t, s)
    for m in P.NUMBER_RE.finditer(s):
        kind = m.lastgroup
        ns, ne = m.span(kind)
        if own is not None and own.rest_start <= ns < own.rest_end:
            continue  # the document's own "Số: …" line
        if kind != "bare":
            ne = _trim_number(t, ns, ne)
        tb = _type_before(s, ns)
        anchors.append((kind, ns, ne, tb))

    cites: list[Citation] = []
    starts = [a[3][3] if a[3] else a[1] for a in anchors if a[0] != "bare" or a[3]]
    next_i = 0
    for kind, ns, ne, tb in anchors:
        start = tb[3] if tb else ns
        while next_i < len(starts) and starts[next_i] <= start:
            next_i += 1
        limit = starts[next_i] if next_i < len(starts) else len(s)
        if kind == "bare":
            prev = cites[-1] if cites else None
            if tb is not None:
                if not tb[0].bare_ok or P.BARE_REJECT_NEXT_RE.match(s, ne):
                    continue
                if _YEAR.fullmatch(s[ns:ne]) and not s[tb[2]:ns].strip(" :"):
                    continue  # "Luật … 2025": a year, not a number
            elif prev is not None and prev.form == "bare" and P.CONTINUATION_RE.fullmatch(s, prev.end, ne):
                tb = None
            else:
                continue
            c = Citation(text="", start=start, end=ne, number=parse_number(t[ns:ne]).number, form="bare",
                         number_span=(ns, ne), number_text=t[ns:ne])
            if tb:
                c.doc_type, c.type_span, c.type_text, c.explicit_type = tb[0].name, (tb[1], tb[2]), t[tb[1]:tb[2]], True
            else:
                c.doc_type = prev.doc_type
            c.end = _forward(c, t, s, ne, limit) if tb else ne
            c.text = t[c.start:c.end]
            cites.append(c)
            continue
        parts = parse_number(t[ns:ne])
        c = Citation(text="", start=start, end=ne, number=parts.number, form=parts.form,
                     number_span=(ns, ne), number_text=t[ns:ne])
        if tb:
            c.doc_type, c.type_span, c.type_text, c.explicit_type = tb[0].name, (tb[1], tb[2]), t[tb[1]:tb[2]], True
        else:
            c.doc_type = _type_from_code(parts)
        c.end = max(ne, _forward(c, t, s, ne, limit))
        c.text = t[c.start:c.end]
        cites.append(c)

    cites.extend(_find_laws(t, s, cites))
    cites.sort(key=lambda c: c.start)
    return cites


def _type_from_code(parts) -> str | None:
    if parts.type_code:
        names = P.TYPES_BY_CODE.get(P.fkey(parts.type_code))
        if names:
            preferred = [n for n in names if n not in ("Thông tri", "Quy định")]
            return sorted(preferred or names)[0]
    return None


def _find_laws(t: str, s: str, cites: list[Citation]) -> list[Citation]:
    spans = sorted((c.start, c.end) for c in cites)
    out: list[Citation] = []
    si = 0
    for m in P.LAW_RE.finditer(s):
        ts = m.start()
        while si < len(spans) and spans[si][1] <= ts:
            si += 1
        if si < len(spans) and spans[si][0] <= ts < spans[si][1]:
            continue  # inside another citation (its type word or its trích yếu)
        if not t[ts].isupper():
            continue
        name_start = m.end()
        first = _CAP_WORD.match(t, name_start)
        if not first or not first.group()[0].isupper() or s.startswith("so", name_start) and not s[name_start + 2:name_start + 3].isalpha():
            continue
        stop = _LAW_STOP.search(t, name_start, min(len(t), name_start + 120))
        ne = stop.start() if stop else min(len(t), name_start + 120)
        while ne > name_start and t[ne - 1] in " \t-":
            ne -= 1
        if ne <= name_start:
            continue
        type_word = t[ts:m.end()].strip()
        doc_type = P.TYPE_BY_WORD[P.fkey(type_word)].name
        c = Citation(text="", start=ts, end=ne, doc_type=doc_type, law_name=f"{doc_type} {' '.join(t[name_start:ne].split())}",
                     form="law", type_span=(ts, m.end() - 1), type_text=type_word, explicit_type=True)
        end = ne
        ym = P.DATE_RE.match(s, ne)
        if ym:
            c.date, c.date_invalid = _parse_date(ym)
            ds = ym.start() + (len(ym.group()) - len(ym.group().lstrip(" ,(" + P.EMPHASIS)))
            c.date_span, c.date_text = (ds, ym.end()), t[ds:ym.end()]
            end = ym.end()
        else:
            ym = P.YEAR_RE.match(s, ne)
            if ym:
                ds = ym.start() + (len(ym.group()) - len(ym.group().lstrip()))
                c.date_span, c.date_text = (ds, ym.end()), t[ds:ym.end()]
                end = ym.end()
        c.end = end
        c.text = t[ts:end]
        c.title = c.law_name
        out.append(c)
    return out
