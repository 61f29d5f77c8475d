"""Citations wherever they stand (issue 14): start of a text, line, list item, heading, table cell;
the own "Số:" line only in a real header; HĐND and Party documents; spaced numbers; typed look-alikes;
one local document with two trích yếu."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.citations import Registry, RegistryEntry, check_text, find_citations, load_registry
from assistant.text import nfc


class _NoLocal:
    local_registry_path = Path("/nonexistent/registry_local.json")


REGISTRY = load_registry(_NoLocal())
REPORT_DATE = date(2026, 2, 22)


def check(text: str, registry: Registry = REGISTRY):
    return check_text(text, report_date=REPORT_DATE, registry=registry)


def numbers(text: str) -> list[str]:
    return [c.number for c in find_citations(text) if c.number]


RESOLUTION = "Nghị quyết số 15/NQ-HĐND ngày 10/7/2025 của HĐND xã Bình Thành về việc thông qua kế hoạch"


@pytest.mark.parametrize("text", [
    RESOLUTION + ".",                                     # offset 0
    "Ủy ban nhân dân xã báo cáo:\n" + RESOLUTION + ".",   # start of a line
    "- " + RESOLUTION + ";",                              # list item
    "+ " + RESOLUTION + ";",
    "1.2. " + RESOLUTION + ".",                           # after a heading number
    "II. " + RESOLUTION + ".",
    "a) " + RESOLUTION + ".",
    "### " + RESOLUTION,
    "**" + RESOLUTION.replace("15/NQ-HĐND", "15/NQ-HĐND**") + ".",
    "| 1 | " + RESOLUTION + " | Đã thực hiện |",          # table cell
])
def test_a_citation_is_found_wherever_it_stands(text):
    [c] = find_citations(text)
    assert c.number == "15/NQ-HĐND" and c.doc_type == "Nghị quyết"
    assert c.date == date(2025, 7, 10) and c.issuer == "HĐND xã Bình Thành"
    assert c.title == "về việc thông qua kế hoạch"
    assert nfc(text)[c.start:c.end] == c.text


@pytest.mark.parametrize("text, number", [
    ("Luật số 72/2025/QH15 ngày 16/6/2025 của Quốc hội về tổ chức chính quyền địa phương.", "72/2025/QH15"),
    ("Nghị quyết số 190/2025/QH15 ngày 19/02/2025 của Quốc hội quy định về xử lý một số vấn đề.", "190/2025/QH15"),
    ("Pháp lệnh số 02/2022/UBTVQH15 ngày 01/01/2022 của Ủy ban Thường vụ Quốc hội.", "02/2022/UBTVQH15"),
    ("Số 12/KH-UBND ngày 05/01/2026 của UBND xã về việc tổ chức tổng kết đã được triển khai.", "12/KH-UBND"),
    ("Nghị quyết số 07-NQ/ĐU ngày 01/8/2025 của Ban Chấp hành Đảng bộ xã về lãnh đạo.", "07-NQ/ĐU"),
    ("Quyết định số 05/QĐ-HĐND ngày 03/9/2025 của Thường trực HĐND xã về việc thành lập Tổ giúp việc.", "05/QĐ-HĐND"),
])
def test_a_text_may_begin_with_any_citation(text, number):
    assert numbers(text) == [number]


def test_the_own_number_line_of_a_real_header_is_not_a_citation():
    header = "ỦY BAN NHÂN DÂN\nXÃ BÌNH THÀNH\nSố: 15/BC-UBND\nBình Thành, ngày 05 tháng 02 năm 2026\n\nBÁO CÁO\n"
    assert numbers(header + "Thực hiện Kế hoạch số 03/KH-UBND.") == ["03/KH-UBND"]
    # a two-column plain-text header and a Markdown table header
    assert numbers("UBND XÃ A\nSố: 218 /BC-UBND        A, ngày 24 tháng 6 năm 2022\n") == []
    assert numbers("| CHÍNH PHỦ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n"
                   "| Số: 120/2025/NĐ-CP | Hà Nội, ngày 11 tháng 6 năm 2025 |\n") == []
    # no issuer block above it: the date line beside it still makes it a header
    assert numbers("Số: 12/KH-UBND\nA, ngày 05 tháng 01 năm 2026\n") == []


def test_a_spaced_number_gives_the_citation_and_the_format_finding():
    r = check("Số : 12 / KH-UBND")
    [c] = r.citations
    assert c.number == "12/KH-UBND" and c.doc_type == "Kế hoạch"
    [f] = [f for f in r.findings if f.code == "format"]
    assert f.text == "12 / KH-UBND" and f.suggestion == "12/KH-UBND"
    r = check("Theo Nghị định số 142/2025/NĐ - CP ngày 12/6/2025 của Chính phủ.")
    assert [c.number for c in r.citations] == ["142/2025/NĐ-CP"]
    assert [f.text for f in r.findings if f.code == "format"] == ["142/2025/NĐ - CP"]
    # in a real header the spaced own number is a header format finding, not a citation
    r = check("UBND XÃ A\nSố : 12 / KH-UBND\nA, ngày 05 tháng 01 năm 2026\n")
    assert r.citations == [] and [f.suggestion for f in r.findings if f.code == "format"] == ["Số: 12/KH-UBND"]


def test_a_typed_eth_or_dash_is_a_finding_on_the_nfc_offsets():
    raw = "Căn cứ Nghị định số 09/2019/N\u00d0\u2013CP ngày 24/01/2019 của Chính phủ; Kế hoạch của \u00d0ảng ủy\u200b xã."
    r = check(raw)
    t = nfc(raw)
    assert [c.number for c in r.citations] == ["09/2019/NĐ-CP"]
    fmt = [f for f in r.findings if f.code == "format"]
    assert [(f.text, f.suggestion) for f in fmt] == [("09/2019/NĐ-CP", "09/2019/NĐ-CP"), ("Đảng", "Đảng")]
    assert all(t[f.start:f.end] == f.text for f in fmt)
    assert "Ð" in fmt[0].message and "–" in fmt[0].message
    assert check(raw.replace("\u00d0", "Đ").replace("\u2013", "-")).findings == [
        f for f in check(raw.replace("\u00d0", "Đ").replace("\u2013", "-")).findings if f.code != "format"]


def test_one_local_document_with_two_titles():
    r = check("Quyết định số 05/QĐ-UBND ngày 03/9/2025 của UBND xã về việc kiện toàn Tổ hòa giải; sau đó Quyết định "
              "số 05/QĐ-UBND ngày 03/9/2025 của UBND xã về việc thành lập Ban chỉ đạo.")
    [f] = [f for f in r.findings if f.code == "title-mismatch"]
    assert f.text == "về việc thành lập Ban chỉ đạo" and f.suggestion == "về việc kiện toàn Tổ hòa giải"
    # the second mention without a date is the same document (the year comes from the first)
    r = check(RESOLUTION + " phát triển kinh tế; Nghị quyết số 15/NQ-HĐND về việc bầu Chủ tịch UBND xã.")
    assert [f.text for f in r.findings if f.code == "title-mismatch"] == ["về việc bầu Chủ tịch UBND xã"]
    # a longer form of the same title is not a contradiction; another year is another document
    ok = check("Quyết định số 05/QĐ-UBND ngày 03/9/2025 của UBND xã về việc kiện toàn Tổ hòa giải; Quyết định số "
               "05/QĐ-UBND ngày 03/9/2025 của UBND xã về việc kiện toàn Tổ hòa giải ở cơ sở thôn 3; Quyết định số "
               "05/QĐ-UBND ngày 04/01/2024 của UBND xã về việc thành lập Ban chỉ đạo.")
    assert "title-mismatch" not in [f.code for f in ok.findings]


def test_hdnd_resolution_resolved_against_the_units_registry(tmp_path):
    class _Local:
        local_registry_path = tmp_path / "registry_local.json"

    reg = load_registry(_Local())
    reg.add(RegistryEntry(number="15/NQ-HĐND", doc_type="Nghị quyết", issuer="Hội đồng nhân dân xã Bình Thành",
                          date=date(2025, 7, 10), title="Về việc thông qua kế hoạch phát triển kinh tế - xã hội năm 2026"))
    r = check("Nghị quyết số 15/NQ-HĐND ngày 12/7/2025 của Hội đồng nhân dân xã Bình Thành về việc thông qua kế hoạch "
              "phát triển kinh tế - xã hội năm 2026.", reg)
    [c] = r.citations
    assert c.status == "mismatch"
    f = next(f for f in r.findings if f.code == "date-mismatch")
    assert f.severity == "error" and f.suggestion == "ngày 10/7/2025"
    # without a date: the registry knows one 15/NQ-HĐND only, so that is the one
    r = check("Theo Nghị quyết số 15/NQ-HĐND của HĐND xã về việc bầu bổ sung Ủy viên Ủy ban nhân dân xã.", reg)
    assert r.citations[0].status == "mismatch"
    assert [f.code for f in r.findings if f.code == "title-mismatch"] == ["title-mismatch"]
    # the Party's numbering of a HĐND resolution is a format point
    r = check("Nghị quyết số 15-NQ/HĐND ngày 10/7/2025 của HĐND xã về việc thông qua kế hoạch.", reg)
    assert any(f.code == "format" and f.suggestion == "15/NQ-HĐND" for f in r.findings)


def test_a_table_row_gives_the_date_and_title_cells():
    text = ("| STT | Số, ký hiệu | Ngày ban hành | Trích yếu |\n|---|---|---|---|\n"
            "| 1 | 05/QĐ-UBND | 03/9/2025 | Về việc kiện toàn Tổ hòa giải ở cơ sở |\n"
            "| 2 | Quyết định số 07/QĐ-UBND | 31/9/2025 | Về việc thành lập Tổ công tác |\n")
    r = check(text)
    first, second = r.citations
    assert (first.number, first.date, first.title) == ("05/QĐ-UBND", date(2025, 9, 3), "Về việc kiện toàn Tổ hòa giải ở cơ sở")
    assert second.date is None and second.date_text == "31/9/2025"
    assert [f.text for f in r.findings if f.code == "invalid-date"] == ["31/9/2025"]
    assert all(nfc(text)[c.start:c.end] == c.text for c in r.citations)


def test_a_date_given_before_the_citation_counts_for_completeness():
    r = check("Ngày 05/01/2026, UBND xã ban hành Kế hoạch số 03/KH-UBND về việc tổ chức tổng kết công tác tư pháp.")
    assert [f.severity for f in r.findings if f.code == "incomplete-citation"] == ["info"]
    r = check("Trong tháng, Kế hoạch số 03/KH-UBND về việc tổ chức tổng kết công tác tư pháp được triển khai.")
    assert [f.severity for f in r.findings if f.code == "incomplete-citation"] == ["warning"]
