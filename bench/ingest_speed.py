"""Ingest throughput on a generated 300-page Vietnamese text PDF: parse / chunk / embed / write, peak RSS.

The embedder bounds the whole; its chunks/s alone is measured in the same run for comparison.
Usage: python bench/ingest_speed.py [--pages 300]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PARAGRAPHS = [
    "Thực hiện Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ, Ủy ban nhân dân xã đã tiếp nhận "
    "toàn bộ việc đăng ký hộ tịch trước đây thuộc cấp huyện; đăng ký khai sinh {a} việc, khai tử {b} việc.",
    "Công tác chứng thực được thực hiện đúng quy định: chứng thực bản sao từ bản chính {c} bản, chứng thực "
    "chữ ký {b} việc, chứng thực hợp đồng, giao dịch {a} việc; thu lệ phí nộp ngân sách đúng quy định.",
    "Công tác hòa giải ở cơ sở tiếp tục được duy trì; toàn xã có {b} tổ hòa giải, tiếp nhận {a} vụ việc, "
    "hòa giải thành {c} vụ việc. Các tổ hòa giải hoạt động hiệu quả, góp phần giữ gìn an ninh trật tự.",
    "Khó khăn, vướng mắc: khối lượng công việc tăng nhanh sau khi sắp xếp đơn vị hành chính, trong khi số "
    "công chức làm công tác tư pháp - hộ tịch còn ít; cơ sở vật chất, đường truyền chưa đáp ứng yêu cầu.",
]


def make_pdf(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not os.path.exists(font):
        sys.exit("Cần phông DejaVuSans (gói Debian fonts-dejavu-core) để tạo PDF tiếng Việt.")
    pdfmetrics.registerFont(TTFont("DejaVu", font))
    c = canvas.Canvas(str(path), pagesize=A4)
    for p in range(pages):
        c.setFont("DejaVu", 11)
        y = 800
        c.drawString(60, y, f"{['I', 'II', 'III', 'IV'][p % 4]}. KẾT QUẢ THỰC HIỆN PHẦN {p + 1}")
        y -= 24
        for i, para in enumerate(PARAGRAPHS * 2):
            words = para.format(a=p + i, b=i + 3, c=p * 3 + i).split()
            line = ""
            for w in words:
                if len(line) + len(w) > 95:
                    c.drawString(60, y, line)
                    y -= 15
                    line = ""
                line += w + " "
            c.drawString(60, y, line)
            y -= 22
        c.showPage()
    c.save()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    os.environ["ASSISTANT_DATA_DIR"] = str(work / "data")
    pdf = work / "bao-cao-300-trang.pdf"
    make_pdf(pdf, args.pages)

    from assistant.chunking import chunk_document
    from assistant.config import get_settings
    from assistant.embeddings import get_embedder
    from assistant.index import Index
    from assistant.ingestion import document_record
    from assistant.loaders import load

    settings = get_settings()
    t0 = time.perf_counter()
    doc = load(pdf)
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    chunks = chunk_document(doc, max_chars=settings.chunk_chars)
    t_chunk = time.perf_counter() - t0
    embedder = get_embedder()
    texts = [c.text for c in chunks]
    rec = document_record(doc, str(pdf))
    from assistant.passages import passage_text

    embedded = [passage_text(rec, c) for c in chunks]  # exactly what ingest embeds
    t0 = time.perf_counter()
    for i in range(0, len(embedded), 32):
        embedder.embed_passages(embedded[i:i + 32])
    t_embed_alone = time.perf_counter() - t0

    # the real path, end to end: load + header + chunk + embed + Chroma + BM25 + manifest
    index = Index()
    t0 = time.perf_counter()
    from assistant.ingestion import ingest_paths

    report = ingest_paths(index, [pdf])
    t_total = time.perf_counter() - t0
    assert report.ingested, report.failed
    t_write = t_total - t_parse - t_chunk - t_embed_alone

    n = len(chunks)
    print(f"corpus: {args.pages} trang PDF, {n} đoạn, {sum(map(len, texts)) / n:.0f} ký tự/đoạn, {rec.pages} trang đọc được")
    print(f"{'stage':<22}{'seconds':>9}{'rate':>22}")
    print(f"{'parse (pypdf)':<22}{t_parse:>9.2f}{args.pages / t_parse:>16.1f} trang/s")
    print(f"{'chunk':<22}{t_chunk:>9.2f}{n / t_chunk:>16.1f} đoạn/s")
    print(f"{'embed alone':<22}{t_embed_alone:>9.2f}{n / t_embed_alone:>16.2f} đoạn/s")
    print(f"{'write (rest, est.)':<22}{max(t_write, 0):>9.2f}")
    print(f"{'ingest end to end':<22}{t_total:>9.2f}{n / t_total:>16.2f} đoạn/s  {args.pages / t_total:.2f} trang/s")
    print(f"ingest / embedder alone: {100 * (n / t_total) / (n / t_embed_alone):.0f} %  (target ≥ 80 %)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
