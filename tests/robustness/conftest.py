"""Helpers shared by the robustness suite (bad input, crash safety, faults)."""
from __future__ import annotations

import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

REPORT = """ỦY BAN NHÂN DÂN XÃ AN HÒA
Số: {n:02d}/BC-UBND

An Hòa, ngày 05 tháng 01 năm 2026

BÁO CÁO
Kết quả công tác số {n}

I. KẾT QUẢ
1. Hộ tịch
Đăng ký khai sinh {n} việc; khai tử {m} việc; chứng thực bản sao {k} bản.
2. Hòa giải
Tiếp nhận {m} vụ việc, hòa giải thành {n} vụ việc.
II. KIẾN NGHỊ
- Đề nghị tập huấn nghiệp vụ hộ tịch cho công chức cấp xã lần {n}, mã hồ sơ HS{n:04d}.
"""


def write_reports(folder: Path, count: int, start: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(start, start + count):
        p = folder / f"bao-cao-{n:03d}.md"
        p.write_text(REPORT.format(n=n, m=n + 3, k=n * 7), encoding="utf-8")
        out.append(p)
    return out


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
