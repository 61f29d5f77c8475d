"""Crash safety: kill -9 an ingest at random points, then the index opens, searches, and the next
ingest repairs it with no duplicates and nothing lost. Two ingests at once; searches during an ingest.

Each trial runs the ingest in a subprocess (8 small reports) and kills it either after a random delay
or once the manifest holds N rows (pending or complete; N = 8 means during the final BM25 commit).
The kill points are drawn from a fixed seed (ROBUSTNESS_SEED to vary them) and printed on failure.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.index import Index, IngestBusy
from assistant.ingestion import ingest_paths
from assistant.progress import Progress
from assistant.retrieval import retrieve

from .conftest import assert_consistent, write_reports

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("ROBUSTNESS_TRIALS", "8"))
SEED = int(os.environ.get("ROBUSTNESS_SEED", "20260105"))
FILES = 8

DRIVER = """
import sys
from assistant.index import Index
from assistant.ingestion import ingest_paths
idx = Index()
print("READY", flush=True)
ingest_paths(idx, [sys.argv[1]])
print("DONE", flush=True)
"""


def _rows(manifest: Path) -> int:
    if not manifest.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{manifest}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def _kill_ingest(folder: Path, data: Path, mode: str, value: float) -> str:
    """Run an ingest in a subprocess and SIGKILL it at the chosen point; returns what happened."""
    # the trial's own vector cache (in its data folder): a cached run would end before the kill
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(data), ASSISTANT_THREADS="1", ASSISTANT_EMBEDDING_CACHE="")
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(folder)], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout.readline().strip() == "READY"
        manifest = data / "manifest.sqlite3"
        start = time.monotonic()
        while proc.poll() is None and time.monotonic() - start < 60:
            if mode == "delay" and time.monotonic() - start >= value:
                break
            if mode == "rows" and _rows(manifest) >= value:
                break
            time.sleep(0.01)
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        return f"{mode}={value:g} {'finished before the kill' if finished else 'killed'} " \
               f"after {time.monotonic() - start:.2f}s, {_rows(manifest)} manifest rows"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def _check_after_crash(folder: Path, data: Path, sources: list[Path], note: str) -> dict:
    idx = Index(Settings(data_dir=data))  # 1. opens
    complete = idx.complete_doc_ids()
    # 2. search works before any repair, and shows only complete documents
    hits = retrieve("đăng ký khai sinh hộ tịch", 5, index=idx)
    if complete:
        assert hits, note
    assert all(h.doc_id in complete for h in hits), note
    # 3. a recovering ingest completes: manifest == Chroma == BM25, no duplicates, nothing lost
    report = ingest_paths(idx, [folder])
    assert not report.failed, (note, report.failed)
    st = assert_consistent(idx)
    assert st["docs"] == FILES and st["sources"] == sorted(str(p.resolve()) for p in sources), (note, st)
    # 4. the next ingest has nothing to do, and every report is findable by its own code
    again = ingest_paths(idx, [folder])
    assert not again.ingested and len(again.skipped) == FILES, note
    assert assert_consistent(idx) == st
    for n in (1, FILES):
        hits = retrieve(f"mã hồ sơ HS{n:04d}", 3, index=idx)
        assert any(h.source.endswith(f"bao-cao-{n:03d}.md") for h in hits), (note, n)
    # a fresh process view (reopen) agrees
    assert assert_consistent(Index(Settings(data_dir=data))) == st
    return st


def test_kill_minus_nine_at_random_points(tmp_path):
    rng = random.Random(SEED)
    folder = tmp_path / "docs"
    sources = write_reports(folder, FILES)
    log = []
    for trial in range(TRIALS):
        data = tmp_path / f"data-{trial}"
        mode = "rows" if trial % 2 else "delay"
        value = rng.randint(0, FILES) if mode == "rows" else round(rng.uniform(0.0, 2.0), 2)
        if trial == 1:
            value = FILES  # all rows complete: the kill lands in the final BM25 commit (or just after)
        note = f"trial {trial} (seed {SEED}): " + _kill_ingest(folder, data, mode, value)
        if trial == TRIALS - 1:  # the last trial also crashes during the recovery of its crash
            note += "; then " + _kill_ingest(folder, data, "delay", round(rng.uniform(0.2, 1.5), 2))
        log.append(note)
        _check_after_crash(folder, data, sources, note)
    print("\n".join(log))
    killed = sum("killed" in n for n in log)
    assert killed >= TRIALS * 0.7, log  # most trials really did interrupt the ingest


# ---------------------------------------------------------------------------- two ingests at once


class _Slow(Progress):
    """Holds the writer lock a while: each chunk batch waits on an event."""

    def __init__(self):
        self.started = threading.Event()
        self.release = threading.Event()

    def chunks_done(self, n):
        self.started.set()
        self.release.wait(30)


def test_second_ingest_is_refused_or_waits_and_searches_keep_working(data_dir, tmp_path):
    first = write_reports(tmp_path / "a", 3)
    second = write_reports(tmp_path / "b", 2, start=50)
    idx = Index()
    ingest_paths(idx, first)  # something to search
    before = assert_consistent(idx)

    slow = _Slow()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("r", ingest_paths(idx, [second[0]], progress=slow)))
    t.start()
    try:
        assert slow.started.wait(30)
        # same process, same Index: refused at once with the Vietnamese message
        with pytest.raises(IngestBusy, match="Đang có một lần nạp tài liệu khác"):
            ingest_paths(idx, [second[1]])
        # another Index on the same data (another process would see the same flock): refused too
        other = Index()
        with pytest.raises(IngestBusy, match="Đợi nó xong rồi thử lại"):
            ingest_paths(other, [second[1]])
        # searches keep working during the ingest, and show only complete documents
        for _ in range(5):
            hits = retrieve("đăng ký khai sinh", 3, index=idx)
            assert hits and all(h.source in before["sources"] for h in hits)
        # a caller that waits gets its turn once the first ingest ends
        waited = {}
        w = threading.Thread(target=lambda: waited.setdefault("r", ingest_paths(other, [second[1]], lock_wait=30)))
        w.start()
        time.sleep(0.3)
        assert "r" not in waited
    finally:
        slow.release.set()
        t.join(60)
    w.join(60)
    assert len(result["r"].ingested) == 1 and len(waited["r"].ingested) == 1
    idx2 = Index()
    st = assert_consistent(idx2)
    assert st["docs"] == 5
