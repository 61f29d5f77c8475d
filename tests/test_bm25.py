"""The persistent BM25 store (real bm25s indexes on a tmp dir), and its scores against bm25s's own index()."""
from __future__ import annotations

import json
import math
import random

import bm25s
import numpy as np
import pytest

from assistant.analyser import document_tokens, folded_tokens, tokens
from assistant.bm25 import BM25Store
from assistant.text import fold

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


# ---- equivalence with bm25s.BM25.index() ------------------------------------------------------------

# Headings and sentences of the kind the product indexes; the corpus below recombines them into
# 36 chunks of different lengths, some with a heading line, many with repeated terms.
HEADINGS = [
    "Điều 7. Trách nhiệm của Ủy ban nhân dân cấp xã", "1.8. Văn thư, lưu trữ, số hóa",
    "Điều 26. Giá trị pháp lý của bản sao", "II. Phương hướng, nhiệm vụ quý III", "Điều 33. Sử dụng con dấu",
]
SENTENCES = [
    "Ủy ban nhân dân cấp xã thực hiện quản lý nhà nước về hộ tịch tại địa phương.",
    "Khi đóng dấu lên chữ ký, dấu đóng phải trùm lên khoảng 1/3 chữ ký về phía bên trái.",
    "Bản sao y, bản sao lục và bản trích sao có giá trị pháp lý như bản chính.",
    "Thực hiện theo Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ trong lĩnh vực tư pháp.",
    "Chứng thực bản sao từ bản chính: 1.707 việc; hộ tịch: 90 trường hợp.",
    "Tiếp công dân, giải quyết khiếu nại, tố cáo ở cấp xã theo Nghị định 141/2025/NĐ - CP.",
    "Công tác hoà giải ở cơ sở tiếp tục được duy trì; toàn xã có 12 tổ hòa giải.",
    "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn đạt 98,5%.",
    "Văn bản đi, văn bản đến được số hóa và lưu trữ trên hệ thống quản lý văn bản.",
    "Đăng ký khai sinh 215 trường hợp, khai tử 64 trường hợp, kết hôn 58 cặp.",
]
QUERIES = [
    "quản lý nhà nước về hộ tịch", "đóng dấu lên chữ ký", "bản sao có giá trị pháp lý như bản chính",
    "Nghị định 120/2025/NĐ-CP", "hòa giải ở cơ sở", "số hóa văn bản đến", "khai sinh khai tử bao nhiêu trường hợp",
    "thủ tục hành chính đúng hạn", "hộ tịch hộ tịch cấp xã",  # a repeated query term counts once
]


def _corpus(n: int = 36, seed: int = 7) -> dict[str, str]:
    r = random.Random(seed)
    docs = {}
    for i in range(n):
        body = " ".join(r.choice(SENTENCES) for _ in range(r.randint(1, 6)))  # repeats give tf > 1
        head = r.choice(HEADINGS) + "\n" if i % 3 else ""
        docs[f"c{i:02d}"] = head + body
    return docs


def _reference(docs: dict[str, str], folded: bool, heading_boost: int | None = None):
    """bm25s's own index() over the store's tokens, with the store's parameters."""
    toks = [document_tokens(t) if heading_boost is None else document_tokens(t, heading_boost) for t in docs.values()]
    if folded:
        toks = [[fold(t) for t in ts] for ts in toks]
    ref = bm25s.BM25(k1=BM25Store.K1, b=BM25Store.B, method="lucene")
    ref.index(toks, show_progress=False)
    return ref


def _assert_same_scores(store: BM25Store, docs: dict[str, str], folded: bool, heading_boost: int | None = None):
    ref = _reference(docs, folded, heading_boost)
    ids = list(docs)
    compared = 0
    for q in QUERIES + [fold(q) for q in QUERIES]:
        qtoks = list(dict.fromkeys(folded_tokens(q) if folded else tokens(q)))
        known = [t for t in qtoks if t in ref.vocab_dict]
        want = ref.get_scores(known) if known else np.zeros(len(ids), np.float32)
        got = dict(store.search(q, len(ids), folded=folded))
        assert set(got) == {ids[i] for i in np.flatnonzero(want > 0)}, q
        for i, doc in enumerate(ids):
            if doc in got:
                assert got[doc] == pytest.approx(float(want[i]), rel=1e-5, abs=1e-6), (q, doc)
                compared += 1
    assert compared > 100  # the queries do reach most of the corpus


@pytest.mark.parametrize("folded", [False, True], ids=["accented", "folded"])
def test_scores_equal_bm25s_index(tmp_path, folded):
    docs = _corpus()
    store = BM25Store(tmp_path / "bm25")
    store.add(list(docs), list(docs.values()))
    store.commit()
    _assert_same_scores(store, docs, folded)
    _assert_same_scores(BM25Store(tmp_path / "bm25"), docs, folded)  # reloaded (mmap) from disk


def test_scores_equal_bm25s_index_after_replace_and_remove(tmp_path):
    """The incremental path (kept rows + new rows, vocabulary pruned) scores like a fresh index()."""
    docs = _corpus()
    store = BM25Store(tmp_path / "bm25")
    store.add(list(docs), list(docs.values()))
    store.commit()
    gone = ["c03", "c10", "c11", "c29"]
    store.remove(gone)
    changed = {"c05": "Điều 5. Nội dung mới\nLưu trữ hồ sơ điện tử tại văn phòng xã.", "c40": SENTENCES[0]}
    store.add(list(changed), list(changed.values()))
    store.commit()
    now = {d: t for d, t in docs.items() if d not in gone and d not in changed} | changed
    for folded in (False, True):
        _assert_same_scores(BM25Store(tmp_path / "bm25"), now, folded)


def test_heading_boost_setting_scores_equal_bm25s_index(tmp_path):
    docs = _corpus(seed=11)
    store = BM25Store(tmp_path / "bm25", heading_boost=1)
    store.add(list(docs), list(docs.values()))
    store.commit()
    _assert_same_scores(store, docs, False, heading_boost=1)


def test_idf_is_lucene_idf_of_the_document_frequency(tmp_path):
    docs = _corpus()
    store = BM25Store(tmp_path / "bm25")
    store.add(list(docs), list(docs.values()))
    store.commit()
    sets = [set(document_tokens(t)) for t in docs.values()]
    terms = ["hộ_tịch", "của", "120/2025/nđ-cp", "không_có"]
    got = store.idf(terms)
    for t in terms:
        df = sum(t in s for s in sets)
        assert got[t] == pytest.approx(math.log(1 + (len(docs) - df + 0.5) / (df + 0.5)))


# ---- the store ----------------------------------------------------------------------------------------

def test_store_round_trip_and_reload(tmp_path):
    s = _store(tmp_path / "bm25")
    assert len(s) == len(DOCS) and s.ids() == set(DOCS)
    assert s.search("đóng dấu lên chữ ký", 3)[0][0] == "nd30-d33"
    again = BM25Store(tmp_path / "bm25")
    assert again.ids() == set(DOCS)
    assert again.vocabulary_size() == len({t for text in DOCS.values() for t in document_tokens(text)})
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


def test_another_store_on_the_same_directory_follows_its_commits(tmp_path):
    reader = _store(tmp_path / "bm25")
    writer = BM25Store(tmp_path / "bm25")
    writer.add(["new"], ["Chuyển đổi số tại văn phòng xã"])
    writer.commit()
    assert reader.search("chuyển đổi số", 1)[0][0] == "new"


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


def test_heading_line_tokens_are_boosted(tmp_path):
    texts = {"body": "Quy định chung\nQuản lý con dấu và sử dụng con dấu theo quy định của pháp luật.",
             "head": "Quản lý con dấu\nCơ quan phân công người giữ và bảo quản theo quy định.",
             "other": "Văn thư\nVăn bản đi, văn bản đến."}
    ranked = {}
    for boost in (1, 2):
        s = BM25Store(tmp_path / f"boost{boost}", heading_boost=boost)
        s.add(list(texts), list(texts.values()))
        s.commit()
        ranked[boost] = s.search("quản lý con dấu", 2)[0][0]
    assert ranked == {1: "body", 2: "head"}


def test_idf_weighs_rare_terms_more_and_unknown_ones_most(tmp_path):
    s = _store(tmp_path / "bm25")
    rare, common, unknown = "đóng_dấu", "của", "từ_không_có_trong_kho"
    got = s.idf([rare, common, unknown])
    assert got[unknown] > got[rare] > got[common] > 0
    assert BM25Store(tmp_path / "empty").idf([rare]) == {}
