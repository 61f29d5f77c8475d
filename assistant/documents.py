"""The data passed between loaders, chunking, the index and retrieval."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Page:
    number: int  # 1-based page number in the source (1 for formats without pages)
    text: str    # NFC text of the page


@dataclass
class Document:
    source: str                      # path of the file as given to the loader
    sha256: str                      # of the file's bytes
    format: str                      # "pdf" | "docx" | "md" | "txt"
    pages: list[Page]
    meta: dict = field(default_factory=dict)       # kind, number, date, issuer, title, year
    warnings: list[str] = field(default_factory=list)  # Vietnamese notes for the user (e.g. OCR used)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


@dataclass
class Chunk:
    text: str                # text to embed and show, section path prefixed
    page: int | None = None  # page where the chunk starts
    section: str = ""        # section path, e.g. "II > 1 > 1.3" or "Chương II > Điều 7"
    meta: dict = field(default_factory=dict)  # e.g. {"dieu": "7", "khoan": "2", "chuong": "II"}


@dataclass
class Hit:
    doc_id: str
    source: str
    title: str
    number: str
    page: int | None
    section: str
    score: float
    text: str
    meta: dict = field(default_factory=dict)
