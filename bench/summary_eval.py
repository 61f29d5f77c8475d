"""Summary evaluation (issue 17): figures with their label and period, sections by substance,
recommendations per addressee, and the comparison of two periods, scored against
bench/data/reports_key.jsonl (written by reading the reports, before this code).

    .venv/bin/python bench/summary_eval.py                 # all 7 reports, extraction only (no model)
    .venv/bin/python bench/summary_eval.py --split held-out
    .venv/bin/python bench/summary_eval.py --show-misses   # every key figure not matched, and why
    .venv/bin/python bench/summary_eval.py --model --only corpus/bao-cao-so-ket-binh-thanh-2026.txt
                                                           # the whole job with the model, timed

Tuned on (decided before any score was seen): the first four reports of the key — the Bình Thành seed,
An Hòa, Tân Phong năm 2025 and Tân Phong 6 tháng đầu năm 2026. Held out (read only through these
scores): Phú Lộc sơ kết 6 tháng, Phú Lộc tiếp công dân quý I năm 2026, Minh Tân KT-XH năm 2025.
"""
from __future__ import annotations

TUNED = (
    "corpus/bao-cao-so-ket-binh-thanh-2026.txt",
    "corpus/mau/bao-cao-tu-phap-6-thang-2025-xa-mau.md",
    "corpus/mau/bao-cao-tu-phap-nam-2025-xa-tan-phong.md",
    "corpus/mau/bao-cao-tu-phap-6-thang-dau-nam-2026-xa-tan-phong.md",
)
