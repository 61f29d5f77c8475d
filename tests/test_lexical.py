"""Vietnamese analysis and the persistent BM25 store (real bm25s indexes on a tmp dir)."""
from __future__ import annotations

import json

import pytest

from assistant.lexical import BM25Store, folded_tokens, tokens

DOCS = {
    "nd120-d7": "Điều 7. Trách nhiệm quản lý nhà nước về hộ tịch của Ủy ban nhân dân cấp xã. "
                "Ủy ban nhân dân cấp xã thực hiện quản lý nhà nước về hộ tịch tại địa phương.",
    "nd30-d33": "Điều 33. Sử dụng con dấu. Khi đóng dấu lên chữ ký, dấu đóng phải trùm lên khoảng 1/3 chữ ký "
                "về phía bên trái.",
    "nd30-d26": "Điều 26. Giá trị pháp lý của bản sao. Bản sao y, bản sao lục và bản trích sao có giá trị "
                "pháp lý như bản chính.",
    "report-13": "1.3. Phân quyền, phân cấp. Thực hiện theo Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 "
                 "của Chính phủ trong lĩnh vực tư pháp.",
    "report-19": "1.9. Thủ tục hành chính. Chứng thực bản sao từ bản chính: 1.707 việc; hộ tịch: 90 trường hợp.",
    "nd141": "Nghị định 141/2025/NĐ-CP về tiếp công dân, giải quyết khiếu nại, tố cáo ở cấp xã.",
}


def _store(path) -> BM25Store:
    s = BM25Store(path)
    s.add(list(DOCS), list(DOCS.values()))
    s.commit()
    return s


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


def test_dieu_bigram_and_numbers():
    t = tokens("Căn cứ Điều 13. Phân cấp")
    assert "điều_13" in t and "13" in t
    assert "13_phân" not in t  # no bigram across punctuation
    assert "1.707" in tokens("1.707 việc")


def test_folded_tokens_match_unaccented_typing():
    assert folded_tokens("Nghị định phân cấp") == folded_tokens("nghi dinh phan cap")
    assert "nghi_dinh" in folded_tokens("Nghị định")
    assert "120/2025/nd-cp" in folded_tokens("Nghị định 120/2025/NĐ-CP")
    assert "dieu_7" in folded_tokens("ĐIỀU 7")


def test_store_round_trip_and_reload(tmp_path):
    s = _store(tmp_path / "bm25")
    assert len(s) == len(DOCS) and s.ids() == set(DOCS)
    assert s.search("đóng dấu lên chữ ký", 3)[0][0] == "nd30-d33"
    again = BM25Store(tmp_path / "bm25")
    assert again.ids() == set(DOCS)
    assert again.search("đóng dấu lên chữ ký", 3) == s.search("đóng dấu lên chữ ký", 3)
    # files: a pointer and one generation directory, nothing pickled
    names = sorted(p.name for p in (tmp_path / "bm25").iterdir())
    assert names[0] == "CURRENT" and len(names) == 2 and names[1].startswith("gen-")
    gen = tmp_path / "bm25" / names[1]
    assert not list(gen.rglob("*.pkl")) and not list(gen.rglob("*.pickle"))
    assert json.loads((gen / "ids.json").read_text()) and (gen / "accented").is_dir()


def test_replace_and_remove(tmp_path):
    s = _store(tmp_path / "bm25")
    s.add(["nd30-d26"], ["Điều 26. Nội dung mới về lưu trữ hồ sơ điện tử"])
    s.remove(["nd141"])
    assert "nd141" not in {d for d, _ in s.search("tiếp công dân khiếu nại", 10)}  # hidden before commit
    s.commit()
    assert s.ids() == set(DOCS) - {"nd141"}
    assert "nd141" not in {d for d, _ in s.search("tiếp công dân khiếu nại", 10)}
    assert "nd30-d26" not in {d for d, _ in s.search("bản sao lục trích sao", 10)}
    assert s.search("lưu trữ hồ sơ điện tử", 1)[0][0] == "nd30-d26"
    reloaded = BM25Store(tmp_path / "bm25")
    assert reloaded.ids() == s.ids()
    reloaded.add(["new"], ["Chuyển đổi số tại văn phòng xã"])
    reloaded.commit()
    assert BM25Store(tmp_path / "bm25").search("chuyển đổi số", 1)[0][0] == "new"
    assert len([p for p in (tmp_path / "bm25").iterdir() if p.is_dir()]) == 1  # old generations cleaned


def test_allowed_filter(tmp_path):
    s = _store(tmp_path / "bm25")
    hits = s.search("bản sao bản chính", 10, allowed={"report-19", "nd120-d7"})
    assert [d for d, _ in hits] == ["report-19"]
    assert s.search("bản sao", 10, allowed=set()) == []
    assert s.search("bản sao", 10, allowed={"unknown"}) == []


def test_unaccented_query_finds_accented_document_via_folded(tmp_path):
    s = _store(tmp_path / "bm25")
    assert s.search("trach nhiem quan ly ho tich cap xa", 3) == []  # accented index: no overlap
    assert s.search("trach nhiem quan ly ho tich cap xa", 3, folded=True)[0][0] == "nd120-d7"


@pytest.mark.parametrize("q", ["120/2025/NĐ-CP", "Nghị định 120/2025/NĐ - CP", "nghi dinh 120/2025/nd-cp"])
def test_number_query_ranks_document_with_that_number_first(tmp_path, q):
    s = _store(tmp_path / "bm25")
    folded = q.startswith("nghi")
    assert s.search(q, 3, folded=folded)[0][0] == "report-13"


def test_empty_store_and_empty_query(tmp_path):
    s = BM25Store(tmp_path / "none")
    assert len(s) == 0 and s.search("hộ tịch") == []
    s.commit()
    assert BM25Store(tmp_path / "none").search("hộ tịch") == []
    s2 = _store(tmp_path / "bm25")
    assert s2.search("", 5) == [] and s2.search("!!!", 5) == []


def test_old_and_new_tone_placement_give_the_same_tokens():
    assert tokens("Uỷ ban hoà giải, khoẻ, thuỷ lợi") == tokens("Ủy ban hòa giải, khỏe, thủy lợi")
    assert "hoặc" in tokens("hoặc")  # modifier vowels untouched
    assert "quý" in tokens("quý") and "quỳnh" in tokens("Quỳnh")  # qu + y keeps its tone


def test_heading_line_tokens_are_boosted(tmp_path):
    from assistant.lexical import HEADING_BOOST, document_tokens, heading_line

    assert heading_line("Điều 33. Sử dụng con dấu\n1. Dấu đóng phải rõ ràng.") == "Điều 33. Sử dụng con dấu"
    assert heading_line("Phạm vi điều chỉnh\n\nLuật này quy định ...") == "Phạm vi điều chỉnh"
    assert heading_line("Một câu văn thường kết thúc bằng dấu chấm.\nCâu sau.") == ""  # a sentence, not a heading
    assert heading_line("Điều 33. Sử dụng con dấu") == ""                             # one line: nothing to boost
    toks = document_tokens("Điều 33. Sử dụng con dấu\n1. Dấu đóng phải rõ ràng.")
    assert toks.count("con_dấu") == HEADING_BOOST and toks.count("rõ_ràng") == 1
    s = BM25Store(tmp_path / "bm25")
    s.add(["body", "head", "other"],
          ["Quy định chung\nQuản lý con dấu và sử dụng con dấu theo quy định của pháp luật.",
           "Quản lý con dấu\nCơ quan phân công người giữ và bảo quản theo quy định.",
           "Văn thư\nVăn bản đi, văn bản đến."])
    s.commit()
    assert s.search("quản lý con dấu", 2)[0][0] == "head"  # "body" wins without the boost


def test_idf_weighs_rare_terms_more_and_unknown_ones_most(tmp_path):
    s = _store(tmp_path / "bm25")
    rare, common, unknown = "đóng_dấu", "của", "từ_không_có_trong_kho"
    got = s.idf([rare, common, unknown])
    assert got[unknown] > got[rare] > got[common] > 0
    assert BM25Store(tmp_path / "empty").idf([rare]) == {}
