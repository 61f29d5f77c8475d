"""Whose figures: the unit a document, a request or a question is about."""
from assistant.units import Unit, document_unit, mentions, same_unit, unit_in

SEED_HEAD = """Số: /BC-VP

Bình Thành, ngày 22 tháng 02 năm 2026

BÁO CÁO
Sơ kết 01 năm …

Văn phòng HĐND và UBND xã Bình Thành (sau đây gọi tắt là Văn phòng) báo cáo kết quả, như sau:
"""


def test_unit_from_the_issuer_block():
    text = "ỦY BAN NHÂN DÂN XÃ AN HÒA\nSố: 45/BC-UBND\n\nAn Hòa, ngày 10 tháng 12 năm 2025\n\nBÁO CÁO\n"
    assert document_unit(text) == Unit("xã An Hòa", "an hoa")


def test_unit_from_the_date_line_when_the_issuer_names_no_commune():
    assert document_unit(SEED_HEAD).key == "binh thanh"


def test_a_place_name_is_not_cut_at_a_word_that_looks_like_a_stop_word():
    assert unit_in("Soạn mục 1.3 của Văn phòng HĐND và UBND xã Bình Thành").name == "xã Bình Thành"
    assert unit_in("xã Hòa Phú thành phố Hà Nội").name == "xã Hòa Phú"


def test_unit_in_a_question_or_a_setting():
    assert unit_in("Xã An Hòa chứng thực bao nhiêu bản sao?").key == "an hoa"
    assert unit_in("phường Đông Sơn tiếp bao nhiêu lượt công dân").name == "phường Đông Sơn"
    assert unit_in("UBND xã Bình Thành").key == "binh thanh"
    assert unit_in("Bình Thành").key == "binh thanh"
    assert unit_in("Soạn mục 1.9 Thủ tục hành chính") is None
    assert unit_in("") is None


def test_same_unit_ignores_level_words_case_and_accents():
    assert same_unit(unit_in("UBND xã Bình Thành"), unit_in("Văn phòng HĐND và UBND xã BÌNH THÀNH"))
    assert same_unit("binh thanh", unit_in("xã Bình Thành"))
    assert not same_unit(unit_in("xã An Hòa"), unit_in("xã Bình Thành"))
    assert not same_unit(None, unit_in("xã An Hòa"))


def test_mentions_in_order():
    names = [u.name for u in mentions("Báo cáo của xã An Hòa và XÃ BÌNH THÀNH; phường Đông Sơn.")]
    assert names == ["xã An Hòa", "xã Bình Thành", "phường Đông Sơn"]
