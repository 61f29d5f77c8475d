"""Ingestion: files → loader → header metadata → structure-aware chunks → index.

Idempotent (unchanged files are skipped by sha256), replaces changed files, prunes vanished ones,
and is the single code path for the command line and the app's upload.
"""
from __future__ import annotations

import errno
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .chunking import chunk_document
from .citations import read_header
from .documents import Document
from .errors import user_message
from .figures import document_period
from .index import Index
from .loaders import SUPPORTED, LoadError, file_sha256, iter_files, load
from .manifest import DocumentRecord
from .progress import Progress
from .units import document_unit, is_legal_text

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    ingested: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"ingested": self.ingested, "skipped": self.skipped, "failed": self.failed, "removed": self.removed}


def document_record(doc: Document, source: str) -> DocumentRecord:
    """Metadata read from the document's own header with the citation engine, and the unit (commune)
    whose figures the document holds (none for legal texts, which serve every unit)."""
    head = read_header(doc.text[:6000]) or {}
    front = doc.meta.get("front_matter") or {}
    date = head.get("date")
    heading = next((line.lstrip("#").strip() for line in doc.text.splitlines()[:15] if line.startswith("# ")), None)
    rec = DocumentRecord(
        doc_id=doc.sha256[:16],
        source=source,
        sha256=doc.sha256,
        format=doc.format,
        kind=head.get("kind") or front.get("type") or front.get("kind"),
        number=head.get("number") or front.get("number"),
        date=date.isoformat() if date else None,
        issuer=head.get("issuer") or front.get("issuer"),
        title=head.get("title") or front.get("title") or heading or Path(source).stem,
        year=date.year if date else None,
        pages=len(doc.pages),
        meta={"warnings": doc.warnings} if doc.warnings else {},
    )
    unit = None if is_legal_text(rec.kind) else document_unit(doc.text, rec.issuer)
    if unit is not None:
        rec.meta.update(unit=unit.name, unit_key=unit.key)
        period = document_period(doc.text, rec.title)
        if period:
            rec.meta["period"] = period  # what a figure without a stated period belongs to
    return rec


def ingest_paths(index: Index, paths: Iterable[Path | str], *, prune: bool = False,
                 progress: Progress | None = None, display_names: dict[str, str] | None = None,
                 lock_wait: float = 0.0) -> IngestReport:
    progress = progress or Progress()
    report = IngestReport()
    settings = index.settings
    max_bytes = int(settings.max_upload_mb * 1024 * 1024)
    files = list(iter_files(paths))
    with index.writer(wait=lock_wait):
        recovered = index.recover()
        for rec in recovered:
            log.warning("Dọn phần dở dang của '%s' từ lần nạp trước bị ngắt", rec.source)
        progress.start(len(files))
        changed = False
        for path in files:
            source = str(path)
            shown = (display_names or {}).get(source, path.name)
            progress.file(path)
            try:
                if not path.exists():
                    raise LoadError("not-found", f"Không tìm thấy tệp '{shown}'. Kiểm tra lại đường dẫn.")
                if path.suffix.lower() not in SUPPORTED:
                    raise LoadError("unsupported",
                                    f"Tệp '{shown}' có định dạng không hỗ trợ. Hỗ trợ: {', '.join(sorted(SUPPORTED))}.")
                sha = file_sha256(path)
                same_source = index.manifest.by_source(source)
                if any(r.sha256 == sha and r.status == "complete" for r in same_source):
                    report.skipped.append({"source": source, "reason": "Không thay đổi kể từ lần nạp trước."})
                    progress.done(path, "skipped")
                    continue
                twins = [r for r in index.manifest.by_sha(sha) if r.status == "complete" and r.source != source]
                if twins and Path(twins[0].source).exists():
                    report.skipped.append({"source": source,
                                           "reason": f"Nội dung trùng với tài liệu đã nạp '{twins[0].source}'."})
                    progress.done(path, "skipped")
                    continue
                doc = load(path, max_bytes=max_bytes, ocr=settings.ocr)
                rec = document_record(doc, source)
                chunks = chunk_document(doc, max_chars=settings.chunk_chars)
                if not chunks:
                    raise LoadError("empty", f"Tệp '{shown}' không có nội dung chữ để nạp.")
                progress.chunks_total(len(chunks))
                for old in same_source + twins:  # the file changed (or moved): replace its old version
                    index.remove_document(old.doc_id)
                n = index.add_document(rec, chunks, progress=progress.chunks_done)
                changed = True
                report.ingested.append({"source": source, "doc_id": rec.doc_id, "chunks": n, "pages": rec.pages,
                                        "warnings": doc.warnings})
                progress.done(path, "ingested")
            except LoadError as exc:
                report.failed.append({"source": source, "error": exc.message, "code": exc.code})
                progress.done(path, "failed")
            except Exception as exc:  # keep the batch going; nothing indexed is lost
                log.warning("Không nạp được %s (%s)", shown, exc.__class__.__name__)
                log.debug("Chi tiết lỗi khi nạp %s", source, exc_info=True)
                if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                    # Disk full: every further file would fail the same way. Stop here, say so for each
                    # file not indexed; what was indexed before stays (the next ingest repairs the rest).
                    for rest in [source, *(str(f) for f in files[files.index(path) + 1:])]:
                        report.failed.append({"source": rest, "code": "disk-full", "error": user_message(exc)})
                    progress.done(path, "failed")
                    break
                report.failed.append({"source": source, "code": "internal",
                                      "error": f"Không nạp được '{shown}': {user_message(exc)} "
                                               "Các tài liệu khác không bị ảnh hưởng."})
                progress.done(path, "failed")
        if prune:
            for rec in index.manifest.all(status=None):
                if not Path(rec.source).exists():
                    index.remove_document(rec.doc_id)
                    report.removed.append({"source": rec.source, "doc_id": rec.doc_id})
                    changed = True
        if changed or recovered:
            index.commit()
        progress.close()
    return report


def delete_document(index: Index, doc_id: str) -> DocumentRecord | None:
    with index.writer(wait=30):
        rec = index.manifest.get(doc_id)
        if rec:
            index.remove_document(doc_id)
            index.commit()
        return rec
