"""The document's own "Số: …" line, which is not a citation of another document.

Only a real header has one: the line opens with "Số" (or "Luật số", "Nghị quyết số" …), holds
nothing but the số/ký hiệu (a blank number, a table cell end or a wide gap to the date column may
follow), and the header is around it — an upper-case issuer block above, or the "…, ngày … tháng …
năm …" line beside or just below. A pasted paragraph that opens with "Nghị quyết số 15/NQ-HĐND
ngày …" or a lone "Số : 12 / KH-UBND" is a citation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import patterns as P

HEADER_ZONE = 3000  # characters after the front matter where the header is looked for
HEADER_CONTEXT_LINES = 3  # the date line stands at most this many lines below the number line

_FRONT_MATTER = re.compile(r"\A\s*---\n.*?\n---\n", re.DOTALL)
# On the folded shadow: "Số: 15/BC-UBND", "| Số: 120/2025/NĐ-CP |", "Luật số: 64/2025/QH15", "Số       - BC/HU".
_NUMBER_LINE = re.compile(
    r"^[ \t*|#>_]*(?P<so>(?:(?:luat|bo luat|phap lenh|nghi quyet) )?so)(?![a-z_])(?P<colon>[ \t]{0,3}:?)"
    r"(?P<rest>[^\n|]{0,60})", re.MULTILINE)
_NUMBER_SEPARATOR = re.compile(r"[/-]")
_TWO_PROSE_WORDS = re.compile(r"[a-z]{3,} [a-z]{3,}")  # "Số liệu thống kê …": a sentence, not a number
# Nothing but a (possibly blank or spaced) số/ký hiệu, then the line's end, or a wide gap / " - " before
# the date column.
_ONLY_A_NUMBER = re.compile(
    r"[ \t]{0,12}\d{0,4}[ \t]{0,12}(?:[/-][ \t]{0,2}[a-z0-9]{1,12}[ \t]{0,2}){1,6}[*_]{0,3}"
    r"(?:[ \t]*|(?:\t| {2,}| - )[^\n]*)")
_UPPER_LINE_MIN_LETTERS = 3
_MARKUP = re.compile(r"[|#*>_\t-]")
_HEADER_OPENINGS = tuple(P.ORG_WORDS) + ("cong hoa", "dang cong san")


@dataclass(frozen=True)
class OwnNumber:
    start: int        # "Số" (or the type word before it)
    so_end: int       # end of the word "số"
    colon: str        # what stands between "Số" and the number, as folded
    rest_start: int   # the number as written starts here (after spaces)
    rest_end: int     # end of the line or table cell (at most 60 characters)


def front_matter_end(s: str) -> int:
    """Where the text starts after a Markdown front matter (0 when there is none)."""
    fm = _FRONT_MATTER.match(s)
    return fm.end() if fm else 0


def own_number(t: str, s: str) -> OwnNumber | None:
    """The document's own number line in the header zone of NFC text `t` (shadow `s`), or None."""
    z0 = front_matter_end(s)
    zone = min(len(s), z0 + HEADER_ZONE)
    for m in _NUMBER_LINE.finditer(s, z0, zone):
        rest = m.group("rest")
        if not _NUMBER_SEPARATOR.search(rest) or _TWO_PROSE_WORDS.search(rest.split("/")[0]):
            continue
        if not _ONLY_A_NUMBER.fullmatch(rest):
            return None  # the first "Số …" line carries more than a number: a sentence, not a header
        line_start = s.rfind("\n", 0, m.start()) + 1
        if not (_upper_line_before(t, z0, line_start) or _date_line_near(s, line_start)):
            return None
        return OwnNumber(m.start("so"), m.end("so"), m.group("colon"), m.start("rest"), m.end("rest"))
    return None


def _upper_line_before(t: str, z0: int, end: int) -> bool:
    """The issuer block above `end`: an upper-case line naming an organisation ('ỦY BAN NHÂN DÂN',
    '| CHÍNH PHỦ | CỘNG HÒA …') or the national motto, not any upper-case line (a table's 'SỐ, KÝ HIỆU')."""
    for line in t[z0:end].splitlines():
        letters = [ch for ch in line if ch.isalpha()]
        if len(letters) < _UPPER_LINE_MIN_LETTERS or sum(ch.isupper() for ch in letters) < 0.9 * len(letters):
            continue
        words = P.fkey(_MARKUP.sub(" ", line)).split()
        if any(words[:len(w.split())] == w.split() for w in _HEADER_OPENINGS):
            return True
    return False


def _date_line_near(s: str, line_start: int) -> bool:
    """'Bình Thành, ngày 05 tháng 02 năm 2026' on this line or one of the next few."""
    end = line_start
    for _ in range(HEADER_CONTEXT_LINES + 1):
        nl = s.find("\n", end)
        end = len(s) if nl == -1 else nl + 1
    return P.HEADER_DATE_RE.search(s, line_start, end) is not None
