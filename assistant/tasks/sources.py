"""Registers for a file or an indexed document ("120/2025/NĐ-CP", "120/2025", "Nghị định 120"), and
for every indexed legal document with tasks in a field (what drafting section 1.3 needs)."""
from __future__ import annotations

import logging
import re
from collections import OrderedDict
from pathlib import Path

from assistant.citations import normalise_number, parse_number
from assistant.citations.patterns import TYPE_BY_WORD, TYPES_BY_CODE, fkey
from assistant.errors import AssistantError, LoadError, UsageError
from assistant.index import get_index, registry_with_corpus
from assistant.loaders import SUPPORTED, load
from assistant.manifest import DocumentRecord
from assistant.text import fold, nfc

from .extract import extract_tasks
from .register import TaskRegister
from .rules import field_rules

log = logging.getLogger(__name__)

# "Nghị định số 120/2025/NĐ-CP", "NĐ 120/2025", "120": words before, serial, year, codes.
NUMBER_QUERY = re.compile(r"(?P<words>.*?)(?<!\d)(?P<serial>\d{1,5})(?:\s*/\s*(?P<year>(?:19|20)\d\d))?"
                          r"(?:\s*/\s*(?P<codes>[^\s/]+))?\s*$")
SO_WORD = re.compile(r"\b(?:so|so hieu)\s*:?\s*$")
_CACHE_SIZE = 32
_cache: OrderedDict[tuple, TaskRegister] = OrderedDict()


class SourceNotFound(AssistantError):
    """No file and no indexed document answers to what was asked for."""


def register_for(source: str, level: str = "xa") -> TaskRegister:
    """The register of a file (.md, .txt, .docx, .pdf) or of an indexed document named by its number
    ("120/2025/NĐ-CP", "120/2025", "Nghị định 120") or doc_id."""
    source = nfc(str(source)).strip()
    if not source:
        raise UsageError("Chưa nêu văn bản. Ghi đường dẫn tệp hoặc số văn bản đã nạp, ví dụ 120/2025/NĐ-CP.")
    path = Path(source)
    if path.is_file() or path.suffix.lower() in SUPPORTED:
        return _register_for_file(path, level)
    index = get_index()
    rec = _find_record(source, index.documents())
    return _register_for_record(rec, level, registry_with_corpus(index))


def registers_for_field(field: str, level: str = "xa") -> list[TaskRegister]:
    """Indexed legal documents with tasks in `field`, each register holding only those tasks.

    A task is in the field when the folded field name appears, as whole words, in the task's field,
    its Mục or Chương heading, or the document's title: "tư pháp" takes every task of the decree of
    the Bộ Tư pháp, "hộ tịch" only those under its "Mục 1. LĨNH VỰC HỘ TỊCH" (and hộ tịch clauses of
    its closing chapter)."""
    wanted = fold(nfc(field)).strip()
    if not wanted:
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)")
    index = get_index()
    registry = None
    kinds = field_rules()["legal_kinds"]
    out = []
    for rec in index.documents():
        if not rec.kind or fold(rec.kind) not in kinds:
            continue
        registry = registry or registry_with_corpus(index)
        try:
            reg = _register_for_record(rec, level, registry)
        except (LoadError, SourceNotFound) as exc:
            log.warning("Bỏ qua '%s' khi lập danh mục nhiệm vụ: %s", rec.source, exc)
            continue
        in_title = bool(pattern.search(fold(reg.document.get("title") or "")))
        tasks = [t for t in reg.tasks
                 if in_title or any(pattern.search(fold(s)) for s in (t.field, t.section, t.chapter))]
        if tasks:
            out.append(TaskRegister(document=reg.document, tasks=tasks, source=reg.source, level=level))
    return out


# ---------------------------------------------------------------------------- finding the document


def _find_record(query: str, records: list[DocumentRecord]) -> DocumentRecord:
    by_id = [r for r in records if r.doc_id == query]
    if by_id:
        return by_id[0]
    m = NUMBER_QUERY.match(query)
    if not m:
        raise SourceNotFound(f"Không tìm thấy tệp '{query}' và đây cũng không phải số văn bản.",
                             "Ghi đường dẫn tệp (.md, .txt, .docx, .pdf) hoặc số văn bản đã nạp, ví dụ 120/2025/NĐ-CP.")
    serial, year, codes = int(m.group("serial")), m.group("year"), m.group("codes")
    words = SO_WORD.sub("", fkey(m.group("words"))).strip()
    kinds = _kinds_named(words)
    wanted = None
    if year and codes:
        try:
            wanted = parse_number(normalise_number(f"{serial}/{year}/{codes}")).key
        except Exception:  # noqa: BLE001 - an odd code: compare serial and year only
            wanted = None
    hits = []
    for r in records:
        if not r.number:
            continue
        try:
            parts = parse_number(r.number)
        except Exception:  # noqa: BLE001
            continue
        if parts.serial_int != serial or (year and parts.year != int(year)):
            continue
        if wanted and parts.key != wanted:
            continue
        if kinds and (r.kind or "") not in kinds:
            continue
        hits.append(r)
    if not hits:
        raise SourceNotFound(
            f"Chưa nạp văn bản nào có số '{query}' và không có tệp nào tên như vậy.",
            "Kiểm tra số văn bản (`assistant docs` liệt kê các văn bản đã nạp), hoặc nạp văn bản trước "
            "(`assistant ingest …`), hoặc ghi đường dẫn tệp.")
    numbers = sorted({h.number for h in hits})
    if len(numbers) > 1:
        raise UsageError(f"Số '{query}' ứng với nhiều văn bản đã nạp: {', '.join(numbers)}.",
                         "Ghi đủ số, năm và ký hiệu, ví dụ 120/2025/NĐ-CP.")
    return max(hits, key=lambda r: r.ingested_at or "")


def _kinds_named(words: str) -> set[str]:
    """'nghi dinh' -> {'Nghị định'}; 'nd' -> {'Nghị định'}; '' -> set() (any kind)."""
    if not words:
        return set()
    if words in TYPE_BY_WORD:
        return {TYPE_BY_WORD[words].name}
    return set(TYPES_BY_CODE.get(words.replace(" ", ""), set()))


# ---------------------------------------------------------------------------- loading (cached)


def _register_for_file(path: Path, level: str, registry=None) -> TaskRegister:
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size, level)
    except OSError:
        key = None
    if key and key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    reg = extract_tasks(load(path), level, registry=registry)
    if key:
        _cache[key] = reg
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return reg


def _register_for_record(rec: DocumentRecord, level: str, registry) -> TaskRegister:
    path = Path(rec.source)
    if not path.is_file():
        raise SourceNotFound(
            f"Văn bản {rec.number or rec.title} đã nạp từ '{rec.source}' nhưng tệp đó không còn.",
            "Đặt lại tệp vào chỗ cũ hoặc nạp lại văn bản (`assistant ingest …`).")
    return _register_for_file(path, level, registry)
