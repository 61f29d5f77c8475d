"""Rule tables (JSON in ./data) and the regexes built from them, compiled once at import.

Every pattern runs on a *shadow* of the text: the NFC text folded character by character
(lowercase, no diacritics, đ→d), which has exactly the same length, so a match's offsets are
offsets into the NFC text. That makes matching robust to case, missing accents, Ð for Đ and
plain D for Đ without any span bookkeeping.

All regexes are linear: bounded repetitions between literal separators, no nested unbounded
quantifiers.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"


def _load(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


DOC_TYPES = _load("doc_types.json")
ISSUERS = _load("issuers.json")
RULES = _load("rules.json")

# --- length-preserving fold -------------------------------------------------------------------

def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for block in (range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        for cp in block:
            folded = fold(chr(cp))
            if len(folded) == 1 and folded != chr(cp):
                table[cp] = folded
    return table


_FOLD_TABLE = _build_fold_table()
# The same table as an array indexed by code point, for long texts: numpy maps a megabyte in a few
# milliseconds where str.translate takes ~0.1 s (one dict lookup per character).
_FOLD_ARRAY = np.arange(0x1F00, dtype="<u4")
for _cp, _folded in _FOLD_TABLE.items():
    _FOLD_ARRAY[_cp] = ord(_folded)
_ARRAY_FROM = 4096  # characters; below this str.translate is quicker


def shadow(text: str) -> str:
    """Fold an NFC text without changing its length: 'Nghị Định' -> 'nghi dinh'."""
    if len(text) < _ARRAY_FROM:
        return text.translate(_FOLD_TABLE)
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    folded = _FOLD_ARRAY[np.minimum(points, len(_FOLD_ARRAY) - 1)]
    beyond = points >= len(_FOLD_ARRAY)
    if beyond.any():  # CJK, emoji …: kept as they are
        folded[beyond] = points[beyond]
    return folded.tobytes().decode("utf-32-le")


@lru_cache(maxsize=16384)
def fkey(text: str) -> str:
    """Folded lookup key of a short phrase (whitespace collapsed)."""
    return " ".join(shadow(text).split())


# --- document types ----------------------------------------------------------------------------

@dataclass(frozen=True)
class DocType:
    name: str
    words: tuple[str, ...]
    codes: tuple[str, ...]
    issuers: tuple[str, ...] = ()
    issuer_kinds: tuple[str, ...] = ()
    by_name: bool = False
    bare_ok: bool = False
    letter: bool = False
    requires_number: bool = False


TYPES: list[DocType] = [
    DocType(name=t["name"], words=tuple(t["words"]), codes=tuple(t["codes"]),
            issuers=tuple(t.get("issuers", ())), issuer_kinds=tuple(t.get("issuer_kinds", ())),
            by_name=t.get("by_name", False), bare_ok=t.get("bare_ok", False), letter=t.get("letter", False),
            requires_number=t.get("requires_number", False))
    for t in DOC_TYPES["types"]
]
TYPE_BY_NAME = {t.name: t for t in TYPES}
# folded type word -> DocType ("nghi dinh" -> Nghị định)
TYPE_BY_WORD: dict[str, DocType] = {}
for _t in TYPES:
    for _w in _t.words:
        TYPE_BY_WORD.setdefault(fkey(_w), _t)
MAX_TYPE_WORDS = max(len(w.split()) for w in TYPE_BY_WORD)
# folded abbreviation -> type names it may stand for ("nd" -> {"Nghị định"})
TYPES_BY_CODE: dict[str, set[str]] = {}
for _t in TYPES:
    for _c in _t.codes:
        TYPES_BY_CODE.setdefault(fkey(_c), set()).add(_t.name)
INVALID_CODES = {fkey(k): v for k, v in DOC_TYPES["invalid_codes"].items()}
QH_TYPES = set(DOC_TYPES["qh_types"])

# --- issuers -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Issuer:
    code: str
    name: str
    level: str
    kind: str
    compatible: tuple[str, ...] = field(default=())


ISSUER_LIST = [Issuer(i["code"], i["name"], i["level"], i["kind"], tuple(i.get("compatible", ())))
               for i in ISSUERS["issuers"]]
ISSUER_BY_CODE = {fkey(i.code): i for i in ISSUER_LIST}
ISSUER_BY_PHRASE: dict[str, Issuer] = {}
for _i, _raw in zip(ISSUER_LIST, ISSUERS["issuers"]):
    for _p in _raw["phrases"]:
        ISSUER_BY_PHRASE.setdefault(fkey(_p), _i)
PLACE_WORDS = [fkey(p) for p in ISSUERS["places"]]
ORG_WORDS = tuple(sorted({fkey(w) for w in ISSUERS["organisation_words"]}, key=len, reverse=True))

# Canonical spelling of every known abbreviation, keyed by its exact, upper and folded form.
CANONICAL_CODES: dict[str, str] = {}
_folded_seen: dict[str, set[str]] = {}
for _code in [c for t in TYPES for c in t.codes] + [i.code for i in ISSUER_LIST] + [
        "VX", "KT", "TP", "VP", "NV", "TH", "QP", "CA", "TTLT", "UBMTTQ", "BCĐ", "TTHĐND", "CT", "TrS"]:
    CANONICAL_CODES.setdefault(_code, _code)
    CANONICAL_CODES.setdefault(_code.upper(), _code)
    _folded_seen.setdefault(fkey(_code), set()).add(_code)
CANONICAL_BY_FOLD = {k: next(iter(v)) for k, v in _folded_seen.items() if len(v) == 1}
KNOWN_CODE_FOLDS = set(_folded_seen)

# --- regexes on the shadow ---------------------------------------------------------------------

_CODE = r"[a-z]{1,10}\d{0,2}"
_S = r" {0,2}"
_SA = r"(?: {0,2}| ?\n ?)"  # after a separator a number may also wrap to the next line: "120/2025/NĐ-\nCP"
_TAIL = rf"(?:{_S}-{_SA}{_CODE}){{0,4}}"
# Markdown emphasis that may close right after a number or a date: "**Nghị quyết số 15/NQ-HĐND** ngày …".
EMPHASIS = "*_"
# One anchor regex for every number form; the alternatives are tried at digit positions only.
NUMBER_RE = re.compile(
    rf"(?<![\w/])(?:"
    rf"(?P<year>\d{{1,4}}{_S}/{_SA}(?:19|20)\d\d{_S}/{_SA}{_CODE}{_TAIL})"     # 120/2025/NĐ-CP
    rf"|(?P<party>\d{{1,4}}{_S}-{_SA}{_CODE}{_S}/{_SA}{_CODE}{_TAIL})"         # 128-KH/ĐU
    rf"|(?P<local>\d{{1,4}}{_S}/{_SA}{_CODE}(?:{_S}-{_SA}{_CODE}){{1,4}})"     # 05/QĐ-UBND, 12/UBND-VX
    rf"|(?P<bare>\d{{1,4}}(?:{_S}/{_S}(?:19|20)\d\d)?)"                       # Nghị định 173, 15/2014
    rf")(?![\w/])"
)
CODE_GROUP_RE = re.compile(r"[^\W\d_]+\d*|\d+")
SPACED_SEPARATOR_RE = re.compile(r"[ \t][/-]|[/-][ \t]")  # "80 / BC", "NĐ - CP" (a line wrap is not typed)

DATE_RE = re.compile(
    r"[*_]{0,3}[ ,]{0,3}(?:\(|, )?(?:(?:ban hanh|ky|thong qua) {1,2})?(?:vao )?ngay {0,3}(?:"
    r"(?P<d>\d{1,2}) {0,2}[/.-] {0,2}(?P<m>\d{1,2}) {0,2}[/.-] {0,2}(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2}) {1,3}thang {1,3}(?P<m2>\d{1,2}) {1,3}nam {1,3}(?P<y2>\d{4}))(?!\d)"
)
YEAR_RE = re.compile(r" {1,2}nam (?P<y>(?:19|20)\d\d)(?!\d)")


def _alternation(phrases) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


ISSUER_RE = re.compile(
    rf"[*_]{{0,3}}[ ,]{{0,3}}(?:do )?cua {{1,2}}(?P<issuer>{_alternation(ISSUER_BY_PHRASE)})(?![a-z])"
    rf"(?: {{1,2}}(?P<place>{_alternation(PLACE_WORDS)})(?![a-z]))?"
)
TITLE_START_RE = re.compile(
    rf"[*_]{{0,3}}[ ,:]{{0,3}}(?:-{{1,2}} {{0,2}})?(?P<start>(?:{_alternation(fkey(s) for s in RULES['title_starters'])})(?![a-z]))"
)
TITLE_STOP_AFTER_COMMA = tuple(fkey(s) for s in RULES["title_stop_after_comma"])
TITLE_STOP_WORDS = tuple(fkey(s) for s in RULES["title_stop_words"])
TITLE_MAX = int(RULES["title_max_chars"])
BARE_REJECT_NEXT_RE = re.compile(
    rf" {{0,2}}(?:{_alternation(fkey(s) for s in RULES['bare_number_reject_next'])})(?![a-z])")
PLACE_STOP = set(fkey(s) for s in RULES["place_name_stop"])
CONTINUATION_RE = re.compile(r" {0,2}(?:,|va|hoac) {1,2}(?:so {1,2})?(?P<n>\d{1,4})(?![\w/]|[.,]\d)")

# Laws cited by name: "Luật Hộ tịch năm 2014". Anchored on the literal word (fast prefix search).
LAW_RE = re.compile(r"(?<![a-z])(?P<type>bo luat|luat|phap lenh) (?=\w)")

WORD_START = "(?<![a-z])"
DUPLICATE_RULES = []
for _rule in RULES["duplicate_phrases"]:
    _rx = _rule["regex"].replace("{TYPES}", _alternation(TYPE_BY_WORD))
    DUPLICATE_RULES.append((re.compile(_rx), _rule))


def at_word_starts(rx: re.Pattern, s: str):
    """rx.finditer(s) for a pattern opening with WORD_START, faster: the pattern without it is searched
    (a leading lookbehind stops the regex engine from skipping ahead to the phrase's first letters)
    and a match that starts inside a word is passed over by one character. Same matches."""
    if not rx.pattern.startswith(WORD_START):
        yield from rx.finditer(s)
        return
    fast = _without_word_start(rx)
    pos = 0
    while (m := fast.search(s, pos)) is not None:
        if m.start() and "a" <= s[m.start() - 1] <= "z":
            pos = m.start() + 1
            continue
        yield m
        pos = m.end() if m.end() > m.start() else m.start() + 1


@lru_cache(maxsize=64)
def _without_word_start(rx: re.Pattern) -> re.Pattern:
    return re.compile(rx.pattern[len(WORD_START):], rx.flags)

SUM_UNITS = sorted({fkey(u) for u in RULES["sum_units"]}, key=len, reverse=True)
_NUM = r"\d{1,3}(?:\.\d{3})+|\d+"
SUM_QTY_RE = re.compile(rf"(?<![\w.,/])(?P<n>{_NUM})(?![\w/]|[.,]\d) {{1,2}}(?P<u>{_alternation(SUM_UNITS)})(?![a-z])")
SUM_TRIGGER_RE = re.compile(r"(?<![a-z])trong do(?![a-z])")
SUM_WINDOW = int(RULES["sum_window_chars"])

# The report's own date line.
HEADER_DATE_RE = re.compile(
    r"(?P<place>[^\W\d_][^\n,|]{0,60}), {0,3}ngay(?P<d> {1,10}|[ \t]*\S{1,4}[ \t]*) {0,3}thang(?P<m> {1,10}|[ \t]*\S{1,4}[ \t]*) {0,3}nam {0,3}(?P<y>\d{4})"
)
