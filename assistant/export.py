"""Exports: report drafts and check reports as Word files laid out per Nghị định 30/2020/NĐ-CP
(thể thức văn bản hành chính), conversations as Markdown. Files go to data_dir/exports.

Layout (Phụ lục I, Nghị định 30/2020): A4, margins top/bottom 20 mm, left 30 mm, right 15 mm;
Times New Roman; quốc hiệu 13 pt bold upper case, tiêu ngữ 14 pt bold with a rule beneath;
cơ quan ban hành 13 pt bold upper case; số/ký hiệu 13 pt; địa danh và ngày 14 pt italic;
tên loại 14 pt bold; trích yếu 14 pt bold; body 14 pt justified, first-line indent 1 cm,
6 pt after; "Nơi nhận:" 12 pt bold italic with 11 pt items; signature block 14 pt bold.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path

from .config import get_settings
from .labels import WORD_HIGHLIGHT, counts_phrase, message_text, segments, severity_label, status_label
from .summarising.compare import COMPARISON_HEADERS, comparison_rows, period_heading
from .text import GAP_RUN, fold, nfc

FONT = "Times New Roman"
_MARKER = re.compile(r"\s?\[\d{1,3}\](?:\s?\[\d{1,3}\])*")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
# A gap a draft leaves for the clerk, "[cần bổ sung: số liệu quý I]": highlighted in the app and in Word.
PLACEHOLDER_RUN = GAP_RUN
GAP_HIGHLIGHT = "YELLOW"


# ---- paths and small text helpers ---------------------------------------------------------------
def exports_dir() -> Path:
    d = get_settings().data_dir / "exports"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _slug(s: str, default: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", fold(s or "")).strip("-")[:50]
    return s or default


def _out_path(stem: str, ext: str) -> Path:
    """A fresh, unguessable name (several sessions export at once; names are not shared)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return exports_dir() / f"{stem}-{stamp}-{secrets.token_hex(4)}.{ext}"


def vn_date_line(place: str | None, d: date) -> str:
    """'Bình Thành, ngày 05 tháng 01 năm 2026' (day < 10 and months 1, 2 take a leading zero)."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    line = f"ngày {day} tháng {month} năm {d.year}"
    return f"{place}, {line}" if place else line.capitalize()


def agency_lines(unit: str | None) -> list[str]:
    """'UBND xã Bình Thành' → ['ỦY BAN NHÂN DÂN', 'XÃ BÌNH THÀNH']."""
    unit = nfc((unit or "").strip())
    if not unit:
        return ["ỦY BAN NHÂN DÂN", "XÃ ………"]
    for short, full in (("UBND", "ỦY BAN NHÂN DÂN"), ("HĐND", "HỘI ĐỒNG NHÂN DÂN")):
        if unit.upper().startswith(short + " "):
            return [full, unit[len(short) + 1:].strip().upper()]
    for full in ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"):
        if unit.upper().startswith(full + " "):
            return [full.replace("UỶ", "ỦY"), unit[len(full) + 1:].strip().upper()]
    return [unit.upper()]


def place_from_unit(unit: str | None) -> str | None:
    m = re.search(r"(?:xã|phường|thị trấn|đặc khu)\s+(.+)$", nfc(unit or ""), re.IGNORECASE)
    return m.group(1).strip() if m else None


def signer_lines(unit: str | None) -> list[str]:
    head = agency_lines(unit)[0]
    if head == "HỘI ĐỒNG NHÂN DÂN":
        return ["TM. THƯỜNG TRỰC HĐND", "CHỦ TỊCH"]
    if head == "ỦY BAN NHÂN DÂN":
        return ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    return ["THỦ TRƯỞNG CƠ QUAN"]


def _doc_kind(number: str | None, title: str | None) -> str:
    """Tên loại văn bản from the ký hiệu (…/BC-UBND → BÁO CÁO); reports by default."""
    codes = {"BC": "BÁO CÁO", "KH": "KẾ HOẠCH", "TTr": "TỜ TRÌNH", "TB": "THÔNG BÁO", "QĐ": "QUYẾT ĐỊNH",
             "NQ": "NGHỊ QUYẾT", "CTr": "CHƯƠNG TRÌNH", "HD": "HƯỚNG DẪN", "ĐA": "ĐỀ ÁN"}
    m = re.search(r"/([A-Za-zĐđ]+)-", number or "")
    if m and m.group(1) in codes:
        return codes[m.group(1)]
    return "BÁO CÁO"


def _as_dict(obj) -> dict:
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if is_dataclass(obj):
        return asdict(obj)
    return dict(vars(obj))


# ---- python-docx building blocks ----------------------------------------------------------------
def _new_document():
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    pf = style.paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(6)
    pf.line_spacing = 1.15
    return doc


def _run(par, text: str, *, size: float = 14, bold: bool = False, italic: bool = False, highlight=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = par.add_run(text)
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    if highlight is not None:
        run.font.highlight_color = highlight
    return run


def _para(container, text: str = "", *, size: float = 14, bold: bool = False, italic: bool = False,
          align: str = "center", after: float = 0, indent_first: float | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    par = container.add_paragraph()
    par.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                     "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    par.paragraph_format.space_before = Pt(0)
    par.paragraph_format.space_after = Pt(after)
    par.paragraph_format.line_spacing = 1.0 if align != "justify" else 1.15
    if indent_first is not None:
        par.paragraph_format.first_line_indent = Cm(indent_first)
    if text:
        _run(par, text, size=size, bold=bold, italic=italic)
    return par


def _rule(par, width_chars: int = 14) -> None:
    """A short centred rule under a line (the line beneath tiêu ngữ / cơ quan), as a bottom border."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    ppr = par._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    # Narrow the border to roughly the text's width by indenting both sides of the paragraph.
    margin = max(0.0, (7.6 - width_chars * 0.25) / 2)
    par.paragraph_format.left_indent = Cm(margin)
    par.paragraph_format.right_indent = Cm(margin)


def _borderless_table(doc, rows: int, widths_mm: tuple[float, float]):
    from docx.shared import Mm

    table = doc.add_table(rows=rows, cols=2)
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)
            cell.paragraphs[0].paragraph_format.space_after = 0
    return table


def _cell_first(cell, text: str, **kw):
    par = cell.paragraphs[0]
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    par.paragraph_format.space_after = Pt(0)
    if text:
        _run(par, text, **kw)
    return par


def _header_block(doc, *, unit: str | None, number: str | None, place: str | None, d: date) -> None:
    """Quốc hiệu–tiêu ngữ (right) and cơ quan–số, ký hiệu (left), then the địa danh–ngày line."""
    table = _borderless_table(doc, 1, (65, 100))
    left, right = table.rows[0].cells
    lines = agency_lines(unit)
    _cell_first(left, lines[0], size=13, bold=len(lines) == 1)
    for i, line in enumerate(lines[1:], 1):
        p = _para(left, line, size=13, bold=True)
        if i == len(lines) - 1:
            _rule(p, width_chars=len(line))
    if len(lines) == 1:
        _rule(left.paragraphs[0], width_chars=len(lines[0]))
    num = (number or "").strip() or "     /BC-UBND"
    _para(left, f"Số: {num}", size=13).paragraph_format.space_before = _pt(6)
    _cell_first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
    _rule(_para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True), width_chars=27)
    dl = _para(right, vn_date_line(place, d), size=14, italic=True)
    dl.paragraph_format.space_before = _pt(6)


def _pt(v):
    from docx.shared import Pt

    return Pt(v)


def _inline(par, text: str, *, size: float = 14, bold: bool = False) -> None:
    """Text with **bold** spans as runs; each "[cần bổ sung: …]" highlighted so none is missed."""
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            _gapped(par, text[pos:m.start()], size=size, bold=bold)
        _gapped(par, m.group(1), size=size, bold=True)
        pos = m.end()
    if pos < len(text):
        _gapped(par, text[pos:], size=size, bold=bold)


def _gapped(par, text: str, *, size: float, bold: bool) -> None:
    pos = 0
    for m in PLACEHOLDER_RUN.finditer(text):
        if m.start() > pos:
            _run(par, text[pos:m.start()], size=size, bold=bold)
        _run(par, m.group(0), size=size, bold=True, highlight=_gap_colour())
        pos = m.end()
    if pos < len(text):
        _run(par, text[pos:], size=size, bold=bold)


def _gap_colour():
    from docx.enum.text import WD_COLOR_INDEX

    return getattr(WD_COLOR_INDEX, GAP_HIGHLIGHT)


_HEADING = re.compile(r"^(?:#{1,6}\s+|(?:[IVXLC]+|[A-Z])\.\s|\d+(?:\.\d+)*\.\s)")


def _body(doc, text: str) -> None:
    """Markdown-ish model text → paragraphs: headings (#, I., 1.) bold, bullets as '- ', **bold** kept."""
    for raw in nfc(text).splitlines():
        line = raw.strip()
        if not line:
            continue
        if set(line) <= set("-*_=") and len(line) >= 3:  # markdown rules
            continue
        heading = bool(_HEADING.match(line))
        if line.startswith("#"):
            line = line.lstrip("#").strip()
        if line.startswith(("* ", "• ")):
            line = "- " + line[2:]
        whole_bold = line.startswith("**") and line.endswith("**") and line.count("**") == 2
        par = _para(doc, align="justify", after=6, indent_first=1.0)
        _inline(par, line.strip("*") if whole_bold else line, bold=(heading and not line.startswith("- "))
                or whole_bold)


def _recipients_and_signature(doc, unit: str | None, recipients: list[str] | None) -> None:
    table = _borderless_table(doc, 1, (80, 85))
    left, right = table.rows[0].cells
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = _cell_first(left, "Nơi nhận:", size=12, bold=True, italic=True)
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    items = recipients or ["- Thường trực Đảng ủy xã (b/c);", "- Thường trực HĐND xã;",
                           "- Chủ tịch, các PCT UBND xã;", "- Lưu: VT."]
    for item in items:
        _para(left, item, size=11, align="left")
    sig = signer_lines(unit)
    _cell_first(right, sig[0], size=14, bold=True)
    for line in sig[1:]:
        _para(right, line, size=14, bold=True)
    _para(right, "(Chữ ký, dấu)", size=14, italic=True).paragraph_format.space_after = _pt(60)
    _para(right, "………………………", size=14, bold=True)


def _save(doc, stem: str) -> Path:
    path = _out_path(stem, "docx")
    tmp = path.with_name("." + path.name + ".part")
    doc.save(str(tmp))
    tmp.replace(path)
    return path


# ---- public API --------------------------------------------------------------------------------
def export_draft_docx(text: str, *, unit: str | None = None, number: str | None = None,
                      place: str | None = None, date: date | None = None, title: str | None = None,
                      recipients: list[str] | None = None, keep_markers: bool = False) -> Path:
    """A report draft as a Word document in the Nghị định 30/2020 layout; returns its path.

    Source markers [n] are dropped unless keep_markers (the signed document does not carry them).
    """
    from datetime import date as _date

    d = date or _date.today()
    place = (place or "").strip() or place_from_unit(unit) or "………"
    doc = _new_document()
    _header_block(doc, unit=unit, number=number, place=place, d=d)
    _para(doc, "", after=6)
    _para(doc, _doc_kind(number, title), size=14, bold=True)
    if title:
        t = _para(doc, nfc(title.strip()), size=14, bold=True)
        _rule(t, width_chars=min(len(title), 30))
    _para(doc, "", after=6)
    body = nfc(text or "")
    if not keep_markers:
        body = _MARKER.sub("", body)
    _body(doc, body)
    _para(doc, "", after=6)
    _recipients_and_signature(doc, unit, recipients)
    return _save(doc, "du-thao-" + _slug(title or "", "bao-cao"))


def _highlight_color(severity: str):
    from docx.enum.text import WD_COLOR_INDEX

    return getattr(WD_COLOR_INDEX, WORD_HIGHLIGHT.get(severity, "YELLOW"))


def _grid_table(doc, headers: list[str], rows: list[list[str]], widths_mm: list[float]):
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, h, w in zip(table.rows[0].cells, headers, widths_mm):
        cell.width = Mm(w)
        _cell_first(cell, h, size=12, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value, w in zip(cells, row, widths_mm):
            cell.width = Mm(w)
            p = _cell_first(cell, "")
            from docx.enum.text import WD_ALIGN_PARAGRAPH

            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _run(p, str(value or ""), size=12)
    return table


def export_check_docx(text: str, result, *, title: str | None = None) -> Path:
    """The citation-check report: summary, findings table, citations table, and the text with
    every finding highlighted (error pink/red, warning yellow, info turquoise)."""
    text = nfc(text or "")
    res = _as_dict(result)
    findings = [_as_dict(f) for f in res.get("findings") or []]
    citations = [_as_dict(c) for c in res.get("citations") or []]
    doc = _new_document()
    _para(doc, "BÁO CÁO KIỂM TRA TRÍCH DẪN VĂN BẢN", size=14, bold=True)
    if title:
        _para(doc, nfc(title), size=14, bold=True)
    now = datetime.now()
    _para(doc, f"Lập {vn_date_line(None, now.date()).lower()}, lúc {now:%H:%M}", size=13, italic=True, after=6)
    rd = res.get("report_date")
    rd_s = rd.strftime("%d/%m/%Y") if isinstance(rd, date) else (
        datetime.fromisoformat(rd).strftime("%d/%m/%Y") if rd else "không rõ")
    _para(doc, f"Ngày của báo cáo được kiểm tra: {rd_s}. Số trích dẫn: {len(citations)}. Phát hiện: "
               f"{counts_phrase(findings)}.",
          align="justify", after=6, indent_first=1.0)

    _para(doc, "I. CÁC PHÁT HIỆN", bold=True, align="left", after=6)
    if findings:
        rows = [[str(i), severity_label(f.get("severity")), f.get("code") or "",
                 f.get("message") or "", (f.get("text") or "")[:300], f.get("suggestion") or ""]
                for i, f in enumerate(findings, 1)]
        _grid_table(doc, ["STT", "Mức độ", "Mã", "Nội dung", "Đoạn văn", "Gợi ý sửa"], rows, [10, 20, 25, 45, 40, 25])
    else:
        _para(doc, "Không có phát hiện nào.", italic=True, align="left", after=6)

    _para(doc, "", after=6)
    _para(doc, "II. DANH SÁCH TRÍCH DẪN", bold=True, align="left", after=6)
    if citations:
        rows = []
        for i, c in enumerate(citations, 1):
            d = c.get("date")
            d_s = d.strftime("%d/%m/%Y") if isinstance(d, date) else (
                datetime.fromisoformat(d).strftime("%d/%m/%Y") if d else "")
            rows.append([str(i), (c.get("text") or "")[:200], c.get("number") or "", d_s,
                         status_label(c.get("status"))])
        _grid_table(doc, ["STT", "Trích dẫn", "Số/ký hiệu", "Ngày", "Trạng thái"], rows, [10, 80, 30, 22, 23])
    else:
        _para(doc, "Không tìm thấy trích dẫn văn bản nào.", italic=True, align="left", after=6)

    _para(doc, "", after=6)
    _para(doc, "III. VĂN BẢN ĐÃ ĐÁNH DẤU", bold=True, align="left", after=6)
    _para(doc, "Tô hồng: lỗi; tô vàng: cảnh báo; tô xanh: ghi chú.", size=12, italic=True, align="left", after=6)
    _marked_text(doc, text, findings)
    return _save(doc, "kiem-tra-trich-dan")


def _marked_text(doc, text: str, findings: list[dict]) -> None:
    offset = 0
    for line in text.split("\n"):
        a, b = offset, offset + len(line)
        offset = b + 1
        if not line.strip():
            continue
        par = _para(doc, align="justify", after=6)
        for seg in segments(text, findings, a, b):
            _run(par, text[seg.start:seg.end], size=13,
                 highlight=_highlight_color(seg.severity) if seg.severity else None)


def export_chat_markdown(history: list, *, title: str = "Cuộc trò chuyện") -> Path:
    """The conversation (list of {"role", "content"} or (user, assistant) pairs) as Markdown."""
    now = datetime.now()
    lines = [f"# {title} — Trợ lý soạn báo cáo", "", f"_Xuất lúc {now:%H:%M} ngày {now:%d/%m/%Y}_", ""]
    for item in history or []:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            pairs = [("user", item[0]), ("assistant", item[1])]
        elif isinstance(item, dict):
            pairs = [(item.get("role"), item.get("content"))]
        else:
            pairs = [(getattr(item, "role", ""), getattr(item, "content", ""))]
        for role, content in pairs:
            content = message_text(content)
            if not content.strip():
                continue
            who = "Người dùng" if role == "user" else "Trợ lý"
            lines += [f"**{who}:**", "", nfc(content.strip()), ""]
    path = _out_path("tro-chuyen", "md")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# ---- the commune-level task register as an appendix (assistant.tasks) ----------------------------
APPENDIX_TITLE = "DANH MỤC NHIỆM VỤ PHÂN CẤP, PHÂN QUYỀN CHO CẤP XÃ"
APPENDIX_HEADERS = ["STT", "Nhiệm vụ", "Căn cứ (Điều, khoản, điểm; văn bản)", "Chủ thể thực hiện",
                    "Kết quả thực hiện"]
APPENDIX_WIDTHS_MM = [12, 118, 48, 36, 38]  # 252 mm: landscape A4 less the 30 mm and 15 mm margins
_ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
                   "XVI", "XVII", "XVIII", "XIX", "XX"]


def _landscape(doc) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)


def _merged_row(table, text: str) -> None:
    """A row across the whole table: a field's heading inside the appendix."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cells = table.add_row().cells
    cell = cells[0].merge(cells[-1])
    for extra in cell.paragraphs[1:]:  # merging keeps each cell's empty paragraph
        extra._element.getparent().remove(extra._element)
    par = _cell_first(cell, text, size=12, bold=True)
    par.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _task_row(table, values: list[str], note: str | None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    cells = table.add_row().cells
    for i, (cell, value, w) in enumerate(zip(cells, values, APPENDIX_WIDTHS_MM)):
        cell.width = Mm(w)
        par = _cell_first(cell, "")
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
        _run(par, value, size=12)
        if i == 1 and note:
            _run(cell.add_paragraph(), note, size=11, italic=True)


def export_tasks_appendix_docx(registers, *, unit: str | None = None, report_number: str | None = None,
                               report_date: date | None = None, results: dict | None = None,
                               label: str = "Phụ lục") -> Path:
    """The appendix a report's section 1.3 attaches ("Có phụ lục kèm theo"): every task the documents'
    registers give the commune, grouped by field across the documents, in a landscape table laid out as
    NĐ 30/2020 lays out an appendix (STT | Nhiệm vụ | Căn cứ | Chủ thể thực hiện | Kết quả thực hiện).

    `registers`: assistant.tasks.TaskRegister objects (their `document["citation"]` is the registry's
    exact citation). `results`: {(number, article, clause, point): text} fills the last column where the
    unit's reports give a figure for a task (with its source); other cells stay empty for the clerk."""
    registers = [r for r in registers if r is not None]
    results = results or {}
    doc = _new_document()
    _landscape(doc)
    _para(doc, label, size=14, bold=True)
    _para(doc, APPENDIX_TITLE, size=14, bold=True)
    citations = [nfc(r.citation) for r in registers if r.citation]
    if citations:
        _para(doc, "theo " + "; ".join(citations), size=14, bold=True)
    attached = f"Báo cáo số {report_number}" if report_number else "Báo cáo số …/BC-UBND"
    when = vn_date_line(None, report_date).lower() if report_date else "ngày … tháng … năm …"
    who = nfc(unit) if unit else "Ủy ban nhân dân xã …"
    _rule(_para(doc, f"(Kèm theo {attached} {when} của {who})", size=14, italic=True), width_chars=30)
    _para(doc, "", after=6)

    groups: dict[str, list[tuple]] = {}
    names: dict[str, str] = {}
    for reg in registers:
        for t in reg.tasks:
            name = names.setdefault(fold(t.field), t.field)
            groups.setdefault(name, []).append((reg, t))
    table = _grid_table(doc, APPENDIX_HEADERS, [], APPENDIX_WIDTHS_MM)
    filled = 0
    for i, (name, items) in enumerate(groups.items()):
        numeral = _ROMAN_NUMERALS[i] if i < len(_ROMAN_NUMERALS) else str(i + 1)
        _merged_row(table, f"{numeral}. {name.upper()} ({len(items):02d} nhiệm vụ)")
        for n, (reg, t) in enumerate(items, 1):
            result = results.get((reg.document.get("number"), t.article, t.clause, t.point), "")
            filled += bool(result)
            note = "(Nhiệm vụ văn bản ghi là chuyển từ cấp huyện hoặc chuyển giao cho cấp xã)" if t.new_to_commune \
                else None
            _task_row(table, [str(n), nfc(t.text), f"{t.reference} {reg.short_name}", nfc(t.actor), result], note)
    if not groups:
        _para(doc, "Các văn bản trên không có điều, khoản nào giao nhiệm vụ cho cấp xã.", italic=True, align="left")
    total = sum(len(items) for items in groups.values())
    note = f"Tổng số: {total:02d} nhiệm vụ thuộc {len(groups):02d} lĩnh vực."
    if filled:
        note += (f" Cột \"Kết quả thực hiện\" có {filled:02d} ô lấy số liệu từ báo cáo của đơn vị (ghi rõ nguồn); "
                 "các ô còn lại do đơn vị điền.")
    _para(doc, "", after=6)
    _para(doc, note, size=13, italic=True, align="left")
    stem = "phu-luc-nhiem-vu-cap-xa"
    if len(registers) == 1 and registers[0].document.get("number"):
        stem += "-" + _slug(registers[0].document["number"], "van-ban")
    return _save(doc, stem)


# ---- comparison of two periods (issue 17) -------------------------------------------------------
COMPARISON_WIDTHS_MM = [86, 26, 36, 36, 36, 32]  # 252 mm: landscape A4 less the margins


def export_comparison_docx(comparison: dict, *, title: str = "BẢNG SO SÁNH MỘT SỐ CHỈ TIÊU CHỦ YẾU") -> Path:
    """The same indicators of two reports side by side (assistant.summarising.compare_summaries), as
    a landscape Word table: Chỉ tiêu | Đơn vị tính | kỳ này | kỳ trước | Tăng (+), giảm (−) | Tỷ lệ; the
    reports named under the title, an indicator given in one report only marked as such."""
    a, b = comparison["a"], comparison["b"]
    doc = _new_document()
    _landscape(doc)
    _para(doc, title, size=14, bold=True)
    unit = a.get("commune") or b.get("commune")
    if unit:
        _para(doc, nfc(unit), size=14, bold=True)
    for side, what in ((a, "Kỳ này"), (b, "Kỳ trước")):
        ref = ", ".join(x for x in (f"Báo cáo số {side['number']}" if side.get("number") else "Báo cáo",
                                    vn_date_line(None, date.fromisoformat(side["date"])).lower()
                                    if side.get("date") else None, side.get("title")) if x)
        _para(doc, f"{what}: {nfc(ref)}", size=13, italic=True)
    if comparison.get("warning"):
        _para(doc, nfc(comparison["warning"]), size=13, italic=True, align="left")
    _para(doc, "", after=6)
    headers = list(COMPARISON_HEADERS)
    headers[2], headers[3] = period_heading(a), period_heading(b)
    _grid_table(doc, headers, [[str(c) for c in row] for row in comparison_rows(comparison)], COMPARISON_WIDTHS_MM)
    notes = [f"{r['label']}: {r['note']}" for r in comparison["rows"] if r.get("note")]
    _para(doc, "", after=6)
    both = sum(1 for r in comparison["rows"] if r.get("a") and r.get("b"))
    _para(doc, f"{both:02d} chỉ tiêu có ở cả hai kỳ; {len(comparison['rows']) - both:02d} chỉ tiêu chỉ có ở một kỳ. "
               "Số liệu chép nguyên văn từ hai báo cáo; tăng, giảm tính theo kỳ trước.", size=13, italic=True,
          align="left")
    for note in notes:
        _para(doc, nfc(note), size=13, italic=True, align="left")
    return _save(doc, "so-sanh-" + _slug(str(a.get("period") or "ky-nay"), "ky-nay"))

