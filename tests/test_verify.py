"""Generated text is checked by the citation engine; nothing unverified is presented as verified."""
from assistant.documents import Hit
from assistant.verify import UNVERIFIED, mark_unverified, verify_generated


def hit(text, number="", title="t"):
    return Hit(doc_id="d", source="s.md", title=title, number=number, page=1, section="I", score=1.0, text=text)


SOURCES = [
    hit("Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền "
        "địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp.", number="120/2025/NĐ-CP"),
    hit("Chứng thực bản sao từ bản chính 3.214 bản; chứng thực chữ ký 187 việc."),
]


def codes(findings):
    return [f["code"] for f in findings]


def test_invented_decree_is_flagged_and_marked():
    text = "Thực hiện Nghị định số 18/2025/NĐ-CP ngày 12/6/2025 của Chính phủ, xã đã chứng thực 3.214 bản [2]."
    findings, citations = verify_generated(text, SOURCES)
    assert "unsupported-claim" in codes(findings) or "unknown-document" in codes(findings)
    assert all(c.status != "verified" for c in citations)
    shown = mark_unverified(text, findings)
    assert f"18/2025/NĐ-CP ({UNVERIFIED})" in shown or f"Chính phủ ({UNVERIFIED})" in shown


def test_citation_in_registry_but_not_in_sources_is_not_verified():
    text = "Theo Nghị định số 121/2025/NĐ-CP, cấp tỉnh thực hiện [1]."
    findings, citations = verify_generated(text, SOURCES)
    assert any(f["code"] == "unsupported-claim" and "121/2025" in f["text"] for f in findings)
    assert [c.status for c in citations if c.number == "121/2025/NĐ-CP"] != ["verified"]


def test_source_backed_citation_and_figures_pass():
    text = "Xã đã chứng thực bản sao từ bản chính 3.214 bản và chứng thực chữ ký 187 việc [2]."
    findings, _ = verify_generated(text, SOURCES)
    assert [f for f in findings if f["code"] == "unsupported-claim"] == []


def test_invented_figure_and_bad_marker_are_flagged():
    text = "Xã đã chứng thực 4.500 bản [2]; kết quả khác [7]."
    findings, _ = verify_generated(text, SOURCES)
    flagged = {f["text"] for f in findings if f["code"] == "unsupported-claim"}
    assert "4.500" in flagged and "[7]" in flagged
    for f in findings:
        assert text[f["start"]:f["end"]] == f["text"]


def test_unmarked_claims_are_pointed_at_when_required():
    text = "1.3. Phân quyền, phân cấp\n- Ủy ban nhân dân xã thực hiện đăng ký hộ tịch cho công dân [1].\n- Xã đã hoàn thành mọi chỉ tiêu được giao trong năm."
    findings, _ = verify_generated(text, SOURCES, require_markers=True)
    unmarked = [f for f in findings if f["code"] == "unsupported-claim" and f["severity"] == "info"]
    assert len(unmarked) == 1 and unmarked[0]["text"].startswith("Xã đã hoàn thành")


def test_a_figure_after_a_citation_in_the_same_sentence_is_checked():
    text = ("Thực hiện Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền, "
            "xã đăng ký 999 việc hộ tịch [1].")
    findings, _ = verify_generated(text, SOURCES)
    assert any(f["code"] == "unsupported-claim" and f["text"] == "999" for f in findings)
    assert not any(f["code"] == "unsupported-claim" and f["text"] in ("120", "2025", "11") for f in findings)


def test_single_digit_figures_are_checked_but_ordinals_are_not():
    text = "1. Kết quả\nTổ chức 5 hội nghị theo Điều 7, mục 2 [2]."
    findings, _ = verify_generated(text, SOURCES)
    flagged = [f["text"] for f in findings if f["code"] == "unsupported-claim"]
    assert flagged == ["5"]


def test_marks_follow_whole_figures_and_wrong_citations():
    text = "Đạt 86,2% kế hoạch [2]. Theo Nghị định số 120/2025/NĐ-CP ngày 12/6/2025 của Chính phủ [1]."
    findings, _ = verify_generated(text, SOURCES)
    shown = mark_unverified(text, findings)
    assert f"86,2% ({UNVERIFIED})" in shown
    assert any(f["code"] == "date-mismatch" for f in findings)
    assert shown.count(UNVERIFIED) == 2


def test_numbered_headings_are_not_claims():
    text = "1.3. Phân quyền, phân cấp trong lĩnh vực tư pháp\n- Ủy ban nhân dân xã đăng ký hộ tịch cho công dân [1]."
    findings, _ = verify_generated(text, SOURCES, require_markers=True)
    assert [f for f in findings if f["severity"] == "info"] == []


def test_a_figure_counting_something_else_is_flagged_with_what_the_source_says():
    text = "Xã đã chứng thực chữ ký 187 bản [2]."  # the source has 187 việc (and 3.214 bản)
    findings, _ = verify_generated(text, SOURCES)
    unit = [f for f in findings if f["code"] == "unsupported-claim" and f["text"] == "187"]
    assert unit and "187 việc" in unit[0]["message"]
    assert f"187 ({UNVERIFIED})" in mark_unverified(text, findings)


def test_a_figure_with_its_own_unit_or_none_passes():
    for text in ("Chứng thực chữ ký 187 việc [2].", "Số việc chứng thực chữ ký là 187 [2].",
                 "Chứng thực chữ ký 187 và bản sao 3.214 bản [2]."):
        findings, _ = verify_generated(text, SOURCES)
        assert [f for f in findings if f["code"] == "unsupported-claim"] == [], text


# --- each marker answers for itself ---------------------------------------------------------------

from assistant.units import unit_in  # noqa: E402
from assistant.verify import draft_findings, marker_findings  # noqa: E402


def _src(text, unit=None, number=""):
    meta = {"unit": unit, "unit_key": unit_in(unit).key} if unit else {}
    return Hit(doc_id=text[:8], source="s.md", title="t", number=number, page=1, section="", score=1.0,
               text=text, meta=meta)


UNIT_SOURCES = [
    _src("+ Năm 2025:\nCấp bản sao trích lục hộ tịch: 153 trường hợp.\n+ Quý I năm 2026:\n"
         "Cấp bản sao trích lục hộ tịch: 33 trường hợp.", "xã Bình Thành"),
    _src("Chứng thực bản sao từ bản chính 3.214 bản; hòa giải thành 19 vụ việc.", "xã An Hòa"),
]


def test_a_figure_its_marker_holds_passes():
    assert marker_findings("- Năm 2025, xã cấp 153 trường hợp bản sao trích lục [1].", UNIT_SOURCES,
                           unit=unit_in("xã Bình Thành")) == []


def test_a_figure_held_only_by_another_source_is_source_mismatch():
    found = marker_findings("- Xã hòa giải thành 19 vụ việc [1].", UNIT_SOURCES)
    assert codes(found) == ["source-mismatch"] and "[2]" in found[0]["message"]


def test_a_figure_from_another_units_report_is_other_unit():
    found = marker_findings("- Xã Bình Thành hòa giải thành 19 vụ việc [2].", UNIT_SOURCES)
    assert codes(found) == ["other-unit"] and "xã An Hòa" in found[0]["message"]
    found = marker_findings("- Hòa giải thành 19 vụ việc [2].", UNIT_SOURCES, unit=unit_in("xã Bình Thành"))
    assert codes(found) == ["other-unit"]


def test_a_figure_stated_for_another_period_is_period_mismatch():
    found = marker_findings("- Quý I năm 2026, xã cấp 153 trường hợp bản sao trích lục [1].", UNIT_SOURCES)
    assert codes(found) == ["period-mismatch"] and "Năm 2025" in found[0]["message"]


def test_the_systems_own_sentences_are_not_claims_to_check():
    text = "Theo Nghị định số 120/2025/NĐ-CP, cấp xã được giao 21 nhiệm vụ [1]."
    assert draft_findings(text, UNIT_SOURCES, trusted_spans=[(0, len(text))]) == []
    assert "unsupported-claim" in codes(draft_findings(text, UNIT_SOURCES))


def test_a_figure_given_for_another_thing_than_its_source_counts_is_source_mismatch():
    sources = [_src("Năm 2025: Đăng ký kết hôn: 97 cặp; Đăng ký khai sinh: 301 trường hợp.", "xã Minh Tân")]
    found = marker_findings("- Xã Minh Tân đã đăng ký khai sinh 97 cặp [1].", sources)
    assert codes(found) == ["source-mismatch"] and "Đăng ký kết hôn" in found[0]["message"]
    assert marker_findings("- Năm 2025, xã đăng ký kết hôn 97 cặp [1].", sources) == []


def test_a_question_about_one_period_answered_with_anothers_figure_is_period_mismatch():
    from dataclasses import replace

    from assistant.verify import answer_findings
    report = replace(_src("1. Hòa giải ở cơ sở\nHòa giải thành 15 vụ việc; tổ chức 07 hội nghị tuyên truyền với "
                          "860 lượt người tham dự.", "xã Phú Lộc"),
                     title="Báo cáo công tác tư pháp 6 tháng cuối năm 2025", meta={
                         "unit": "xã Phú Lộc", "unit_key": unit_in("xã Phú Lộc").key, "date": "2026-01-08"})
    asked = "Quý I năm 2026"
    found = answer_findings("Trong quý I năm 2026, xã Phú Lộc hòa giải thành 15 vụ việc [1].", [report], period=asked)
    assert codes(found) == ["period-mismatch"] and "6 tháng cuối năm 2025" in found[0]["message"]
    # unmarked, the figure is looked up in every source
    assert codes(answer_findings("Xã hòa giải thành 15 vụ việc.", [report], period=asked)) == ["period-mismatch"]
    # a longer period holding the one asked is not its figure either
    assert codes(answer_findings("Có 860 lượt người tham dự [1].", [report], period="Quý IV năm 2025")) == [
        "period-mismatch"]
    # the period the source gives answers; and a question without a period is not checked for one
    assert answer_findings("Năm 2025, xã hòa giải thành 15 vụ việc [1].", [report], period="Năm 2025") == []
    assert answer_findings("Xã hòa giải thành 15 vụ việc [1].", [report]) == []
