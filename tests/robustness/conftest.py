"""Helpers shared by the robustness suite (bad input, crash safety, faults)."""
from __future__ import annotations

import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

from reports import REPORT, write_reports  # noqa: E402,F401  (shared with tests/test_ingestion.py)


def index_state(index) -> dict:
    """Counts that must agree in a healthy index."""
    docs = index.documents()
    chunk_ids = index.collection.get(include=[])["ids"]
    return {
        "docs": len(docs),
        "manifest_chunks": sum(d.chunks for d in docs),
        "chroma": index.chunk_count(),
        "chroma_unique": len(set(chunk_ids)),
        "bm25": len(index.bm25),
        "pending": len(index.manifest.all(status="pending")),
        "sources": sorted(d.source for d in docs),
    }


def assert_consistent(index) -> dict:
    st = index_state(index)
    assert st["pending"] == 0, st
    assert st["chroma"] == st["manifest_chunks"] == st["bm25"] == st["chroma_unique"], st
    assert len(set(st["sources"])) == len(st["sources"]), "a source is indexed twice"
    return st
