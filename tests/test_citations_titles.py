"""Title identity (issue 14): a cited trích yếu that is a sibling document's, or names another field,
ministry or mode than the cited number's own; the field table and fields_in()."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.citations import check_text, load_registry
from assistant.citations.fields import domain_of, fields_in, ministry_of, modes_in
from assistant.citations.titles import different_titles


class _NoLocal:
    local_registry_path = Path("/nonexistent/registry_local.json")


REGISTRY = load_registry(_NoLocal())


def titles(text: str) -> list:
    r = check_text(text, report_date=date(2026, 2, 22), registry=REGISTRY)
    return [f for f in r.findings if f.code == "title-mismatch"]


def test_the_exact_title_of_121_under_120_names_121():
    [f] = titles("Căn cứ Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân quyền, phân cấp "
                 "trong lĩnh vực quản lý nhà nước của Bộ Tư pháp.")
    assert f.severity == "error"  # both entries verified
    assert "121/2025/NĐ-CP" in f.message
    assert f.text.startswith("quy định về phân quyền, phân cấp")
    assert f.suggestion.startswith("Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định")


def test_another_field_under_the_right_mode_is_caught():
    # 134 is the đối ngoại decree: one different field word is the whole difference.
    [f] = titles("Thực hiện Nghị định số 134/2025/NĐ-CP ngày 12/6/2025 của Chính phủ quy định về phân quyền, phân cấp "
                 "trong lĩnh vực thanh tra.")
    assert f.severity == "warning"  # the registry's 134 is a secondary-source entry
    assert "\"thanh tra\"" in f.message and "\"đối ngoại\"" in f.message
    assert f.suggestion.startswith("Nghị định số 134/2025/NĐ-CP")


@pytest.mark.parametrize("cited, number, other", [
    # mode differs, field and ministry the same
    ("Nghị định số 139/2025/NĐ-CP ngày 12/6/2025 của Chính phủ quy định về phân quyền, phân cấp trong lĩnh vực "
     "công nghiệp và thương mại.", "139/2025/NĐ-CP", "146/2025/NĐ-CP"),
    ("Nghị định số 143/2025/NĐ-CP ngày 12/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa "
     "phương hai cấp trong lĩnh vực quản lý nhà nước của Bộ Giáo dục và Đào tạo.", "143/2025/NĐ-CP", "142/2025/NĐ-CP"),
    # ministry differs
    ("Nghị định số 140/2025/NĐ-CP ngày 12/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa "
     "phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Công Thương.", "140/2025/NĐ-CP", "139/2025/NĐ-CP"),
    # a circular cited with the sibling decree's exact title (modes overlap: identity decides)
    ("Thông tư số 08/2025/TT-BTP ngày 12/6/2025 của Bộ trưởng Bộ Tư pháp quy định về phân quyền, phân cấp trong "
     "lĩnh vực quản lý nhà nước của Bộ Tư pháp.", "08/2025/TT-BTP", "121/2025/NĐ-CP"),
])
def test_a_sibling_title_names_the_sibling(cited, number, other):
    [f] = titles(cited)
    assert other in f.message and number in f.message


@pytest.mark.parametrize("cited", [
    "Nghị định số 121/2025/NĐ-CP ngày 11/6/2025 của Chính phủ về phân quyền, phân cấp lĩnh vực quản lý nhà nước của "
    "Bộ Tư pháp.",
    "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền trong lĩnh vực tư pháp.",
    # an abbreviated title that fits its own number as well as a sibling: no finding
    "Thông tư số 08/2025/TT-BTP ngày 12/6/2025 của Bộ trưởng Bộ Tư pháp quy định về phân định thẩm quyền trong lĩnh "
    "vực tư pháp.",
    "Nghị định số 146/2025/NĐ-CP ngày 12/6/2025 của Chính phủ quy định phân quyền, phân cấp trong lĩnh vực công "
    "nghiệp và thương mại.",
    "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư.",
])
def test_own_titles_and_fair_abbreviations_pass(cited):
    assert titles(cited) == []


def test_a_different_field_without_a_sibling_still_names_the_fields():
    [f] = titles("Thực hiện Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ về đăng ký biến động đất đai.")
    assert "\"đất đai\"" in f.message and "\"tư pháp\"" in f.message


def test_fields_in_reads_fields_ministries_and_context_words():
    assert fields_in("Báo cáo công tác hộ tịch, chứng thực năm 2025") == ["hộ tịch", "chứng thực"]
    assert fields_in("quản lý nhà nước của Bộ Công Thương") == ["công thương"]
    assert fields_in("trong lĩnh vực xây dựng") == ["xây dựng"]
    assert fields_in("Kế hoạch xây dựng nông thôn mới") == []          # an ordinary verb, not the field
    assert fields_in("phổ biến, giáo dục pháp luật") == ["phổ biến, giáo dục pháp luật"]  # not "giáo dục"
    assert fields_in("PHÂN QUYỀN TRONG LINH VUC DOI NGOAI") == ["đối ngoại"]  # case and accents folded
    assert domain_of("hộ tịch") == "tư pháp" and ministry_of("hộ tịch") == "Bộ Tư pháp"
    assert modes_in("phân định thẩm quyền của chính quyền địa phương 02 cấp và phân cấp") == {
        "phân định thẩm quyền", "phân quyền, phân cấp"}


def test_different_titles():
    assert different_titles("về việc kiện toàn Tổ hòa giải", "về việc thành lập Ban chỉ đạo")
    assert not different_titles("về việc kiện toàn Tổ hòa giải", "về việc kiện toàn Tổ hòa giải ở cơ sở thôn 3")
    assert different_titles("về phân quyền, phân cấp", "về phân định thẩm quyền")
