"""Vietnamese text primitives shared by every module: NFC, look-alike characters, accent folding.

What users see keeps its diacritics; folding is only for matching.
"""
from __future__ import annotations

import re
import unicodedata

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


def nfc(text: str) -> str:
    """NFC-normalise and replace look-alike characters (keeps length-changing edits minimal)."""
    return unicodedata.normalize("NFC", text).translate(_LOOKALIKES)


def fold(text: str) -> str:
    """Lowercase and strip diacritics: 'Nghị định' -> 'nghi dinh'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    return unicodedata.normalize("NFC", _VIET_MARKS.sub("", decomposed)).lower()


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese accented letter."""
    return bool(_LETTERS_WITH_MARKS.search(unicodedata.normalize("NFC", text)))
