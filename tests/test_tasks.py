"""The commune-level task register: structure of a legal text, who acts in each clause, fields,
the registry link, the command line, the Word appendix and figures from the unit's reports."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT

from assistant import export
from assistant.cli import main
from assistant.documents import Document, Page
from assistant.errors import AssistantError
from assistant.loaders import load
from assistant.manifest import DocumentRecord
from assistant.tasks import SourceNotFound, extract_tasks, parse_legal, register_for, registers_for_field, sources
from assistant.tasks.extract import document_field, heading_fields
from assistant.tasks.results import results_from_reports
from assistant.tasks.sources import _find_record

from conftest import PROJECT_ROOT, shared_path

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from legal_renderings import make_legal_docx, make_legal_pdf  # noqa: E402
from makefiles import dejavu_font  # noqa: E402

ND120 = ("data", "decrees", "nd-120-2025-nd-cp-phan-dinh-tham-quyen-tu-phap.md")
ND30 = ("data", "decrees", "nd-30-2020-nd-cp-cong-tac-van-thu.md")
KEY = PROJECT_ROOT / "bench" / "data" / "tasks_key" / "key.json"
CONTRACT_TASK_KEYS = {"article", "clause", "point", "actor", "field", "text", "new_to_commune"}
CONTRACT_DOCUMENT_KEYS = {"number", "doc_type", "date", "issuer", "title"}


def doc_of(text: str, fmt: str = "md") -> Document:
    return Document(source=f"van-ban.{fmt}", sha256="0", format=fmt, pages=[Page(1, text)])


def tasks_of(text: str, fmt: str = "md"):
    return extract_tasks(doc_of(text, fmt)).tasks


def keys_of(text: str, fmt: str = "md") -> list[tuple]:
    return [t.key for t in tasks_of(text, fmt)]


def nd120_key() -> set[tuple]:
    key = json.loads(KEY.read_text(encoding="utf-8"))
    entries = next(d["entries"] for d in key["documents"] if d["path"].endswith(ND120[-1]))
    return {(e["article"], e["clause"], e["point"]) for e in entries if e["task"]}


# ---------------------------------------------------------------------------- structure

STRUCTURED = """\
NGHỊ ĐỊNH QUY ĐỊNH VỀ THỬ NGHIỆM

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Nghị định này quy định về thử nghiệm.

Chương II. PHÂN ĐỊNH THẨM QUYỀN TRONG LĨNH VỰC HỘ TỊCH, CHỨNG THỰC

Mục 1. LĨNH VỰC HỘ TỊCH

Điều 2. Thẩm quyền
1. Ủy ban nhân dân cấp xã thực hiện đăng ký khai sinh.
Khoản này có đoạn thứ hai.
2. Ủy ban nhân dân cấp xã có trách nhiệm sau đây:
a) Tiếp nhận hồ sơ;
b) Cập nhật Cơ sở dữ liệu hộ tịch điện tử.
- c) Báo cáo Ủy ban nhân dân cấp tỉnh.

Điều 3. Điều khoản khác
Văn bản này không có khoản.

PHỤ LỤC
Điều 9. Mẫu văn bản
1. Ủy ban nhân dân cấp xã thực hiện mẫu này.
"""


def test_structure_reads_chapters_sections_articles_clauses_and_points():
    legal = parse_legal(doc_of(STRUCTURED))
    assert [a.number for a in legal.articles] == [1, 2, 3]  # nothing after the Phụ lục
    art = legal.articles[1]
    assert art.title == "Thẩm quyền"
    assert art.chapter.num == "II" and "HỘ TỊCH, CHỨNG THỰC" in art.chapter.title
    assert art.section.num == "1" and art.section.title == "LĨNH VỰC HỘ TỊCH"
    assert [c.number for c in art.clauses] == [1, 2]
    assert art.clauses[0].text == "Ủy ban nhân dân cấp xã thực hiện đăng ký khai sinh.\nKhoản này có đoạn thứ hai."
    assert [p.letter for p in art.clauses[1].points] == ["a", "b", "c"]  # "- c)" (Markdown bullet) too
    assert legal.articles[0].chapter.title == "QUY ĐỊNH CHUNG"  # title on the line below "Chương I"
    assert legal.articles[2].clauses[0].number is None


def test_wrapped_pdf_lines_are_not_taken_for_headings_or_clauses():
    text = ("Điều 4. Thẩm quyền đăng ký hộ tịch\n"
            "Ủy ban nhân dân cấp xã thực hiện thẩm quyền quy định tại khoản 2 Điều 7,\n"
            "Chương III của Luật Hộ tịch và khoản\n"
            "3. Điều 8 của Nghị định số 123/2015/NĐ-CP; quy định tại\n"
            "Điều 9. của Nghị định này.\n"
            "Điều 5. Giải quyết việc đăng ký\n"
            "1. Cá nhân có quyền lựa chọn nơi đăng ký.\n")
    legal = parse_legal(doc_of(text, "pdf"))
    assert [a.number for a in legal.articles] == [4, 5]
    assert legal.articles[0].chapter is None  # "Chương III của Luật …" is a reference
    assert [c.number for c in legal.articles[0].clauses] == [None]  # "3. Điều 8 …" is not khoản 3
    assert [c.number for c in legal.articles[1].clauses] == [1]


def test_notes_after_a_text_are_not_read_as_its_clauses():
    text = ("### Điều 2. Đối tượng\n1. Cơ quan nhà nước.\n\n## Tóm tắt của người thu thập\n\n"
            "1. Ủy ban nhân dân cấp xã cấp giấy phép bán lẻ thuốc lá.\n")
    assert tasks_of(text) == []


# ---------------------------------------------------------------------------- who acts

@pytest.mark.parametrize("clause, actor", [
    ("Ủy ban nhân dân cấp xã có trách nhiệm tiếp nhận đăng ký môi trường.", "Ủy ban nhân dân cấp xã"),
    ("Việc niêm yết danh sách cộng tác viên thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp xã.",
     "Chủ tịch Ủy ban nhân dân cấp xã"),
    ("Việc báo cáo tình hình nuôi con nuôi do Ủy ban nhân dân cấp xã thực hiện.", "Ủy ban nhân dân cấp xã"),
    ("Việc bảo đảm an ninh trật tự thuộc trách nhiệm của Công an cấp xã.", "Công an cấp xã"),
    ("Người thực hiện chứng thực bao gồm: Chủ tịch, Phó Chủ tịch Ủy ban nhân dân cấp xã; công chứng viên.",
     "Chủ tịch, Phó Chủ tịch Ủy ban nhân dân cấp xã"),
    ("Hồ sơ chưa giải quyết xong thì chuyển giao cho Ủy ban nhân dân cấp xã nơi cư trú tiếp tục giải quyết.",
     "Ủy ban nhân dân cấp xã"),
    ("Chủ tịch Ủy ban nhân dân cấp tỉnh, cấp xã tổ chức thực hiện việc xem xét trách nhiệm hoàn trả.",
     "Chủ tịch Ủy ban nhân dân cấp tỉnh, cấp xã"),
    ("Công chức tư pháp - hộ tịch giúp Ủy ban nhân dân cấp xã thực hiện việc đăng ký hộ tịch.",
     "Công chức tư pháp - hộ tịch"),
    ("Uỷ ban nhân dân xã, phường, thị trấn lập danh sách người nghiện ma túy.",
     "Uỷ ban nhân dân xã, phường, thị trấn"),  # old tone placement
    ("UBND cấp xã định kỳ 06 tháng rà soát, đánh giá việc trẻ em cần được nhận làm con nuôi.", "UBND cấp xã"),
    # folded, "Tư pháp" would read "từ pháp" and "Sở" would read "số": the short words keep their marks
    ("Sở Tư pháp, Ủy ban nhân dân cấp xã có trách nhiệm phổ biến pháp luật về hòa giải.", "Ủy ban nhân dân cấp xã"),
    ("Trường hợp người dân nộp hồ sơ không phải tại Ủy ban nhân dân cấp xã nơi thường trú thì Ủy ban nhân "
     "dân cấp xã nơi tiếp nhận có trách nhiệm hỗ trợ.", "Ủy ban nhân dân cấp xã"),
])
def test_a_commune_actor_given_a_task(clause, actor):
    tasks = tasks_of(f"Điều 5. Nhiệm vụ\n1. {clause}\n")
    assert [(t.key, t.actor) for t in tasks] == [((5, 1, None), actor)]


@pytest.mark.parametrize("clause", [
    "Thị trường quy định tại khoản 1 Điều 23 của Luật là thị trường trong phạm vi cấp xã nơi phát sinh thiệt hại.",
    "Người dịch là cộng tác viên của Ủy ban nhân dân cấp xã phải đăng ký chữ ký mẫu tại Ủy ban nhân dân cấp xã.",
    "Tổ chức, cá nhân kịp thời thông báo cho Ủy ban nhân dân cấp xã khi phát hiện ô nhiễm môi trường.",
    "Cơ sở thu gom có trách nhiệm phối hợp với Ủy ban nhân dân cấp xã xác định tuyến thu gom.",
    "Ủy ban nhân dân cấp tỉnh khen thưởng tổ chức, cá nhân trên cơ sở đề nghị của Ủy ban nhân dân cấp xã.",
    "Ủy ban nhân dân các cấp lựa chọn cơ sở thu gom chất thải rắn sinh hoạt.",
    "Trường hợp không xác định được Ủy ban nhân dân cấp xã có thẩm quyền thì Sở Tư pháp tiếp nhận yêu cầu.",
    "Ủy ban nhân dân cấp tỉnh gửi quyết định đến Sở Tài nguyên và Môi trường, Ủy ban nhân dân cấp huyện, "
    "Ủy ban nhân dân cấp xã nơi thực hiện dự án đầu tư.",
    "Ủy ban nhân dân cấp tỉnh chỉ đạo Ủy ban nhân dân cấp huyện, cấp xã xây dựng năng lực phòng ngừa sự cố.",
    "Thời hạn quản lý là 01 năm kể từ ngày Chủ tịch Ủy ban nhân dân cấp xã ra quyết định quản lý.",
    "Giám hộ là việc cá nhân, pháp nhân được Ủy ban nhân dân cấp xã cử để thực hiện việc chăm sóc người chưa "
    "thành niên.",
    "Quyết định của Tòa án được gửi cho người bị bạo lực gia đình, Chủ tịch Ủy ban nhân dân cấp xã, Trưởng "
    "Công an xã và Viện kiểm sát nhân dân cùng cấp.",
])
def test_a_mention_that_gives_the_commune_nothing(clause):
    assert tasks_of(f"Điều 5. Quy định khác\n1. {clause}\n") == []


def test_scope_and_definition_articles_give_no_task():
    text = ("Điều 1. Phạm vi điều chỉnh\nTrung tâm Phục vụ hành chính công cấp xã thực hiện thủ tục.\n\n"
            "Điều 2. Đối tượng áp dụng\n1. Các cơ quan giải quyết thủ tục hành chính:\n"
            "a) Ủy ban nhân dân cấp tỉnh, Ủy ban nhân dân cấp xã;\n\n"
            "Điều 3. Giải thích từ ngữ\n1. Cơ quan đăng ký cư trú bao gồm Công an xã, phường, thị trấn.\n")
    assert tasks_of(text) == []


def test_a_lead_in_that_gives_the_task_lists_one_task_per_point():
    text = ("Điều 7. Trách nhiệm\n3. Ủy ban nhân dân cấp xã, trong phạm vi nhiệm vụ, quyền hạn của mình, có "
            "trách nhiệm sau đây:\na) Tuyên truyền, phổ biến pháp luật;\nb) Tổ chức thực hiện việc kê khai;\n"
            "c) Thống kê cơ sở chăn nuôi trên địa bàn.\n")
    tasks = tasks_of(text)
    assert [t.reference for t in tasks] == ["điểm a khoản 3 Điều 7", "điểm b khoản 3 Điều 7", "điểm c khoản 3 Điều 7"]
    assert {t.actor for t in tasks} == {"Ủy ban nhân dân cấp xã"}
    assert tasks[1].text == "Tổ chức thực hiện việc kê khai;"


def test_a_lead_in_that_lists_cases_is_one_task():
    text = ("Điều 23. Quản lý\n5. Chủ tịch Ủy ban nhân dân cấp xã ra quyết định dừng quản lý trong các trường hợp "
            "sau đây:\na) Người đó được xác định là người nghiện ma túy;\nb) Người đó phải thi hành án phạt tù.\n")
    (task,) = tasks_of(text)
    assert task.key == (23, 5, None)
    assert task.text.endswith("b) Người đó phải thi hành án phạt tù.")


def test_clauses_share_the_actor_the_title_or_lead_in_names():
    text = ("Điều 12. Nhiệm vụ, quyền hạn của Chủ tịch Ủy ban nhân dân cấp xã\n"
            "1. Tổ chức thực hiện kế hoạch phòng, chống thiên tai trên địa bàn.\n"
            "2. Hằng năm, Sở Nông nghiệp hướng dẫn nghiệp vụ.\n")
    assert [(t.key, t.actor) for t in tasks_of(text)] == [((12, 1, None), "Chủ tịch Ủy ban nhân dân cấp xã")]


def test_new_to_commune_is_not_read_into_look_alike_words():
    # Folded, "Tư pháp" reads "từ pháp" and "ma túy" reads "mà túy": neither says the task came from cấp huyện.
    text = ("Điều 3. Quản lý\n1. Ủy ban nhân dân cấp xã gửi Sở Tư pháp, Ủy ban nhân dân cấp huyện danh sách người "
            "sử dụng trái phép chất ma túy, Ủy ban nhân dân cấp huyện tổng hợp.\n")
    assert [t.new_to_commune for t in tasks_of(text)] == [False]


def test_new_to_commune_only_when_the_text_says_so():
    text = ("Điều 19. Cơ quan giải quyết bồi thường\n"
            "1. Ủy ban nhân dân cấp xã là cơ quan giải quyết bồi thường trong trường hợp hành vi gây thiệt hại của "
            "Ủy ban nhân dân cấp huyện thuộc nhóm nhiệm vụ của Ủy ban nhân dân cấp xã.\n"
            "2. Ủy ban nhân dân cấp xã là cơ quan giải quyết bồi thường đối với hành vi của công chức cấp xã.\n"
            "3. Ủy ban nhân dân cấp xã báo cáo Ủy ban nhân dân cấp huyện kết quả giải quyết.\n")
    assert [(t.clause, t.new_to_commune) for t in tasks_of(text)] == [(1, True), (2, False), (3, False)]


# ---------------------------------------------------------------------------- fields

def test_fields_from_headings_and_titles():
    assert heading_fields("PHÂN ĐỊNH THẨM QUYỀN TRONG LĨNH VỰC HÒA GIẢI Ở CƠ SỞ, BỒI THƯỜNG NHÀ NƯỚC") == [
        "Hòa giải ở cơ sở", "Bồi thường nhà nước"]
    assert heading_fields("LĨNH VỰC HỘ TỊCH") == ["Hộ tịch"]
    assert heading_fields("QUẢN LÝ VĂN BẢN ĐI") == ["Quản lý văn bản đi"]
    assert heading_fields("ĐIỀU KHOẢN THI HÀNH") == []
    assert document_field("Về công tác văn thư") == "Công tác văn thư"
    assert document_field("Quy định về phân định thẩm quyền trong lĩnh vực quản lý nhà nước của Bộ Tư pháp") == \
        "Quản lý nhà nước của Bộ Tư pháp"


def test_a_two_field_chapter_and_a_closing_chapter_take_the_field_the_text_names():
    text = ("Chương IV. THẨM QUYỀN TRONG LĨNH VỰC HÒA GIẢI Ở CƠ SỞ, BỒI THƯỜNG NHÀ NƯỚC\n\n"
            "Điều 18. Quản lý nhà nước về hòa giải ở cơ sở\n1. Ủy ban nhân dân cấp xã thực hiện quản lý.\n\n"
            "Điều 19. Giải quyết bồi thường\n1. Ủy ban nhân dân cấp xã là cơ quan giải quyết bồi thường.\n\n"
            "Điều 20. Bảo đảm an ninh cho buổi xin lỗi\n1. Công an cấp xã có trách nhiệm bảo đảm an ninh.\n\n"
            "Chương V. ĐIỀU KHOẢN THI HÀNH\n\n"
            "Điều 24. Chuyển tiếp\n1. Hồ sơ bồi thường chưa giải quyết xong thì chuyển giao cho Ủy ban nhân dân cấp "
            "xã tiếp tục giải quyết.\n")
    assert [(t.article, t.field) for t in tasks_of(text)] == [
        (18, "Hòa giải ở cơ sở"), (19, "Bồi thường nhà nước"), (20, "Bồi thường nhà nước"),
        (24, "Bồi thường nhà nước")]


# ---------------------------------------------------------------------------- NĐ 120/2025 and the shared texts

def test_nd120_register_matches_the_labelled_key():
    reg = register_for(str(shared_path(*ND120)))
    assert {t.key for t in reg.tasks} == nd120_key()
    assert reg.document["number"] == "120/2025/NĐ-CP" and reg.document["date"] == "2025-06-11"
    # the registry's exact title, not the header's upper-case line
    assert reg.document["title"] == ("Quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong "
                                     "lĩnh vực quản lý nhà nước của Bộ Tư pháp")
    assert reg.citation.startswith("Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ")
    groups = reg.by_field()
    assert list(groups) == ["Hộ tịch", "Nuôi con nuôi", "Chứng thực", "Hòa giải ở cơ sở", "Bồi thường nhà nước"]
    assert [len(v) for v in groups.values()] == [7, 4, 5, 1, 4]
    assert [t.reference for t in reg.tasks if t.new_to_commune] == [
        "khoản 2 Điều 19", "khoản 1 Điều 24", "khoản 2 Điều 24"]
    by_key = {t.key: t for t in reg.tasks}
    assert by_key[(22, 1, None)].actor == "Công an cấp xã"
    assert by_key[(12, 1, None)].text.startswith("Việc xác nhận công dân Việt Nam thường trú ở khu vực biên giới")


def test_the_json_shape_follows_the_cli_contract():
    out = register_for(str(shared_path(*ND120))).to_dict()
    assert CONTRACT_DOCUMENT_KEYS <= set(out["document"])
    assert all(set(t) == CONTRACT_TASK_KEYS for t in out["tasks"])
    first = out["tasks"][0]
    assert first["article"] == 4 and first["clause"] is None and first["point"] is None
    json.dumps(out, ensure_ascii=False)


def test_nd30_gives_the_commune_nothing():
    assert register_for(str(shared_path(*ND30))).tasks == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_docx_and_pdf_renderings_give_the_same_register(tmp_path, fmt):
    markdown = shared_path(*ND120).read_text(encoding="utf-8")
    if fmt == "docx":
        path = make_legal_docx(tmp_path / "nd120.docx", markdown)
    else:
        font = dejavu_font()
        if font is None:
            pytest.skip("DejaVuSans.ttf không có (apt-get install fonts-dejavu-core)")
        path = make_legal_pdf(tmp_path / "nd120.pdf", markdown, font)
    reg = register_for(str(path))
    md = register_for(str(shared_path(*ND120)))
    assert [(t.key, t.actor, t.field, t.new_to_commune) for t in reg.tasks] == \
        [(t.key, t.actor, t.field, t.new_to_commune) for t in md.tasks]
    assert reg.document["title"] == md.document["title"]


# ---------------------------------------------------------------------------- indexed documents

def _record(number: str, source: str, kind: str = "Nghị định", doc_id: str = "abc") -> DocumentRecord:
    return DocumentRecord(doc_id=doc_id, source=source, sha256="0", kind=kind, number=number,
                          ingested_at="2026-01-01T00:00:00")


def test_an_indexed_document_is_found_by_its_number_in_any_usual_form():
    recs = [_record("120/2025/NĐ-CP", "a.md", doc_id="a"), _record("121/2025/NĐ-CP", "b.md", doc_id="b"),
            _record("120/2024/TT-BTP", "c.md", kind="Thông tư", doc_id="c")]
    for query in ("120/2025/NĐ-CP", "120/2025/ND-CP", "120/2025", "Nghị định 120", "NĐ 120/2025", "a"):
        assert _find_record(query, recs).source == "a.md", query
    with pytest.raises(AssistantError, match="nhiều văn bản"):
        _find_record("120", recs)
    with pytest.raises(SourceNotFound, match="Chưa nạp văn bản nào có số '999/2025'"):
        _find_record("999/2025", recs)


class _FakeIndex:
    def __init__(self, records):
        self.records = records

    def documents(self):
        return self.records


def test_registers_for_a_field_keep_the_tasks_of_that_field(monkeypatch):
    nd120, nd30 = str(shared_path(*ND120)), str(shared_path(*ND30))
    index = _FakeIndex([_record("120/2025/NĐ-CP", nd120, doc_id="a"), _record("30/2020/NĐ-CP", nd30, doc_id="b"),
                        _record("15/BC-UBND", nd120, kind="Báo cáo", doc_id="c")])
    monkeypatch.setattr(sources, "get_index", lambda: index)
    monkeypatch.setattr(sources, "registry_with_corpus", lambda index=None: None)
    (hotich,) = registers_for_field("hộ tịch")
    assert {t.field for t in hotich.tasks} == {"Hộ tịch"} and len(hotich.tasks) == 7
    (tuphap,) = registers_for_field("Tư pháp")  # the decree's title names the Bộ Tư pháp: all its tasks
    assert len(tuphap.tasks) == 21 and tuphap.document["number"] == "120/2025/NĐ-CP"
    assert registers_for_field("đất đai") == []
    assert register_for("Nghị định 120").document["number"] == "120/2025/NĐ-CP"
    with pytest.raises(SourceNotFound):
        register_for("999/2025/NĐ-CP")


# ---------------------------------------------------------------------------- command line

def test_cli_json_and_table(capsys):
    path = str(shared_path(*ND120))
    assert main(["tasks", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["tasks"]) == 21 and out["document"]["number"] == "120/2025/NĐ-CP"
    assert main(["tasks", path]) == 0
    table = capsys.readouterr().out
    assert "21 nhiệm vụ của cấp xã trong 5 lĩnh vực" in table
    assert "Hộ tịch — 07 nhiệm vụ" in table and "Bồi thường nhà nước — 04 nhiệm vụ" in table
    assert " 21   khoản 2 Điều 22" in table


def test_cli_errors_name_the_fix(capsys, tmp_path):
    path = str(shared_path(*ND120))
    assert main(["tasks", path, "--level", "tinh"]) == 2
    assert "Không có quy tắc cho cấp 'tinh'" in capsys.readouterr().err
    assert main(["tasks", str(tmp_path / "khong-co.docx")]) == 1
    assert "Không tìm thấy tệp" in capsys.readouterr().err


# ---------------------------------------------------------------------------- the Word appendix

REPORT = """\
ỦY BAN NHÂN DÂN XÃ BÌNH THÀNH
Số: 15/BC-UBND
BÁO CÁO
Kết quả công tác tư pháp năm 2025
- Công tác chứng thực: chứng thực bản sao từ bản chính 1.707 việc, chứng thực chữ ký 85 việc.
- Hòa giải ở cơ sở: tiếp nhận 12 vụ việc, hòa giải thành 10 vụ việc.
- Năm 2025, xã tổ chức 3 hội nghị.
"""


def test_results_come_from_the_report_with_their_source():
    reg = register_for(str(shared_path(*ND120)))
    results = results_from_reports([reg], [doc_of(REPORT)])
    assert set(results.values()) == {
        "Công tác chứng thực: chứng thực bản sao từ bản chính 1.707 việc, chứng thực chữ ký 85 việc. "
        "(nguồn: Báo cáo số 15/BC-UBND)",
        "Hòa giải ở cơ sở: tiếp nhận 12 vụ việc, hòa giải thành 10 vụ việc. (nguồn: Báo cáo số 15/BC-UBND)"}
    fields = {next(t.field for t in reg.tasks if (reg.document["number"], *t.key) == k) for k in results}
    assert fields == {"Chứng thực", "Hòa giải ở cơ sở"}


@pytest.fixture
def exports_to_tmp(tmp_path, monkeypatch):
    from assistant.config import reset_settings

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    reset_settings()
    yield
    reset_settings()


def test_appendix_docx_layout_and_content(exports_to_tmp, tmp_path):
    md = shared_path(*ND120).read_text(encoding="utf-8")
    # Two documents in one appendix: the register of NĐ 120/2025 and a short decree of another field.
    other = tmp_path / "nd-thu-nghiem.md"
    other.write_text("Số: 999/2025/NĐ-CP\n\nNGHỊ ĐỊNH\nVỀ CÔNG TÁC THỬ NGHIỆM\n\nChương I. LĨNH VỰC THỬ NGHIỆM\n\n"
                     "Điều 1. Nhiệm vụ\nỦy ban nhân dân cấp xã tổ chức thực hiện thử nghiệm.\n", encoding="utf-8")
    nd120 = register_for(str(shared_path(*ND120)))
    assert md  # the shared text exists
    regs = [nd120, register_for(str(other))]
    results = results_from_reports([nd120], [doc_of(REPORT)])
    path = export.export_tasks_appendix_docx(regs, unit="Ủy ban nhân dân xã Bình Thành", report_number="15/BC-UBND",
                                             report_date=date(2026, 1, 5), results=results)
    word = WordDocument(str(path))
    sec = word.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE and sec.page_width > sec.page_height
    lines = [p.text for p in word.paragraphs if p.text]
    assert lines[0] == "Phụ lục"
    assert lines[1] == "DANH MỤC NHIỆM VỤ PHÂN CẤP, PHÂN QUYỀN CHO CẤP XÃ"
    assert lines[2].startswith("theo Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân "
                               "định thẩm quyền") and "Nghị định số 999/2025/NĐ-CP" in lines[2]
    assert lines[3] == "(Kèm theo Báo cáo số 15/BC-UBND ngày 05 tháng 01 năm 2026 của Ủy ban nhân dân xã Bình Thành)"
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Nhiệm vụ", "Căn cứ (Điều, khoản, điểm; văn bản)",
                                                     "Chủ thể thực hiện", "Kết quả thực hiện"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    groups = [r[0] for r in rows if len(set(r)) == 1]
    assert groups == ["I. HỘ TỊCH (07 nhiệm vụ)", "II. NUÔI CON NUÔI (04 nhiệm vụ)", "III. CHỨNG THỰC (05 nhiệm vụ)",
                      "IV. HÒA GIẢI Ở CƠ SỞ (01 nhiệm vụ)", "V. BỒI THƯỜNG NHÀ NƯỚC (04 nhiệm vụ)",
                      "VI. THỬ NGHIỆM (01 nhiệm vụ)"]
    tasks = [r for r in rows if len(set(r)) > 1]
    assert len(tasks) == 22
    assert tasks[0][:4] == ["1", tasks[0][1], "Điều 4 Nghị định số 120/2025/NĐ-CP", "Ủy ban nhân dân xã, phường, đặc khu"]
    assert tasks[0][1].startswith("Ủy ban nhân dân xã, phường, đặc khu (sau đây gọi là Ủy ban nhân dân cấp xã)")
    filled = [r[4] for r in tasks if r[4]]
    assert len(filled) == 2 and all(f.endswith("(nguồn: Báo cáo số 15/BC-UBND)") for f in filled)
    assert any("chuyển từ cấp huyện hoặc chuyển giao cho cấp xã" in r[1] for r in tasks if "Điều 24" in r[2])
    assert "Tổng số: 22 nhiệm vụ thuộc 06 lĩnh vực." in lines[-1]


def test_appendix_of_a_document_without_tasks(exports_to_tmp):
    path = export.export_tasks_appendix_docx([register_for(str(shared_path(*ND30)))])
    text = load(path).text
    assert "không có điều, khoản nào giao nhiệm vụ cho cấp xã" in text
    assert "theo Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư" in text


def test_loading_a_register_of_a_real_file_reports_missing_files(tmp_path):
    with pytest.raises(AssistantError, match="Không tìm thấy tệp"):
        register_for(str(Path(tmp_path) / "khong-co.pdf"))
