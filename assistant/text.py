"""Vietnamese text rules shared by every job: NFC and look-alikes, accent folding, sentence ends,
figures with their unit, source markers [n] and dates as people read them.

What users see keeps its diacritics; folding is only for matching. A rule used by more than one
module lives here, so a fix is made once.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

# Characters that stand in for others in real documents (OCR, Word autocorrect, copy-paste).
_LOOKALIKES = str.maketrans({
    "\u00d0": "Đ",  # Ð (Icelandic eth) written for Đ
    "\u0189": "Đ",  # Ɖ (African D)
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",  # minus sign
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u200b": "",   # zero-width space
    "\ufeff": "",   # BOM
    "\u2044": "/", "\u2215": "/",  # fraction slash, division slash
})

_FOLD = str.maketrans({"đ": "d", "Đ": "D"})
_VIET_MARKS = re.compile(r"[\u0300-\u036f]")
_LETTERS_WITH_MARKS = re.compile(r"[À-ỹĐđ]")


_HAS_LOOKALIKE = re.compile("[" + re.escape("".join(chr(c) for c in _LOOKALIKES)) + "]")


def nfc(text: str) -> str:
    """NFC-normalise and replace look-alike characters (keeps length-changing edits minimal)."""
    text = unicodedata.normalize("NFC", text)
    # only the look-alikes are touched: str.translate looks every character up (~0.1 s a megabyte)
    return _HAS_LOOKALIKE.sub(_replace_lookalike, text)


def _replace_lookalike(m: re.Match) -> str:
    return _LOOKALIKES[ord(m.group())] or ""


def fold(text: str) -> str:
    """Lowercase and strip diacritics: 'Nghị định' -> 'nghi dinh'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    return unicodedata.normalize("NFC", _VIET_MARKS.sub("", decomposed)).lower()


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese accented letter."""
    return bool(_LETTERS_WITH_MARKS.search(unicodedata.normalize("NFC", text)))


# --- source markers ------------------------------------------------------------------------------

MARKER = re.compile(r"\[(\d{1,3})\]")  # "[2]": the answer's pointer to source 2
MARKER_RUN = re.compile(r"\s?\[\d{1,3}\](?:\s?\[\d{1,3}\])*")  # "[1][3]" with the space before it


# --- gaps a draft leaves for the clerk ---------------------------------------------------------------

GAP = "[cần bổ sung: {}]"  # a fact the section needs and the index lacks, said instead of invented
GAP_OPEN = GAP.split("{}")[0].rstrip(": ")
GAP_RUN = re.compile(re.escape(GAP_OPEN) + r":[^\]]*\]")


# --- dates -----------------------------------------------------------------------------------------

def as_date(value) -> date | None:
    """A date from a date, a datetime or an ISO string ('2026-02-22'); None when there is none."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def vn_date(value, *, formal: bool = False) -> str:
    """A date as staff read it: '22/02/2026', or formally 'ngày 22 tháng 02 năm 2026' (NĐ 30/2020:
    a leading zero for days below 10 and for months 1 and 2). ISO stays in JSON only."""
    d = as_date(value)
    if d is None:
        return "" if value is None else str(value)
    if formal:
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        return f"ngày {d.day:02d} tháng {month} năm {d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


# --- sentence and clause ends ------------------------------------------------------------------------

SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]»]*(?=\s+[\"'“(\[«]?[A-ZĐÀ-ỸÁ-Ỹ0-9\-+•])")
CLAUSE_END = re.compile(r"[;:][\"'”’)\]»]*(?=\s)")
# A clause ends at ";", ":", a line break, or a full stop that is not inside a number ("1.150").
CLAUSE_BREAK = re.compile(r"[;:\n]|\.(?!\d)")
ABBREVIATIONS = frozenset({"TP", "Tp", "TT", "TX", "Q", "P", "KT", "TM", "TL", "TUQ", "ThS", "Ths", "TS", "GS",
                           "PGS", "BS", "CN", "Th", "St", "v.v", "vv", "Đ/c", "đ/c", "Ô", "B", "Nxb", "NXB", "tr",
                           "Tr", "Số", "số"})
_ABBREV_LOOKBACK = 16  # longer than any word in ABBREVIATIONS
# "1.", "1.9.", "III." open an item ("2. Đề nghị …"); a year ("năm 2025.") still ends a sentence.
_OUTLINE_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,4}")
_INITIAL = re.compile(r"[A-ZĐ]\.?[A-ZĐ]?")


def sentence_cuts(text: str) -> list[int]:
    """Offsets just after each sentence end in `text` (abbreviations and outline numbers such as
    "1.9." or "III." are not sentence ends)."""
    cuts = []
    for m in SENTENCE_END.finditer(text):
        start = m.start()
        # Abbreviations are short: look back a few characters only (a whole-line look-back is quadratic).
        lo = max(0, start - _ABBREV_LOOKBACK)
        word_start = max(text.rfind(" ", lo, start), text.rfind("\n", lo, start)) + 1
        if word_start == 0 and lo > 0:
            cuts.append(m.end())  # a word longer than any abbreviation
            continue
        word = text[word_start:start]
        near = max(0, word_start - _ABBREV_LOOKBACK)  # a bounded look-back, as above
        before = text[max(near, text.rfind("\n", near, word_start) + 1):word_start].rstrip()
        line_start = not before or before[-1] in ".;:"  # "… biên chế. 2. Đề nghị …" numbers an item too
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or _INITIAL.fullmatch(word) \
                or (_OUTLINE_NUMBER.fullmatch(word) and (line_start or not word[:1].isdigit())):
            continue  # "1.9." opening a line is a number; "… mức độ 2. Trung tâm …" ends a sentence
        cuts.append(m.end())
    return cuts


def sentences(text: str) -> list[str]:
    """The sentences of one line or paragraph, stripped (see `sentence_cuts`)."""
    bounds = [0, *sentence_cuts(text), len(text)]
    return [p for p in (text[a:b].strip() for a, b in zip(bounds, bounds[1:])) if p]


# Old-style tone placement ("hoà", "uỷ", "khoẻ") written the new way ("hòa", "ủy", "khỏe"): real
# documents mix both, so accented matching must not depend on it. NFD: o/u + a/e/y + tone, open syllable,
# not after q ("quý" keeps its tone on y).
_OLD_TONE_PLACEMENT = re.compile(
    r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\u0300-\u036f]|[^\W_])")


def normalise_tone_placement(text: str) -> str:
    """'hoà giải, Uỷ ban, khoẻ' -> 'hòa giải, Ủy ban, khỏe' (NFC in, NFC out)."""
    d = unicodedata.normalize("NFD", text)
    if not _OLD_TONE_PLACEMENT.search(d):
        return text
    return unicodedata.normalize("NFC", _OLD_TONE_PLACEMENT.sub(r"\1\3\2", d))


# --- figures with their unit ---------------------------------------------------------------------------

FIGURE = re.compile(r"(?<![\w/.,-])(\d{1,3}(?:[.,]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?:\s?%)?(?![\w/-])")
# The word after a figure is its unit ("412 việc", "23 cặp", "90 trường hợp") unless it is one of these.
NOT_UNITS = frozenset("và hoặc đến tới trong của so với là tại trên theo từ cho thì mà được đã nay này đó".split())
UNVERIFIED = "chưa xác minh"
# (A "(chưa xác minh)" mark already inserted after the number is skipped: the unit follows it.)
_WORD_AFTER = re.compile(r"(?:\s*\(" + UNVERIFIED + r"\))?\s*(%|[^\W\d_]+)")


def unit_after(text: str, end: int) -> str | None:
    """The unit word right after a figure ending at `end` ("việc", "%"), lower-cased; None if none."""
    m = _WORD_AFTER.match(text, end)
    if not m:
        return None
    word = m.group(1).lower()
    return None if word in NOT_UNITS else word


def figures_with_units(text: str) -> list[tuple[str, str | None]]:
    """(figure, unit) pairs in the text: ("08", "người"), ("69,2", "%"); unit None when no word
    follows. Dates and document numbers are not figures."""
    return [(m.group(1), unit_after(text, m.end(1))) for m in FIGURE.finditer(text)]


def figure_value(figure: str) -> float | None:
    """'1.707' -> 1707, '69,2' -> 69.2 (Vietnamese grouping and decimal marks)."""
    s = figure.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        s = s.replace(".", "")
    s = s.replace(",", ".") if s.count(",") == 1 and "." not in s else s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None
