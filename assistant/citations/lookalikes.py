"""Characters typed in place of others ("Ð" for "Đ", "–" for "-"), found on the raw text and
placed on the NFC text that every span refers to.

assistant.text.nfc replaces them silently, which is right for matching but hides a real defect:
a number typed "09/2019/NÐ–CP" is not found by anyone who searches for "09/2019/NĐ-CP".
"""
from __future__ import annotations

import bisect
import re
import unicodedata

from assistant.text import nfc

from .findings import Context, Finding

# Look-alikes that are an error wherever they stand (no Vietnamese word has them).
LETTER_LOOKALIKES = {"\u00d0": "Ð (chữ eth)", "\u0189": "Ɖ (chữ D châu Phi)"}
# Dashes and minus signs: wrong only inside a số/ký hiệu, where the hyphen "-" is required.
DASH_LOOKALIKES = {"\u2010": "‐", "\u2011": "‑", "\u2012": "‒", "\u2013": "–", "\u2014": "—", "\u2015": "―",
                   "\u2212": "−"}
_ANY_LOOKALIKE = re.compile("[" + "".join(LETTER_LOOKALIKES) + "".join(DASH_LOOKALIKES) + "]")
_WORD_CHAR = re.compile(r"[\w/\-]")


def typed_lookalikes(raw: str) -> dict[int, str]:
    """{offset in nfc(raw): character as typed} for every look-alike letter or dash in `raw`."""
    u = unicodedata.normalize("NFC", raw)
    hits = [(m.start(), m.group()) for m in _ANY_LOOKALIKE.finditer(u)]
    if not hits:
        return {}
    # nfc() drops a few invisible characters (zero-width space, BOM); every other change keeps length.
    gone = "".join(ch for ch in set(u) if not ch.isprintable() and nfc(ch) == "")
    dropped = [m.start() for m in re.finditer("[" + re.escape(gone) + "]", u)] if gone else []
    return {i - bisect.bisect_left(dropped, i): ch for i, ch in hits}


def describe(chars: list[str]) -> str:
    """'chữ "Ð" (chữ eth) thay cho "Đ"; dấu "–" thay cho dấu gạch nối "-"' for the characters typed."""
    parts = []
    for ch in dict.fromkeys(chars):
        if ch in LETTER_LOOKALIKES:
            parts.append(f"chữ {LETTER_LOOKALIKES[ch]} thay cho chữ \"Đ\" tiếng Việt")
        else:
            parts.append(f"dấu \"{DASH_LOOKALIKES[ch]}\" thay cho dấu gạch nối \"-\"")
    return "; ".join(parts)


def in_span(lookalikes: dict[int, str], start: int, end: int) -> list[str]:
    return [lookalikes[i] for i in range(start, end) if i in lookalikes] if lookalikes else []


def check_letters(ctx: Context, covered: list[tuple[int, int]]) -> list[Finding]:
    """A look-alike letter outside the spans already reported (numbers): one finding per word."""
    out: list[Finding] = []
    t = ctx.t
    done_until = -1
    for i in sorted(ctx.lookalikes):
        ch = ctx.lookalikes[i]
        if ch not in LETTER_LOOKALIKES or i < done_until or any(s <= i < e for s, e in covered):
            continue
        start, end = i, i + 1
        while start > 0 and _WORD_CHAR.match(t[start - 1]):
            start -= 1
        while end < len(t) and _WORD_CHAR.match(t[end]):
            end += 1
        done_until = end
        typed = in_span(ctx.lookalikes, start, end)
        as_typed = "".join(ctx.lookalikes.get(k, t[k]) for k in range(start, end))
        out.append(ctx.finding("format", "warning",
                               f"Từ \"{as_typed}\" được gõ bằng {describe(typed)}: văn bản hiển thị giống nhau "
                               f"nhưng không tra cứu, tìm kiếm được; gõ lại là \"{t[start:end]}\".", start, end,
                               suggestion=t[start:end]))
    return out
