"""Packing retrieved sources into the prompt budget: the sentences that answer, verbatim, in order."""
import random

import pytest

from assistant.documents import Hit
from assistant.packing import GAP, format_sources, pack
from assistant.packing import _units as units

FILLER = ("Văn phòng HĐND và UBND xã tiếp tục theo dõi, đôn đốc các bộ phận thực hiện nhiệm vụ được giao. "
          "Công chức các bộ phận phối hợp chặt chẽ trong quá trình triển khai. ")
REPORT = ("II. KẾT QUẢ THỰC HIỆN > 1.9. Thủ tục hành chính\n"
          + FILLER * 3
          + "\nCông tác chứng thực: Chứng thực bản sao từ bản chính: 1.707 việc; chứng thực chữ ký: 159 việc.\n"
          + FILLER * 2)
DECREE = ("Điều 7. Trách nhiệm của Ủy ban nhân dân cấp xã\n"
          "Ủy ban nhân dân cấp xã thực hiện quản lý nhà nước về hộ tịch tại địa phương. "
          "Cập nhật Cơ sở dữ liệu hộ tịch điện tử.")
WEATHER = "Thời tiết\nTrời nắng nóng kéo dài trong tháng. Nhiệt độ cao nhất 38 độ."


def hit(doc_id, text, title="Báo cáo sơ kết", number="45/BC-UBND", section="II > 1.9"):
    return Hit(doc_id=doc_id, source=f"{doc_id}.md", title=title, number=number, page=1, section=section,
               score=1.0, text=text)


def pieces(excerpt: str) -> list[str]:
    return [p.strip() for p in excerpt.split(GAP) if p.strip()]


def test_the_sentence_that_answers_is_kept_and_filler_left_out():
    packed = pack([hit("bc", REPORT)], "Xã đã chứng thực bao nhiêu việc?", budget=500)
    excerpt = packed[0].meta["excerpt"]
    assert "1.707 việc" in excerpt and "159 việc" in excerpt
    assert excerpt.count("đôn đốc") < REPORT.count("đôn đốc") and "…" not in excerpt
    assert packed[0].text == REPORT, "the whole chunk stays on the hit for the sources panel and checks"


def test_excerpts_are_verbatim_sentences_in_document_order():
    packed = pack([hit("bc", REPORT), hit("nd", DECREE, "Nghị định", "120/2025/NĐ-CP", "Điều 7")],
                  "chứng thực hộ tịch cấp xã", budget=700)
    for h in packed:
        at = -1
        for p in pieces(h.meta["excerpt"]):
            found = h.text.find(p, at + 1)
            assert found > at, f"{p!r} is not a later verbatim piece of the chunk"
            at = found


def test_sources_sharing_no_words_come_last_and_markers_match_what_the_model_sees():
    hits = [hit("bc", REPORT), hit("tt", WEATHER, "Tin thời tiết", "", ""),
            hit("nd", DECREE, "Nghị định", "120/2025/NĐ-CP", "Điều 7")]
    packed = pack(hits, "chứng thực và hộ tịch của Ủy ban nhân dân cấp xã", budget=600)
    assert [h.doc_id for h in packed] == ["bc", "nd"]
    text = format_sources(packed)
    assert "<<<NGUỒN 2>>> (120/2025/NĐ-CP — Nghị định" in text and "NGUỒN 3" not in text


@pytest.mark.parametrize("seed", range(20))
def test_the_whole_prompt_part_stays_within_the_budget(seed):
    rnd = random.Random(seed)
    words = (REPORT + " " + DECREE + " " + WEATHER).split()
    hits = []
    for i in range(rnd.randint(1, 8)):
        text = "\n".join(" ".join(rnd.choices(words, k=rnd.randint(5, 60))) + "." for _ in range(rnd.randint(1, 12)))
        hits.append(hit(f"d{rnd.randint(0, 3)}", text, "Tiêu đề " * rnd.randint(0, 20), rnd.choice(["", "12/KH-UBND"])))
    budget = rnd.randint(600, 3000)
    query = " ".join(rnd.choices(words, k=8))
    packed = pack(hits, query, budget)
    assert packed, "at least the best sentence is always given"
    assert len(format_sources(packed)) <= budget


def test_no_budget_means_whole_chunks():
    hits = [hit("bc", REPORT), hit("tt", WEATHER)]
    assert pack(hits, "chứng thực", budget=0) == hits
    assert REPORT[:500] in format_sources(hits)


def test_outline_numbers_do_not_end_sentences_and_lead_ins_stay_with_their_line():
    text = "III. KIẾN NGHỊ, ĐỀ XUẤT\n1. Đề nghị bổ sung biên chế. 2. Đề nghị tập huấn.\n+ Năm 2025:\nKhai sinh 236 việc."
    got = [u.text for u in units(text, 0)]
    assert got == ["III. KIẾN NGHỊ, ĐỀ XUẤT", "1. Đề nghị bổ sung biên chế.", "2. Đề nghị tập huấn.",
                   "+ Năm 2025:\nKhai sinh 236 việc."]


def test_a_long_list_of_figures_is_split_at_semicolons():
    row = "Công tác hộ tịch: " + "; ".join(f"Việc loại {i}: {i * 7} trường hợp" for i in range(1, 30)) + "."
    got = units(row, 0)
    assert len(got) > 5 and all(row[u.start:u.end] == u.text for u in got)


def test_the_same_document_again_is_named_briefly():
    hits = [hit("bc", REPORT, "Sơ kết 01 năm thực hiện sắp xếp đơn vị hành chính các cấp"),
            hit("bc", DECREE, "Sơ kết 01 năm thực hiện sắp xếp đơn vị hành chính các cấp")]
    text = format_sources(hits)
    assert text.count("Sơ kết 01 năm") == 1 and "cùng văn bản với nguồn 1" in text


def test_room_left_is_filled_with_the_openings_of_chunks_found_by_meaning():
    hits = [hit("bc", REPORT), hit("nd", DECREE, "Nghị định", "120/2025/NĐ-CP", "Điều 7")]
    packed = pack(hits, "Soạn mục 1.3", budget=2000)  # no word of the request is in either chunk
    assert [h.doc_id for h in packed] == ["bc", "nd"]
    assert "Ủy ban nhân dân cấp xã thực hiện quản lý nhà nước về hộ tịch" in packed[1].meta["excerpt"]


def test_a_how_many_question_prefers_the_sentence_with_a_quantity():
    text = ("Văn phòng HĐND và UBND xã Bình Thành ban hành quy chế làm việc của Văn phòng.\n"
            "Văn phòng có tổng số: 08 người.\n"
            "Văn phòng HĐND và UBND xã Bình Thành phân công nhiệm vụ cho từng công chức của Văn phòng.")
    idf = {"văn": 0.4, "phòng": 2.0, "hđnd": 2.5, "và": 0.4, "ubnd": 2.3, "xã": 1.1, "người": 1.0}  # as measured
    packed = pack([hit("bc", text)], "Văn phòng HĐND và UBND xã có bao nhiêu người?", budget=260, idf=idf)
    assert "08 người" in packed[0].meta["excerpt"]


def test_a_figure_keeps_the_lead_in_line_that_says_its_period():
    text = ("1.9. Thủ tục hành chính\n+ Năm 2025:\nCông tác hộ tịch: khai sinh 90 trường hợp;\n"
            + "Công tác chứng thực: chứng thực bản sao 1.707 việc;\n" + FILLER * 2
            + "\n+ Quý I năm 2026:\nCông tác hộ tịch: khai sinh 12 trường hợp;\n"
            + "Công tác chứng thực: chứng thực bản sao 198 việc;\n")
    packed = pack([hit("bc", text)], "Quý I năm 2026 chứng thực bản sao bao nhiêu việc?", budget=420)
    excerpt = packed[0].meta["excerpt"]
    assert "198 việc" in excerpt
    lead, figure = excerpt.find("+ Quý I năm 2026:"), excerpt.find("198 việc")
    assert 0 <= lead < figure, "the period line comes with the figure"
    assert excerpt.count("+ Quý I năm 2026:") == 1


def test_a_question_about_one_period_gets_that_periods_figures():
    text = ("1.9. Thủ tục hành chính\n+ Năm 2025:\nĐăng ký kết hôn: 23 cặp; Cấp bản sao trích lục hộ tịch: 153 trường hợp.\n"
            "+ Quý I năm 2026:\nĐăng ký kết hôn: 10 cặp; Cấp bản sao trích lục hộ tịch: 33 trường hợp.")
    packed = pack([hit("bc", text)], "Quý I năm 2026 xã đăng ký kết hôn bao nhiêu cặp?", budget=1400)
    excerpt = packed[0].meta["excerpt"]
    assert "10 cặp" in excerpt and "23 cặp" not in excerpt


def test_a_number_ending_a_sentence_inside_a_line_ends_it():
    from assistant.text import sentences
    text = "Xã đạt chuẩn xóa mù chữ mức độ 2. Trung tâm học tập cộng đồng tổ chức 09 chuyên đề."
    assert sentences(text) == ["Xã đạt chuẩn xóa mù chữ mức độ 2.", "Trung tâm học tập cộng đồng tổ chức 09 chuyên đề."]
