"""What a drafting request asks for: the section's number and title, the fields it names, the
length, and the unit whose report it is.

"Soạn mục 1.3 Phân quyền, phân cấp, ủy quyền, gồm các lĩnh vực tư pháp, thanh tra và đối ngoại,
khoảng 250 chữ" → number "1.3", title "Phân quyền, phân cấp, ủy quyền", fields [tư pháp, thanh tra,
đối ngoại], 250 words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..citations.fields import fields_in as field_names_in
from ..fields import Field
from ..fields import field as field_of
from ..text import nfc
from ..units import Unit, unit_in

_VERB = re.compile(r"^\s*(?:hãy\s+)?(?:soạn(?:\s+thảo)?|viết|dự\s+thảo|lập)\s+(?:(?:giúp|cho)\s+(?:tôi|em)\s+)?"
                   r"(?:(?:nội\s+dung|phần|mục|đoạn|tiểu\s+mục)\s+)*", re.IGNORECASE)
_NUMBER = re.compile(r"^((?:\d{1,2}|[IVX]{1,4})(?:\.\d{1,2}){0,3})\.?(?=[\s,:]|$)")
_LENGTH = re.compile(r"[,;(]?\s*(?:khoảng|tầm|chừng|độ|dưới|không quá|tối đa|gần|hơn|trên)?\s*(\d{2,4})\s*(?:chữ|từ)\b\)?",
                     re.IGNORECASE)
# "gồm các lĩnh vực tư pháp, thanh tra và đối ngoại", "(lĩnh vực tư pháp)", "cho lĩnh vực hộ tịch"
_FIELD_LIST = re.compile(r"[,;(]?\s*(?:gồm|bao gồm|về|cho|trong|đối với)?\s*(?:các\s+)?lĩnh\s+vực\s+([^.;()]+)\)?",
                         re.IGNORECASE)
_UNIT_CLAUSE = re.compile(r"[,;]?\s*(?:của|cho|tại)\s+(?:(?:Văn phòng\s+)?(?:HĐND và UBND|UBND|Ủy ban nhân dân)\s+)?"
                          r"(?:xã|phường|đặc khu|thị trấn)\s+[^,.;()]+", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*(?:,|;|\bvà\b)\s*")
DEFAULT_WORDS = 180


@dataclass
class SectionRequest:
    text: str
    number: str | None = None
    title: str = ""
    fields: list[Field] = field(default_factory=list)
    field_words: list[str] = field(default_factory=list)  # the fields as the request words them
    words: int | None = None
    unit: Unit | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def target_words(self) -> int:
        return self.words or DEFAULT_WORDS


def parse_request(text: str, unit: str | None = None) -> SectionRequest:
    """Read a drafting request; `unit` (the app's or the CLI's) wins over a unit named in it."""
    raw = nfc(text).strip()
    req = SectionRequest(text=raw)
    rest = _VERB.sub("", raw, count=1)
    m = _NUMBER.match(rest)
    if m:
        req.number = m.group(1)
        rest = rest[m.end():].lstrip(" .:-")
    m = _LENGTH.search(rest)
    if m:
        req.words = int(m.group(1))
        rest = (rest[:m.start()] + rest[m.end():]).strip()
    req.unit = unit_in(unit) if unit else None
    m = _UNIT_CLAUSE.search(rest)
    if m:
        req.unit = req.unit or unit_in(m.group(0))
        rest = (rest[:m.start()] + rest[m.end():]).strip()
    req.unit = req.unit or unit_in(raw) if not unit else req.unit
    m = _FIELD_LIST.search(rest)
    if m:
        listed = [w.strip(" .") for w in _LIST_SPLIT.split(m.group(1)) if w.strip(" .")]
        for word in listed:
            # "giáo dục" alone is an ordinary word; after "lĩnh vực" it names the field
            named = field_names_in(f"lĩnh vực {word}")
            if named:
                f = field_of(named[0])
                if f not in req.fields:
                    req.fields.append(f)
                    req.field_words.append(named[0])  # the field (or area) as the table names it
        if req.fields:
            rest = (rest[:m.start()] + rest[m.end():]).strip()
    req.title = _clean_title(rest)
    return req


def _clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:.-")
    return text[:1].upper() + text[1:] if text else text
