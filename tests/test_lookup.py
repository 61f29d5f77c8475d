"""A 'bao nhiêu' question answered from the figure records of its sources, without the model."""
from assistant.documents import Hit
from assistant.lookup import figure_answer
from assistant.units import unit_in
from assistant.verify import answer_findings


def src(text, unit, title="Báo cáo", period=None):
    meta = {"unit": unit, "unit_key": unit_in(unit).key, "date": "2026-02-22"}
    if period:
        meta["period"] = period
    return Hit(doc_id=text[:8], source="s.md", title=title, number="", page=1, section="", score=1.0, text=text,
               meta=meta)


BINH_THANH = src("1.9. Thủ tục hành chính\n+ Năm 2025:\nCông tác hộ tịch: Đăng ký kết hôn: 23 cặp; Chứng thực bản sao "
                 "từ bản chính: 1.707 việc.\n+ Quý I năm 2026:\nCông tác hộ tịch: Đăng ký kết hôn: 10 cặp; Chứng thực "
                 "bản sao từ bản chính: 198 việc.", "xã Bình Thành")
AN_HOA = src("Đăng ký kết hôn 58 cặp; hòa giải thành 19 vụ việc.", "xã An Hòa",
             title="Báo cáo công tác tư pháp 6 tháng cuối năm 2025")


def test_the_figure_of_the_period_asked_is_quoted_with_its_source():
    text = figure_answer("Quý I năm 2026 xã Bình Thành đăng ký kết hôn bao nhiêu cặp?", [BINH_THANH])
    assert text == "Quý I năm 2026, xã Bình Thành: Công tác hộ tịch: Đăng ký kết hôn: 10 cặp [1]."
    assert answer_findings(text, [BINH_THANH], period="Quý I năm 2026") == []
    assert "1.707 việc" in figure_answer("Năm 2025 xã Bình Thành chứng thực bản sao từ bản chính bao nhiêu việc?",
                                         [BINH_THANH])


def test_without_a_period_each_period_is_a_line_the_latest_first():
    text = figure_answer("Xã Bình Thành đăng ký kết hôn bao nhiêu cặp?", [BINH_THANH])
    assert text.splitlines() == ["- Quý I năm 2026, xã Bình Thành: Công tác hộ tịch: Đăng ký kết hôn: 10 cặp [1].",
                                 "- Năm 2025, xã Bình Thành: Công tác hộ tịch: Đăng ký kết hôn: 23 cặp [1]."]


def test_a_reports_own_period_dates_a_figure_that_states_none():
    assert figure_answer("Xã An Hòa hòa giải thành bao nhiêu vụ việc?", [AN_HOA]) == \
        "6 tháng cuối năm 2025, xã An Hòa: Hòa giải thành 19 vụ việc [1]."


def test_the_model_answers_when_the_records_do_not_single_one_figure_out():
    # no record of the thing asked, two communes, another counted unit, no quantity asked
    assert figure_answer("Xã Bình Thành đăng ký khai tử bao nhiêu trường hợp?", [BINH_THANH]) is None
    assert figure_answer("Đăng ký kết hôn bao nhiêu cặp?", [BINH_THANH, AN_HOA]) is None
    assert figure_answer("Xã Bình Thành đăng ký kết hôn bao nhiêu trường hợp?", [BINH_THANH]) is None
    assert figure_answer("Xã Bình Thành đăng ký kết hôn thế nào?", [BINH_THANH]) is None


def test_a_legal_texts_numbers_are_not_a_units_figures():
    law = Hit(doc_id="l", source="nd.md", title="Nghị định", number="120/2025/NĐ-CP", page=1, section="", score=1.0,
              text="Đăng ký kết hôn: 05 cặp.", meta={})
    assert figure_answer("Đăng ký kết hôn bao nhiêu cặp?", [law]) is None


def test_the_thing_reported_for_other_periods_only_is_said_so_with_those_figures():
    text = figure_answer("Quý I năm 2026 xã An Hòa hòa giải thành bao nhiêu vụ việc?", [AN_HOA])
    assert text.startswith("Không có số liệu của kỳ quý I năm 2026 trong báo cáo của xã An Hòa đã nạp.")
    assert "6 tháng cuối năm 2025, xã An Hòa: Hòa giải thành 19 vụ việc [1]." in text


def test_the_label_saying_just_what_is_asked_wins_over_longer_ones():
    hit = src("+ Quý I năm 2026:\nĐăng ký kết hôn: 10 cặp; Thủ tục đăng ký lại kết hôn: 03 cặp.", "xã Bình Thành")
    assert "10 cặp" in figure_answer("Quý I năm 2026 xã Bình Thành đăng ký kết hôn bao nhiêu cặp?", [hit])


def test_a_figure_none_of_the_units_passages_speaks_of_is_not_found():
    unit = unit_in("xã Bình Thành")
    q = "Xã Bình Thành đăng ký nuôi con nuôi bao nhiêu trường hợp?"
    assert figure_answer(q, [BINH_THANH], unit, searched=[BINH_THANH]) == \
        "Không tìm thấy số liệu này trong báo cáo của xã Bình Thành đã nạp."
    # the words are in a passage of the unit (the records may have missed the figure): the model answers
    talks = src("Đăng ký nuôi con nuôi trong nước được thực hiện đúng quy định.", "xã Bình Thành")
    assert figure_answer(q, [BINH_THANH], unit, searched=[BINH_THANH, talks]) is None
    assert figure_answer(q, [BINH_THANH], None, searched=[BINH_THANH]) is None  # whose reports: unknown


def test_words_of_the_thing_asked_are_kept_and_a_one_word_topic_is_too_vague():
    hit = src("+ Năm 2025:\nChứng thực hợp đồng giao dịch: 258 việc; Chứng thực bản sao từ bản chính: 1.707 việc.",
              "xã Bình Thành")
    assert "1.707 việc" in figure_answer("Năm 2025 xã Bình Thành chứng thực bản sao từ bản chính bao nhiêu việc?", [hit])
    assert figure_answer("Năm 2025 xã Bình Thành chứng bao nhiêu việc?", [hit]) is None


def test_what_is_counted_may_be_the_thing_not_its_unit():
    hit = src("+ Năm 2025:\nCấp bản sao trích lục hộ tịch: 312 trường hợp.", "xã Tân Phong")
    assert "312 trường hợp" in figure_answer("Năm 2025 xã Tân Phong cấp bao nhiêu bản sao trích lục hộ tịch?", [hit])


def test_a_question_naming_only_a_unit_of_several_words_takes_the_figure_counted_in_it():
    """"Có bao nhiêu tổ hòa giải?": the thing counted is the unit itself, read whole (not "tổ hòa")."""
    phu_loc = src("Ủy ban nhân dân xã công nhận 26 tổ hòa giải với 168 hòa giải viên. Xã được tổ chức thành 26 thôn.",
                  "xã Phú Lộc", period="6 tháng cuối năm 2025")
    assert figure_answer("Xã Phú Lộc có bao nhiêu tổ hòa giải?", [phu_loc]) == \
        "6 tháng cuối năm 2025, xã Phú Lộc: Ủy ban nhân dân xã công nhận 26 tổ hòa giải với 168 hòa giải viên [1]."
    assert figure_answer("Xã Phú Lộc có bao nhiêu đội công nghệ số?", [phu_loc]) is None
