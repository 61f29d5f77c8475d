"""Vietnamese analysis for search: syllables, bigrams, document numbers, tone placement, heading line."""
from __future__ import annotations

from assistant.analyser import (
    DOCUMENT_NUMBER,
    HEADING_BOOST,
    document_tokens,
    folded_tokens,
    heading_line,
    normalise_tone_placement,
    tokens,
)


def test_tokens_keep_diacritics_and_add_bigrams():
    t = tokens("Nghị định phân cấp")
    assert t[:3] == ["nghị", "nghị_định", "định"]
    assert "phân_cấp" in t and "phân" in t and "cấp" in t
    assert "phan" not in t


def test_citation_number_is_one_token_whatever_the_spacing_dash_or_eth():
    a = tokens("theo 120/2025/NĐ - CP")
    b = tokens("theo 120/2025/Nđ-CP")
    assert "120/2025/nđ-cp" in a
    assert a == b
    assert tokens("theo 120/2025/N\u00d0-CP") == a  # Ð (Icelandic eth) typed for Đ
    assert tokens("theo 120/2025/NĐ\u2013CP") == a  # en dash
    assert tokens("theo 120 / 2025 / NĐ-CP") == a
    # a spaced dash does not swallow ordinary words after the number
    assert "quy" in tokens("30/2020/NĐ-CP - quy định")


def test_number_adds_its_leading_number_and_number_year():
    t = tokens("Nghị định số 120/2025/NĐ-CP")
    assert t[-2:] == ["120", "120/2025"]
    assert "số_120" not in t  # no bigram into a document number
    assert tokens("Quyết định 05/QĐ-UBND")[-1] == "05"  # no year: the leading number only


def test_lowercase_codes_after_a_spaced_dash_are_known_agency_codes_only():
    assert "120/2025/nd-cp" in tokens("120/2025/nd - cp")  # "cp" is an agency code
    t = tokens("30/2020/nd - khong")  # "khong" is not: the number stops before it
    assert "30/2020/nd" in t and "khong" in t


def test_document_number_pattern_groups():
    m = DOCUMENT_NUMBER.search("căn cứ 120 / 2025 / NĐ - CP ngày")
    assert (m.group(1), m.group(2), m.group(3)) == ("120", "2025", "NĐ - CP")
    assert DOCUMENT_NUMBER.search("ngày 11/6/2025") is None  # a date is not a document number
    assert DOCUMENT_NUMBER.search("Số 143-BC/ĐU") is None  # Party numbering is not this pattern


def test_dieu_bigram_and_numbers():
    t = tokens("Căn cứ Điều 13. Phân cấp")
    assert "điều_13" in t and "13" in t
    assert "13_phân" not in t  # no bigram across punctuation
    assert "1.707" in tokens("1.707 việc")
    assert "69,2" in tokens("đạt 69,2%")


def test_folded_tokens_match_unaccented_typing():
    assert folded_tokens("Nghị định phân cấp") == folded_tokens("nghi dinh phan cap")
    assert "nghi_dinh" in folded_tokens("Nghị định")
    assert "120/2025/nd-cp" in folded_tokens("Nghị định 120/2025/NĐ-CP")
    assert "dieu_7" in folded_tokens("ĐIỀU 7")


def test_underscore_is_a_separator_not_part_of_a_token():
    assert tokens("hộ_tịch") == tokens("hộ tịch")


def test_old_and_new_tone_placement_give_the_same_tokens():
    assert tokens("Uỷ ban hoà giải, khoẻ, thuỷ lợi") == tokens("Ủy ban hòa giải, khỏe, thủy lợi")
    assert "hoặc" in tokens("hoặc")  # modifier vowels untouched
    assert "quý" in tokens("quý") and "quỳnh" in tokens("Quỳnh")  # qu + y keeps its tone
    assert normalise_tone_placement("Hoà Bình") == "Hòa Bình"
    assert normalise_tone_placement("hoàn thành") == "hoàn thành"  # closed syllable: tone stays on a


def test_heading_line():
    assert heading_line("Điều 33. Sử dụng con dấu\n1. Dấu đóng phải rõ ràng.") == "Điều 33. Sử dụng con dấu"
    assert heading_line("## Phạm vi điều chỉnh\n\nLuật này quy định ...") == "Phạm vi điều chỉnh"
    assert heading_line("Một câu văn thường kết thúc bằng dấu chấm.\nCâu sau.") == ""  # a sentence, not a heading
    assert heading_line("Điều 33. Sử dụng con dấu") == ""                             # one line: nothing to boost
    assert heading_line("x" * 201 + "\nthân") == ""                                   # too long for a heading


def test_document_tokens_count_the_heading_again():
    text = "Điều 33. Sử dụng con dấu\n1. Dấu đóng phải rõ ràng."
    toks = document_tokens(text)
    assert toks.count("con_dấu") == HEADING_BOOST and toks.count("rõ_ràng") == 1
    assert document_tokens(text, 1) == tokens(text)
    assert document_tokens(text, 3).count("con_dấu") == 3
