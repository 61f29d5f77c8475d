"""What the app shows, as pure functions of plain data: HTML strings and table rows.

No Gradio here, so every piece is testable without a browser. Text that comes from documents or the
model is HTML-escaped before it is shown (`esc`); user-visible words are Vietnamese.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from ..labels import counts_phrase, field, message_text, segments, severity_label, status_label
from ..text import MARKER, vn_date

FINDING_HEADERS = ["Mức độ", "Mã", "Nội dung", "Đoạn văn", "Gợi ý sửa"]
CITATION_HEADERS = ["Trích dẫn", "Loại", "Số/ký hiệu", "Ngày", "Cơ quan ban hành", "Trạng thái"]
DOC_HEADERS = ["Mã", "Loại", "Số/ký hiệu", "Ngày", "Trích yếu", "Số đoạn", "Tệp"]
LEGEND = ('<div class="tl-legend"><mark class="sev-error">Lỗi</mark><mark class="sev-warning">Cảnh báo</mark>'
          '<mark class="sev-info">Ghi chú</mark></div>')
_LONE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")
# The link `link_markers` puts around a marker (its title is escaped, so it holds no ">").
_MARKER_LINK = re.compile(r'<a class="tl-marker"[^>]*>(\[\d{1,3}\])</a>')


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def status_html(message: str, ok: bool = True) -> str:
    cls = "tl-status-ok" if ok else "tl-status-err"
    icon = "✔" if ok else "⚠"
    return f'<div class="{cls}">{icon} {esc(message)}</div>'


def source_title(source: dict) -> str:
    """A source's title, or its file name when it has none."""
    return source.get("title") or Path(str(source.get("source") or "")).name


# ---- Trò chuyện ----------------------------------------------------------------------------------
def link_markers(text: str, sources: list[dict]) -> str:
    """Escaped answer text where each [n] links to source n's row and shows its passage on hover."""
    by_marker = {str(s.get("marker")): s for s in sources or []}

    def link(m: re.Match) -> str:
        src = by_marker.get(m.group(0))
        if src is None:
            return m.group(0)
        hint = esc(f"{src.get('title') or ''} — {(src.get('snippet') or '')[:280]}")
        return f'<a class="tl-marker" href="#tl-src-{m.group(1)}" title="{hint}">{m.group(0)}</a>'

    return MARKER.sub(link, esc(text))


def sources_html(sources: list[dict], nearest: bool = False) -> str:
    """The sources table; `nearest` when nothing answered the question and these are only the closest."""
    head = ("<h3 style='margin-top:0'>Đoạn gần nhất (không đủ để trả lời)</h3>" if nearest
            else "<h3 style='margin-top:0'>Nguồn tham khảo</h3>")
    if not sources:
        return head + '<div class="tl-empty">Chưa có nguồn. Đặt câu hỏi để xem các đoạn tài liệu được dùng.</div>'
    rows = []
    for s in sources:
        where = ", ".join(x for x in (f"trang {s['page']}" if s.get("page") else "", s.get("section") or "") if x)
        anchor = esc(str(s.get("marker", "")).strip("[]"))
        rows.append(
            f"<tr id='tl-src-{anchor}'><td><b>{esc(s.get('marker'))}</b></td><td>{esc(source_title(s))}</td>"
            f"<td>{esc(s.get('number') or '')}</td><td>{esc(where)}</td>"
            f"<td class='tl-snippet'>{esc((s.get('snippet') or '')[:300])}</td></tr>")
    return (head + "<table class='tl-table'><thead><tr><th>#</th><th>Tài liệu</th><th>Số/ký hiệu</th>"
            "<th>Trang/mục</th><th>Trích đoạn</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def findings_html(findings: list) -> str:
    if not findings:
        return ""
    items = []
    for f in findings:
        sev = field(f, "severity") or "info"
        sugg = field(f, "suggestion")
        quote = field(f, "text")
        items.append(
            f"<div class='tl-finding sev-{esc(sev)}'><span class='tl-badge'>{esc(severity_label(sev))}</span>"
            f"{esc(field(f, 'message'))}"
            + (f"<div class='tl-snippet'>«{esc(quote[:200])}»</div>" if quote else "")
            + (f"<div>→ {esc(sugg)}</div>" if sugg else "") + "</div>")
    return "<div><b>Kết quả kiểm tra tự động</b>" + "".join(items) + "</div>"


def plain_history(history: list) -> list[dict]:
    """The chat as {"role", "content"} with the text as typed or written: the chat shows it escaped,
    with each [n] linked to its source."""
    out = []
    for m in history:
        text = _MARKER_LINK.sub(r"\1", message_text(field(m, "content")))
        if text.strip():
            out.append({"role": field(m, "role") or "", "content": html.unescape(text)})
    return out


# ---- Kiểm tra trích dẫn ----------------------------------------------------------------------------
def highlight_html(text: str, findings: list) -> str:
    """The text with each finding's span in a <mark> coloured by severity (offsets into NFC text)."""
    if not text:
        return '<div class="tl-empty">Chưa có văn bản.</div>'
    out = []
    for seg in segments(text, findings):
        piece = esc(text[seg.start:seg.end])
        if seg.severity is None:
            out.append(piece)
            continue
        tip = " | ".join(dict.fromkeys(
            f"{severity_label(field(f, 'severity') or 'info')}: {field(f, 'message') or ''}" for f in seg.findings))
        out.append(f'<mark class="sev-{esc(seg.severity)}" title="{esc(tip)}">{piece}</mark>')
    return LEGEND + '<div class="tl-doc">' + "".join(out) + "</div>"


def findings_rows(findings: list) -> list[list[str]]:
    return [[severity_label(field(f, "severity")), field(f, "code") or "", field(f, "message") or "",
             (field(f, "text") or "")[:200], field(f, "suggestion") or ""]
            for f in findings]


def citation_rows(citations: list) -> list[list[str]]:
    return [[(field(c, "text") or "")[:200], field(c, "doc_type") or "", field(c, "number") or "",
             vn_date(field(c, "date")), field(c, "issuer") or "", status_label(field(c, "status"))]
            for c in citations]


def check_summary(report_date, citations: list, findings: list) -> str:
    """'Ngày báo cáo: 05/01/2026. 3 trích dẫn; 1 lỗi, 0 cảnh báo, 2 ghi chú.'"""
    return (f"Ngày báo cáo: {vn_date(report_date) or 'không rõ'}. {len(citations)} trích dẫn; "
            f"{counts_phrase(findings)}.")


# ---- Tóm tắt báo cáo ---------------------------------------------------------------------------------
def hard_breaks(text: str) -> str:
    """Single newlines kept as line breaks in Markdown (the summary is line-oriented)."""
    return _LONE_NEWLINE.sub("  \n", text)


def summary_markdown(text: str, sources: list[dict], findings: list) -> str:
    """The summary (escaped) with its sources and the automatic check's notes, as Markdown."""
    body = hard_breaks(esc(text or ""))
    if sources:
        refs = "\n".join(
            f"- {esc(s.get('marker'))} {esc(source_title(s))}"
            + (f", trang {esc(s['page'])}" if s.get("page") else "")
            + (f", {esc(s['section'])}" if s.get("section") else "") for s in sources)
        body += "\n\n**Nguồn:**\n" + refs
    if findings:
        body += "\n\n**Lưu ý khi kiểm tra:**\n" + "\n".join(
            f"- {esc(severity_label(field(f, 'severity')))}: {esc(field(f, 'message'))}" for f in findings)
    return body


# ---- Tài liệu ------------------------------------------------------------------------------------
def documents_rows(documents: list) -> list[list]:
    return [[d.doc_id, d.kind or "", d.number or "", vn_date(d.date), d.title or "", d.chunks,
             Path(d.source).name] for d in documents]


def document_choices(documents: list) -> list[tuple[str, str]]:
    """(label, doc_id) pairs for a dropdown: number — title — file."""
    out = []
    for d in documents:
        label = " — ".join(x for x in (d.number, (d.title or "")[:80], Path(d.source).name) if x)
        out.append((label, d.doc_id))
    return out


def ingest_lines(report, names: dict[str, str]) -> list[tuple[bool, str]]:
    """(ok, message) per file of an ingest report; `names` maps saved paths to the names users gave."""
    def shown(item: dict) -> str:
        return names.get(item["source"], Path(item["source"]).name)

    lines = []
    for item in report.ingested:
        warn = "; ".join(item.get("warnings") or [])
        lines.append((True, f"Đã nạp {shown(item)} ({item['pages']} trang, {item['chunks']} đoạn)"
                            + (f" — {warn}" if warn else "")))
    for item in report.skipped:
        lines.append((True, f"Bỏ qua {shown(item)}: {item['reason']}"))
    for item in report.failed:
        lines.append((False, item["error"]))
    return lines
