"""Summaries a clerk can reuse (issue 17): figures as records with label and period, each section's
substance, recommendations by addressee, dates as people read them, and two periods side by side.
The model only writes the overview; these tests script it (or take it down) except the `llm` one."""
import json
import random

import pytest

from assistant import cli, llm, summarising
from assistant.documents import Document, Page
from assistant.export import export_comparison_docx
from assistant.summarising import chain, compare_summaries, extract, read_summary
from assistant.summarising.chain import _whole_sentences, map_parts, reduce_overviews
from assistant.summarising.compare import comparison_rows
from assistant.text import nfc

from conftest import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "corpus" / "mau" / "bao-cao-tu-phap-6-thang-2025-xa-mau.md"
SEED = PROJECT_ROOT / "corpus" / "bao-cao-so-ket-binh-thanh-2026.txt"
TAN_PHONG_2025 = PROJECT_ROOT / "corpus" / "mau" / "bao-cao-tu-phap-nam-2025-xa-tan-phong.md"
TAN_PHONG_2026 = PROJECT_ROOT / "corpus" / "mau" / "bao-cao-tu-phap-6-thang-dau-nam-2026-xa-tan-phong.md"


def down(*a, **k):
    raise llm.LLMUnavailable("Không kết nối được tới mô hình.")


def report(text: str) -> summarising.Summary:
    return extract(Document(source="bao-cao.md", sha256="0" * 64, format="md", pages=[Page(1, nfc(text))]))


def test_structure_and_exact_figures_with_a_scripted_model(monkeypatch):
    monkeypatch.setattr(llm, "complete", lambda *a, **k: "Trong kỳ, xã chứng thực 3.214 bản sao và 9.999 việc khác.")
    answer = summarising.summarize(str(SAMPLE))
    s = answer.summary
    assert s["number"] == "45/BC-UBND" and s["date"] == "2025-12-10"
    text = SAMPLE.read_text(encoding="utf-8")
    figures = {(f["label"], f["value"], f["unit"]): f for f in s["figures"]}
    assert ("Chứng thực bản sao từ bản chính", "3.214", "bản") in figures
    assert all(f["value"] in text and f["page"] == 1 and f["section"] for f in s["figures"])
    assert all(k["text"] in text for k in s["key_figures"]), "the clauses are copied verbatim"
    assert len(s["difficulties"]) == 3
    assert [r["addressee"] for r in s["recommendations"]] == ["Sở Tư pháp", None, None]
    assert any("biên chế" in r["text"] for r in s["recommendations"])
    # the invented figure in the model's prose is flagged and visibly marked
    assert any(f["text"] == "9.999" for f in answer.findings)
    assert "9.999 (chưa xác minh)" in answer.text
    for f in answer.findings:
        assert answer.text[f["start"]:f["end"]] == f["text"]


def test_model_down_still_gives_the_extracted_summary(monkeypatch):
    monkeypatch.setattr(llm, "complete", down)
    answer = summarising.summarize(str(SAMPLE))
    assert answer.error and answer.summary["figures"] and answer.summary["difficulties"]
    assert "Chứng thực bản sao từ bản chính: 3.214 bản" in answer.text


@pytest.mark.llm
def test_summary_with_the_local_model(monkeypatch):
    """The real model on the real path; a shorter overview than the product's keeps the suite quick."""
    monkeypatch.setattr(chain, "OVERVIEW_TOKENS", 110)
    monkeypatch.setattr(chain, "MAP_TOKENS", 110)
    answer = summarising.summarize(str(SAMPLE))
    assert answer.summary["overview"].strip() and not answer.error


def test_the_model_shortens_a_digest_of_what_was_extracted_in_one_call(monkeypatch):
    """The 35 KB seed: one prompt holding its main figures, difficulties, causes, tasks and
    recommendations (not its text), so one call of the model."""
    calls = []

    def scripted(prompt, **k):
        calls.append(prompt.to_messages()[-1].content)
        return "Văn phòng có tổng số: 08 người."

    monkeypatch.setattr(llm, "complete", scripted)
    answer = summarising.summarize(str(SEED))
    assert len(calls) == 1 and len(calls[0]) < 2500
    for line in ("- Văn phòng có tổng số: 08 người", "- Khó khăn: Công tác tham mưu, tổng hợp phục vụ",
                 "- Nguyên nhân: Văn phòng HĐND và UBND mới được thành lập", "- Kiến nghị Trung ương: Đề nghị tiếp tục"):
        assert line in calls[0]
    assert answer.summary["overview"] == "Văn phòng có tổng số: 08 người."


def test_a_longer_digest_is_shortened_part_by_part_then_once_more(monkeypatch):
    """Map: one overview per part of the digest; reduce: one overview of those, checked against the report."""
    calls = []

    def scripted(prompt, **k):
        content = prompt.to_messages()[-1].content
        calls.append(content)
        if "<<<TÓM TẮT>>>" in content:
            return "Văn phòng có tổng số: 08 người; xã chứng thực 1.707 việc và 4.321 việc khác."
        return f"Phần {len(calls)}: Văn phòng có tổng số: 08 người."

    monkeypatch.setattr(chain, "MAP_CHARS", 900)
    monkeypatch.setattr(llm, "complete", scripted)
    answer = summarising.summarize(str(SEED))
    maps = [c for c in calls if "<<<BÁO CÁO>>>" in c]
    reduces = [c for c in calls if "<<<TÓM TẮT>>>" in c]
    assert len(maps) > 1 and len(reduces) == 1
    assert "Phần 1:" in reduces[0] and "Phần 2:" in reduces[0]
    overview = answer.summary["overview"]
    assert overview.startswith("Văn phòng có tổng số: 08 người; xã chứng thực 1.707 việc")
    assert "4.321 (chưa xác minh)" in overview, "the reduce step's prose is verified against the report"


def test_a_report_without_recognisable_structure_is_mapped_from_its_own_text():
    s = report("Xã tổ chức tuyên truyền thường xuyên, nhân dân đồng tình ủng hộ chủ trương chung.")
    hits = [type("H", (), {"text": "Xã tổ chức tuyên truyền thường xuyên."})()]
    assert map_parts(s, hits) == ["Xã tổ chức tuyên truyền thường xuyên.\n"]


def test_the_parts_are_joined_when_the_reduce_step_fails(monkeypatch):
    monkeypatch.setattr(llm, "complete", down)
    assert reduce_overviews(["Một.", "Hai."]) == "Một. Hai."


def test_a_number_cut_by_the_token_limit_is_not_a_sentence_end():
    text = "Xã tổ chức 9 hội nghị. Cấp phát tờ gấp với khoảng 1."
    assert _whole_sentences(text) == "Xã tổ chức 9 hội nghị."
    assert _whole_sentences("Đạt 82,6%.") == "Đạt 82,6%."
    assert _whole_sentences("Xã phát triển. Kết quả năm 2020.") == "Xã phát triển. Kết quả năm 2020."


# --- the seed report, read as the issue reads it ----------------------------------------------------

@pytest.fixture(scope="module")
def seed():
    return read_summary(str(SEED))


def test_seed_figures_carry_what_they_count_and_their_period(seed):
    records = {(r.label, r.value): r for r in seed.figures}
    assert records[("Cấp bản sao trích lục hộ tịch", "153")].period == "Năm 2025"
    assert records[("Cấp bản sao trích lục hộ tịch", "33")].period == "Quý I năm 2026"
    assert records[("Cấp bản sao trích lục hộ tịch", "153")].line() == \
        "Năm 2025 — Cấp bản sao trích lục hộ tịch: 153 trường hợp"
    assert records[("Chánh Văn phòng", "01")].unit == "người"
    tiep = records[("Tiếp định kỳ của lãnh đạo UBND xã", "26")]
    assert (tiep.period, tiep.section) == ("Năm 2025 (từ 01/7/2025 đến 14/12/2025)", "II > 1 > 1.12")


def test_seed_sections_by_substance_not_headings(seed):
    assert seed.difficulties[0]["text"].startswith("Công tác tham mưu, tổng hợp phục vụ cơ bản đáp ứng")
    assert {c["side"] for c in seed.causes} == {"objective", "subjective"}
    assert any(c["side"] == "subjective" and c["text"].startswith("Công tác tuyên truyền pháp luật") for c in seed.causes)
    assert seed.lessons and seed.lessons[0]["text"].startswith("Cần chủ động trong công tác tham mưu")
    assert not any(t["text"] in ("Giải pháp", "Phương hướng") for t in seed.tasks)
    assert {t["group"] for t in seed.tasks} == {"Giải pháp", "Phương hướng"}
    by_whom = {}
    for r in seed.recommendations:
        by_whom.setdefault(r["addressee"], []).append(r["text"])
    assert list(by_whom) == ["Trung ương", "các Bộ, ngành", "cấp tỉnh", "Đảng ủy, HĐND và UBND xã"]
    assert by_whom["Trung ương"][0].startswith("Đề nghị tiếp tục nghiên cứu, hoàn thiện cơ chế")


def test_dates_are_shown_as_people_read_them(monkeypatch):
    monkeypatch.setattr(llm, "complete", lambda *a, **k: "Báo cáo ngày 2026-02-22 nêu 08 người.")
    answer = summarising.summarize(str(SEED))
    assert "ngày 22/02/2026" in answer.text and "2026-02-22" not in answer.text
    assert answer.summary["date"] == "2026-02-22"
    assert "22/02/2026" in answer.summary["overview"]


# --- headings in their many forms -----------------------------------------------------------------

FORMS = """ỦY BAN NHÂN DÂN XÃ HÒA BÌNH
Số: 12/BC-UBND
Hòa Bình, ngày 05 tháng 01 năm 2026
BÁO CÁO
Kết quả công tác năm 2025

I. KẾT QUẢ ĐẠT ĐƯỢC
1. Công tác hộ tịch
Năm 2025, xã đăng ký khai sinh 120 trường hợp.
2. Nhiệm vụ chuyển tiếp
Đã bàn giao đầy đủ hồ sơ của xã cũ.

II. ĐÁNH GIÁ CHUNG
Những mặt còn hạn chế
- Phần mềm hộ tịch có lúc gián đoạn.
Nguyên nhân khách quan:
- Đường truyền yếu ở thôn xa.
- Về chủ quan: công chức kiêm nhiệm nhiều việc; chưa kiểm tra thường xuyên.

III. PHƯƠNG HƯỚNG NĂM 2026
Tiếp tục số hóa sổ hộ tịch; đồng thời kiện toàn tổ hòa giải.

KIẾN NGHỊ, ĐỀ XUẤT
Kiến nghị với UBND tỉnh: bố trí kinh phí số hóa.
Đề nghị Sở Tài chính hướng dẫn thủ tục điều chỉnh vốn.
"""


def test_sections_are_found_by_meaning_in_their_forms():
    s = report(FORMS)
    assert [d["text"] for d in s.difficulties] == ["Phần mềm hộ tịch có lúc gián đoạn"]
    assert [(c["side"], c["text"]) for c in s.causes] == [
        ("objective", "Đường truyền yếu ở thôn xa"), ("subjective", "Công chức kiêm nhiệm nhiều việc"),
        ("subjective", "Chưa kiểm tra thường xuyên")]
    assert [t["text"] for t in s.tasks] == ["Tiếp tục số hóa sổ hộ tịch", "Kiện toàn tổ hòa giải"], \
        "'2. Nhiệm vụ chuyển tiếp' under the results is work done, not a plan"
    assert [(r["addressee"], r["text"]) for r in s.recommendations] == [
        ("UBND tỉnh", "Bố trí kinh phí số hóa"),
        ("Sở Tài chính", "Đề nghị Sở Tài chính hướng dẫn thủ tục điều chỉnh vốn")]
    assert s.period == "Năm 2025" and s.figures[0].line() == "Năm 2025 — Xã đăng ký khai sinh: 120 trường hợp"


@pytest.mark.parametrize("heading", ["2. Tồn tại, hạn chế", "b) Hạn chế, khó khăn", "KHÓ KHĂN, VƯỚNG MẮC",
                                     "2.2. Khó khăn, vướng mắc", "Những mặt còn hạn chế"])
def test_difficulty_headings_in_many_forms(heading):
    s = report(f"I. KẾT QUẢ\n1. Công tác chung\nXã hoàn thành kế hoạch.\n2. Đánh giá\n{heading}\n"
               "Thiếu công chức chuyên môn về đất đai.\n")
    assert [d["text"] for d in s.difficulties] == ["Thiếu công chức chuyên môn về đất đai"]


def test_both_sides_of_causes_in_one_paragraph_and_a_point_opened_by_mot_la():
    s = report("I. KẾT QUẢ\n1. Công tác chung\nXã hoàn thành kế hoạch.\n2. Nguyên nhân\n"
               "Về khách quan, khối lượng hồ sơ chuyển về xã lớn; kinh phí còn hạn chế. "
               "Về chủ quan, một số công chức chưa thành thạo phần mềm.\n"
               "3. Bài học kinh nghiệm\nMột là, phải có sự chỉ đạo thường xuyên; xác định đây là nhiệm vụ trọng tâm.\n"
               "Hai là, người đứng đầu phải gương mẫu trong công việc.\n")
    assert [(c["side"], c["text"]) for c in s.causes] == [
        ("objective", "Khối lượng hồ sơ chuyển về xã lớn"), ("objective", "Kinh phí còn hạn chế"),
        ("subjective", "Một số công chức chưa thành thạo phần mềm")]
    assert [x["text"] for x in s.lessons] == [
        "Phải có sự chỉ đạo thường xuyên; xác định đây là nhiệm vụ trọng tâm",
        "Người đứng đầu phải gương mẫu trong công việc"]


# --- two periods side by side ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def pair():
    return read_summary(str(TAN_PHONG_2026)), read_summary(str(TAN_PHONG_2025))


def test_the_same_indicators_of_two_periods_side_by_side(pair):
    a, b = pair
    rows = {r["label"]: r for r in compare_summaries(a, b)["rows"]}
    birth = rows["Đăng ký khai sinh"]
    assert (birth["a"]["value"], birth["b"]["value"], birth["change"], birth["change_percent"]) == \
        ("176", "214", "−38", "−17,8%")
    rate = rows["Tỷ lệ hòa giải thành"]
    assert (rate["a"]["value"], rate["b"]["value"], rate["change"]) == ("80,0", "81,5", "−1,5 điểm %")
    assert rows["Hòa giải không thành"]["b"]["value"] == "03", "'không thành' is not 'thành'"
    assert rows["Đăng ký nuôi con nuôi trong nước"]["b"] is None
    assert any(r["a"] is None and r["b"]["value"] == "04" for r in rows.values()), "only in the period before"


def test_indicators_are_matched_by_their_words_not_their_position(pair):
    a, b = pair
    shuffled = read_summary(str(TAN_PHONG_2025))
    random.Random(17).shuffle(shuffled.figures)
    pairs = {(r["a"]["value"], r["b"]["value"]) for r in compare_summaries(a, b)["rows"] if r["a"] and r["b"]}
    again = {(r["a"]["value"], r["b"]["value"]) for r in compare_summaries(a, shuffled)["rows"] if r["a"] and r["b"]}
    assert pairs == again and ("176", "214") in pairs


def test_reports_of_two_units_are_compared_with_a_warning(pair):
    warning = compare_summaries(pair[0], read_summary(str(SAMPLE)))["warning"]
    assert warning and "xã Tân Phong" in warning and "xã An Hòa" in warning
    assert compare_summaries(*pair)["warning"] is None


def test_the_comparison_exports_to_word(pair, data_dir):
    from docx import Document as Docx

    path = export_comparison_docx(compare_summaries(*pair))
    doc = Docx(str(path))
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header[0] == "Chỉ tiêu" and header[2].startswith("6 tháng đầu năm 2026") and "12/06/2026" in header[2]
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows[1:]]
    assert ["Đăng ký khai sinh", "trường hợp", "176", "214", "−38", "−17,8%"] in rows
    assert rows == comparison_rows(compare_summaries(*pair))


def test_cli_summarize_with_compare(monkeypatch, capsys):
    monkeypatch.setattr(llm, "complete", lambda *a, **k: "Xã đăng ký khai sinh 176 trường hợp.")
    code = cli.main(["summarize", str(TAN_PHONG_2026), "--compare", str(TAN_PHONG_2025), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    s = out["summary"]
    assert s["date"] == "2026-06-12" and s["comparison"]["b"]["number"] == "186/BC-UBND"
    assert {"label", "value", "unit", "period", "section", "page", "field"} <= set(s["figures"][0])
    assert any(r["label"] == "Đăng ký khai sinh" and r["change"] == "−38" for r in s["comparison"]["rows"])
    assert "So sánh với kỳ trước" in out["text"]


# --- the app's tab ------------------------------------------------------------------------------------

def test_the_tab_compares_two_reports_and_exports_the_table(data_dir):
    from assistant.ui import summary as tab

    status, table, state = tab.compare_run(None, str(TAN_PHONG_2026), None, str(TAN_PHONG_2025))
    assert "chỉ tiêu có ở cả hai kỳ" in status and state["comparison"]
    assert table["headers"][2].startswith("6 tháng đầu năm 2026") and table["headers"][3].startswith("Năm 2025")
    assert ["Đăng ký khai sinh", "trường hợp", "176", "214", "−38", "−17,8%"] in table["data"]
    update, message = tab.comparison_export(state)
    assert update["value"].endswith(".docx") and "Đã xuất" in message
    status, table, state = tab.compare_run(None, str(TAN_PHONG_2026), None, None)
    assert "Chọn báo cáo kỳ này và báo cáo kỳ trước" in status and state is None
    assert "xã An Hòa" in tab.compare_run(None, str(TAN_PHONG_2026), None, str(SAMPLE))[0]


def test_the_tab_shows_the_figures_grouped_by_field_and_period():
    from assistant.ui import summary as tab

    table = tab.figures_table({"summary": read_summary(str(SEED)).to_dict()})
    assert table["headers"] == ["Lĩnh vực", "Kỳ", "Chỉ tiêu", "Số liệu", "Mục", "Trang"]
    assert ["Thủ tục hành chính", "Quý I năm 2026", "Cấp bản sao trích lục hộ tịch", "33 trường hợp",
            "II > 1 > 1.9", 1] in table["data"]
    assert tab.figures_table(None)["data"] == []


def test_a_part_heading_takes_its_title_from_the_next_line_and_dates_its_targets():
    s = report("Phần thứ nhất\nKẾT QUẢ NĂM 2025\n\nI. KINH TẾ\n\nTổng thu ngân sách đạt 28 tỷ đồng.\n\n"
                   "Phần thứ hai\nPHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026\n\nI. CÁC CHỈ TIÊU CHỦ YẾU\n\n"
                   "- Tổng thu ngân sách nhà nước trên địa bàn đạt 30 tỷ đồng trở lên.\n")
    periods = {f.value: f.period for f in s.figures}
    assert periods["30"] == "Năm 2026"


@pytest.mark.parametrize("lead, who", [
    ("5. Đối với Chi nhánh Ngân hàng Chính sách xã hội tỉnh:", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"),
    ("4. Đối với Sở Văn hóa, Thể thao và Du lịch:", "Sở Văn hóa, Thể thao và Du lịch"),
    ("5. Đề nghị Thuế tỉnh Tây Ninh:", "Thuế tỉnh Tây Ninh"),
])
def test_addressees_named_in_their_full_forms(lead, who):
    s = report("I. KẾT QUẢ\n1. Công tác chung\nXã hoàn thành kế hoạch.\nII. KIẾN NGHỊ, ĐỀ XUẤT\n"
               f"{lead}\n- Ưu tiên bổ sung nguồn vốn cho xã.\n")
    assert [(r["addressee"], r["text"]) for r in s.recommendations] == [(who, "Ưu tiên bổ sung nguồn vốn cho xã")]
