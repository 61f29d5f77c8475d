"""What the app shows, as pure functions of plain data: HTML strings and table rows.

No Gradio here, so every piece is testable without a browser. Text that comes from documents or the
model is HTML-escaped before it is shown (`esc`); user-visible words are Vietnamese.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from ..export import PLACEHOLDER_RUN as PLACEHOLDER
from ..labels import SEVERITY_RANK, counts_phrase, field, message_text, segments, severity_label, status_label
from ..text import MARKER, vn_date
from ..units import is_legal_text

FINDING_HEADERS = ["Mức độ", "Mã", "Nội dung", "Đoạn văn", "Gợi ý sửa"]
CITATION_HEADERS = ["Trích dẫn", "Loại", "Số/ký hiệu", "Ngày", "Cơ quan ban hành", "Trạng thái"]
DOC_HEADERS = ["Mã", "Loại", "Số/ký hiệu", "Ngày", "Trích yếu", "Số đoạn", "Tệp"]
LEGEND = ('<div class="tl-legend"><mark class="sev-error">Lỗi</mark><mark class="sev-warning">Cảnh báo</mark>'
          '<mark class="sev-info">Ghi chú</mark></div>')
TODO_LEGEND = '<mark class="tl-todo">Cần bổ sung</mark>'
TODO_TIP = "Chỗ cần bổ sung: điền thông tin này trước khi ban hành"
_LONE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")
# The link `link_markers` puts around a marker (its title is escaped, so it holds no ">"), and the
# mark it puts around a gap "[cần bổ sung: …]".
_MARKER_LINK = re.compile(r'<a class="tl-marker"[^>]*>(\[\d{1,3}\])</a>')
_GAP_MARK = re.compile(r'<mark class="tl-todo"[^>]*>([^<]*)</mark>')


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
    """Escaped answer text where each [n] links to source n's row and shows its passage on hover, and
    each gap "[cần bổ sung: …]" a draft left is highlighted."""
    by_marker = {str(s.get("marker")): s for s in sources or []}

    def link(m: re.Match) -> str:
        src = by_marker.get(m.group(0))
        if src is None:
            return m.group(0)
        hint = esc(f"{src.get('title') or ''} — {(src.get('snippet') or '')[:280]}")
        return f'<a class="tl-marker" href="#tl-src-{m.group(1)}" title="{hint}">{m.group(0)}</a>'

    marked = PLACEHOLDER.sub(lambda m: f'<mark class="tl-todo" title="{TODO_TIP}">{m.group(0)}</mark>', esc(text))
    return MARKER.sub(link, marked)


def parts_using(parts: list[dict] | None) -> dict[str, list[int]]:
    """{marker: [part numbers, from 1]} — which parts of a draft use each source."""
    out: dict[str, list[int]] = {}
    for i, part in enumerate(parts or [], 1):
        for marker in part.get("sources") or []:
            out.setdefault(str(marker), []).append(i)
    return out


def sources_html(sources: list[dict], nearest: bool = False, parts: list[dict] | None = None) -> str:
    """The sources table; `nearest` when nothing answered the question and these are only the closest;
    with a draft's `parts`, a column says which parts use each source."""
    head = ("<h3 style='margin-top:0'>Đoạn gần nhất (không đủ để trả lời)</h3>" if nearest
            else "<h3 style='margin-top:0'>Nguồn tham khảo</h3>")
    if not sources:
        return head + '<div class="tl-empty">Chưa có nguồn. Đặt câu hỏi để xem các đoạn tài liệu được dùng.</div>'
    used = parts_using(parts) if parts else None
    rows = []
    for s in sources:
        where = ", ".join(x for x in (f"trang {s['page']}" if s.get("page") else "", s.get("section") or "") if x)
        anchor = esc(str(s.get("marker", "")).strip("[]"))
        in_parts = ""
        if used is not None:
            numbers = used.get(str(s.get("marker")), [])
            in_parts = f"<td>{esc(', '.join(map(str, numbers))) if numbers else '—'}</td>"
        rows.append(
            f"<tr id='tl-src-{anchor}'><td><b>{esc(s.get('marker'))}</b></td>{in_parts}<td>{esc(source_title(s))}</td>"
            f"<td>{esc(s.get('number') or '')}</td><td>{esc(where)}</td>"
            f"<td class='tl-snippet'>{esc((s.get('snippet') or '')[:300])}</td></tr>")
    part_head = "<th>Phần</th>" if used is not None else ""
    return (head + f"<table class='tl-table'><thead><tr><th>#</th>{part_head}<th>Tài liệu</th><th>Số/ký hiệu</th>"
            "<th>Trang/mục</th><th>Trích đoạn</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def finding_items(findings: list) -> str:
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
    return "".join(items)


def findings_html(findings: list) -> str:
    if not findings:
        return ""
    return "<div><b>Kết quả kiểm tra tự động</b>" + finding_items(findings) + "</div>"


# ---- a draft, part by part ---------------------------------------------------------------------
def live_part_text(text: str, heading: str, parts: list[dict], writing: int | None) -> str:
    """The text of the part being written: what follows the heading and the finished parts."""
    if writing is None or not parts:
        return ""
    done = [p.get("text") for p in parts[:writing] if p.get("text")]
    prefix = "\n".join(x for x in [heading, *done] if x)
    if not text.startswith(prefix):
        return ""
    return text[len(prefix):].lstrip("\n")


def _part_body(text: str, part: dict, findings: list, live: str) -> str:
    start, end = part.get("start"), part.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text):
        return marked_html(text, findings, start, end)
    own = part.get("text") or live
    return marked_html(own, []) if own else ""


def draft_parts_html(text: str, parts: list[dict] | None, findings: list | None = None, *,
                     writing: int | None = None, live: str = "") -> str:
    """A draft part by part: each part's heading and state, its text (findings marked, every
    "[cần bổ sung: …]" highlighted), the sources it uses and the findings that concern it.
    `writing`: the part being written now (its text so far is `live`); later parts are waiting."""
    if not parts:
        return ""
    findings = list(findings or [])
    total = len(parts)
    gaps = len(placeholder_spans(text))
    head = f"<b>Bản thảo theo phần</b> — {total} phần"
    if writing is None and any(p.get("text") for p in parts):
        head += f"; {counts_phrase(findings)}"
    if gaps:
        head += f"; <mark class='tl-todo'>{gaps} chỗ cần bổ sung</mark> (điền trước khi ban hành)"
    blocks = []
    for i, part in enumerate(parts):
        finished = bool(part.get("text")) or (writing is not None and i < writing)
        if writing is not None and i == writing:
            state, cls = "⏳ đang soạn", "tl-part-writing"
        elif finished:
            state, cls = "✔ đã soạn", "tl-part-done"
        else:
            state, cls = "chờ soạn", "tl-part-waiting"
        body = _part_body(text, part, findings, live if writing == i else "")
        own = [f for f in findings if field(f, "part") == i]
        markers = " ".join(f'<a class="tl-marker" href="#tl-src-{esc(str(m).strip("[]"))}">{esc(m)}</a>'
                           for m in part.get("sources") or [])
        blocks.append(
            f"<div class='tl-part {cls}' id='tl-part-{i + 1}'>"
            f"<div class='tl-part-head'><b>Phần {i + 1}/{total}: {esc(part.get('heading') or 'Nội dung')}</b>"
            f" <span class='tl-part-state'>{state}</span></div>"
            + (f"<div class='tl-doc tl-part-text'>{body}</div>" if body else "")
            + (f"<div class='tl-part-sources'>Nguồn của phần này: {markers}</div>" if markers else "")
            + (f"<div class='tl-part-findings'>{finding_items(own)}</div>" if own else "")
            + "</div>")
    general = [f for f in findings if not isinstance(field(f, "part"), int)]
    tail = f"<div><b>Phát hiện chung</b>{finding_items(general)}</div>" if general else ""
    return f"<div class='tl-parts'><div class='tl-parts-head'>{head}</div>{''.join(blocks)}{tail}</div>"


def plain_history(history: list) -> list[dict]:
    """The chat as {"role", "content"} with the text as typed or written: the chat shows it escaped,
    with each [n] linked to its source."""
    out = []
    for m in history:
        text = _GAP_MARK.sub(r"\1", _MARKER_LINK.sub(r"\1", message_text(field(m, "content"))))
        if text.strip():
            out.append({"role": field(m, "role") or "", "content": html.unescape(text)})
    return out


# ---- Kiểm tra trích dẫn ----------------------------------------------------------------------------
def placeholder_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in PLACEHOLDER.finditer(text or "")]


def marked_html(text: str, findings: list, lo: int = 0, hi: int | None = None) -> str:
    """`text[lo:hi]` escaped, each finding's span in a <mark> coloured by severity, and every
    "[cần bổ sung: …]" marked `tl-todo` (whatever else covers it, so no gap is ever hidden)."""
    gaps = [{"start": a, "end": b, "severity": "todo"} for a, b in placeholder_spans(text)]
    out = []
    for seg in segments(text, [*findings, *gaps], lo, hi):
        piece = esc(text[seg.start:seg.end])
        real = [f for f in seg.findings if field(f, "severity") != "todo"]
        todo = len(real) < len(seg.findings)
        if not real and not todo:
            out.append(piece)
            continue
        classes, tips = [], []
        if real:
            strongest = max(real, key=lambda f: SEVERITY_RANK.get(field(f, "severity") or "info", 0))
            classes.append(f"sev-{esc(field(strongest, 'severity') or 'info')}")
            tips += [f"{severity_label(field(f, 'severity') or 'info')}: {field(f, 'message') or ''}" for f in real]
        if todo:
            classes.append("tl-todo")
            tips.append(TODO_TIP)
        tip = " | ".join(dict.fromkeys(tips))
        out.append(f'<mark class="{" ".join(classes)}" title="{esc(tip)}">{piece}</mark>')
    return "".join(out)


def highlight_html(text: str, findings: list) -> str:
    """The text with each finding's span in a <mark> coloured by severity (offsets into NFC text)."""
    if not text:
        return '<div class="tl-empty">Chưa có văn bản.</div>'
    legend = LEGEND.replace("</div>", TODO_LEGEND + "</div>") if placeholder_spans(text) else LEGEND
    return legend + '<div class="tl-doc">' + marked_html(text, findings) + "</div>"


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


# ---- saved conversations -------------------------------------------------------------------------
CUT_NOTE = "⚠️ Câu trả lời bị ngắt giữa chừng (ứng dụng dừng hoặc mất kết nối); phần đã viết được giữ lại."
PENDING_NOTE = "⏳ Câu trả lời đang được soạn (hoặc đã bị ngắt)."
NO_TEXT = "(không có nội dung)"


def when(stamp: str | None) -> str:
    """'2026-01-05T14:03:00' → '14:03 05/01/2026'."""
    if not stamp or len(stamp) < 16:
        return ""
    return f"{stamp[11:16]} {stamp[8:10]}/{stamp[5:7]}/{stamp[:4]}"


def conversation_choices(conversations: list) -> list[tuple[str, str]]:
    """(label, id) pairs for the side panel: title — when it was last used."""
    return [(f"{c.title} · {when(c.updated)}", c.id) for c in conversations]


def answer_html(text: str, sources: list[dict], status: str = "done", error: str | None = None) -> str:
    """A saved answer as the chat shows it: markers linked; a cut or failed answer says so."""
    body = link_markers(text, sources) if text else ""
    if status == "error":
        note = "⚠️ " + esc(error or "Mô hình không trả lời.")
        return f"{body}\n\n{note}" if body else note
    if status == "cut":
        return f"{body}\n\n{CUT_NOTE}" if body else CUT_NOTE
    if status == "pending":
        return f"{body}\n\n{PENDING_NOTE}" if body else PENDING_NOTE
    return body or NO_TEXT


def history_from(messages: list) -> list[dict]:
    """A saved conversation's messages as the chat's history."""
    out = []
    for m in messages:
        if m.role == "user":
            out.append({"role": "user", "content": esc(m.text)})
        else:
            out.append({"role": "assistant", "content": answer_html(m.text, m.data.get("sources") or [], m.status,
                                                                    m.data.get("error"))})
    return out


# ---- the task register (Tài liệu, and a draft's appendix) ----------------------------------------
def register_html(reg) -> str:
    """One document's register: its registry citation, counts per field, and the table (STT, Căn cứ,
    Chủ thể thực hiện, Nhiệm vụ, and a mark for tasks the text says are moved to the commune)."""
    groups = reg.by_field()
    out = [f"<div class='tl-register'><h3>{esc(reg.citation)}</h3>"]
    if not reg.tasks:
        out.append("<div class='tl-empty'>Văn bản này không có điều, khoản nào giao nhiệm vụ cho cấp xã.</div></div>")
        return "".join(out)
    out.append(f"<p>{esc(reg.counts_line('★'))}.</p>")
    counts = "".join(f"<tr><td>{esc(name)}</td><td>{len(tasks):02d}</td>"
                     f"<td>{sum(t.new_to_commune for t in tasks):02d}</td></tr>" for name, tasks in groups.items())
    out.append("<table class='tl-table tl-counts'><thead><tr><th>Lĩnh vực</th><th>Số nhiệm vụ</th>"
               f"<th>Chuyển giao ★</th></tr></thead><tbody>{counts}</tbody></table>")
    rows, n = [], 0
    for name, tasks in groups.items():
        rows.append(f"<tr class='tl-group'><td colspan='5'><b>{esc(name)}</b> — {len(tasks):02d} nhiệm vụ</td></tr>")
        for t in tasks:
            n += 1
            mark = "<span title='Văn bản ghi là chuyển từ cấp huyện hoặc chuyển giao cho cấp xã'>★</span>" \
                if t.new_to_commune else ""
            rows.append(f"<tr><td>{n}</td><td>{esc(t.reference)}</td><td>{esc(t.actor)}</td>"
                        f"<td>{esc(t.text)}</td><td>{mark}</td></tr>")
    out.append("<table class='tl-table tl-tasks'><thead><tr><th>STT</th><th>Căn cứ</th><th>Chủ thể thực hiện</th>"
               "<th>Nhiệm vụ</th><th>Chuyển giao</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")
    return "".join(out)


def legal_choices(documents: list) -> list[tuple[str, str]]:
    """(label, doc_id) of the indexed legal texts (laws, decrees, circulars): the register's sources."""
    return [(" — ".join(x for x in (d.number, (d.title or "")[:80]) if x) or Path(d.source).name, d.doc_id)
            for d in documents if is_legal_text(d.kind)]
