"""Vietnamese words of more than one syllable ("báo cáo", "học viên", "bác sĩ"), so that a figure's
unit is read whole ("37 báo cáo", not "37 báo").

The word list is the dictionary pyvi ships beside its tokenizer models (`pyvi/models/words.txt`,
31,000 entries), read as data from the installed package: pyvi's models are not loaded. It writes
tones the old way ("hoà giải"); each entry is kept in the new way ("hòa giải") too.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources

from .text import nfc, normalise_tone_placement

log = logging.getLogger(__name__)

_SYLLABLE = re.compile(r"[^\W\d_]+")
LONGEST = 3  # syllables looked at


@lru_cache(maxsize=1)
def compounds() -> frozenset[str]:
    """The lower-case words of 2 to LONGEST syllables; empty (units read a syllable at a time) when
    the list cannot be read."""
    try:
        text = resources.files("pyvi").joinpath("models/words.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        log.warning("Không đọc được từ điển từ ghép (pyvi): %s — đơn vị tính chỉ đọc một tiếng.", exc)
        return frozenset()
    out = set()
    for line in nfc(text).splitlines():
        word = " ".join(line.lower().split())
        if 2 <= word.count(" ") + 1 <= LONGEST:
            out.add(word)
            out.add(normalise_tone_placement(word))
    return frozenset(out)


def word_at(text: str, start: int) -> str | None:
    """The longest word of several syllables starting at `start` (lower case, each syllable
    lower case in the text: a capital starts a name), or None."""
    syllables = []
    pos = start
    for _ in range(LONGEST):
        m = _SYLLABLE.match(text, pos)
        if not m or m.group(0)[:1].isupper():
            break
        syllables.append(m.group(0).lower())
        pos = m.end()
        if not text.startswith(" ", pos):
            break
        pos += 1
    words = compounds()
    for n in range(len(syllables), 1, -1):
        candidate = " ".join(syllables[:n])
        if candidate in words:
            return candidate
    return None
