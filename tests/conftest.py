"""Shared fixtures: every test runs against its own data directory; nothing touches ./data."""
from __future__ import annotations

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
