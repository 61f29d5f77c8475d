"""Normalise a số/ký hiệu and take it apart into serial, year, type code and issuer code."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from assistant.text import nfc

from .patterns import (
    CANONICAL_BY_FOLD,
    CANONICAL_CODES,
    CODE_GROUP_RE,
    INVALID_CODES,
    ISSUER_BY_CODE,
    KNOWN_CODE_FOLDS,
    TYPES_BY_CODE,
    fkey,
    shadow,
)

_LETTERS_THEN_DIGITS = re.compile(r"(\D+?)(\d*)")    # "QH15" -> ("QH", "15")
_SEPARATOR = re.compile(r"([/-])")
_TERM_DIGITS = re.compile(r"\d+$")
_BARE_NUMBER = re.compile(r"\d+(/\d{4})?")          # "173", "15/2014"
_PARTY_NUMBER = re.compile(r"(\d+)-([^/]+)/(.+)")    # "128-KH/ĐU"
_YEAR_GROUP = re.compile(r"((?:19|20)\d\d)/(.*)")    # "2025/NĐ-CP" after the serial
_SPACES_AROUND = re.compile(r"\s*([/-])\s*")
_WS = re.compile(r"\s+")


def _canonical_code(token: str) -> str:
    """'nđ' -> 'NĐ', 'ND' -> 'NĐ', 'TTG' -> 'TTg', 'qh15' -> 'QH15'; unknown codes upper-cased."""
    m = _LETTERS_THEN_DIGITS.fullmatch(token)
    if not m:
        return token
    letters, digits = m.groups()
    for candidate in (letters, letters.upper()):
        if candidate in CANONICAL_CODES:
            return CANONICAL_CODES[candidate] + digits
    folded = fkey(letters)
    if folded in CANONICAL_BY_FOLD:
        return CANONICAL_BY_FOLD[folded] + digits
    upper = letters.upper()
    # Ð/D for Đ in unknown codes: keep as written, upper-cased.
    return upper + digits


@lru_cache(maxsize=8192)
def normalise_number(raw: str) -> str:
    """Normalise a số/ký hiệu: '142/2025/NĐ - CP' -> '142/2025/NĐ-CP', '128 - kh/đu' -> '128-KH/ĐU'.

    NFC, look-alikes (Ð, en/em dashes) via assistant.text.nfc, no spaces around / and -, codes
    upper-cased with their canonical spelling (TTg, QyĐ, CTr) and D→Đ where the code is known.
    Leading zeros of the serial are kept as written (the format check needs them).
    """
    text = _WS.sub(" ", nfc(raw).strip())
    text = _SPACES_AROUND.sub(r"\1", text)
    parts = _SEPARATOR.split(text)
    out = []
    for part in parts:
        if part in ("/", "-") or part.isdigit() or not part:
            out.append(part)
        else:
            out.append(_canonical_code(part))
    return "".join(out)


@dataclass(frozen=True)
class NumberParts:
    number: str             # normalised
    serial: str             # "120", "05" (as written)
    year: int | None
    form: str               # "state" | "party" | "bare"
    type_code: str | None   # "NĐ", "KH" (None for công văn and QH15)
    issuer_code: str | None  # "CP", "UBND", "QH" (term digits dropped)
    groups: tuple[str, ...]  # all code groups after the serial/year

    @cached_property
    def serial_int(self) -> int:
        return int(self.serial) if self.serial.isdigit() else -1

    @cached_property
    def key(self) -> str:
        """Lookup key: leading zeros dropped, codes folded ('08/2025/TT-BTP' == '8/2025/TT-BTP')."""
        rest = shadow(self.number.split("/", 1)[1]) if "/" in self.number else ""
        if self.form == "party":
            rest = shadow(self.number.split("-", 1)[1])
        return f"{self.serial_int}/{rest}" if rest else str(self.serial_int)


def _issuer_code(group: str) -> str:
    letters = _TERM_DIGITS.sub("", group)
    return letters


@lru_cache(maxsize=8192)
def parse_number(raw: str) -> NumberParts:
    number = normalise_number(raw)
    if _BARE_NUMBER.fullmatch(number):
        serial, _, year = number.partition("/")
        return NumberParts(number, serial, int(year) if year else None, "bare", None, None, ())
    m = _PARTY_NUMBER.match(number)
    if m:  # Party: 128-KH/ĐU
        serial, type_code, issuer = m.groups()
        groups = tuple(CODE_GROUP_RE.findall(issuer))
        return NumberParts(number, serial, None, "party", type_code,
                           _issuer_code(groups[0]) if groups else None, (type_code, *groups))
    serial, _, rest = number.partition("/")
    year = None
    m = _YEAR_GROUP.match(rest)
    if m:
        year, rest = int(m.group(1)), m.group(2)
    groups = tuple(g for g in rest.split("-") if g)
    type_code = issuer = None
    if groups:
        first = fkey(groups[0])
        if len(groups) >= 2 and (first in TYPES_BY_CODE or first in INVALID_CODES):
            type_code, issuer = groups[0], _issuer_code(groups[1])
        elif len(groups) >= 2 and first not in KNOWN_CODE_FOLDS and fkey(_issuer_code(groups[1])) in ISSUER_BY_CODE \
                and fkey(_issuer_code(groups[0])) not in ISSUER_BY_CODE:
            # unknown abbreviation in the type position (e.g. "CV"): keep it as the type code
            type_code, issuer = groups[0], _issuer_code(groups[1])
        else:  # công văn (12/UBND-VX) or Quốc hội (64/2025/QH15)
            issuer = _issuer_code(groups[0])
    return NumberParts(number, serial, year, "state", type_code, issuer, groups)
