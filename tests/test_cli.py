"""End to end through the real command line: ingest the sample corpus, search, ask with sources."""
import json
import os
import subprocess
import sys

import pytest

from conftest import PROJECT_ROOT


def run_cli(*args, env=None, timeout=600):
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


# A slice of corpus/ (two communes' reports and the opening of a decree): the whole corpus is indexed
# by `make run` and by the benches; here the command line's behaviour is what is tested.
SLICE = ("mau/bao-cao-tiep-cong-dan-quy-i-2026-xa-phu-loc.md", "mau/bao-cao-tu-phap-6-thang-2025-xa-mau.md",
         "van-ban/nd-121-2025-NDCP_trich-dau.md")


@pytest.fixture(scope="module")
def corpus_env(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    docs = base / "corpus"
    for rel in SLICE:
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((PROJECT_ROOT / "corpus" / rel).read_bytes())
    env = dict(os.environ)
    env["ASSISTANT_DATA_DIR"] = str(base / "data")
    r = run_cli("ingest", str(docs), "--json", env=env)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["ingested"] and not report["failed"]
    return env, report, docs


def test_ingest_is_idempotent(corpus_env):
    env, first, docs = corpus_env
    r = run_cli("ingest", str(docs), "--json", env=env)
    again = json.loads(r.stdout)
    assert again["ingested"] == [] and len(again["skipped"]) == len(first["ingested"])


def test_docs_lists_the_corpus_with_metadata(corpus_env):
    env, first, _ = corpus_env
    docs = json.loads(run_cli("docs", "--json", env=env).stdout)["documents"]
    assert len(docs) == len(first["ingested"])
    report = [d for d in docs if "phu-loc" in d["source"]]
    assert report and report[0]["chunks"] > 5 and report[0]["sha256"]


def test_search_by_number_puts_that_document_first(corpus_env):
    env, _, _ = corpus_env
    out = json.loads(run_cli("search", "Nghị định 121/2025/NĐ-CP", "-k", "3", "--json", env=env).stdout)
    assert out["hits"] and "121/2025/NĐ-CP" in out["hits"][0]["text"]


def test_unaccented_query_finds_accented_text(corpus_env):
    env, _, _ = corpus_env
    out = json.loads(run_cli("search", "chung thuc ban sao tu ban chinh", "-k", "3", "--json", env=env).stdout)
    assert any("chứng thực" in h["text"].lower() for h in out["hits"])


@pytest.mark.llm
def test_ask_answers_with_sources_from_the_corpus(corpus_env):
    env, _, _ = corpus_env
    r = run_cli("ask", "Xã An Hòa đã chứng thực bao nhiêu bản sao từ bản chính?", "--json", env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["text"].strip()
    assert out["sources"] and all(s["marker"].startswith("[") for s in out["sources"])
    assert any("bao-cao-tu-phap" in s["source"] for s in out["sources"])
    for f in out["findings"]:
        assert set(f) >= {"code", "severity", "message", "start", "end", "text", "suggestion"}


def test_bad_usage_exits_2(corpus_env):
    env, _, _ = corpus_env
    r = run_cli("check", "corpus/mau/bao-cao-tu-phap-6-thang-2025-xa-mau.md", "--date", "22-02-2026", env=env)
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr


def test_every_file_of_the_shipped_corpus_loads_chunks_and_has_a_header():
    """What `make run` indexes: every file parses, chunks, and its metadata says what it is (the
    embedding step is the only one left out, for time)."""
    from assistant.chunking import chunk_document
    from assistant.ingestion import document_record
    from assistant.loaders import iter_files, load

    files = list(iter_files([PROJECT_ROOT / "corpus"]))
    assert len(files) >= 15
    for f in files:
        doc = load(f)
        assert chunk_document(doc), f
        rec = document_record(doc, str(f))
        assert rec.title, f
        if "van-ban" in f.parts:
            assert rec.kind in ("Nghị định", "Thông tư", "Luật") and rec.number, (f, rec.kind, rec.number)
        else:
            assert rec.meta.get("unit"), f  # every report says whose figures it holds
