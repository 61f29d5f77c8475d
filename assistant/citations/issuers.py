"""Issuer codes: which code a phrase names ('Đảng ủy xã …' → ĐU) and which codes may go together."""
from __future__ import annotations

import re

from . import patterns as P

_LAST_LETTER_GROUP = re.compile(r"(?<![A-Za-zĐđ])([A-Za-zĐđ]+)\s*$")  # starts at a word start only: linear
_TERM_DIGITS = re.compile(r"\d+$")  # "QH15" -> "QH"


def without_term(code: str) -> str:
    """'QH15' -> 'QH': the term number is not part of the issuer."""
    return _TERM_DIGITS.sub("", code)


def code_after(raw: str) -> str | None:
    """The last letter group of a number as written ('12-BC/HU' -> 'HU')."""
    m = _LAST_LETTER_GROUP.search(raw)
    return m.group(1) if m else None


def issuer_code_of(name: str | None) -> str | None:
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


def compatible(phrase_code: str, number_code: str) -> bool:
    """May an issuer named as `phrase_code` sign a document whose ký hiệu carries `number_code`?"""
    a, b = P.fkey(phrase_code), P.fkey(without_term(number_code))
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
