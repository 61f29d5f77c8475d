"""Figures as records: value, what it counts, its unit and its period."""
import pytest

from assistant.figures import extract_figures, period_interval, periods_compatible

SECTION = """1.9. Thủ tục hành chính

- Công tác hộ tịch - Chứng thực:

+ Năm 2025:

Công tác hộ tịch: Đăng ký khai sinh, cấp thẻ bảo hiểm y tế cho trẻ dưới 06 tuổi: 90 trường hợp; Cấp bản sao trích lục hộ tịch: 153 trường hợp; Đăng ký kết hôn: 23 cặp.

+ Quý I năm 2026:

Công tác hộ tịch: Cấp bản sao trích lục hộ tịch: 33 trường hợp; Đăng ký kết hôn: 10 cặp.

1.12. Tiếp công dân

Năm 2025 (từ 01/7/2025 đến 14/12/2025): Tổng số lượt tiếp công dân: 02 lượt/02 người; Tiếp định kỳ: 26 kỳ.
"""


def records():
    return {(r.value, r.unit): r for r in extract_figures(SECTION)}


def test_labels_are_read_from_their_own_clause():
    rs = records()
    assert rs[("153", "trường hợp")].label == "Cấp bản sao trích lục hộ tịch"
    assert rs[("23", "cặp")].label == "Đăng ký kết hôn"


def test_a_number_inside_a_label_is_not_a_figure():
    rs = records()
    assert ("06", "tuổi") not in rs and ("06", None) not in rs
    assert rs[("90", "trường hợp")].label.endswith("dưới 06 tuổi")


def test_periods_come_from_the_lead_in_lines():
    rs = records()
    assert rs[("153", "trường hợp")].period == "Năm 2025"
    assert rs[("33", "trường hợp")].period == "Quý I năm 2026"


def test_a_heading_ends_the_lead_in_and_a_stated_period_explains_itself():
    r = records()[("26", "kỳ")]
    assert r.period == "Năm 2025 (từ 01/7/2025 đến 14/12/2025)"


def test_offsets_point_at_the_value():
    for r in extract_figures(SECTION):
        assert SECTION[r.start:r.end] == r.value


def test_years_dates_and_outline_numbers_are_not_figures():
    text = "1. Ngày 11 tháng 6 năm 2025, theo Điều 7, xã tổ chức 02 hội nghị."
    assert [(r.value, r.unit) for r in extract_figures(text)] == [("02", "hội nghị")]


@pytest.mark.parametrize("a,b,ok", [
    ("Năm 2025", "Quý I năm 2026", False),
    ("Năm 2025", "từ 01/7/2025 đến 14/12/2025", True),
    ("6 tháng đầu năm 2026", "Quý I năm 2026", True),
    ("6 tháng cuối năm 2025", "Quý I năm 2026", False),
    ("Năm 2025", None, True),
])
def test_periods_compatible(a, b, ok):
    assert periods_compatible(a, b) is ok


def test_period_interval_of_a_stated_range_wins_over_its_year():
    start, end = period_interval("Năm 2025 (từ 01/7/2025 đến 14/12/2025)")
    assert (start.month, end.month, end.day) == (7, 12, 14)


def one(text: str, value: str):
    found = [r for r in extract_figures(text) if r.value == value]
    assert len(found) == 1, [(r.value, r.label) for r in extract_figures(text)]
    return found[0]


def test_the_actor_and_a_stated_period_are_not_part_of_the_label():
    text = "6 tháng đầu năm 2026, Ủy ban nhân dân xã đã tổ chức 07 hội nghị tuyên truyền pháp luật với 860 lượt người tham dự."
    assert one(text, "07").label == "Tổ chức hội nghị tuyên truyền pháp luật"
    assert one(text, "07").period == "6 tháng đầu năm 2026"


def test_a_figure_joined_by_voi_is_counted_about_the_one_before():
    text = "Toàn xã có 14 tổ hòa giải với 86 hòa giải viên."
    assert one(text, "86").label == "Hòa giải viên (tổ hòa giải)"  # "toàn xã" says where, not what
    text = "Tổ chức 04 cuộc truyền thông, tư vấn pháp luật tại các xóm đặc biệt khó khăn với 122 lượt người tham gia."
    assert one(text, "04").label == "Tổ chức cuộc truyền thông, tư vấn pháp luật tại các xóm đặc biệt khó khăn"
    assert one(text, "122").label.startswith("Lượt người tham gia (tổ chức cuộc truyền thông")


def test_a_rate_is_the_rate_of_the_figure_before():
    text = "Trong kỳ tiếp nhận 23 vụ việc, hòa giải thành 19 vụ việc, đạt 82,6%."
    assert one(text, "19").label == "Hòa giải thành"
    r = one(text, "82,6")
    assert (r.label, r.unit, r.amount()) == ("Tỷ lệ hòa giải thành", "%", "82,6%")
    assert one("Số hồ sơ tiếp nhận trực tuyến là 641 hồ sơ, đạt 74,3%.", "74,3").label == \
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến"


def test_a_pair_and_a_ratio_are_figures_with_their_labels():
    rs = extract_figures("Tổng số lượt tiếp công dân: 02 lượt/03 người; xã tự đánh giá đạt 17/19 chỉ tiêu.")
    assert [(r.value, r.unit, r.label) for r in rs] == [
        ("02", "lượt", "Tổng số lượt tiếp công dân"), ("03", "người", "Tổng số lượt tiếp công dân"),
        ("17/19", "chỉ tiêu", "Xã tự đánh giá")]
    assert [r.value for r in extract_figures("Ngày 15/10/2025 và ngày 15/10, xã họp.")] == []


def test_a_weak_label_takes_the_subject_of_its_lead_in():
    text = "Kết quả xử phạt vi phạm hành chính trên địa bàn xã:\n+ Năm 2025: 14 trường hợp, tổng số tiền phạt 86.500.000 đồng."
    r = one(text, "14")
    assert (r.label, r.period) == ("Xử phạt vi phạm hành chính trên địa bàn xã", "Năm 2025")
    assert one(text, "86.500.000").label == "Tổng số tiền phạt"
    assert one("Kết quả cụ thể: Về hình sự: xảy ra 05 vụ án.", "05").label == "Hình sự: xảy ra vụ án"


def test_a_part_of_a_total_names_the_total():
    text = ("Chủ tịch UBND xã ban hành quyết định xử phạt vi phạm hành chính đối với 14 trường hợp, tổng số tiền phạt "
            "86.500.000 đồng; trong đó lĩnh vực đất đai 09 trường hợp, trật tự xây dựng 05 trường hợp.")
    assert one(text, "09").label.endswith("— trong đó lĩnh vực đất đai")
    assert one(text, "05").label.endswith("— trong đó lĩnh vực trật tự xây dựng")
    assert "xử phạt vi phạm hành chính" in one(text, "05").label.lower()


def test_a_breakdown_of_people_keeps_the_total_unit():
    rs = extract_figures("Văn phòng có tổng số: 08 người. Trong đó có 01 Chánh Văn phòng, 01 Phó Chánh Văn phòng.")
    assert [(r.value, r.unit, r.label) for r in rs] == [
        ("08", "người", "Văn phòng có tổng số"), ("01", "người", "Chánh Văn phòng"), ("01", "người", "Phó Chánh Văn phòng")]


def test_compound_words_ending_in_so_are_not_ordinals():
    assert one("Diện tích 68,42 km², dân số 24.315 người, gồm 21 thôn.", "24.315").label == "Dân số"
    assert [r.value for r in extract_figures("Theo Nghị định số 15 và mục 2, xã họp.")] == []


TABLE = """7. So sánh một số chỉ tiêu chủ yếu

| Chỉ tiêu | Năm 2025 | 6 tháng đầu năm 2026 |
|---|---|---|
| Đăng ký khai sinh (trường hợp) | 214 | 176 |
| Tỷ lệ hồ sơ hộ tịch trực tuyến (%) | 74,3 | 81,0 |
"""


def test_a_table_gives_one_record_per_cell_with_the_column_period_and_the_row_unit():
    rs = extract_figures(TABLE, default_period="6 tháng đầu năm 2026")
    assert [(r.label, r.value, r.unit, r.period) for r in rs] == [
        ("Đăng ký khai sinh", "214", "trường hợp", "Năm 2025"),
        ("Đăng ký khai sinh", "176", "trường hợp", "6 tháng đầu năm 2026"),
        ("Tỷ lệ hồ sơ hộ tịch trực tuyến", "74,3", "%", "Năm 2025"),
        ("Tỷ lệ hồ sơ hộ tịch trực tuyến", "81,0", "%", "6 tháng đầu năm 2026")]
    for r in rs:
        assert TABLE[r.start:r.end] == r.value


def test_a_table_from_word_without_outer_bars_and_with_an_stt_column():
    text = "STT | Chỉ tiêu | Kế hoạch | Thực hiện\n1 | Trồng lúa (ha) | 450 | 462"
    rs = extract_figures(text, default_period="Năm 2025")
    assert [(r.label, r.value, r.unit, r.period) for r in rs] == [
        ("Trồng lúa (Kế hoạch)", "450", "ha", "Năm 2025"), ("Trồng lúa (Thực hiện)", "462", "ha", "Năm 2025")]


def test_a_heading_period_holds_for_its_own_section_only():
    text = "IV. NHIỆM VỤ NĂM 2026\n1. Tổ chức 12 hội nghị tuyên truyền.\nV. KIẾN NGHỊ\nBổ sung 01 biên chế công chức."
    rs = {r.value: r for r in extract_figures(text, default_period="Năm 2025")}
    assert rs["12"].period == "Năm 2026" and rs["01"].period == "Năm 2025"


def test_as_of_and_this_period_are_periods():
    assert one("Đến nay đã cập nhật 18.720 dữ liệu hộ tịch lịch sử.", "18.720").period == "Đến nay"
    assert one("Tính đến ngày 31/5/2026, đã số hóa 9.460 dữ liệu.", "9.460").period == "Tính đến ngày 31/5/2026"
    assert one("Trong kỳ tiếp nhận 23 vụ việc.", "23").period == "Trong kỳ"
    assert period_interval("Đến nay") is None and periods_compatible("Đến nay", "Năm 2025")
    assert not periods_compatible("Tính đến ngày 31/5/2026", "Năm 2025")  # as it stood on that day


def test_a_term_after_a_noun_names_the_thing_and_does_not_date_the_figures():
    text = ("Ủy ban nhân dân xã đã ban hành Quy chế làm việc nhiệm kỳ 2021 - 2026; ban hành 146 quyết định. "
            "Trong nhiệm kỳ 2021 - 2026, xã đã tổ chức 12 kỳ họp.")
    assert one(text, "146").period is None
    assert one(text, "12").period == "Nhiệm kỳ 2021 - 2026"


def test_the_reports_own_span_and_a_lone_va_are_not_label_words():
    text = "Trong 6 tháng, Ủy ban nhân dân xã tiếp nhận 4.875 văn bản đến; hiện có 58 người, gồm 19 cán bộ và 39 công chức."
    assert not one(text, "4.875").label.lower().startswith("trong")
    assert one(text, "19").label == "Cán bộ"


def test_a_reports_own_period_from_its_title_else_from_what_it_reports_on():
    from assistant.figures import document_period
    assert document_period("", "Kết quả công tác tư pháp 6 tháng đầu năm 2026") == "6 tháng đầu năm 2026"
    opening = ("BÁO CÁO\nSơ kết 6 tháng vận hành mô hình chính quyền địa phương 02 cấp\n\n"
               "Thực hiện Kế hoạch số 05-KH/ĐU ngày 02/01/2026 về sơ kết; căn cứ Nghị quyết về nhiệm vụ 6 tháng cuối "
               "năm 2025, Ủy ban nhân dân xã báo cáo kết quả 6 tháng vận hành (từ ngày 01/7/2025 đến ngày 31/12/2025) "
               "như sau:\n\nI. ĐẶC ĐIỂM")
    assert document_period(opening, "Sơ kết 6 tháng vận hành mô hình") == "Từ ngày 01/7/2025 đến ngày 31/12/2025"
    assert document_period("Không có câu mở đầu.", "Báo cáo công tác") is None


def test_a_lead_before_a_clauses_first_figure_labels_its_later_figures_too():
    """"tiếp định kỳ: 06 kỳ, tiếp 07 lượt/13 người": "tiếp" alone does not say what 07 lượt counts."""
    records = extract_figures("- Chủ tịch Ủy ban nhân dân xã tiếp định kỳ: 06 kỳ, tiếp 07 lượt/13 người;")
    by_value = {r.value: r.label for r in records}
    assert "tiếp định kỳ" in by_value["07"].lower() and "tiếp định kỳ" in by_value["13"].lower(), by_value


def _by_value(text: str) -> dict[str, object]:
    return {r.value: r for r in extract_figures(text)}


def test_a_unit_of_several_syllables_is_read_whole_and_a_counting_word_is_not_extended():
    found = _by_value("Ủy ban nhân dân xã ban hành 37 báo cáo, 05 kế hoạch; Trạm Y tế có 03 bác sĩ; "
                      "xây mới 02 nhà văn hóa thôn.")
    assert (found["37"].unit, found["05"].unit, found["03"].unit) == ("báo cáo", "kế hoạch", "bác sĩ")
    assert found["02"].unit == "nhà"  # a house counted, not "nhà văn" (a writer)


def test_the_word_list_is_read_with_new_style_tones():
    from assistant import lexicon

    assert {"hòa giải", "hoà giải", "thủy lợi"} <= lexicon.compounds()  # the list writes "hoà", "thuỷ"
    assert lexicon.word_at("học viên đào tạo nghề", 0) == "học viên"
    assert lexicon.word_at("Học viên", 0) is None  # a capital starts a name


def test_a_change_is_labelled_with_what_the_figure_before_counts_and_since_when():
    found = _by_value("Cuối năm 2025, toàn xã còn 186 hộ nghèo, chiếm 2,9%, giảm 64 hộ so với đầu năm.")
    assert found["64"].label == "Hộ nghèo giảm so với đầu năm"
    found = _by_value("Năm 2025, xảy ra 06 vụ trộm cắp tài sản, tăng 02 vụ so với năm 2024.")
    assert found["02"].label == "Vụ trộm cắp tài sản tăng so với năm 2024"


def test_a_figure_opening_its_clause_is_labelled_by_what_is_said_of_it():
    found = _by_value("Năm 2025, 16/18 thôn đạt danh hiệu thôn văn hóa; 21/21 thôn đã tổ chức sinh hoạt pháp luật.")
    assert found["16/18"].label == "Thôn đạt danh hiệu thôn văn hóa"
    assert found["21/21"].label == "Thôn đã tổ chức sinh hoạt pháp luật"
    found = _by_value("Kết quả bình xét năm 2025: 16/18 thôn đạt danh hiệu thôn văn hóa.")
    assert found["16/18"].label.lower().endswith("thôn đạt danh hiệu thôn văn hóa")  # after its lead's colon


def test_words_past_a_comma_belong_to_the_next_figure_when_they_are_its_own_head():
    found = _by_value("Năm 2025, trồng mới 45 ha rừng, tỷ lệ che phủ rừng đạt 52,3%.")
    assert "tỷ lệ" not in found["45"].label.lower() and "rừng" in found["45"].label.lower()
    assert found["52,3"].label.lower().startswith("tỷ lệ che phủ rừng")
    found = _by_value("Tổ chức 04 cuộc truyền thông, tư vấn pháp luật tại các thôn với 122 lượt người tham gia.")
    assert "tư vấn pháp luật" in found["04"].label  # "với …" details it: the words are still its own


def test_a_unit_first_in_a_list_keeps_the_list_as_its_words():
    found = _by_value("Trong năm, tiếp nhận 03 phản ánh, kiến nghị về quy định hành chính.")
    assert found["03"].unit == "phản ánh" and "kiến nghị về quy định hành chính" in found["03"].label
    found = _by_value("Thu lệ phí chứng thực 26.840.000 đồng, nộp ngân sách nhà nước đúng quy định.")
    assert found["26.840.000"].label == "Thu lệ phí chứng thực"  # after an amount, the comma ends its words


def test_a_crop_season_is_a_period_and_a_column_keeps_what_it_measures():
    text = ("| TT | Cây trồng | Diện tích vụ Đông Xuân 2024 - 2025 (ha) | Năng suất vụ Đông Xuân 2025 - 2026 (tạ/ha) |\n"
            "|---|---|---|---|\n| 1 | Lúa | 1.215,0 | 62,5 |")
    found = {r.value: r for r in extract_figures(text, default_period="6 tháng đầu năm 2026")}
    assert found["1.215,0"].period.lower() == "vụ đông xuân 2024 - 2025"  # a decimal after groups of thousands
    assert found["1.215,0"].label == "Lúa (Diện tích)" and found["62,5"].label == "Lúa (Năng suất)"
    assert found["62,5"].unit == "tạ/ha"


def test_a_lettered_part_and_a_paragraph_after_the_items_end_a_leads_subject():
    text = ("Tình hình dịch bệnh trên đàn vật nuôi:\n- Năm 2025: 07 hộ gia đình.\n\n"
            "Tiêm phòng 02 đợt.\n\nc) Thủy sản\n\nCó thêm 03 sản phẩm.")
    found = _by_value(text)
    assert "dịch bệnh" in found["07"].label.lower()
    assert "dịch bệnh" not in found["02"].label.lower() and "dịch bệnh" not in found["03"].label.lower()


def test_a_figure_said_only_to_exist_is_labelled_by_what_is_said_of_it():
    found = _by_value("Kết quả phân loại cuối năm có 22/24 khu dân cư đạt tiêu chuẩn an toàn về an ninh, trật tự.")
    assert found["22/24"].unit == "khu dân cư"
    assert found["22/24"].label == "Khu dân cư đạt tiêu chuẩn an toàn về an ninh, trật tự"


def test_a_lead_sets_its_dated_period_rather_than_the_stage_a_thing_is_named_by():
    text = ("Qua rà soát theo Bộ tiêu chí xã nông thôn mới giai đoạn 2021 - 2025, kết quả đến ngày 30/11/2025 như sau:\n"
            "- Số tiêu chí đạt chuẩn: 15/19 tiêu chí;")
    assert extract_figures(text, default_period="6 tháng cuối năm 2025")[0].period == "Đến ngày 30/11/2025"


def test_a_running_total_and_months_of_a_year_are_periods():
    found = _by_value("- Lũy kế 9 tháng:\n+ Khám, chữa bệnh: 9.874 lượt người.\n"
                      "Trong 9 tháng năm 2026, tiêm chủng đầy đủ cho 247 trẻ.")
    assert found["9.874"].period == "Lũy kế 9 tháng"
    assert found["247"].period.lower() == "9 tháng năm 2026"


def test_a_number_with_separators_after_a_naming_word_is_a_figure_not_an_ordinal():
    found = _by_value("Toàn xã có đường thôn, ngõ xóm 186,4 km; khám 9.874 lượt người (kế hoạch 13.000 lượt người); "
                      "xóm 5 có 120 hộ.")
    assert found["186,4"].unit == "km" and found["13.000"].unit == "lượt người"
    assert "5" not in found  # "xóm 5" names a hamlet


def test_a_quarter_in_an_upper_case_heading_keeps_its_roman_numeral():
    rs = extract_figures("III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV NĂM 2026\n- Khám, chữa bệnh 3.130 lượt người.")
    assert rs[0].period == "Quý IV năm 2026"


def test_a_lead_that_names_only_who_acted_and_when_is_no_context():
    found = _by_value("Trong năm, Công an xã đã:\n- Đăng ký thường trú 347 trường hợp, tạm trú 265 trường hợp;")
    assert "công an" not in found["265"].label.lower() and "tạm trú" in found["265"].label.lower()


def test_a_period_after_a_figure_ends_its_words():
    found = _by_value("Xã phấn đấu trồng 120 ha lúa chất lượng cao trong năm 2025, tăng 10 ha so với năm 2024.")
    assert found["120"].label.endswith("lúa chất lượng cao") and "2025" not in found["10"].label


def test_names_in_brackets_are_passed_over_and_a_compound_word_is_not_a_connector():
    text = "Xã có 17 thôn, trong đó 02 thôn vùng đồi (Khe Mây, Bản Nà) còn nhiều khó khăn."
    assert one(text, "02").label == "Thôn vùng đồi còn nhiều khó khăn"
    text = "Công tác bảo đảm hành lang an toàn giao thông được duy trì: xử lý 27 trường hợp lấn chiếm hành lang an toàn đường bộ."
    assert one(text, "27").label == "Xử lý lấn chiếm hành lang an toàn đường bộ"


def test_a_date_or_the_whole_commune_before_a_figure_is_not_what_it_counts():
    text = "Ngày 05/9/2026, toàn xã có 4.386 học sinh."
    assert one(text, "4.386").label == "Học sinh"


def test_a_scene_set_before_a_comma_gives_the_figures_their_time_and_the_predicate_their_label():
    text = "Trước sắp xếp, 03 xã cũ đã đạt chuẩn nông thôn mới nâng cao, 01 xã đạt chuẩn nông thôn mới."
    assert one(text, "03").label == "Xã cũ đã đạt chuẩn nông thôn mới nâng cao"
    assert one(text, "03").period == "Trước sắp xếp"
    assert one(text, "01").label == "Xã đạt chuẩn nông thôn mới"
    text = "Sau khi sắp xếp, Ủy ban nhân dân xã kiện toàn 32 tổ hòa giải."
    assert one(text, "32").period is None  # after the merger is the new commune's own time


def test_a_rate_is_against_its_base_or_of_what_it_is_said_of():
    text = "Khám, chữa bệnh: 9.874 lượt người, đạt 76,0% kế hoạch năm."
    assert one(text, "76,0").label == "Tỷ lệ khám, chữa bệnh so với kế hoạch năm"
    text = "Xã tiết kiệm chi thường xuyên 412.000.000 đồng; 100% khoản chi được kiểm soát qua Kho bạc."
    assert one(text, "100").label == "Tỷ lệ khoản chi được kiểm soát qua Kho bạc"


def test_a_table_takes_its_unit_column_and_a_comparison_column_keeps_its_words():
    text = ("| TT | Đối tượng | Đơn vị tính | Năm 2025 | Năm 2026 | So với năm 2025 (%) |\n"
            "|---|---|---|---|---|---|\n"
            "| 1 | Người cao tuổi | người | 948 | 981 | 103,5 |\n")
    rows = {r.value: r for r in extract_figures(text, default_period="Năm 2026")}
    assert "người" not in rows  # the unit column is not a figure
    assert (rows["948"].unit, rows["948"].period) == ("người", "Năm 2025")
    assert rows["103,5"].unit == "%"
    assert rows["103,5"].label == "Người cao tuổi (so với năm 2025)"
    assert rows["103,5"].period == "Năm 2026"  # this year's figure against last year's


def test_a_change_in_percent_is_of_the_amount_before_it_not_of_a_rate_against_a_base():
    text = "Thu ngân sách 9 tháng đầu năm 2026 được 29.714 triệu đồng, đạt 76,9% dự toán, tăng 12,4% so với cùng kỳ năm 2025."
    assert one(text, "12,4").label == "Thu ngân sách tăng so với cùng kỳ năm 2025"


def test_a_bare_verb_takes_what_the_figure_before_it_was_said_of():
    text = "Kiểm tra 22 cơ sở kinh doanh về bảo vệ môi trường, nhắc nhở 05 cơ sở, xử phạt 02 cơ sở."
    assert one(text, "05").label == "Nhắc nhở cơ sở (kinh doanh về bảo vệ môi trường)"
    text = "Chỉ đạo xử lý trách nhiệm đối với 01 người."
    assert one(text, "01").label == "Chỉ đạo xử lý trách nhiệm"  # "đối với" is not "với"


def test_a_ratio_of_thousands_and_a_duration_in_days_are_figures():
    text = "Kết quả bình xét năm 2026: 7.684/8.352 hộ đạt danh hiệu \"Gia đình văn hóa\"."
    assert one(text, "7.684/8.352").unit == "hộ"
    text = "Thời gian giải quyết bình quân 8,5 ngày đối với mỗi hồ sơ."
    assert one(text, "8,5").unit == "ngày"
    text = "Trong thời hạn 07 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, Ủy ban nhân dân cấp xã xem xét."
    assert (one(text, "07").unit, one(text, "07").label) == ("ngày làm việc", "Trong thời hạn")


def test_one_verb_serves_a_list_of_figures():
    text = "Vận động Nhân dân giao nộp 06 khẩu súng tự chế, 14 vũ khí thô sơ và 3,2 kg pháo nổ."
    assert one(text, "14").label == "Vận động Nhân dân giao nộp vũ khí thô sơ"
    assert one(text, "3,2").label == "Vận động Nhân dân giao nộp pháo nổ"
    text = "Toàn xã có 03 hồ chứa với tổng dung tích 4,26 triệu m³, 12 trạm bơm điện."
    assert "dung tích" not in one(text, "12").label.lower()  # an amount's words are not a verb for the list


def test_words_after_va_that_run_into_the_next_figure_are_its_own():
    text = "Trong đó đường thôn, ngõ xóm 186,4 km và đường trục chính nội đồng 53,3 km."
    assert one(text, "186,4").label == "Đường thôn, ngõ xóm"
    assert one(text, "53,3").label == "Đường trục chính nội đồng"
    text = "Tổ chức 07 lớp đào tạo nghề và đào tạo dưới 03 tháng cho 215 học viên."
    assert "03 tháng" not in one(text, "215").label  # a number that counts nothing does not end the words


def test_a_rate_of_a_change_in_brackets_is_the_rate_of_that_change():
    text = "Năm 2025, số vụ phạm tội về trật tự xã hội giảm 03 vụ (giảm 21,4%) so với năm 2024."
    assert one(text, "03").label == "Số vụ phạm tội về trật tự xã hội giảm so với năm 2024"
    assert one(text, "21,4").label == "Tỷ lệ số vụ phạm tội về trật tự xã hội giảm so với năm 2024"


def test_a_line_with_figures_that_leads_into_items_gives_them_its_period():
    text = ("Đến ngày 30/11/2026, trên địa bàn xã có 1.148 người có công đang hưởng trợ cấp; cụ thể:\n"
            "- Bà mẹ Việt Nam anh hùng còn sống: 02 người;\n- Bệnh binh: 38 người.\n")
    rows = {r.value: r for r in extract_figures(text, default_period="Năm 2026")}
    assert rows["1.148"].period == rows["02"].period == rows["38"].period == "Đến ngày 30/11/2026"


def test_a_long_lead_in_above_items_dates_them_with_the_period_it_states_last():
    text = ("Trước mùa mưa bão năm 2026, Ủy ban nhân dân xã chỉ đạo các thôn rà soát, cập nhật phương án, chuẩn bị "
            "lực lượng, vật tư, phương tiện; kết quả chuẩn bị đến ngày 31/8/2026 như sau:\n"
            "- Lực lượng tại chỗ: 1.240 người;\n- Điểm sơ tán tập trung: 34 điểm.\n\n"
            "Ban Chỉ huy đã kiểm tra, phát hiện 09 điểm xung yếu.\n")
    rows = {r.value: r for r in extract_figures(text, default_period="Năm 2026")}
    assert rows["1.240"].period == rows["34"].period == "Đến ngày 31/8/2026"
    assert rows["09"].period == "Năm 2026"  # the paragraph after the items is the report's again


def test_a_year_naming_a_target_does_not_date_the_figures():
    text = ("Ngay sau khi Hội đồng nhân dân xã giao chỉ tiêu giảm nghèo năm 2026, Ủy ban nhân dân xã đã kiện toàn "
            "Ban Chỉ đạo gồm 19 thành viên.")
    assert one(text, "19").period is None
    assert one("Năm 2025, xã tổ chức 12 hội nghị.", "12").period == "Năm 2025"


def test_a_numbered_table_with_an_unnumbered_total_row_keeps_its_labels():
    text = ("| TT | Nội dung | Đơn vị tính | Vốn năm 2025 chuyển sang | Kế hoạch vốn năm 2026 |\n"
            "|---|---|---|---|---|\n"
            "| 1 | Hỗ trợ việc làm bền vững | triệu đồng | 86 | 540 |\n"
            "| 2 | Hỗ trợ nhà ở cho hộ nghèo | triệu đồng | 105 | 3.360 |\n"
            "|  | Tổng cộng | triệu đồng | 191 | 3.900 |\n")
    rows = {r.value: r for r in extract_figures(text)}
    assert (rows["86"].label, rows["86"].unit, rows["86"].period) == (
        "Hỗ trợ việc làm bền vững (Vốn chuyển sang)", "triệu đồng", "Năm 2025")
    assert rows["3.900"].label == "Tổng cộng (Kế hoạch vốn)"


def test_an_amount_per_unit_is_one_unit_and_a_list_of_them_shares_its_words():
    text = "Mức hỗ trợ từ ngân sách 60 triệu đồng/hộ xây mới, 30 triệu đồng/hộ sửa chữa."
    assert one(text, "60").unit == "triệu đồng/hộ"
    assert one(text, "30").label == "Mức hỗ trợ từ ngân sách sửa chữa"
    text = "Thu nhập bình quân đầu người ước đạt 58,6 triệu đồng/người/năm, tăng 4,2 triệu đồng so với năm 2024."
    assert one(text, "4,2").label.startswith("Thu nhập bình quân đầu người")


def test_what_has_the_figures_and_a_sentence_s_opening_subject_place_a_brief_label():
    text = "Đại hội Thể dục thể thao xã lần thứ I năm 2026 có 12 môn thi đấu, thu hút 864 vận động viên."
    assert one(text, "12").label.startswith("Môn thi đấu (đại hội Thể dục thể thao xã")
    text = ("Lễ hội Cầu ngư thôn An Hải năm 2026 được tổ chức trang trọng, an toàn, thu hút khoảng "
            "12.000 lượt người tham dự.")
    assert one(text, "12.000").label.endswith("(lễ hội Cầu ngư thôn An Hải)")
    text = "Về mạng lưới giao thông, toàn xã quản lý 312,6 km đường, trong đó đường tỉnh 14,2 km."
    assert one(text, "14,2").label == "Đường tỉnh"  # a field named ("Về …") adds nothing to a part's name


def test_a_brief_part_in_brackets_names_the_figure_it_breaks_down():
    text = ("Hỗ trợ hộ có nhà bị sập đổ, hư hỏng nặng: 1.260 triệu đồng (ngân sách tỉnh 750 triệu đồng, "
            "nguồn vận động 330 triệu đồng).")
    assert one(text, "750").label.startswith("Ngân sách tỉnh (hỗ trợ hộ có nhà bị sập đổ")


def test_a_rate_s_words_are_not_cut_at_a_comma():
    text = "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý đạt 82,4%."
    assert one(text, "82,4").label == "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý"


def test_a_clause_ending_at_a_semicolon_ends_a_figure_s_words_as_a_full_stop_does():
    text = ("Năm 2025, 100% văn bản đi, đến của Ủy ban nhân dân xã được xử lý trên môi trường mạng; "
            "Ủy ban nhân dân xã phát hành 2.184 văn bản đi có ký số.")
    assert one(text, "100").label.startswith("Văn bản đi, đến")


def test_a_lead_that_says_more_than_a_period_covers_only_its_items():
    text = ("Qua rà soát, kết quả đến ngày 30/11/2025 như sau:\n- Số tiêu chí đạt chuẩn: 15/19 tiêu chí;\n\n"
            "Toàn xã có 09 sản phẩm OCOP còn hiệu lực.\n")
    rows = {r.value: r for r in extract_figures(text, default_period="6 tháng cuối năm 2025")}
    assert rows["15/19"].period == "Đến ngày 30/11/2025"
    assert rows["09"].period == "6 tháng cuối năm 2025"
    text = "Năm 2025 (từ 01/7/2025 đến 31/12/2025):\n- Khai sinh: 214 trường hợp;\n\nTổng số việc đã giải quyết là 863 việc.\n"
    assert {r.value: r for r in extract_figures(text)}["863"].period.startswith("Năm 2025")  # a period heads its part


def test_a_day_a_figure_stands_on_is_a_period_of_one_day():
    from datetime import date

    from assistant.figures import period_answers, period_interval
    assert period_interval("Ước đến ngày 31/12/2026") == (date(2026, 12, 31), date(2026, 12, 31))
    assert period_answers("năm 2026", "Đến ngày 30/11/2026") and not period_answers("năm 2025", "Đến ngày 30/11/2026")
    assert one("Ước tỷ lệ lao động qua đào tạo đến ngày 31/12/2026 đạt 71,8%.", "71,8").label == \
        "Tỷ lệ lao động qua đào tạo"
