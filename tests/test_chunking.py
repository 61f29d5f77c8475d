"""Structure-aware chunking: the seed report, a real decree, PDFs' pages, and properties (hypothesis)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.chunking import chunk_document, detect_structure
from assistant.documents import Document, Page
from assistant.loaders import load

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_7ab1da7fbf2690b4.txt"
ND120 = SHARED / "data" / "decrees" / "nd-120-2025-nd-cp-phan-dinh-tham-quyen-tu-phap.md"
ND30 = SHARED / "data" / "decrees" / "nd-30-2020-nd-cp-cong-tac-van-thu.md"


def _need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"shared sample not found: {path}")
    return path


def _body(c) -> str:
    return c.text[c.meta["body_offset"]:]


def _ns(s: str) -> str:
    """Non-whitespace characters (Markdown heading markers aside)."""
    return re.sub(r"[\s#*]", "", s)


def _doc(*pages: str) -> Document:
    return Document(source="x.txt", sha256="0", format="txt",
                    pages=[Page(i + 1, t) for i, t in enumerate(pages)])


def _check_invariants(chunks, max_chars):
    assert chunks
    for c in chunks:
        assert c.text and c.text == c.text.strip()
        body = _body(c)
        assert body and body == body.strip()
        assert len(body) <= max_chars, (len(body), c.section)
        assert c.text.endswith(body)


# ---------------------------------------------------------------- seed report


def test_seed_report_sections_limits_coverage():
    doc = load(_need(SEED))
    assert detect_structure(doc.text) == "report"
    chunks = chunk_document(doc, max_chars=1200)
    _check_invariants(chunks, 1200)
    sections = {c.section for c in chunks}
    assert {"I > 1", "I > 3", "II > 1 > 1.3", "II > 1 > 1.14", "II > 2 > 2.2", "III", "V > 3"} <= sections
    # the text loses nothing
    assert _ns("".join(_body(c) for c in chunks)) == _ns(doc.text)
    # the titled path is prefixed for the embedder
    c13 = [c for c in chunks if c.section == "II > 1 > 1.3"]
    assert c13[0].text.startswith("II. KẾT QUẢ SAU 01 NĂM VẬN HÀNH > 1. Kết quả thực hiện\n1.3. Phân quyền")
    assert all(c.text.startswith("II. KẾT QUẢ") for c in c13)
    assert all(c.page == 1 for c in chunks)
    # the signature block is its own piece, not part of the last section
    assert chunks[-1].section == "Nơi nhận" and "V > 3" in sections


def test_seed_page_break_inside_sentence_is_joined():
    doc = load(_need(SEED))
    chunks = chunk_document(doc)
    # "...mô hình chính\n\nquyền 02 cấp..." is one sentence broken by a page break in the source
    assert "\n\nquyền 02 cấp đến cán bộ" in doc.text
    assert any("mô hình chính quyền 02 cấp đến cán bộ" in c.text for c in chunks)


@pytest.mark.parametrize("max_chars", [150, 400, 800])
def test_seed_report_small_limits(max_chars):
    doc = load(_need(SEED))
    chunks = chunk_document(doc, max_chars=max_chars)
    _check_invariants(chunks, max_chars)
    assert _ns("".join(_body(c) for c in chunks)) == _ns(doc.text)
    # no chunk boundary inside a citation such as "Nghị định số 120/2025/NĐ-CP"
    for c in chunks:
        assert not re.search(r"\d+/\d{4}/[A-ZĐ]*$", _body(c)[-12:]) or _body(c).endswith(("CP", "QH15"))


# ---------------------------------------------------------------- decree


def test_decree_one_chunk_per_dieu_or_khoan():
    doc = load(_need(ND120))
    assert detect_structure(doc.text) == "legal"
    chunks = chunk_document(doc, max_chars=1200)
    _check_invariants(chunks, 1200)
    dieu_chunks = [c for c in chunks if "dieu" in c.meta]
    numbers = sorted({int(c.meta["dieu"]) for c in dieu_chunks})
    assert numbers == list(range(1, 25))
    headings = dict(re.findall(r"^### (Điều (\d+)\. .*)$", doc.text, re.MULTILINE)[i][::-1] for i in range(24))
    for c in dieu_chunks:
        heading = headings[c.meta["dieu"]]
        assert c.text.startswith(heading[:60]), (c.section, c.text[:80])
        assert c.section.endswith(f"Điều {c.meta['dieu']}") or c.section.endswith(f"Khoản {c.meta.get('khoan')}")
    # Điều 7 (Chương II) is whole; Điều 2 is split by khoản with the heading repeated
    d7 = [c for c in dieu_chunks if c.meta["dieu"] == "7"]
    assert len(d7) == 1 and d7[0].section == "Chương II > Điều 7" and d7[0].meta["chuong"] == "II"
    assert d7[0].meta["muc"] == "1"
    d24 = [c for c in dieu_chunks if c.meta["dieu"] == "24"]
    assert len(d24) > 1
    assert [c.meta["khoan"] for c in d24] == [str(i) for i in range(1, len(d24) + 1)]
    assert d24[1].section == "Chương V > Điều 24 > Khoản 2"
    assert all(c.text.startswith("Điều 24. Điều khoản chuyển tiếp\n") for c in d24)
    # preamble and appendix are chunked too
    assert chunks[0].section == "Phần mở đầu" and "Căn cứ Luật Tổ chức Chính phủ" in "".join(
        c.text for c in chunks if c.section == "Phần mở đầu")
    assert any(c.section.startswith("Phụ lục > III") for c in chunks)


def test_decree_every_line_is_in_a_chunk():
    doc = load(_need(ND120))
    chunks = chunk_document(doc, max_chars=600)
    _check_invariants(chunks, 600)
    bodies = _ns("".join(_body(c) for c in chunks))
    # everything but Chương/Mục heading lines (they live in section/meta) is carried, in order
    kept = [ln for ln in doc.text.split("\n") if not re.match(r"^#+ (Chương|Mục) ", ln)]
    assert _ns("".join(kept)) == bodies


def test_decree_titles_on_separate_lines():
    doc = load(_need(ND30))
    chunks = chunk_document(doc)
    _check_invariants(chunks, 1200)
    d7 = next(c for c in chunks if c.meta.get("dieu") == "7")
    assert d7.meta["chuong"] == "II" and d7.meta["chuong_title"] == "SOẠN THẢO, KÝ BAN HÀNH VĂN BẢN HÀNH CHÍNH"
    assert d7.meta["muc"] == "1" and d7.section == "Chương II > Điều 7"
    assert {c.meta.get("phu_luc") for c in chunks} >= {"I", "II", "III"}
    assert {int(c.meta["dieu"]) for c in chunks if "dieu" in c.meta} == set(range(1, 39))


# ---------------------------------------------------------------- pages, tables, plain


def test_pdf_pages_sentence_across_page_break():
    doc = _doc("I. KẾT QUẢ\n1. Hộ tịch\nĐăng ký khai sinh 120 trường hợp, khai tử 35 trường hợp, đạt tỷ lệ",
               "98,5% so với kế hoạch năm.\n2. Chứng thực\nChứng thực 1.250 bản sao.",
               "II. KIẾN NGHỊ\nĐề nghị cấp tỉnh bố trí biên chế.")
    chunks = chunk_document(doc, max_chars=1200)
    by = {c.section: c for c in chunks}
    assert "đạt tỷ lệ 98,5% so với kế hoạch năm." in by["I > 1"].text
    assert by["I > 1"].page == 1 and by["I > 2"].page == 2 and by["II"].page == 3
    small = chunk_document(doc, max_chars=60)
    _check_invariants(small, 60)
    starts = [c for c in small if _body(c).startswith("98,5%")]
    assert not starts  # the figure stays with its sentence (split before, not inside)


def test_table_kept_whole_when_it_fits():
    table = "\n".join(f"Xã {i} | {100 + i} hồ sơ | {90 + i % 10}%" for i in range(8))
    doc = _doc("1. Số liệu\nBảng tổng hợp:\n" + table + "\n2. Đánh giá\nĐạt yêu cầu.")
    chunks = chunk_document(doc, max_chars=400)
    assert any(table in c.text for c in chunks)
    tiny = chunk_document(doc, max_chars=80)
    _check_invariants(tiny, 80)
    for c in tiny:  # split only between rows
        for line in _body(c).split("\n"):
            if "|" in line:
                assert re.fullmatch(r"Xã \d \| \d+ hồ sơ \| \d+%", line)


def test_plain_paragraph_packing():
    paras = [f"Đoạn {i}: Ủy ban nhân dân xã tổ chức hội nghị lần thứ {i}." for i in range(30)]
    doc = _doc("\n\n".join(paras))
    assert detect_structure(doc.text) == "plain"
    chunks = chunk_document(doc, max_chars=300)
    _check_invariants(chunks, 300)
    for c in chunks:
        assert c.section == "" and c.meta["body_offset"] == 0
        for line in c.text.split("\n"):
            assert line in paras  # whole paragraphs, never cut
    assert len(chunks) == -(-sum(len(p) + 1 for p in paras) // 300) or len(chunks) <= len(paras)


def test_long_sentence_cut_at_space_not_inside_citation():
    sent = ("Thực hiện " + ", ".join(["Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ"] * 12)) + "."
    chunks = chunk_document(_doc(sent), max_chars=130)
    _check_invariants(chunks, 130)
    for c in chunks:
        assert "120/2025/NĐ-CP" in c.text
        assert not re.search(r"(Nghị|định|số|120/2025/NĐ-CP|ngày)$", _body(c))


def test_detect_structure():
    assert detect_structure("Điều 1. A\nx\nĐiều 2. B\ny") == "legal"
    assert detect_structure("I. A\n1. x\n1.1. y\nII. B") == "report"
    assert detect_structure("Một đoạn văn.\n\nĐoạn khác.") == "plain"


# ---------------------------------------------------------------- properties

_WORDS = ["Ủy", "ban", "nhân", "dân", "xã", "Bình", "Thành", "báo", "cáo", "kết", "quả", "hồ", "sơ", "đạt", "98,5%",
          "120/2025/NĐ-CP", "ngày", "11/6/2025", "khoản", "2", "Điều", "7", "đăng", "ký", "hộ", "tịch", "người",
          "UBND", "HĐND", "(*sau", "đây*)", "“trích”", "v.v.", "TP.", "1.250", "-", "+"]
_word = st.one_of(st.sampled_from(_WORDS),
                  st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ"
                                   "ùúủũụừứửữựỳýỷỹỵABCĐ0123456789/-.,;:()%", min_size=1, max_size=40))
_sentence = st.builds(lambda ws, end: " ".join(ws) + end, st.lists(_word, min_size=1, max_size=40),
                      st.sampled_from([".", ";", ":", "", "!", "?", "…"]))
_line = st.one_of(
    _sentence,
    st.builds(lambda n, s: f"{n}. {s}", st.sampled_from(["I", "II", "III", "IV", "1", "2", "1.1", "1.2", "2.3.1"]),
              _sentence),
    st.builds(lambda b, s: f"{b} {s}", st.sampled_from(["-", "+", "a)", "b)", "đ)"]), _sentence),
    st.builds(lambda n, s: f"Điều {n}. {s}", st.integers(1, 40), _sentence),
    st.builds(lambda cells: " | ".join(cells), st.lists(_word, min_size=2, max_size=5)),
    st.just(""),
)
_page = st.builds("\n".join, st.lists(_line, min_size=1, max_size=25))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages=st.lists(_page, min_size=1, max_size=3), max_chars=st.integers(min_value=20, max_value=700))
def test_property_never_loses_text_never_exceeds_limit(pages, max_chars):
    doc = _doc(*pages)
    if not doc.text.strip():
        return
    chunks = chunk_document(doc, max_chars=max_chars)
    for c in chunks:
        body = _body(c)
        assert body and body == body.strip() and len(body) <= max_chars
        assert c.page in {p.number for p in doc.pages}
    assert _ns("".join(_body(c) for c in chunks)) == _ns(doc.text)
    pages_seen = [c.page for c in chunks]
    assert pages_seen == sorted(pages_seen)


def test_real_pdf_pages_and_sections(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import makefiles as mk

    font = mk.dejavu_font()
    if font is None:
        pytest.skip("DejaVuSans.ttf not found (apt-get install fonts-dejavu-core)")
    pages = mk.report_pages(4)
    pages[1] = "II. KIẾN NGHỊ\n" + pages[1]
    pdf = mk.make_text_pdf(tmp_path / "bc.pdf", pages, font)
    chunks = chunk_document(load(pdf), max_chars=500)
    _check_invariants(chunks, 500)
    assert {c.page for c in chunks} == {1, 2, 3, 4}
    assert any(c.section == "II > 1.2" and c.page == 2 for c in chunks)
    assert any("Nghị định số 120/2025/NĐ-CP ngày 11/6/2025" in c.text for c in chunks)


def test_docx_report_title_stays_out_of_paths(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import makefiles as mk

    p = mk.make_docx(tmp_path / "bc.docx", [
        ("title", "BÁO CÁO TỔNG KẾT NĂM 2025"),
        ("h1", "I. KẾT QUẢ"), ("h2", "1. Hộ tịch"), ("p", "Đăng ký khai sinh 120 trường hợp."),
        ("table", [["Chỉ tiêu", "Kết quả"], ["Khai sinh", "120"]]),
        ("h2", "2. Chứng thực"), ("p", "Chứng thực 1.250 bản sao."),
        ("h1", "II. KIẾN NGHỊ"), ("p", "Đề nghị bố trí biên chế."),
    ])
    chunks = chunk_document(load(p))
    assert [c.section for c in chunks] == ["I > 1", "I > 2", "II"]
    assert chunks[0].text.startswith("BÁO CÁO TỔNG KẾT NĂM 2025\nI. KẾT QUẢ\n1. Hộ tịch")
    assert "Chỉ tiêu | Kết quả\nKhai sinh | 120" in chunks[0].text
    assert chunks[1].text.startswith("I. KẾT QUẢ\n2. Chứng thực")


def test_a_list_cut_between_chunks_keeps_its_lead_in_line():
    """'+ Quý I năm 2026:' heads the figures under it; a chunk starting mid-list repeats it."""
    from assistant.chunking import chunk_document
    from assistant.documents import Document, Page

    items = "\n".join(f"Việc loại {i}: {i * 3} trường hợp;" for i in range(1, 60))
    text = ("I. KẾT QUẢ\n1. Thủ tục hành chính\n+ Quý I năm 2026:\n" + items
            + "\nII. KHÓ KHĂN, VƯỚNG MẮC\n1. Thiếu biên chế công chức tư pháp - hộ tịch.")
    chunks = chunk_document(Document(source="bc.txt", sha256="0", format="txt", pages=[Page(1, text)]), max_chars=400)
    listed = [c for c in chunks if "Việc loại" in c.text]
    assert len(listed) > 2
    for c in listed:
        assert "+ Quý I năm 2026:" in c.text, c.text[:120]
        body = c.text[c.meta["body_offset"]:]
        assert body.strip() and body.strip() in text
