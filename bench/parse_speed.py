"""Parsing + chunking speed on a generated 300-page Vietnamese text PDF (target: >= 50 pages/s parsing).

    python bench/parse_speed.py [--pages 300] [--repeat 3] [--json]

The PDF is made with reportlab and DejaVuSans (apt-get install fonts-dejavu-core), like a report
exported from Word: numbered headings, bullets, figures, citations on every page.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
sys.path.insert(0, str(ROOT))

import makefiles as mk

from assistant.chunking import chunk_document
from assistant.loaders import load

TARGET_PAGES_PER_S = 50.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--max-chars", type=int, default=1200)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    font = mk.dejavu_font()
    if font is None:
        print("DejaVuSans.ttf not found: apt-get install fonts-dejavu-core", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "bench.pdf"
        t0 = time.perf_counter()
        mk.make_text_pdf(pdf, mk.report_pages(args.pages), font)
        make_s = time.perf_counter() - t0
        size_mb = pdf.stat().st_size / 1e6
        parse, chunk = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            doc = load(pdf, max_bytes=200 * 1024 * 1024, ocr=False)
            t1 = time.perf_counter()
            chunks = chunk_document(doc, max_chars=args.max_chars)
            t2 = time.perf_counter()
            parse.append(t1 - t0)
            chunk.append(t2 - t1)
    n = len(doc.pages)
    p_s, c_s = statistics.median(parse), statistics.median(chunk)
    result = {
        "pages": n, "pdf_mb": round(size_mb, 2), "chars": len(doc.text), "chunks": len(chunks),
        "make_pdf_s": round(make_s, 3),
        "parse_s": round(p_s, 3), "parse_pages_per_s": round(n / p_s, 1),
        "chunk_s": round(c_s, 3), "chunk_pages_per_s": round(n / c_s, 1),
        "total_pages_per_s": round(n / (p_s + c_s), 1),
        "target_parse_pages_per_s": TARGET_PAGES_PER_S,
        "ok": n / p_s >= TARGET_PAGES_PER_S,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{n} pages ({size_mb:.2f} MB, {len(doc.text):,} chars) -> {len(chunks)} chunks")
        print(f"parse : {p_s:.3f} s  = {n / p_s:7.1f} pages/s (target >= {TARGET_PAGES_PER_S:.0f})")
        print(f"chunk : {c_s:.3f} s  = {n / c_s:7.1f} pages/s")
        print(f"total : {p_s + c_s:.3f} s  = {n / (p_s + c_s):7.1f} pages/s   [{'OK' if result['ok'] else 'SLOW'}]")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
