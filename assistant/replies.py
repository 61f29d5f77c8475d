"""The model's reply as it streams: stopped when it loops, cleaned of prompt scaffolding, and judged
garbled or not.

A small model at temperature 0 that starts repeating repeats until its token cap: a line written
twice, or a phrase written again and again inside one line ("hồ sơ của người giao dịch, hồ sơ của
người giao dịch, …"). Either cuts the reply where the repetition starts and closes the stream,
which stops the server generating. Scaffolding the model may echo ("<<<NGUỒN 1>>>", "{{VB 1}}",
"Dữ kiện:", "Đã viết:") never reaches a user.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .text import MARKER, has_diacritics

REPEAT_LINE_MIN_CHARS = 12  # a line this long written a second time means the model is looping
MAX_PERIOD = 8              # a phrase of up to 8 words …
MIN_REPEATS = 3             # … written 3 times in a row is a loop
LONG_NGRAM = 7              # a 7-word run seen 3 times anywhere in the reply is a loop too
_WORD = re.compile(r"\S+")
_FENCE = re.compile(r"<{2,3}[‹<]?\s*(?:HẾT\s+)?NGUỒN\s*\d*\s*[>›]{1,3}|[‹]{3}|[›]{3}")
_SCAFFOLD_LINE = re.compile(r"^\s*(?:Dữ kiện|Đã viết|Phần|Yêu cầu|Viết khoảng|Nguồn|Câu hỏi)\s*:.*$|^\s*Ghi chú\b.*$",
                            re.MULTILINE | re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{\{?\s*VB\s*\d{1,2}\s*\}?\}")
SCAFFOLDING = ("<<<", ">>>", "{{VB", "NGUỒN", "Dữ kiện:", "Đã viết:")


def repeated_line_at(text: str) -> int | None:
    """Where the first line that repeats an earlier line starts (whitespace aside), if any."""
    seen, pos = set(), 0
    for line in text.split("\n"):
        key = " ".join(MARKER.sub("", line).split())  # the same line under another marker is the same line
        if len(key) >= REPEAT_LINE_MIN_CHARS:
            if key in seen:
                return pos
            seen.add(key)
        pos += len(line) + 1
    return None


def repeated_phrase_at(text: str) -> int | None:
    """Where a looping phrase starts repeating: a run of up to MAX_PERIOD words written MIN_REPEATS
    times in a row, or a LONG_NGRAM-word run written MIN_REPEATS times anywhere. Linear in the text."""
    words = [(m.start(), m.group(0).lower().strip(",.;:")) for m in _WORD.finditer(text)]
    tokens = [w for _, w in words]
    counts: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(tokens)):
        for p in range(1, MAX_PERIOD + 1):
            span = p * MIN_REPEATS
            if i + 1 < span:
                break
            block = tokens[i + 1 - span:i + 1]
            unit = block[:p]
            if p == 1 and len(unit[0]) < 3:
                continue  # "1 1 1" in a list of figures is not a loop
            if all(block[k * p:(k + 1) * p] == unit for k in range(1, MIN_REPEATS)):
                return words[i + 1 - span + p][0]
        if i + 1 >= LONG_NGRAM:
            gram = tuple(tokens[i + 1 - LONG_NGRAM:i + 1])
            seen = counts.setdefault(gram, [])
            seen.append(words[i + 1 - LONG_NGRAM][0])
            if len(seen) >= MIN_REPEATS:
                return seen[1]
    return None


def loop_at(text: str) -> int | None:
    """Where the reply starts looping (a repeated line or phrase), if it does."""
    cuts = [c for c in (repeated_line_at(text), repeated_phrase_at(text)) if c is not None]
    return min(cuts) if cuts else None


def stream_reply(pieces: Iterator[str], render: Callable[[str], str] | None = None) -> Iterator[tuple[str, bool]]:
    """(reply so far, rendered) as the model writes; stops — and closes the model stream — where the
    reply starts looping. The last item's text is the reply kept; a second value tells whether it
    was cut."""
    raw = ""
    cut = False
    checked = 0
    try:
        for piece in pieces:
            raw += piece
            if len(raw) - checked >= 16 or "\n" in piece:
                checked = len(raw)
                at = loop_at(raw)
                if at is not None:
                    raw, cut = raw[:at].rstrip(" ,;"), True
                    yield (render(raw) if render else raw), True
                    return
            yield (render(raw) if render else raw), False
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()
    at = loop_at(raw)
    if at is not None:
        raw, cut = raw[:at].rstrip(" ,;"), True
    yield (render(raw) if render else raw), cut


def strip_scaffolding(text: str) -> str:
    """Remove what belongs to the prompt, not to an answer: source fences, {{VB n}} placeholders,
    echoed prompt labels."""
    text = _FENCE.sub("", text)
    text = _PLACEHOLDER.sub("", text)
    text = _SCAFFOLD_LINE.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def leaks_scaffolding(text: str) -> bool:
    return any(s in text for s in SCAFFOLDING)


def is_garbled(text: str, min_words: int = 4) -> bool:
    """Too short, no Vietnamese, or mostly punctuation: not a paragraph of a report."""
    words = text.split()
    if len(words) < min_words:
        return True
    if not has_diacritics(text):
        return True
    letters = sum(c.isalpha() for c in text)
    return letters < 0.5 * len(text.replace(" ", ""))
