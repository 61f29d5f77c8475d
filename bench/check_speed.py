"""Throughput of check_text on generated report text (target ≥ 2 MB/s on one core).

Builds ~5 MB of report-like Vietnamese text (headers, citations of every form, figures, sums,
some deliberate errors) from a fixed seed, then times one check_text call with process CPU time.

    python bench/check_speed.py [MEGABYTES]
"""
from __future__ import annotations

import random
import sys
import time
from datetime import date

from assistant.citations import check_text, find_citations, load_registry

PARAGRAPHS = [
    "Thực hiện Nghị định số {n}/2025/NĐ-CP ngày {d}/6/2025 của Chính phủ quy định về phân định thẩm quyền của "
    "chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp, UBND xã đã triển khai {k} nhiệm vụ.",
    "Căn cứ Kế hoạch số {n}/KH-UBND ngày {d}/{m}/2025 của UBND xã Bình Thành về việc tổ chức sơ kết công tác năm 2025; "
    "Quyết định số {k}/QĐ-UBND ngày {d}/{m}/2025 của Chủ tịch UBND xã về việc kiện toàn Tổ hòa giải.",
    "Trong năm, tổng số {t} trường hợp, trong đó: khai sinh {a} trường hợp; khai tử {b} trường hợp. Chứng thực bản sao "
    "từ bản chính: 1.707 việc; tiếp công dân 02 lượt/02 người; từ 01/7/2025 đến 14/12/2025.",
    "Đối với lĩnh vực Tư pháp: Thực hiện theo quy định tại Nghị định số Nghị định số 121/2025/NĐ-CP ngày 11/6/2025 của "
    "Chính phủ quy định về phân quyền, phân cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp, gồm 05 nhiệm vụ chính.",
    "Văn phòng có {k} cán bộ hợp đồng theo Nghị định 173 và 111; thực hiện Luật Hộ tịch năm 2014 và Thông tư số "
    "08/2025/TT-BTP; Báo cáo số {n}-BC/ĐU của Đảng ủy xã; Công văn số {k}/UBND-VX ngày {d}/{m}/2025.",
    "Công tác cải cách hành chính tiếp tục được quan tâm chỉ đạo, bảo đảm công khai, minh bạch; các thủ tục hành chính "
    "được giải quyết đúng hạn, không để tồn đọng, kéo dài; mức độ hài lòng của người dân và tổ chức từng bước nâng lên.",
]
HEADER = "ỦY BAN NHÂN DÂN\nXÃ BÌNH THÀNH\nSố: 15/BC-UBND\nBình Thành, ngày 22 tháng 02 năm 2026\n\nBÁO CÁO\nSơ kết\n\n"


def make_text(megabytes: float, seed: int = 7) -> str:
    rnd = random.Random(seed)
    parts, size = [HEADER], len(HEADER.encode())
    target = int(megabytes * 1_000_000)
    while size < target:
        p = rnd.choice(PARAGRAPHS).format(n=rnd.randint(1, 300), d=rnd.randint(1, 28), m=rnd.randint(1, 12),
                                          k=rnd.randint(1, 99), t=rnd.randint(40, 60), a=rnd.randint(10, 30),
                                          b=rnd.randint(10, 30))
        parts.append(p + "\n\n")
        size += len(p.encode()) + 2
    return "".join(parts)


class _NoLocal:
    from pathlib import Path
    local_registry_path = Path("/nonexistent/registry_local.json")


def main() -> None:
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    text = make_text(mb)
    size_mb = len(text.encode("utf-8")) / 1_000_000
    registry = load_registry(_NoLocal())
    check_text(text[:20000], registry=registry)  # warm caches (title weights)
    t0 = time.process_time()
    n_cites = len(find_citations(text))
    t_find = time.process_time() - t0
    t0 = time.process_time()
    result = check_text(text, report_date=date(2026, 2, 22), registry=registry)
    t_check = time.process_time() - t0
    print(f"text: {size_mb:.2f} MB ({len(text):,} characters), {n_cites:,} citations, {len(result.findings):,} findings")
    print(f"find_citations: {t_find:.2f} s CPU = {size_mb / t_find:.2f} MB/s")
    print(f"check_text:     {t_check:.2f} s CPU = {size_mb / t_check:.2f} MB/s (one core)")


if __name__ == "__main__":
    main()
