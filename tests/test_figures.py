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
