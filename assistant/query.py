"""Query analysis: typed without accents? names a document number or an Điều?

`analyse_query("Điều 7 nghị định 120/2025")` -> unaccented=False, numbers=["120/2025"],
refs=[DocRef("120/2025", "Nghị định", partial=True)], dieu="7".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analyser import DOCUMENT_NUMBER
from .text import fold, has_diacritics, nfc

# Document types, canonical accented spelling keyed by folded spelling.
_TYPES = {fold(t): t for t in (
    "Bộ luật", "Luật", "Hiến pháp", "Pháp lệnh", "Nghị định", "Nghị quyết", "Quyết định", "Thông tư",
    "Thông tư liên tịch", "Chỉ thị", "Kế hoạch", "Báo cáo", "Công văn", "Thông báo", "Tờ trình", "Hướng dẫn",
    "Lệnh", "Chương trình", "Đề án", "Quy chế", "Quy định",
)}
# Folded code -> canonical code with Đ, for numbers typed without accents ("nd-cp" -> "NĐ-CP").
_CODES = {fold(c).upper(): c for c in (
    "NĐ", "QĐ", "HĐND", "BGDĐT", "ĐU", "ĐCSVN", "TTLT", "TT", "NQ", "CT", "KH", "BC", "CV", "TB", "TTr", "HD",
)}
# Type implied by the first code of the suffix.
_TYPE_OF_CODE = {"NĐ": "Nghị định", "NQ": "Nghị quyết", "QĐ": "Quyết định", "TT": "Thông tư",
                 "TTLT": "Thông tư liên tịch", "CT": "Chỉ thị", "KH": "Kế hoạch", "BC": "Báo cáo",
                 "TB": "Thông báo", "TTR": "Tờ trình", "HD": "Hướng dẫn"}

_TYPE_WORDS = "|".join(sorted({re.escape(t) for k, v in _TYPES.items() for t in (k, v)}, key=len, reverse=True))
_SHORT = re.compile(rf"\b({_TYPE_WORDS})\s+(?:số\s+|so\s+)?(\d{{1,5}})(?:\s?/\s?(\d{{4}}))?(?![\w/])", re.IGNORECASE)
_DIEU = re.compile(r"\b(?:điều|dieu)\s+(\d{1,3}[a-zđ]?)\b", re.IGNORECASE)
_KHOAN = re.compile(r"\b(?:khoản|khoan)\s+(\d{1,3})\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
# Syllables that make a sentence a question or a request, not what it is about: documents answer
# "bao nhiêu", "gì", "nào" without containing them (answering.coverage leaves them out).
QUESTION_SYLLABLES = frozenset(
    "bao nhiêu mấy gì nào đâu ai sao thế không chưa có phải hay hỏi cho biết hãy soạn viết nêu".split())
# A type word and "số" before a number fit in this many characters (text is whitespace-collapsed).
_TYPE_LOOKBACK = 64


@dataclass
class DocRef:
    number: str            # "120/2025/NĐ-CP" (full) or "120" / "120/2025" (partial)
    type: str | None       # "Nghị định", ... (from the words before it or from the suffix code)
    partial: bool          # True when the query gave no suffix (NĐ-CP, QH15, ...)


@dataclass
class QueryInfo:
    text: str                                  # NFC, whitespace collapsed
    unaccented: bool                           # typed without diacritics: search folded
    numbers: list[str] = field(default_factory=list)   # normalised document numbers (full or partial)
    dieu: str | None = None                    # "Điều 13" -> "13"
    refs: list[DocRef] = field(default_factory=list)  # numbers with their document type
    khoan: str | None = None                   # "khoản 2" -> "2"


def _canon_suffix(suffix: str) -> str:
    parts = [p for p in re.split(r"\s?-\s?", suffix.strip()) if p]
    out = []
    for p in parts:
        up = p.upper()
        out.append(_CODES.get(fold(up).upper(), up) if not has_diacritics(p) else up)
    return "-".join(out)


def is_unaccented(text: str) -> bool:
    """True when the words carry (almost) no diacritics: 'nghi dinh phan cap' but not 'UBND xã'.

    Acronyms (all capitals) do not count; a long query with a stray accented word still counts.
    """
    words = [w for w in _WORD.findall(nfc(text)) if not (w.isupper() and len(w) > 1)]
    if not words:
        return False
    marked = sum(1 for w in words if has_diacritics(w))
    if marked == 0:
        return True
    return len(words) >= 4 and marked / len(words) < 0.2


def analyse_query(q: str) -> QueryInfo:
    text = re.sub(r"\s+", " ", nfc(q)).strip()
    refs: list[DocRef] = []
    spans: list[tuple[int, int]] = []
    for m in DOCUMENT_NUMBER.finditer(text):
        num, year, suffix = m.group(1), m.group(2), _canon_suffix(m.group(3))
        if not re.search(r"[A-ZĐ]", suffix) or suffix.isdigit():
            continue
        number = f"{num}/{year}/{suffix}" if year else f"{num}/{suffix}"
        before = text[max(0, m.start() - _TYPE_LOOKBACK):m.start()]  # not the whole prefix: linear
        tm = re.search(rf"({_TYPE_WORDS})\s+(?:số\s+|so\s+)?$", before, re.IGNORECASE)
        dtype = _TYPES.get(fold(tm.group(1))) if tm else None
        dtype = dtype or _TYPE_OF_CODE.get(suffix.split("-")[0].upper())
        if re.fullmatch(r"QH\d*", suffix):
            dtype = dtype or "Luật"
        refs.append(DocRef(number, dtype, False))
        spans.append((m.start(), m.end()))
    for m in _SHORT.finditer(text):
        if any(s <= m.start(2) < e for s, e in spans):
            continue
        num, year = m.group(2), m.group(3)
        if fold(m.group(1)) in ("dieu",):
            continue
        refs.append(DocRef(f"{num}/{year}" if year else num, _TYPES[fold(m.group(1))], True))
    # "Điều 7" must not be read as a number of a document: _SHORT never matches "Điều" (not a type).
    dm = _DIEU.search(text)
    km = _KHOAN.search(text)
    seen: set[str] = set()
    uniq = [r for r in refs if not (r.number in seen or seen.add(r.number))]
    return QueryInfo(
        text=text,
        unaccented=is_unaccented(text),
        numbers=[r.number for r in uniq],
        dieu=dm.group(1).lower() if dm else None,
        refs=uniq,
        khoan=km.group(1) if km else None,
    )
