"""Ingestion for real: idempotence, changed files, prune, bad files in a batch, kill -9 and resume."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from fixtures.reports import REPORT, write_reports

from assistant.index import Index
from assistant.ingestion import ingest_paths

from conftest import PROJECT_ROOT


def consistent(index: Index) -> None:
    """Manifest, Chroma and BM25 agree: no duplicates, nothing missing."""
    expected = sum(d.chunks for d in index.documents())
    assert index.chunk_count() == expected
    assert len(index.bm25) == expected
    assert index.manifest.all(status="pending") == []


def test_idempotent_change_and_prune(data_dir, tmp_path):
    folder = tmp_path / "docs"
    write_reports(folder, 3)
    idx = Index()
    first = ingest_paths(idx, [folder])
    assert len(first.ingested) == 3 and not first.failed
    again = ingest_paths(idx, [folder])
    assert again.ingested == [] and len(again.skipped) == 3
    consistent(idx)

    # a changed file replaces its chunks
    (folder / "bao-cao-002.md").write_text(REPORT.format(n=99, m=1, k=2), encoding="utf-8")
    changed = ingest_paths(idx, [folder])
    assert [i["source"] for i in changed.ingested] == [str(folder / "bao-cao-002.md")]
    assert len(idx.documents()) == 3
    consistent(idx)
    hits = idx.bm25.search("kết quả công tác số 99", 1)
    assert hits and idx.get_chunks([hits[0][0]])

    # a vanished file is removed with --prune
    (folder / "bao-cao-003.md").unlink()
    pruned = ingest_paths(idx, [folder], prune=True)
    assert [r["source"] for r in pruned.removed] == [str(folder / "bao-cao-003.md")]
    assert len(idx.documents()) == 2
    consistent(idx)


def test_bad_files_fail_alone(data_dir, tmp_path):
    folder = tmp_path / "mixed"
    write_reports(folder, 2)
    (folder / "rong.txt").write_bytes(b"")
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    idx = Index()
    report = ingest_paths(idx, [folder])
    assert len(report.ingested) == 2
    failed = {os.path.basename(f["source"]): f["error"] for f in report.failed}
    assert set(failed) == {"rong.txt", "hong.pdf"}
    assert all("rong.txt" in msg or "hong.pdf" in msg for msg in failed.values())
    consistent(idx)


@pytest.mark.slow
def test_kill_during_ingest_then_resume(tmp_path):
    folder = tmp_path / "many"
    write_reports(folder, 20)
    # the data folder's own vector cache: from the session's, the ingest would end before the kill
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(tmp_path / "data"), ASSISTANT_EMBEDDING_CACHE="")
    manifest = tmp_path / "data" / "manifest.sqlite3"
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "ingest", str(folder), "--json"], cwd=PROJECT_ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    done = 0
    while time.time() < deadline and proc.poll() is None:
        if manifest.exists():
            try:
                with sqlite3.connect(manifest) as db:
                    done = db.execute("SELECT count(*) FROM documents WHERE status='complete'").fetchone()[0]
            except sqlite3.OperationalError:
                pass
        if done >= 5:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    resume = subprocess.run([sys.executable, "-m", "assistant", "ingest", str(folder), "--json"], cwd=PROJECT_ROOT,
                            env=env, capture_output=True, text=True, timeout=300)
    assert resume.returncode == 0, resume.stderr
    check = subprocess.run([sys.executable, "-c", (
        "from assistant.index import Index; i = Index(); docs = i.documents();"
        "print(len(docs), sum(d.chunks for d in docs), i.chunk_count(), len(i.bm25),"
        " len(i.manifest.all(status='pending')))")], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    n_docs, expected, in_chroma, in_bm25, pending = map(int, check.stdout.split())
    assert n_docs == 20 and pending == 0
    assert in_chroma == expected == in_bm25
