"""Fields (lĩnh vực), their ministries, and how powers move ("phân định thẩm quyền" vs "phân quyền,
phân cấp"): the words that tell sibling documents apart. The table is data (data/fields.json).

    fields_in("Báo cáo công tác hộ tịch, chứng thực năm 2025")  -> ["hộ tịch", "chứng thực"]
    domain_of("hộ tịch") -> "tư pháp";  ministry_of("tư pháp") -> "Bộ Tư pháp"
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from . import patterns as P

_DATA = json.loads((P.DATA_DIR / "fields.json").read_text(encoding="utf-8"))

_WITHIN = {f["name"]: f.get("within") for f in _DATA["fields"]}
ALL_FIELDS = tuple(_WITHIN)  # every field name, top-level and within, in table order
_MINISTRY_OF_FIELD = {m["field"]: m["name"] for m in _DATA["ministries"]}
_COMMA_SPACING = re.compile(r" ?, ?")


def _key(phrase: str) -> str:
    return _COMMA_SPACING.sub(", ", P.fkey(phrase))


# folded form -> (kind, canonical name, needs a context word before it)
_FORMS: dict[str, tuple[str, str, bool]] = {}
for _m in _DATA["modes"]:
    for _form in _m["forms"]:
        _FORMS.setdefault(_key(_form), ("mode", _m["name"], False))
for _m in _DATA["ministries"]:
    for _form in _m["forms"]:
        _FORMS.setdefault(_key(_form), ("ministry", _m["name"], False))
for _f in _DATA["fields"]:
    for _form in _f.get("forms", ()):
        _FORMS.setdefault(_key(_form), ("field", _f["name"], False))
    for _form in _f.get("context_forms", ()):
        _FORMS.setdefault(_key(_form), ("field", _f["name"], True))

_FORM_RE = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(f) for f in sorted(_FORMS, key=len, reverse=True))
                      + r")(?![a-z0-9])")
_CONTEXT_BEFORE = re.compile(
    r"(?<![a-z])(?:" + "|".join(re.escape(_key(w)) for w in sorted(_DATA["context_words"], key=len, reverse=True))
    + r") $")
_CONTEXT_LOOKBACK = max(len(_key(w)) for w in _DATA["context_words"]) + 2
_MINISTRY_FIELD = {m["name"]: m["field"] for m in _DATA["ministries"]}


@dataclass(frozen=True)
class Mention:
    kind: str    # field | ministry | mode
    name: str    # canonical name
    start: int   # offsets into the folded key of the text (see `folded`)
    end: int


def folded(text: str) -> str:
    """The folded key the mentions' offsets refer to: lower case, no accents, one space, ', '."""
    return _key(text)


@lru_cache(maxsize=8192)
def mentions(text: str) -> tuple[Mention, ...]:
    """Every field, ministry and mode named in `text`, longest form first, in text order."""
    f = _key(text)
    out = []
    for m in _FORM_RE.finditer(f):
        kind, name, needs_context = _FORMS[m.group()]
        if needs_context and not _CONTEXT_BEFORE.search(f, max(0, m.start() - _CONTEXT_LOOKBACK), m.start()):
            continue
        out.append(Mention(kind, name, m.start(), m.end()))
    return tuple(out)


def domain_of(field: str) -> str:
    """The top-level field (the ministry's) a field belongs to: 'hộ tịch' -> 'tư pháp'."""
    seen = set()
    while _WITHIN.get(field) and field not in seen:
        seen.add(field)
        field = _WITHIN[field]
    return field


def ministry_of(field: str) -> str | None:
    """'tư pháp' -> 'Bộ Tư pháp'; a sub-field answers with its domain's ministry."""
    return _MINISTRY_OF_FIELD.get(domain_of(field))


def fields_in(text: str) -> list[str]:
    """Canonical names of the fields a title or request names, in order, once each (a ministry
    counts as its field)."""
    out: list[str] = []
    for m in mentions(text):
        name = _MINISTRY_FIELD[m.name] if m.kind == "ministry" else m.name if m.kind == "field" else None
        if name and name not in out:
            out.append(name)
    return out


def domains_in(text: str) -> frozenset[str]:
    """The top-level fields a text names ('hộ tịch' and 'Bộ Tư pháp' are both 'tư pháp')."""
    return frozenset(domain_of(f) for f in fields_in(text))


def modes_in(text: str) -> frozenset[str]:
    """How powers move, as the title says: {'phân định thẩm quyền'}, {'phân quyền, phân cấp'} or both."""
    return frozenset(m.name for m in mentions(text) if m.kind == "mode")
