"""Whose figures: the unit (commune, ward, or an office of one) a document or a request is about.

A report's figures belong to the commune that wrote it; a legal text belongs to everyone. The unit
of a document is read from its header (the issuer block "ỦY BAN NHÂN DÂN XÃ AN HÒA", the place of
the date line "Bình Thành, ngày …"), else from the commune it names most often; the unit of a
request or question from the commune it names ("xã An Hòa", "UBND phường Đông Sơn"). Units are
compared by the folded place name, so "UBND xã Bình Thành", "Văn phòng HĐND và UBND xã Bình Thành"
and "XÃ BÌNH THÀNH" are one unit.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .citations import read_header
from .text import fold, nfc

# "xã Bình Thành", "phường Đông Sơn", "đặc khu Phú Quốc", "thị trấn …": the level word, then the name.
_LEVEL = r"(?:[Xx]ã|[Pp]hường|[Đđ]ặc khu|[Tt]hị trấn)"
_NAME_WORD = r"[^\W\d_]+"
# The level word, then up to four words; only the capitalised ones that follow it are the name.
UNIT_MENTION = re.compile(rf"(?<![\w])({_LEVEL})\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})")
_UPPER_MENTION = re.compile(r"(?<![\w])(XÃ|PHƯỜNG|ĐẶC KHU|THỊ TRẤN)\s+([A-ZĐÀ-Ỹ]+(?:\s+[A-ZĐÀ-Ỹ]+){0,3})\b")
# Words that follow a place name but are not part of it ("xã Bình Thành Quy định …").
_NOT_NAME = frozenset(fold(w) for w in (
    "Quy", "Về", "Theo", "Tỉnh", "Huyện", "Năm", "Ngày", "Tháng", "Phân", "Ban", "Báo", "Kế", "Tại",
    "Trong", "Đã", "Và", "Của", "Số", "Có", "Là", "Được", "Các", "Những", "Phân", "Thông", "Quyết", "Nghị",
    "Giai", "Đến", "Từ", "Sau", "Trước", "Kỳ", "Nhiệm", "Công", "Thực"))
_LEGAL_KINDS = frozenset({"Luật", "Bộ luật", "Pháp lệnh", "Nghị định", "Thông tư", "Thông tư liên tịch", "Hiến pháp"})
_DATE_PLACE = re.compile(r"^\s*([^\d,\n]{2,40}),\s*ngày\b", re.MULTILINE)
_PLACEHOLDER_NAME = re.compile(r"^[.…\s]*$")


@dataclass(frozen=True)
class Unit:
    name: str  # as people write it: "xã Bình Thành"
    key: str   # the folded place name: "binh thanh"

    def __str__(self) -> str:
        return self.name


def _unit(level: str, name: str) -> Unit | None:
    words = []
    for w in name.split():
        if not w[:1].isupper():
            break  # "xã Phú Lộc đã đăng ký" → "Phú Lộc"
        words.append(w)
    for i in range(1, len(words)):
        if fold(" ".join(words[i:i + 2])) in ("thanh pho", "thi xa"):
            words = words[:i]  # "xã Hòa Phú Thành phố Hà Nội" → "xã Hòa Phú"
            break
    while words and fold(words[-1]) in _NOT_NAME and len(words) > 1:
        words.pop()  # "Bình Thành Quy" → "Bình Thành"
    if not words or _PLACEHOLDER_NAME.match(" ".join(words)):
        return None
    if len(words) == 1 and fold(words[0]) in _NOT_NAME:
        return None
    proper = " ".join(w if not w.isupper() or len(w) == 1 else w[:1] + w[1:].lower() for w in words)
    return Unit(f"{level.lower()} {proper}", fold(" ".join(words)))


def mentions(text: str) -> list[Unit]:
    """Every commune named in the text, in order ("xã Bình Thành", "XÃ AN HÒA")."""
    text = nfc(text)
    found = []
    for m in UNIT_MENTION.finditer(text):
        u = _unit(m.group(1), m.group(2))
        if u:
            found.append((m.start(), u))
    for m in _UPPER_MENTION.finditer(text):
        u = _unit(m.group(1), m.group(2))
        if u:
            found.append((m.start(), u))
    found.sort(key=lambda x: x[0])
    return [u for _, u in found]


def unit_in(text: str | None, known: list[Unit] | None = None) -> Unit | None:
    """The unit a request, question or setting names: the first commune it mentions ("xã An Hòa"),
    else a `known` unit named without its level word ("Bình Thành đã tiếp …"); a setting that is only
    a name ("Bình Thành") is taken as a commune."""
    if not text or not text.strip():
        return None
    found = mentions(text)
    if found:
        return found[0]
    if known:
        folded = fold(nfc(text))
        hits = [(m.start(), u) for u in known for m in re.finditer(rf"(?<![\w]){re.escape(u.key)}(?![\w])", folded)]
        if hits:
            return min(hits, key=lambda x: x[0])[1]
    name = nfc(text).strip()
    for prefix in ("ubnd", "uy ban nhan dan", "van phong hdnd va ubnd", "hdnd"):
        if fold(name).startswith(prefix + " "):
            name = name[len(prefix) + 1:].strip()
    if 1 <= len(name.split()) <= 4 and name[:1].isupper():
        return Unit(f"xã {name}", fold(name))
    return None


def document_unit(text: str, issuer: str | None = None) -> Unit | None:
    """The unit a document belongs to: its issuer block, its date line's place, else the commune it
    names most often in its first pages."""
    head = nfc(text[:6000])
    issuer = issuer if issuer is not None else (read_header(head) or {}).get("issuer")
    if issuer:
        found = mentions(issuer)
        if found:
            return found[-1]
    m = _DATE_PLACE.search(head[:3000])
    if m:
        place = m.group(1).strip(" *_#")
        named = [u for u in mentions(head) if u.key == fold(place)]
        if named:
            return named[0]
        u = _unit("xã", place) if place[:1].isupper() and len(place.split()) <= 4 else None
        if u:
            return u
    counts = Counter(mentions(head))
    if counts:
        unit, n = counts.most_common(1)[0]
        if n >= 2:
            return unit
    return None


def is_legal_text(kind: str | None, issuer: str | None = None) -> bool:
    """Legal normative texts (laws, decrees, circulars) are sources for every unit."""
    return (kind or "") in _LEGAL_KINDS


def same_unit(a: Unit | str | None, b: Unit | str | None) -> bool:
    if a is None or b is None:
        return False
    ka = a.key if isinstance(a, Unit) else fold(str(a))
    kb = b.key if isinstance(b, Unit) else fold(str(b))
    return ka == kb


def record_unit(record) -> Unit | None:
    """The unit of an indexed document (a manifest record): stored at ingestion, else read from its
    issuer and title (indexes built before units were stored)."""
    meta = getattr(record, "meta", None) or {}
    if meta.get("unit_key"):
        return Unit(meta.get("unit") or meta["unit_key"], meta["unit_key"])
    if is_legal_text(getattr(record, "kind", None)):
        return None
    for text in (getattr(record, "issuer", None), getattr(record, "title", None)):
        found = mentions(text or "")
        if found:
            return found[-1]
    return None


def known_units(records) -> list[Unit]:
    """The units of the indexed documents, each once."""
    out: dict[str, Unit] = {}
    for r in records:
        u = record_unit(r)
        if u is not None:
            out.setdefault(u.key, u)
    return list(out.values())


_BODY_BEFORE = re.compile(r"(?:(?:Văn phòng\s+)?(?:HĐND và UBND|UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân)\s+)?$", re.IGNORECASE)


def without_unit(text: str, unit: Unit | None) -> str:
    """The text with its mention of `unit` (and the body before it, "UBND xã An Hòa") taken out: once
    the documents are the unit's own, its name says nothing about what the question asks."""
    if unit is None:
        return text
    text = nfc(text)
    out, pos = [], 0
    for m in UNIT_MENTION.finditer(text):
        u = _unit(m.group(1), m.group(2))
        if u is None or u.key != unit.key:
            continue
        name_end = m.start(2) + len(" ".join(m.group(2).split()[:len(u.key.split())]))
        body = _BODY_BEFORE.search(text, pos, m.start())
        out.append(text[pos:body.start() if body else m.start()])
        pos = name_end
    out.append(text[pos:])
    return " ".join("".join(out).split())
