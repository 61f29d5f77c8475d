"""Fields of state management (lĩnh vực) as drafting needs them: which top-level field a request or
a decree's title is about ("Bộ Tư pháp", "hộ tịch" → tư pháp), its areas, and whether a text speaks
of phân quyền / phân cấp / phân định thẩm quyền.

The table of fields, areas, ministries and modes is the citation engine's (`citations/data/
fields.json`, read by `citations.fields`): one list serves the title check and the planner.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .citations.fields import ALL_FIELDS, domain_of, modes_in
from .citations.fields import fields_in as field_names_in
from .text import fold


@dataclass(frozen=True)
class Field:
    name: str                # the top-level field: "tư pháp"
    areas: tuple[str, ...]   # the fields within it: "hộ tịch", "chứng thực", …


@lru_cache(maxsize=64)
def field(name: str) -> Field:
    domain = domain_of(name)
    return Field(domain, tuple(f for f in ALL_FIELDS if f != domain and domain_of(f) == domain))


def fields_in(text: str) -> list[Field]:
    """The top-level fields a text names, each once, in order of first mention."""
    out: list[Field] = []
    for name in field_names_in(text or ""):
        f = field(name)
        if f not in out:
            out.append(f)
    return out


def areas_in(text: str) -> list[str]:
    """The areas (fields within a top-level field) a text names: "hộ tịch", "chứng thực"."""
    return [n for n in field_names_in(text or "") if domain_of(n) != n]


def field_named(name: str) -> Field | None:
    found = fields_in(name)
    return found[0] if found else None


def is_decentralisation(text: str) -> bool:
    """Does the text speak of phân quyền / phân cấp / phân định thẩm quyền / ủy quyền?"""
    return bool(modes_in(text or "")) or "uy quyen" in fold(text or "")
