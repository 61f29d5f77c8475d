"""The text given to the embedder for a chunk: the chunk with its document named in front.

A chunk of a decree reads "Điều 7. Nhiệm vụ ... 1. Ủy ban nhân dân cấp xã ..." and says nowhere which
decree it belongs to; questions often do ("theo Nghị định 30/2020 ...", "Luật Viên chức quy định ...").
The embedded text therefore starts with the document's kind, number and title, then the Điều heading
when the chunk text lacks it:

    Nghị định 30/2020/NĐ-CP Về công tác văn thư — Điều 8. Thể thức văn bản
    <chunk text>

Only the vector sees this text: Chroma's `documents=` and BM25 keep the chunk text itself
(bench/retrieval_eval.py measures the effect on dense retrieval).
"""
from __future__ import annotations

import re

from .documents import Chunk
from .manifest import DocumentRecord
from .text import fold

TITLE_MAX_CHARS = 160  # long trích yếu are cut at a word: the label must not crowd out the chunk



def _shorten(s: str, limit: int) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) <= limit:
        return s
    cut = s[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-—") + "…"


def document_label(rec: DocumentRecord) -> str:
    """'Nghị định 30/2020/NĐ-CP Về công tác văn thư'; kind/number left out when the title has them."""
    title = _shorten(rec.title or "", TITLE_MAX_CHARS)
    ftitle = fold(title).lower()
    number = rec.number.strip() if rec.number and fold(rec.number).lower() not in ftitle else ""
    if rec.kind and not ftitle.startswith(fold(rec.kind).lower()):
        parts = [rec.kind.strip(), number, title]       # "Nghị định 30/2020/NĐ-CP Về công tác văn thư"
    else:
        parts = [title, number]                         # "Luật Ban hành văn bản ... 64/2025/QH15"
    return " ".join(p for p in parts if p)


def passage_text(rec: DocumentRecord, chunk: Chunk) -> str:
    """Text to embed for `chunk` of document `rec` (see module doc); the chunk text when nothing is known."""
    text = chunk.text.strip()
    dieu = (chunk.meta or {}).get("dieu")
    if dieu and not re.search(rf"Điều\s+{re.escape(str(dieu))}(?![\w])", text[:300]):
        text = f"Điều {dieu}. {text}"
    label = document_label(rec)
    return f"{label} — {text}" if label else text
