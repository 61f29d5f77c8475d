"""The registry of known documents and lookup by số/ký hiệu or by a law's name.

Three layers, each entry keeping its own source and confidence:
- corpus/registry.json (shipped; `verified` or `from-secondary-source`),
- the user's local documents in settings.local_registry_path (`user`, persisted),
- documents found while ingesting the corpus (`corpus`, in memory only).
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

from assistant.config import PROJECT_ROOT, get_settings

from .normalise import parse_number
from .patterns import fkey

REGISTRY_PATH = PROJECT_ROOT / "corpus" / "registry.json"

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_PARENTHESISED = re.compile(r"\(.*?\)")
_LAW_TYPE_WORD = re.compile(r"^(bo luat|luat|phap lenh) ")
_NOT_KEY_CHAR = re.compile(r"[^a-z0-9 ]")
_ENGLISH_TITLE_NOTE = re.compile(r"\s*\((?=[^)]*[A-Za-z]{4,} (?:the|from|wording|English|reconstructed))([^)]*)\)\s*$")

# Which entry wins when two layers know the same number.
_PRIORITY = {"verified": 0, "user": 1, "from-secondary-source": 2, "corpus": 3}


@dataclass
class RegistryEntry:
    number: str
    doc_type: str | None = None
    issuer: str | None = None
    date: date | None = None            # signing (ban hành) date
    effective_date: date | None = None
    title: str | None = None
    source: str | None = None
    confidence: str = "user"            # verified | from-secondary-source | user | corpus
    notes: dict = field(default_factory=dict, repr=False)

    @property
    def trusted(self) -> bool:
        """A fact from this entry can support an `error`; otherwise only a `warning`."""
        return self.confidence in ("verified", "user")

    def to_json(self) -> dict:
        d = asdict(self)
        d["type"] = d.pop("doc_type")
        d["signing_date"] = self.date.isoformat() if self.date else None
        d.pop("date")
        d["effective_date"] = self.effective_date.isoformat() if self.effective_date else None
        notes = d.pop("notes") or {}
        d.update(notes)
        return d

    @classmethod
    def from_json(cls, d: dict, default_confidence: str = "user") -> RegistryEntry:
        known = {"number", "type", "doc_type", "kind", "issuer", "signing_date", "date", "effective_date",
                 "title", "source", "confidence"}
        return cls(
            number=parse_number(str(d["number"])).number,
            doc_type=d.get("type") or d.get("doc_type") or d.get("kind"),
            issuer=d.get("issuer"),
            date=_to_date(d.get("signing_date", d.get("date"))),
            effective_date=_to_date(d.get("effective_date")),
            title=d.get("title"),
            source=d.get("source"),
            confidence=d.get("confidence") or default_confidence,
            notes={k: v for k, v in d.items() if k not in known},
        )


def _to_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    s = str(value).strip()
    m = _ISO_DATE.match(s)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = _DMY_DATE.match(s)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    return None


def _key(number: str, year: int | None = None) -> str:
    parts = parse_number(number)
    # Local documents restart numbering every year: the year of the date is part of their identity.
    return parts.key if parts.year or year is None else f"{parts.key}@{year}"


class Registry:
    def __init__(self, entries: Iterable[RegistryEntry] = (), local_path: Path | None = None):
        self.local_path = Path(local_path) if local_path else None
        self._by_key: dict[str, list[RegistryEntry]] = {}
        self._laws: list[tuple[str, RegistryEntry]] = []
        self._by_serial: dict[int, list[RegistryEntry]] = {}
        self.memo: dict = {}  # values computed from the entries (title weights, verdicts); cleared on insert
        for e in entries:
            self._insert(e)

    # -- building -------------------------------------------------------------------------------
    def _insert(self, entry: RegistryEntry) -> None:
        self.memo.clear()
        parts = parse_number(entry.number)
        keys = {_key(entry.number)}
        if not parts.year and entry.date:
            keys.add(_key(entry.number, entry.date.year))
        for k in keys:
            bucket = self._by_key.setdefault(k, [])
            bucket[:] = [b for b in bucket if not (b.confidence == entry.confidence and b.date == entry.date)]
            bucket.append(entry)
            bucket.sort(key=lambda e: _PRIORITY.get(e.confidence, 9))
        self._by_serial.setdefault(parts.serial_int, []).append(entry)
        if entry.doc_type in ("Luật", "Bộ luật", "Pháp lệnh") and entry.title:
            self._laws.append((law_key(entry.title), entry))

    def add(self, entry: RegistryEntry, persist: bool = True) -> RegistryEntry:
        """Add a user's local document; saved atomically to local_path unless persist=False."""
        if not entry.confidence or entry.confidence in ("verified", "from-secondary-source"):
            entry = replace(entry, confidence="user")  # users cannot mint verified facts
        entry = replace(entry, number=parse_number(entry.number).number)
        self._insert(entry)
        if persist:
            if self.local_path is None:
                raise ValueError("Registry has no local_path; use load_registry(settings) or persist=False")
            self._save_local()
        return entry

    def add_many(self, entries: Iterable[RegistryEntry | dict], source: str = "corpus") -> int:
        """Documents found in the ingested corpus: in memory only, confidence = source."""
        n = 0
        for e in entries:
            if isinstance(e, dict):
                if not e.get("number"):
                    continue
                e = RegistryEntry.from_json({**e, "confidence": source}, default_confidence=source)
            else:
                e = replace(e, confidence=source)
            if e.source is None:
                e.source = source
            self._insert(e)
            n += 1
        return n

    def _save_local(self) -> None:
        assert self.local_path is not None
        users = [e.to_json() for e in self if e.confidence == "user"]
        self.local_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".registry_local.", dir=self.local_path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(users, f, ensure_ascii=False, indent=1)
            os.replace(tmp, self.local_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # -- reading --------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[RegistryEntry]:
        seen: set[int] = set()
        for bucket in self._by_key.values():
            for e in bucket:
                if id(e) not in seen:
                    seen.add(id(e))
                    yield e

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def lookup(self, number: str, year: int | None = None) -> RegistryEntry | None:
        """Best entry for a số/ký hiệu (for numbers without a year, `year` picks the right one)."""
        found = self.lookup_all(number, year)
        return found[0] if found else None

    def lookup_all(self, number: str, year: int | None = None) -> list[RegistryEntry]:
        try:
            parts = parse_number(number)
        except Exception:
            return []
        if parts.form == "bare":
            return []
        if not parts.year and year is not None:
            hit = self._by_key.get(_key(number, year))
            if hit:
                return list(hit)
            return []
        return list(self._by_key.get(_key(number), []))

    def candidates(self, serial: int, year: int | None = None, type_name: str | None = None) -> list[RegistryEntry]:
        """Entries with this serial (and year / type) — suggestions for incomplete citations."""
        out = []
        for e in {id(x): x for x in self._by_serial.get(serial, [])}.values():
            p = parse_number(e.number)
            if p.serial_int == serial and (year is None or p.year == year) \
                    and (type_name is None or e.doc_type == type_name):
                out.append(e)
        return out

    def lookup_law(self, name: str, year: int | None = None) -> list[RegistryEntry]:
        """Laws cited by name ('Luật Hộ tịch năm 2014'): exact folded name, then the year."""
        key = law_key(name)
        hits = [e for k, e in self._laws if k == key]
        if year is not None:
            hits = [e for e in hits if parse_number(e.number).year == year or (e.date and e.date.year == year)]
        return hits


def law_key(name: str) -> str:
    k = fkey(_PARENTHESISED.sub(" ", name))
    k = _LAW_TYPE_WORD.sub("", k)
    return _NOT_KEY_CHAR.sub("", k).strip()


def _read_entries(path: Path, default_confidence: str) -> list[RegistryEntry]:
    if not path or not Path(path).exists():
        return []
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("entries", [])
    return [RegistryEntry.from_json(d, default_confidence) for d in data if d.get("number")]


def load_registry(settings=None) -> Registry:
    """corpus/registry.json plus the user's entries in settings.local_registry_path."""
    if settings is None:
        settings = get_settings()
    local = Path(settings.local_registry_path)
    entries = _read_entries(REGISTRY_PATH, "from-secondary-source")
    entries += [replace(e, confidence="user") if e.confidence in ("verified", "from-secondary-source") else e
                for e in _read_entries(local, "user")]
    return Registry(entries, local_path=local)


_CACHE: dict = {}


def default_registry() -> Registry:
    """Shipped registry + local entries, reloaded when either file changes (for check_text)."""
    settings = get_settings()
    paths = (REGISTRY_PATH, Path(settings.local_registry_path))
    stamp = tuple(p.stat().st_mtime_ns if p.exists() else None for p in paths)
    if _CACHE.get("stamp") != (paths, stamp):
        _CACHE["registry"] = load_registry(settings)
        _CACHE["stamp"] = (paths, stamp)
    return _CACHE["registry"]


# -- building corpus/registry.json from the shared research file --------------------------------

def registry_from_shared(data: dict) -> list[dict]:
    """Convert ../shared/data/decree_registry.json entries (the research file): ISO dates, English notes split off.

    Confidence is copied as is: a `from-secondary-source` entry is never promoted.
    """
    out = []
    for e in data["entries"]:
        title = e.get("title") or ""
        title_note = None
        m = _ENGLISH_TITLE_NOTE.search(title)
        if m:
            title_note, title = m.group(1), title[:m.start()].strip()
        eff_raw = e.get("effective_date")
        eff = _to_date(eff_raw)
        row = {
            "number": parse_number(e["number"]).number,
            "type": e.get("type"),
            "issuer": e.get("issuer"),
            "signing_date": _to_date(e.get("signing_date")).isoformat() if _to_date(e.get("signing_date")) else None,
            "effective_date": eff.isoformat() if eff else None,
            "title": title,
            "source": e.get("source"),
            "confidence": e.get("confidence"),
        }
        if title_note:
            row["title_note"] = title_note
        if eff_raw and eff and not _DMY_DATE.fullmatch(str(eff_raw).strip()):
            row["effective_note"] = str(eff_raw)
        out.append(row)
    return out
