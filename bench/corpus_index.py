"""The index the evaluation benches share: corpus/ plus ../shared/data (decrees, reports).

    with corpus_index(data_dir) as index:   # data_dir None = a temporary directory, removed after
        ...
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def corpus_paths() -> list[Path]:
    return [ROOT / "corpus"] + [p for sub in ("decrees", "reports")
                                for p in sorted((SHARED / "data" / sub).glob("*.md"))]


@contextmanager
def corpus_index(data_dir: str | None, prefix: str = "bench-"):
    temp = data_dir is None
    base = Path(tempfile.mkdtemp(prefix=prefix)) if temp else Path(data_dir).resolve()
    os.environ["ASSISTANT_DATA_DIR"] = str(base)
    os.environ.setdefault("ASSISTANT_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    try:
        from assistant.config import reset_settings
        from assistant.index import get_index, reset_index
        from assistant.ingestion import ingest_paths

        reset_settings()
        reset_index()
        index = get_index()
        ingest_paths(index, corpus_paths())
        if not (SHARED / "data").is_dir():
            print(f"{SHARED}/data not found: the index holds corpus/ only")
        yield index
    finally:
        if temp:
            shutil.rmtree(base, ignore_errors=True)
