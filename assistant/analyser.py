"""Vietnamese text as search sees it: the tokens BM25 indexes and queries with.

`tokens()` keeps diacritics: NFC, lowercase, one token per syllable, plus a bigram for every pair of
adjacent syllables not separated by punctuation ("phân cấp" -> "phân", "cấp", "phân_cấp"; "Điều 13" ->
"điều_13"). Vietnamese words are mostly two syllables, so bigrams stand in for word segmentation.
Document numbers are one token after normalising spaces, dashes and look-alike letters
("120/2025/NĐ - CP", "120/2025/Nđ–CP" -> "120/2025/nđ-cp"), and also add their leading number
("120") and number/year ("120/2025") so "Nghị định 120" finds them. Old and new tone placement
("hoà", "hòa") give the same token.
`folded_tokens()` is the same sequence with accents folded ("nghi_dinh", "120/2025/nd-cp"), for queries
typed without diacritics.
`document_tokens()` is what a chunk is indexed with: its tokens, with its heading line counted again.
"""
from __future__ import annotations

import re

from .text import fold, nfc, normalise_tone_placement

# Agency / type codes that may follow a spaced dash in a document number written by hand
# ("120/2025/nd - cp" typed in lowercase). Uppercase segments are always accepted.
AGENCY_CODES = frozenset({
    "cp", "ttg", "ubnd", "hđnd", "hdnd", "btp", "bnv", "btc", "bca", "bqp", "byt", "bgdđt", "bgddt",
    "vpcp", "qh", "ubtvqh", "tw", "tu", "hu", "đu", "du", "ub", "mttq", "ct", "ttcp", "tpkt", "nhnn",
})
_CODE_SEGMENT = r"[^\W\d_][^\W_]*"  # letter first, then letters/digits (unicode): "NĐ", "CP", "BGDĐT"
# A số/ký hiệu: number, optional /year, /codes joined by dashes that may carry spaces
# ("120/2025/NĐ-CP", "05/QĐ-UBND", "120 / 2025 / NĐ - CP"). Groups: number, year, codes.
DOCUMENT_NUMBER = re.compile(
    rf"(?<![\w/])(\d{{1,5}})(?:\s?/\s?(\d{{4}}))?\s?/\s?({_CODE_SEGMENT}(?:\s?-\s?{_CODE_SEGMENT})*)(?![\w/])"
)
_DASH_WITH_SPACES = re.compile(r"(\s?-\s?)")
_WORD_OR_NUMBER = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")  # "1.707", "69,2", a syllable, a plain number


def _normalise_codes(codes: str) -> tuple[str, int]:
    """'NĐ - CP' -> ('nđ-cp', length used); a spaced dash into ordinary words ('CP - quy') ends it."""
    parts = _DASH_WITH_SPACES.split(codes)
    out, used = [parts[0]], len(parts[0])
    for sep, seg in zip(parts[1::2], parts[2::2]):
        if sep != "-" and not (seg.isupper() or seg.lower() in AGENCY_CODES):
            break
        out.append(seg)
        used += len(sep) + len(seg)
    return "-".join(out).lower(), used


def _document_numbers(text: str) -> list[tuple[int, int, str, str, str | None]]:
    """(start, end, normalised number, leading number, year) for each document number in NFC text."""
    found = []
    for m in DOCUMENT_NUMBER.finditer(text):
        codes, used = _normalise_codes(m.group(3))
        num, year = m.group(1), m.group(2)
        norm = f"{num}/{year}/{codes}" if year else f"{num}/{codes}"
        found.append((m.start(), m.start(3) + used, norm, num, year))
    return found


def tokens(text: str) -> list[str]:
    """Accented analysis: syllables, adjacent-syllable bigrams, document numbers as one token."""
    text = normalise_tone_placement(nfc(text)).replace("_", " ")
    spans: list[tuple[int, int, str, bool]] = []  # start, end, token, is a document number
    extras: list[str] = []
    last = 0
    for start, end, norm, num, year in _document_numbers(text):
        spans.extend((m.start(), m.end(), m.group().lower(), False)
                     for m in _WORD_OR_NUMBER.finditer(text, last, start))
        spans.append((start, end, norm, True))
        extras.append(num)
        if year:
            extras.append(f"{num}/{year}")
        last = end
    spans.extend((m.start(), m.end(), m.group().lower(), False) for m in _WORD_OR_NUMBER.finditer(text, last))
    out: list[str] = []
    prev = None
    for start, end, tok, is_number in spans:
        if not is_number and prev is not None and not prev[3] and not text[prev[1]:start].strip():
            out.append(f"{prev[2]}_{tok}")
        out.append(tok)
        prev = (start, end, tok, is_number)
    return out + extras


def folded_tokens(text: str) -> list[str]:
    """The same tokens with accents folded: 'Nghị định' -> ['nghi', 'nghi_dinh', 'dinh']."""
    return [fold(t) for t in tokens(text)]


# Field boost: the tokens of a chunk's heading line count HEADING_BOOST times. An article's title names
# its subject ("Điều 33. Sử dụng con dấu"); ALQAC 2023 MRR@10 of accented BM25 0.871 -> 0.891 at 2
# (3: 0.894), bench/retrieval_eval.py.
# A Vietnamese stopword list measured +0.002 and is not used.
HEADING_BOOST = 2
_HEADING_MAX_CHARS = 200


def heading_line(text: str) -> str:
    """The first line when it reads as a heading: short, not ending like a sentence (. ; : ,), and
    followed by more text. '' otherwise (a one-line chunk, a paragraph)."""
    text = text.strip()
    first, _, rest = text.partition("\n")
    first = first.strip().strip("*#").strip()
    if not rest.strip() or not first or len(first) > _HEADING_MAX_CHARS or first.endswith((".", ";", ":", ",")):
        return ""
    return first


def document_tokens(text: str, heading_boost: int = HEADING_BOOST) -> list[str]:
    """Tokens a chunk is indexed with: `tokens(text)` plus its heading line's tokens heading_boost - 1
    more times."""
    toks = tokens(text)
    head = heading_line(text) if heading_boost > 1 else ""
    if head:
        toks += tokens(head) * (heading_boost - 1)
    return toks
