"""Fields of state management (lĩnh vực): which a text names, and which a decree's title is about.

"Phân quyền, phân cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp" is about *tư pháp*;
"… lĩnh vực hộ tịch" is about an area of tư pháp. The names, the bodies that manage each field and
the areas inside it are data (`data/fields.json`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import fold

_DATA = json.loads((Path(__file__).resolve().parent / "data" / "fields.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Field:
    name: str                 # "tư pháp"
    forms: tuple[str, ...]    # words that name the field
    bodies: tuple[str, ...]   # who manages it: "Bộ Tư pháp"
    areas: tuple[str, ...]    # areas inside it: "hộ tịch", "chứng thực"


FIELDS = [Field(f["name"], tuple(f["forms"]), tuple(f["bodies"]), tuple(f["areas"])) for f in _DATA["fields"]]
DECENTRALISATION_WORDS = tuple(_DATA["decentralisation_words"])


@dataclass(frozen=True)
class Mention:
    field: Field
    area: str | None  # the area named ("hộ tịch"), when it was an area
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, tuple[Field, str | None]]]:
    table: dict[str, tuple[Field, str | None]] = {}
    for f in FIELDS:
        for phrase in (*f.forms, *f.bodies):
            table.setdefault(fold(phrase), (f, None))
        for area in f.areas:
            table.setdefault(fold(area), (f, area))
    alternation = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])"), table


def mentions(text: str) -> list[Mention]:
    """Every field, body or area named in the text, in order (longest names first: "Bộ Tư pháp"
    once, not also "tư pháp")."""
    if not text:
        return []
    rx, table = _pattern()
    folded = fold(text)
    if len(folded) != len(text):  # folding changed lengths (rare characters): offsets are approximate
        text = folded
    return [Mention(table[m.group(0)][0], table[m.group(0)][1], m.start(), m.end(), text[m.start():m.end()])
            for m in rx.finditer(folded)]


def fields_in(text: str) -> list[Field]:
    """The fields a text names, each once, in order of first mention."""
    out: list[Field] = []
    for m in mentions(text):
        if m.field not in out:
            out.append(m.field)
    return out


def field_named(name: str) -> Field | None:
    found = fields_in(name)
    return found[0] if found else None


def is_decentralisation(text: str) -> bool:
    """Does the text speak of phân quyền / phân cấp / ủy quyền / phân định thẩm quyền?"""
    folded = fold(text or "")
    return any(fold(w) in folded for w in DECENTRALISATION_WORDS)
