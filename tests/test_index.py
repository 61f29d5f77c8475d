"""The index on disk: write, reopen in a new process-level object, search, replace, remove, recover."""
import numpy as np
import pytest

from assistant.config import get_settings
from assistant.documents import Chunk
from assistant.index import Index, IndexUnavailable, IngestBusy, chunk_id
from assistant.manifest import DocumentRecord

DOC_CHUNKS = [
    Chunk("Điều 7. Ủy ban nhân dân cấp xã thực hiện quản lý nhà nước về hộ tịch, cập nhật cơ sở dữ liệu hộ tịch.",
          page=1, section="Chương II > Điều 7", meta={"dieu": "7"}),
    Chunk("Điều 13. Người thực hiện chứng thực tại Ủy ban nhân dân cấp xã.", page=2, section="Chương III > Điều 13",
          meta={"dieu": "13"}),
    Chunk("Điều 18. Hòa giải ở cơ sở: Ủy ban nhân dân cấp xã quản lý nhà nước về hòa giải.", page=3,
          section="Chương IV > Điều 18", meta={"dieu": "18"}),
]


def _record(doc_id="d1", source="/x/nd120.md"):
    return DocumentRecord(doc_id=doc_id, source=source, sha256=doc_id * 4, format="md", kind="Nghị định",
                          number="120/2025/NĐ-CP", date="2025-06-11", issuer="Chính phủ", title="Phân định thẩm quyền",
                          year=2025, pages=3)


def test_round_trip_on_disk(data_dir):
    idx = Index()
    with idx.writer():
        assert idx.add_document(_record(), DOC_CHUNKS) == 3
        idx.commit()
    # a fresh object over the same directory sees everything
    again = Index()
    assert [d.doc_id for d in again.documents()] == ["d1"]
    assert again.chunk_count() == 3
    dense = again.dense_search("ai chứng thực ở xã", 3)
    assert dense[0][0] == chunk_id("d1", 1)
    lexical = again.bm25.search("hòa giải", 3)
    assert lexical[0][0] == chunk_id("d1", 2)
    text, meta = again.get_chunks([chunk_id("d1", 0)])[chunk_id("d1", 0)]
    assert text.startswith("Điều 7.") and meta["dieu"] == "7" and meta["number"] == "120/2025/NĐ-CP"


def test_remove_document(data_dir):
    idx = Index()
    with idx.writer():
        idx.add_document(_record(), DOC_CHUNKS)
        idx.remove_document("d1")
        idx.commit()
    assert idx.documents() == [] and idx.chunk_count() == 0 and len(idx.bm25) == 0


def test_pending_document_is_cleaned_by_recover(data_dir):
    """A crash after chunks were written but before `complete`: the chunks are invisible, then removed."""
    idx = Index()
    rec = _record()
    with idx.writer():
        idx.add_document(rec, DOC_CHUNKS)
        idx.commit()
    # simulate the crash state: manifest pending, chunks present
    rec.status = "pending"
    idx.manifest.put(rec)
    assert idx.complete_doc_ids() == set()
    with idx.writer():
        idx.recover()
    assert idx.chunk_count() == 0 and idx.manifest.all(status=None) == []


def test_bm25_is_reconciled_with_complete_documents(data_dir):
    idx = Index()
    with idx.writer():
        idx.add_document(_record(), DOC_CHUNKS)
        # BM25 not committed: a crash here loses the BM25 part only
    fresh = Index()
    assert len(fresh.bm25) == 0
    with fresh.writer():
        fresh.recover()
    assert len(fresh.bm25) == 3 and fresh.bm25.search("chứng thực", 1)[0][0] == chunk_id("d1", 1)


def test_refuses_vectors_from_another_embedder(data_dir):
    Index()  # creates the collection with the default embedder

    class OtherEmbedder:
        id = "another-model"
        dim = 384

        def embed_passages(self, texts):
            return np.zeros((len(texts), 384), dtype=np.float32)

        def embed_query(self, text):
            return np.zeros(384, dtype=np.float32)

    with pytest.raises(IndexUnavailable, match="không thể trộn|Không thể trộn"):
        Index(embedder=OtherEmbedder())


def test_one_writer_at_a_time(data_dir):
    a, b = Index(), Index()
    with a.writer(), pytest.raises(IngestBusy), b.writer():
        pass
    with b.writer():  # free again
        pass
    assert get_settings().data_dir == data_dir


def test_a_running_app_sees_documents_ingested_by_another_process(data_dir, tmp_path):
    """The app holds an Index open while `assistant ingest` runs elsewhere: BM25 reloads, nothing is missed."""
    import os
    import subprocess
    import sys

    from assistant.retrieval import retrieve

    from conftest import PROJECT_ROOT

    app_index = Index()
    assert retrieve("hòa giải viên xã Phước Lộc", 3, index=app_index) == []
    doc = tmp_path / "phuoc-loc.md"
    doc.write_text("BÁO CÁO\nTổ hòa giải xã Phước Lộc có 12 hòa giải viên, hòa giải thành 9 vụ việc.\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "assistant", "ingest", str(doc)], cwd=PROJECT_ROOT,
                       env=dict(os.environ, ASSISTANT_DATA_DIR=str(data_dir)), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    hits = retrieve("hòa giải viên xã Phước Lộc", 3, index=app_index)
    assert hits and "Phước Lộc" in hits[0].text and hits[0].meta.get("bm25")
