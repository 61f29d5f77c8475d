"""Word exports follow Nghị định 30/2020 (fonts, quốc hiệu, tiêu ngữ, date line, nơi nhận, chữ ký);
the check report carries every finding; the chat export is Markdown."""
from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm, Pt

from assistant import export

DRAFT = """I. KẾT QUẢ ĐẠT ĐƯỢC

1. Về phát triển kinh tế

Tổng thu ngân sách trên địa bàn đạt **12,5 tỷ đồng** [1], bằng 104% dự toán [2].

- Sản xuất nông nghiệp ổn định;
* Chuyển đổi 15 ha đất lúa [3].
"""


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    from assistant.config import reset_settings

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    reset_settings()
    yield tmp_path / "data"
    reset_settings()


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def all_runs(doc):
    for p in doc.paragraphs:
        yield from p.runs
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs


def test_date_line_per_decree():
    assert export.vn_date_line("Bình Thành", date(2026, 1, 5)) == "Bình Thành, ngày 05 tháng 01 năm 2026"
    assert export.vn_date_line("Bình Thành", date(2026, 2, 28)) == "Bình Thành, ngày 28 tháng 02 năm 2026"
    assert export.vn_date_line("Bình Thành", date(2025, 11, 3)) == "Bình Thành, ngày 03 tháng 11 năm 2025"
    assert export.vn_date_line("An Hòa", date(2025, 3, 15)) == "An Hòa, ngày 15 tháng 3 năm 2025"


def test_agency_and_place_from_unit():
    assert export.agency_lines("UBND xã Bình Thành") == ["ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH"]
    assert export.agency_lines("HĐND xã An Hòa") == ["HỘI ĐỒNG NHÂN DÂN", "XÃ AN HÒA"]
    assert export.place_from_unit("UBND xã Bình Thành") == "Bình Thành"
    assert export.place_from_unit("Văn phòng") is None


def test_draft_docx_layout(data_dir):
    path = export.export_draft_docx(DRAFT, unit="UBND xã Bình Thành", number="05/BC-UBND", place=None,
                                    date=date(2026, 1, 5), title="Kết quả thực hiện nhiệm vụ năm 2025")
    assert path.parent == data_dir / "exports" and path.suffix == ".docx"
    doc = Document(path)
    text = all_text(doc)
    for needed in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN",
                   "XÃ BÌNH THÀNH", "Số: 05/BC-UBND", "Bình Thành, ngày 05 tháng 01 năm 2026", "BÁO CÁO",
                   "Kết quả thực hiện nhiệm vụ năm 2025", "Nơi nhận:", "Lưu: VT", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                   "12,5 tỷ đồng"):
        assert needed in text, needed
    assert "[1]" not in text and "**" not in text  # markers and markdown dropped from the signed document
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.left_margin - Mm(30)) < Mm(1)
    runs = [r for r in all_runs(doc) if r.text.strip()]
    assert all(r.font.name == "Times New Roman" for r in runs)
    assert all(Pt(11) <= r.font.size <= Pt(14) for r in runs)
    qh = next(r for r in runs if r.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert qh.bold and qh.font.size == Pt(13)
    date_run = next(r for r in runs if r.text.startswith("Bình Thành, ngày"))
    assert date_run.italic
    bold = next(r for r in runs if r.text == "12,5 tỷ đồng")
    assert bold.bold


def test_draft_docx_defaults_without_metadata():
    path = export.export_draft_docx("Nội dung.", unit=None, number=None, place=None, date=None, title=None)
    text = all_text(Document(path))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Nội dung." in text and "ngày" in text


def test_two_exports_never_collide():
    a = export.export_draft_docx("A", unit=None, number=None, place=None, date=None, title="x")
    b = export.export_draft_docx("B", unit=None, number=None, place=None, date=None, title="x")
    assert a != b and a.exists() and b.exists()


def test_check_docx_lists_findings_and_highlights_them():
    text = "Căn cứ Nghị định số 999/2099/NĐ-CP ngày 01/01/2099.\nThực hiện Kế hoạch 05/KH-UBND."
    start = text.index("Nghị định")
    end = text.index(".\n")
    result = {"report_date": "2026-01-05",
              "citations": [{"text": text[start:end], "number": "999/2099/NĐ-CP", "date": "2099-01-01",
                             "status": "unknown"}],
              "findings": [{"code": "unknown-document", "severity": "error", "message": "Không có trong danh mục",
                            "start": start, "end": end, "text": text[start:end], "suggestion": "Kiểm tra số hiệu"},
                           {"code": "incomplete-citation", "severity": "warning", "message": "Thiếu ngày ban hành",
                            "start": text.index("Kế hoạch"), "end": len(text) - 1, "text": "Kế hoạch 05/KH-UBND",
                            "suggestion": None}]}
    path = export.export_check_docx(text, result)
    doc = Document(path)
    body = all_text(doc)
    for needed in ("BÁO CÁO KIỂM TRA TRÍCH DẪN", "05/01/2026", "unknown-document", "Không có trong danh mục",
                   "Kiểm tra số hiệu", "Thiếu ngày ban hành", "999/2099/NĐ-CP", "Chưa có trong danh mục"):
        assert needed in body, needed
    highlighted = {r.text: r.font.highlight_color for r in all_runs(doc) if r.font.highlight_color}
    assert highlighted.get(text[start:end]) == WD_COLOR_INDEX.PINK
    assert highlighted.get("Kế hoạch 05/KH-UBND") == WD_COLOR_INDEX.YELLOW


def test_check_docx_accepts_a_check_result_object():
    from assistant.citations import check_text

    text = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015."
    result = check_text(text)
    path = export.export_check_docx(text, result)
    assert "BÁO CÁO KIỂM TRA TRÍCH DẪN" in all_text(Document(path))


def test_chat_markdown():
    history = [{"role": "user", "content": "Dân số xã?"},
               {"role": "assistant", "content": [{"type": "text", "text": "8.450 người [1]."}]},
               ("Câu hỏi cũ", "Trả lời cũ")]
    path = export.export_chat_markdown(history)
    body = path.read_text(encoding="utf-8")
    assert path.suffix == ".md"
    assert "**Người dùng:**" in body and "Dân số xã?" in body and "Câu hỏi cũ" in body and "Trả lời cũ" in body
    assert "8.450 người [1]." in body
