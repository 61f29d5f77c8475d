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
