"""Legacy Vietnamese TCVN3 (TCVN 5712:1993 VN3, "ABC", .VnTime fonts) to Unicode.

Old commune documents typed with the ABC keyboard and .VnTime fonts store Vietnamese letters as
single bytes 0xA1-0xFE. Read as Windows-1252/Latin-1 they look like "Céng hoµ x· héi chñ nghÜa
ViÖt Nam"; this module recognises that signature and maps it back to Unicode.

VN3 only has lowercase toned letters (plus Ă Â Ê Ô Ơ Ư Đ). Capitals with tones were typed in the
".VnTimeH" fonts, which draw the *lowercase* codes as capitals, so "CéNG HOµ" is "CỘNG HOÀ":
`to_unicode` upper-cases a word whose other letters are all capitals.
"""
from __future__ import annotations

import re

# byte value -> Unicode letter (TCVN 5712:1993, VN3 subset).
_TABLE: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    # a: huyền, hỏi, ngã, sắc, nặng
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    # ă
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    # â
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    # e
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    # ê
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    # i
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    # o
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    # ô
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    # ơ
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    # u
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    # ư
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    # y
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}

# The same table keyed by the character the byte shows as in Latin-1 / Windows-1252.
CHAR_MAP: dict[str, str] = {chr(b): u for b, u in _TABLE.items()}
_TRANSLATE = str.maketrans(CHAR_MAP)
_REVERSE = {u: chr(b) for b, u in _TABLE.items()}

# Characters that a Unicode Vietnamese text never contains but TCVN3 text is full of
# (à á ạ ả ã ă â ê ô ơ ư đ Đ): their presence inside words is the signature.
_STRONG = set("¨©ª«¬\u00ad®§µ¶·¸¹")
# Every TCVN3 code that is not itself a letter used by Unicode Vietnamese.
_UNICODE_VIET_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_SIGNATURE = set(CHAR_MAP) - _UNICODE_VIET_LATIN1
# Letters only Unicode Vietnamese has (beyond Latin-1).
_VIET_EXT = re.compile(r"[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\s\d.,;:!?()\[\]\"'“”/\\|<>=+*#_-]+")
# In text extracted from .VnTime PDFs the soft hyphen (ư) often comes out as a minus sign.
_MINUS_IN_WORD = re.compile(r"(?<=\w)[\u2212\u2013](?=\w)")


def tcvn3_score(text: str) -> tuple[int, int, int]:
    """(signature characters inside words, strong signature characters, words)."""
    sig = strong = words = 0
    for m in _WORD.finditer(text):
        w = m.group()
        words += 1
        if len(w) < 2:
            continue
        for ch in w:
            if ch in _SIGNATURE:
                sig += 1
                if ch in _STRONG:
                    strong += 1
    return sig, strong, words


def looks_like_tcvn3(text: str) -> bool:
    """True when the text reads like TCVN3 bytes shown as Latin-1 ("Céng hoµ x· héi")."""
    sig, strong, words = tcvn3_score(text)
    if strong < 2 or words == 0:
        return False
    if strong < 0.02 * words:  # German/French text has ü/ö/ß but not µ ¸ ¹ ® §
        return False
    viet_ext = len(_VIET_EXT.findall(text))
    return viet_ext <= 0.1 * sig


def _fix_caps(original: str, converted: str) -> str:
    """Upper-case words typed with a .VnTimeH (capitals) font: 'HOà' -> 'HOÀ'."""
    out = []
    last = 0
    for m in re.finditer(r"\w+", converted):
        word = m.group()
        src = original[m.start():m.end()]
        uppers = sum(1 for c in word if c.isupper())
        # Upper-case only if every lowercase letter came from a TCVN3 code.
        if (uppers >= 2 and word != word.upper()
                and all(not c.islower() or s in CHAR_MAP for c, s in zip(word, src, strict=True))):
            out.append(converted[last:m.start()])
            out.append(word.upper())
            last = m.end()
    out.append(converted[last:])
    return "".join(out)


def to_unicode(text: str) -> str:
    """Convert TCVN3 text (decoded as Latin-1/Windows-1252) to Unicode (NFC)."""
    text = _MINUS_IN_WORD.sub("\u00ad", text)
    converted = text.translate(_TRANSLATE)
    return _fix_caps(text, converted)


def from_unicode(text: str) -> str:
    """Unicode -> TCVN3 characters (lowercase letters; capitals with tones have no VN3 code).

    Used by tests to produce legacy files; capitals with tones are lowered, as .VnTimeH users typed.
    """
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _REVERSE:
            out.append(_REVERSE[ch])
        elif ch.lower() in _REVERSE and ch.lower() != ch:
            out.append(_REVERSE[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)
