from __future__ import annotations

import pytest

from assistant.query import analyse_query, is_unaccented


def test_full_number_and_dieu():
    q = analyse_query("Điều 7 Nghị định 120/2025/NĐ-CP quy định gì?")
    assert q.numbers == ["120/2025/NĐ-CP"] and q.dieu == "7" and not q.unaccented
    assert q.refs[0].type == "Nghị định" and not q.refs[0].partial


def test_number_normalised_from_spaces_and_unaccented_typing():
    assert analyse_query("Nghị định 120/2025/NĐ - CP").numbers == ["120/2025/NĐ-CP"]
    q = analyse_query("nghi dinh 120/2025/nd-cp dieu 13")
    assert q.numbers == ["120/2025/NĐ-CP"] and q.dieu == "13" and q.unaccented
    assert analyse_query("luat 64/2025/qh15").numbers == ["64/2025/QH15"]


def test_short_forms_are_partial_numbers_with_a_type():
    q = analyse_query("Nghị định 120 hết hiệu lực khi nào?")
    assert q.numbers == ["120"] and q.refs[0].type == "Nghị định" and q.refs[0].partial
    q = analyse_query("Điều 7 Nghị định 120/2025")
    assert q.numbers == ["120/2025"] and q.dieu == "7"
    assert analyse_query("nghi dinh so 30").refs[0].type == "Nghị định"
    assert analyse_query("Luật số 64/2025/QH15").refs[0].type == "Luật"


def test_local_document_numbers():
    q = analyse_query("Kế hoạch số 128/KH-UBND ngày 20/4/2026")
    assert q.numbers == ["128/KH-UBND"] and q.refs[0].type == "Kế hoạch"


def test_no_number_no_dieu():
    q = analyse_query("  Văn phòng   xã có bao nhiêu người? ")
    assert q.numbers == [] and q.dieu is None and q.text == "Văn phòng xã có bao nhiêu người?"
    assert analyse_query("ngày 01/7/2025").numbers == []  # a date is not a document number


@pytest.mark.parametrize("text,expected", [
    ("nghi dinh phan cap", True),
    ("cong chuc ho tich cap xa", True),
    ("UBND xa", True),
    ("UBND xã", False),
    ("Nghị định phân cấp", False),
    ("trach nhiem cua uy ban nhan dan cac cap ve hòa giai o co so", True),  # one stray accent
    ("120/2025", False),
    ("", False),
])
def test_unaccented_detection(text, expected):
    assert is_unaccented(text) is expected
