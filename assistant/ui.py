"""The web app (Gradio): chat and drafting, citation check, report summary, documents.

Everything a user sees is Vietnamese; every handler turns exceptions into a Vietnamese message
(assistant.errors.user_message) instead of a traceback; text coming from documents or the model
is HTML-escaped before it is shown. Nothing heavy happens at import time: the index, the embedder
and the model start on first use (and are warmed in a background thread after launch).
"""
from __future__ import annotations

import html
import ipaddress
import itertools
import logging
import re
import shutil
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import gradio as gr

from .config import get_settings
from .progress import CallbackProgress, TerminalProgress

log = logging.getLogger(__name__)

APP_TITLE = "Trợ lý soạn báo cáo"
ALLOWED_EXT = (".pdf", ".docx", ".md", ".txt")
MODE_ASK = "Hỏi đáp"
MODE_DRAFT = "Soạn mục báo cáo"
SEVERITY_LABEL = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Ghi chú"}
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
STATUS_LABEL = {"verified": "Đã xác minh", "mismatch": "Sai lệch", "unknown": "Chưa có trong danh mục",
                "local": "Văn bản địa phương", "incomplete": "Thiếu thông tin"}
DOC_TYPES = ["Nghị quyết", "Quyết định", "Chỉ thị", "Kế hoạch", "Báo cáo", "Công văn", "Thông báo",
             "Tờ trình", "Hướng dẫn", "Chương trình", "Đề án", "Nghị định", "Thông tư", "Luật"]
_DRAFT_PREFIX = re.compile(r"^\s*(soan|viet|du thao)\b")

CSS = """
.gradio-container {max-width: 1400px !important}
#app-header h1 {margin-bottom: 0}
#app-header p {margin-top: 2px; color: var(--body-text-color-subdued)}
.tl-table {width: 100%; border-collapse: collapse; font-size: 0.92em}
.tl-table th, .tl-table td {border: 1px solid var(--border-color-primary); padding: 4px 6px;
  vertical-align: top; text-align: left}
.tl-table th {background: var(--background-fill-secondary)}
.tl-snippet {color: var(--body-text-color-subdued); font-size: 0.9em}
.tl-empty {color: var(--body-text-color-subdued); font-style: italic}
.tl-finding {border-left: 4px solid; padding: 4px 8px; margin: 4px 0; border-radius: 3px}
.tl-finding.sev-error {border-color: #d32f2f; background: rgba(211,47,47,0.08)}
.tl-finding.sev-warning {border-color: #f0a000; background: rgba(240,160,0,0.10)}
.tl-finding.sev-info {border-color: #1e6fd9; background: rgba(30,111,217,0.08)}
.tl-badge {font-weight: 600; margin-right: 6px}
.sev-error .tl-badge {color: #c62828}
.sev-warning .tl-badge {color: #a86b00}
.sev-info .tl-badge {color: #1e5fbf}
.tl-doc {white-space: pre-wrap; font-family: 'Times New Roman', Times, serif; font-size: 1.05em;
  line-height: 1.55; border: 1px solid var(--border-color-primary); padding: 12px 16px;
  border-radius: 6px; max-height: 640px; overflow-y: auto; background: var(--background-fill-primary)}
.tl-doc mark {padding: 0 1px; border-radius: 2px; color: inherit}
.tl-doc mark.sev-error {background: rgba(229,57,53,0.30); border-bottom: 2px solid #d32f2f}
.tl-doc mark.sev-warning {background: rgba(255,193,7,0.38); border-bottom: 2px solid #f0a000}
.tl-doc mark.sev-info {background: rgba(66,133,244,0.22); border-bottom: 2px solid #1e6fd9}
.tl-legend mark {padding: 0 6px; margin-right: 8px}
.tl-legend mark.sev-error {background: rgba(229,57,53,0.30)}
.tl-legend mark.sev-warning {background: rgba(255,193,7,0.38)}
.tl-legend mark.sev-info {background: rgba(66,133,244,0.22)}
.tl-status-ok {color: #2e7d32}
.tl-status-err {color: #c62828}
.gradio-container table, .gradio-container td, .gradio-container th {font-family: var(--font) !important}
[data-testid="upload-text"] {font-size: 0 !important}
[data-testid="upload-text"] .icon-wrap {font-size: 1rem}
[data-testid="upload-text"]::after {content: "Kéo thả tệp vào đây hoặc bấm để chọn tệp"; display: block;
  font-size: var(--text-md); margin-top: 4px}
"""


# ---- small helpers ---------------------------------------------------------------------------
def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def user_error(exc: BaseException) -> str:
    from .errors import user_message

    if isinstance(exc, ImportError):
        return missing_module("này", exc)
    log.warning("Lỗi trong ứng dụng: %s", exc, exc_info=log.isEnabledFor(logging.DEBUG))
    try:
        return user_message(exc)
    except Exception:  # never let the error path itself fail  # noqa: BLE001
        return f"Lỗi không mong đợi ({exc.__class__.__name__}). Xem nhật ký máy chủ để biết chi tiết."


def status_html(message: str, ok: bool = True) -> str:
    cls = "tl-status-ok" if ok else "tl-status-err"
    icon = "✔" if ok else "⚠"
    return f'<div class="{cls}">{icon} {esc(message)}</div>'


def missing_module(what: str, exc: ImportError) -> str:
    return (f"Chức năng {what} chưa sẵn sàng trong bản cài đặt này (thiếu mô-đun: {exc.name or exc}). "
            "Cập nhật phần mềm rồi khởi động lại ứng dụng.")


def parse_date(value) -> date | None:
    """'05/01/2026', '5/1/2026', '2026-01-05' or a date → date; empty → None; else ValueError (Vietnamese)."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, (int, float)):  # gr.DateTime gives a timestamp
        return datetime.fromtimestamp(value).date()
    s = str(value).strip()
    if not s:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Ngày '{s}' không đúng dạng ngày/tháng/năm (ví dụ 05/01/2026).")


def vn_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return date.fromisoformat(str(iso)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(iso)


def is_draft_request(message: str, mode: str) -> bool:
    from .text import fold

    return mode == MODE_DRAFT or bool(_DRAFT_PREFIX.match(fold(message or "")))


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def sanitize_filename(name: str) -> str:
    """A safe base name for a saved upload: no folders, no control or reserved characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"|?*\x00]', "_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[:120].strip() or "tai-lieu"
    return f"{stem}.{ext.lower()}" if ext else stem


def _file_path(f) -> Path | None:
    """A Gradio upload (path string, FileData dict or tempfile wrapper) → Path."""
    if f is None:
        return None
    if isinstance(f, (str, Path)):
        return Path(f)
    if isinstance(f, dict):
        return Path(f.get("path") or f.get("name"))
    return Path(getattr(f, "path", None) or f.name)


def _original_name(f) -> str:
    if isinstance(f, dict) and f.get("orig_name"):
        return f["orig_name"]
    return getattr(f, "orig_name", None) or _file_path(f).name


def check_upload(path: Path, shown: str) -> None:
    """Refuse unsupported types and files above ASSISTANT_MAX_UPLOAD_MB (Vietnamese ValueError)."""
    settings = get_settings()
    if path.suffix.lower() not in ALLOWED_EXT and Path(shown).suffix.lower() not in ALLOWED_EXT:
        raise ValueError(f"Tệp '{shown}' không được hỗ trợ. Chỉ nhận {', '.join(ALLOWED_EXT)}.")
    size_mb = path.stat().st_size / (1024 * 1024)
    if size_mb > settings.max_upload_mb:
        raise ValueError(f"Tệp '{shown}' nặng {size_mb:.1f} MB, vượt giới hạn {settings.max_upload_mb:g} MB "
                         "(ASSISTANT_MAX_UPLOAD_MB).")


def uploads_dir() -> Path:
    d = (get_settings().data_dir / "uploads").resolve()
    d.mkdir(parents=True, exist_ok=True)
    return d


def save_upload(f) -> tuple[Path, str]:
    """Copy an upload into data_dir/uploads under a sanitised name; returns (saved path, shown name)."""
    src = _file_path(f)
    shown = _original_name(f)
    check_upload(src, shown)
    name = sanitize_filename(shown)
    if Path(name).suffix.lower() not in ALLOWED_EXT:
        name = sanitize_filename(Path(name).stem + src.suffix.lower())
    base = uploads_dir()
    dest = (base / name).resolve()
    if dest.parent != base:  # cannot happen after sanitising; refuse rather than write elsewhere
        raise ValueError(f"Tên tệp '{shown}' không hợp lệ.")
    tmp = dest.with_name(f".{dest.name}.part")
    shutil.copyfile(src, tmp)
    tmp.replace(dest)
    return dest, shown


# ---- tables shown as HTML (every value escaped) ----------------------------------------------
_MARKER = re.compile(r"\[(\d{1,3})\]")


def link_markers(text: str, sources: list[dict]) -> str:
    """Escaped answer text where each [n] links to source n's row and shows its passage on hover."""
    by_marker = {str(s.get("marker")): s for s in sources or []}

    def repl(m: re.Match) -> str:
        src = by_marker.get(m.group(0))
        if src is None:
            return m.group(0)
        hint = esc(f"{src.get('title') or ''} — {(src.get('snippet') or '')[:280]}")
        return f'<a class="tl-marker" href="#tl-src-{m.group(1)}" title="{hint}">{m.group(0)}</a>'

    return _MARKER.sub(repl, esc(text))


def sources_html(sources: list[dict], nearest: bool = False) -> str:
    """The sources table; `nearest` when nothing answered the question and these are only the closest."""
    head = ("<h3 style='margin-top:0'>Đoạn gần nhất (không đủ để trả lời)</h3>" if nearest
            else "<h3 style='margin-top:0'>Nguồn tham khảo</h3>")
    if not sources:
        return head + '<div class="tl-empty">Chưa có nguồn. Đặt câu hỏi để xem các đoạn tài liệu được dùng.</div>'
    rows = []
    for s in sources:
        where = ", ".join(x for x in (f"trang {s['page']}" if s.get("page") else "", s.get("section") or "") if x)
        title = s.get("title") or Path(str(s.get("source") or "")).name
        rows.append(
            f"<tr id='tl-src-{esc(str(s.get('marker', '')).strip('[]'))}'><td><b>{esc(s.get('marker'))}</b></td><td>{esc(title)}</td><td>{esc(s.get('number') or '')}</td>"
            f"<td>{esc(where)}</td><td class='tl-snippet'>{esc((s.get('snippet') or '')[:300])}</td></tr>")
    return (head + "<table class='tl-table'><thead><tr><th>#</th><th>Tài liệu</th><th>Số/ký hiệu</th>"
            "<th>Trang/mục</th><th>Trích đoạn</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _fget(f, key):
    return f.get(key) if isinstance(f, dict) else getattr(f, key, None)


def findings_html(findings: list) -> str:
    if not findings:
        return ""
    items = []
    for f in findings:
        sev = _fget(f, "severity") or "info"
        sugg = _fget(f, "suggestion")
        quote = _fget(f, "text")
        items.append(
            f"<div class='tl-finding sev-{esc(sev)}'><span class='tl-badge'>{esc(SEVERITY_LABEL.get(sev, sev))}</span>"
            f"{esc(_fget(f, 'message'))}"
            + (f"<div class='tl-snippet'>«{esc(quote[:200])}»</div>" if quote else "")
            + (f"<div>→ {esc(sugg)}</div>" if sugg else "") + "</div>")
    return "<div><b>Kết quả kiểm tra tự động</b>" + "".join(items) + "</div>"


# ---- Trò chuyện --------------------------------------------------------------------------------
def _stream_for(message: str, draft: bool, unit: str, report_date) -> Iterator[tuple[str, object]]:
    if draft:
        try:
            from .drafting import draft_stream
        except ImportError as exc:
            raise RuntimeError(missing_module("soạn mục báo cáo", exc)) from exc
        return draft_stream(message, report_date=parse_date(report_date), unit=(unit or "").strip() or None)
    from .answering import ask_stream

    return ask_stream(message)


def chat_respond(message: str, history: list | None, mode: str, unit: str = "", report_date: str = ""):
    """Stream one answer into the chat; yields (history, sources html, findings html, last-answer state)."""
    history = list(history or [])
    message = (message or "").strip()
    if not message:
        yield history, gr.skip(), gr.skip(), gr.skip()
        return
    draft = is_draft_request(message, mode)
    history = history + [{"role": "user", "content": esc(message)},
                         {"role": "assistant", "content": "⏳ Đang tìm trong tài liệu…"}]
    state = {"kind": "draft" if draft else "ask", "request": message, "text": "", "sources": [], "findings": []}
    yield history, gr.skip(), "", state
    try:
        answer = None
        for event, answer in _stream_for(message, draft, unit, report_date):
            if event == "sources":
                history[-1]["content"] = "⏳ Đang soạn câu trả lời…"
                yield history, sources_html(answer.sources), "", state
            elif event == "token":
                history[-1]["content"] = esc(answer.text)
                yield history, gr.skip(), gr.skip(), state
            elif event == "error":
                history[-1]["content"] = "⚠️ " + esc(answer.error or "Mô hình không trả lời.")
                yield history, sources_html(answer.sources), findings_html(answer.findings), state
                return
        if answer is not None:
            from .answering import NOT_FOUND

            nearest = not draft and answer.text.startswith(NOT_FOUND)
            history[-1]["content"] = link_markers(answer.text, answer.sources) or "(không có nội dung)"
            state.update(text=answer.text, sources=answer.sources, findings=list(answer.findings))
            yield history, sources_html(answer.sources, nearest), findings_html(answer.findings), state
    except Exception as exc:  # noqa: BLE001
        history[-1]["content"] = "⚠️ " + esc(user_error(exc))
        yield history, gr.skip(), gr.skip(), state


def chat_clear():
    return [], sources_html([]), "", None, gr.update(value=None, visible=False)


def chat_export(history: list | None, last: dict | None, unit: str = "", number: str = "", place: str = "",
                report_date: str = "", title: str = ""):
    """The last draft as Word (.docx), otherwise the whole conversation as Markdown."""
    try:
        from . import export

        if last and last.get("kind") == "draft" and last.get("text"):
            path = export.export_draft_docx(
                last["text"], unit=(unit or "").strip() or None, number=(number or "").strip() or None,
                place=(place or "").strip() or None, date=parse_date(report_date) or date.today(),
                title=(title or "").strip() or None)
            msg = f"Đã xuất bản thảo ra Word: {path.name}"
        elif history:
            path = export.export_chat_markdown(_plain_history(history))
            msg = f"Đã xuất cuộc trò chuyện ra Markdown: {path.name}"
        else:
            return gr.update(value=None, visible=False), status_html("Chưa có nội dung để xuất.", ok=False)
        return gr.update(value=str(path), visible=True), status_html(msg)
    except Exception as exc:  # noqa: BLE001
        return gr.update(value=None, visible=False), status_html(user_error(exc), ok=False)


def message_text(content) -> str:
    """A chat message's text: Gradio 6 sends content as a string or a list of {"type", "text"} parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return content.get("text") or ""
    if isinstance(content, (list, tuple)):
        return "".join(message_text(p) for p in content)
    return ""


def _plain_history(history: list) -> list[dict]:
    out = []
    for m in history:
        content = m.get("content") if isinstance(m, dict) else getattr(m, "content", "")
        role = m.get("role") if isinstance(m, dict) else getattr(m, "role", "")
        text = message_text(content)
        if text.strip():
            out.append({"role": role, "content": html.unescape(text)})
    return out


# ---- Kiểm tra trích dẫn -------------------------------------------------------------------------
def _registry():
    from .index import registry_with_corpus

    return registry_with_corpus()


def _read_upload_text(f) -> str:
    from .loaders import load

    path = _file_path(f)
    shown = _original_name(f)
    check_upload(path, shown)
    return load(path).text


def highlight_html(text: str, findings: list) -> str:
    """The text with each finding's span in a <mark> coloured by severity (offsets into NFC text)."""
    spans = []
    for f in findings:
        start, end = _fget(f, "start"), _fget(f, "end")
        if start is None or end is None or not (0 <= start < end <= len(text)):
            continue
        spans.append((start, end, _fget(f, "severity") or "info", _fget(f, "message") or ""))
    if not text:
        return '<div class="tl-empty">Chưa có văn bản.</div>'
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out = []
    for a, b in itertools.pairwise(cuts):
        piece = esc(text[a:b])
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        if covering:
            sev = max(covering, key=lambda s: SEVERITY_RANK.get(s[2], 0))[2]
            tip = " | ".join(dict.fromkeys(f"{SEVERITY_LABEL.get(s[2], s[2])}: {s[3]}" for s in covering))
            out.append(f'<mark class="sev-{esc(sev)}" title="{esc(tip)}">{piece}</mark>')
        else:
            out.append(piece)
    legend = ('<div class="tl-legend"><mark class="sev-error">Lỗi</mark><mark class="sev-warning">Cảnh báo</mark>'
              '<mark class="sev-info">Ghi chú</mark></div>')
    return legend + '<div class="tl-doc">' + "".join(out) + "</div>"


FINDING_HEADERS = ["Mức độ", "Mã", "Nội dung", "Đoạn văn", "Gợi ý sửa"]
CITATION_HEADERS = ["Trích dẫn", "Loại", "Số/ký hiệu", "Ngày", "Cơ quan ban hành", "Trạng thái"]


def findings_rows(findings: list) -> list[list[str]]:
    return [[SEVERITY_LABEL.get(_fget(f, "severity"), _fget(f, "severity") or ""), _fget(f, "code") or "",
             _fget(f, "message") or "", (_fget(f, "text") or "")[:200], _fget(f, "suggestion") or ""]
            for f in findings]


def citation_rows(citations: list) -> list[list[str]]:
    rows = []
    for c in citations:
        d = _fget(c, "date")
        rows.append([(_fget(c, "text") or "")[:200], _fget(c, "doc_type") or "", _fget(c, "number") or "",
                     d.strftime("%d/%m/%Y") if isinstance(d, date) else vn_date(d), _fget(c, "issuer") or "",
                     STATUS_LABEL.get(_fget(c, "status"), _fget(c, "status") or "")])
    return rows


def check_run(text: str, file, report_date: str):
    """Check every citation; returns (highlighted html, findings table, citations table, summary, state)."""
    empty_f, empty_c = [], []
    try:
        from .text import nfc

        if file is not None:
            text = _read_upload_text(file)
        text = nfc(text or "")
        if not text.strip():
            return ("", empty_f, empty_c, status_html("Dán văn bản hoặc tải lên tệp .docx/.pdf/.txt để kiểm tra.",
                                                      ok=False), None)
        try:
            from .citations import check_text
        except ImportError as exc:
            raise RuntimeError(missing_module("kiểm tra trích dẫn", exc)) from exc
        result = check_text(text, report_date=parse_date(report_date), registry=_registry())
        counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITY_LABEL}
        rd = result.report_date.strftime("%d/%m/%Y") if result.report_date else "không rõ"
        summary = (f"Ngày báo cáo: {rd}. {len(result.citations)} trích dẫn; {counts['error']} lỗi, "
                   f"{counts['warning']} cảnh báo, {counts['info']} ghi chú.")
        state = {"text": text, "result": result.to_dict()}
        return (highlight_html(text, result.findings), findings_rows(result.findings),
                citation_rows(result.citations), status_html(summary, ok=counts["error"] == 0), state)
    except Exception as exc:  # noqa: BLE001
        return "", empty_f, empty_c, status_html(user_error(exc), ok=False), None


def check_export(state: dict | None):
    try:
        if not state:
            return gr.update(value=None, visible=False), status_html("Hãy kiểm tra một văn bản trước khi xuất.",
                                                                     ok=False)
        from .export import export_check_docx

        path = export_check_docx(state["text"], state["result"])
        return gr.update(value=str(path), visible=True), status_html(f"Đã xuất báo cáo kiểm tra: {path.name}")
    except Exception as exc:  # noqa: BLE001
        return gr.update(value=None, visible=False), status_html(user_error(exc), ok=False)


# ---- Tóm tắt báo cáo ---------------------------------------------------------------------------
def summary_run(doc_id: str | None, file, progress=gr.Progress()):  # noqa: B008
    try:
        if file is not None:
            path = _file_path(file)
            check_upload(path, _original_name(file))
            target = str(path)
        elif doc_id:
            target = doc_id
        else:
            return status_html("Chọn một báo cáo đã nạp hoặc tải lên tệp cần tóm tắt.", ok=False), ""
        try:
            from .summarising import summarize
        except ImportError as exc:
            raise RuntimeError(missing_module("tóm tắt báo cáo", exc)) from exc
        progress(0.1, desc="Đang đọc và tóm tắt báo cáo…")
        answer = summarize(target)
        if answer.error:
            return status_html(answer.error, ok=False), esc(answer.text or "")
        body = _hard_breaks(esc(answer.text or ""))
        if answer.sources:
            refs = "\n".join(
                f"- {esc(s.get('marker'))} {esc(s.get('title') or Path(str(s.get('source') or '')).name)}"
                + (f", trang {esc(s['page'])}" if s.get("page") else "")
                + (f", {esc(s['section'])}" if s.get("section") else "") for s in answer.sources)
            body += "\n\n**Nguồn:**\n" + refs
        if answer.findings:
            body += "\n\n**Lưu ý khi kiểm tra:**\n" + "\n".join(
                f"- {esc(SEVERITY_LABEL.get(_fget(f, 'severity'), ''))}: {esc(_fget(f, 'message'))}"
                for f in answer.findings)
        return status_html("Đã tóm tắt xong."), body
    except Exception as exc:  # noqa: BLE001
        return status_html(user_error(exc), ok=False), ""


def _hard_breaks(text: str) -> str:
    """Single newlines kept as line breaks in Markdown (the summary is line-oriented)."""
    return re.sub(r"(?<!\n)\n(?!\n)", "  \n", text)


# ---- Tài liệu -----------------------------------------------------------------------------------
DOC_HEADERS = ["Mã", "Loại", "Số/ký hiệu", "Ngày", "Trích yếu", "Số đoạn", "Tệp"]


def _documents():
    from .index import get_index

    return get_index().documents()


def documents_table() -> list[list]:
    return [[d.doc_id, d.kind or "", d.number or "", vn_date(d.date), d.title or "", d.chunks,
             Path(d.source).name] for d in _documents()]


def document_choices() -> list[tuple[str, str]]:
    out = []
    for d in _documents():
        label = " — ".join(x for x in (d.number, (d.title or "")[:80], Path(d.source).name) if x)
        out.append((label, d.doc_id))
    return out


def docs_refresh():
    """(table, delete dropdown, summary dropdown, status)."""
    try:
        choices = document_choices()
        msg = status_html(f"Chỉ mục có {len(choices)} tài liệu.")
        return (documents_table(), gr.update(choices=choices, value=None),
                gr.update(choices=choices, value=None), msg)
    except Exception as exc:  # noqa: BLE001
        return [], gr.update(choices=[]), gr.update(choices=[]), status_html(user_error(exc), ok=False)


def docs_upload(files, progress=gr.Progress()):  # noqa: B008
    """Save uploads under data_dir/uploads, ingest them (same path as `assistant ingest`), report."""
    files = [f for f in (files or []) if f is not None]
    if not files:
        return (status_html("Chọn tệp (.pdf, .docx, .md, .txt) để tải lên.", ok=False), *docs_refresh())
    lines, saved, names = [], [], {}
    for f in files:
        try:
            path, shown = save_upload(f)
            saved.append(path)
            names[str(path)] = shown
        except Exception as exc:  # noqa: BLE001
            lines.append(("err", user_error(exc) if not isinstance(exc, ValueError) else str(exc)))
    if saved:
        try:
            from .index import get_index
            from .ingestion import ingest_paths

            report = ingest_paths(get_index(), saved, progress=CallbackProgress(progress), display_names=names,
                                  lock_wait=30)
            for item in report.ingested:
                warn = "; ".join(item.get("warnings") or [])
                lines.append(("ok", f"Đã nạp {names.get(item['source'], Path(item['source']).name)} "
                                    f"({item['pages']} trang, {item['chunks']} đoạn)" + (f" — {warn}" if warn else "")))
            for item in report.skipped:
                lines.append(("ok", f"Bỏ qua {names.get(item['source'], Path(item['source']).name)}: {item['reason']}"))
            for item in report.failed:
                lines.append(("err", item["error"]))
        except Exception as exc:  # noqa: BLE001
            lines.append(("err", user_error(exc)))
    body = "".join(status_html(m, ok=(k == "ok")) for k, m in lines)
    return (body, *docs_refresh())


def docs_delete(doc_id: str | None):
    try:
        if not doc_id:
            return (status_html("Chọn tài liệu cần xóa.", ok=False), *docs_refresh())
        from .index import get_index
        from .ingestion import delete_document

        rec = delete_document(get_index(), doc_id)
        if rec is None:
            msg = status_html(f"Không có tài liệu mã '{doc_id}' (có thể đã bị xóa).", ok=False)
        else:
            src = Path(rec.source)
            note = ""
            try:
                if src.resolve().parent == uploads_dir():
                    src.unlink(missing_ok=True)
                else:
                    note = " Tệp gốc vẫn còn trong thư mục tài liệu; nếu còn ở đó, nó sẽ được nạp lại khi khởi động lại."
            except OSError:
                pass
            msg = status_html(f"Đã xóa '{rec.title or src.name}' khỏi chỉ mục.{note}")
        return (msg, *docs_refresh())
    except Exception as exc:  # noqa: BLE001
        return (status_html(user_error(exc), ok=False), *docs_refresh())


def registry_add(number: str, doc_type: str, issued: str, issuer: str, title: str):
    try:
        number, doc_type = (number or "").strip(), (doc_type or "").strip()
        if not number or not doc_type:
            return status_html("Cần nhập số/ký hiệu và loại văn bản.", ok=False)
        try:
            from .citations import RegistryEntry, load_registry, normalise_number
        except ImportError as exc:
            raise RuntimeError(missing_module("danh mục văn bản", exc)) from exc
        entry = RegistryEntry(number=normalise_number(number), doc_type=doc_type, issuer=(issuer or "").strip() or None,
                              date=parse_date(issued), effective_date=None, title=(title or "").strip() or None,
                              source="người dùng nhập (ứng dụng)", confidence="user")
        load_registry().add(entry, persist=True)
        return status_html(f"Đã thêm {doc_type} {entry.number} vào danh mục văn bản để kiểm tra trích dẫn.")
    except Exception as exc:  # noqa: BLE001
        return status_html(str(exc) if isinstance(exc, ValueError) else user_error(exc), ok=False)


# ---- layout -------------------------------------------------------------------------------------
def build_app() -> gr.Blocks:
    settings = get_settings()
    with gr.Blocks(title=APP_TITLE, analytics_enabled=False) as demo:
        gr.HTML(f"<div id='app-header'><h1>{APP_TITLE}</h1><p>Văn phòng HĐND và UBND xã — soạn thảo, kiểm tra "
                "trích dẫn và tóm tắt báo cáo từ tài liệu đã nạp. Mọi dữ liệu xử lý ngay trên máy này.</p></div>")
        with gr.Tabs():
            with gr.Tab("Trò chuyện", id="chat"):
                _chat_tab()
            with gr.Tab("Kiểm tra trích dẫn", id="check"):
                _check_tab(settings)
            with gr.Tab("Tóm tắt báo cáo", id="summary"):
                sum_dd = _summary_tab()
            with gr.Tab("Tài liệu", id="docs") as docs_tab:
                table, del_dd, docs_status = _docs_tab(sum_dd)
        refresh = {"fn": docs_refresh, "inputs": None, "outputs": [table, del_dd, sum_dd, docs_status],
                       "queue": False, "api_visibility": "private"}
        demo.load(**refresh)
        docs_tab.select(**refresh)
    return demo


def _chat_tab():
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="Trò chuyện", height=520, elem_id="chatbot", buttons=["copy"],
                                 placeholder="Hỏi về tài liệu đã nạp, hoặc yêu cầu soạn một mục báo cáo "
                                             "(bắt đầu bằng “Soạn…”, “Viết…”, “Dự thảo…”).",
                                 feedback_options=None, sanitize_html=True)
            findings = gr.HTML(elem_id="chat-findings")
            with gr.Row():
                msg = gr.Textbox(show_label=False, placeholder="Nhập câu hỏi hoặc yêu cầu soạn thảo rồi nhấn Enter…",
                                 scale=5, lines=1, max_lines=6, elem_id="chat-input", autofocus=True)
                send = gr.Button("Gửi", variant="primary", scale=1, elem_id="chat-send")
            with gr.Row():
                mode = gr.Radio([MODE_ASK, MODE_DRAFT], value=MODE_ASK, label="Chế độ", scale=3)
                clear = gr.Button("Cuộc trò chuyện mới", scale=1)
                export_btn = gr.Button("Xuất (Word/Markdown)", scale=1, elem_id="chat-export")
            export_file = gr.File(label="Tệp xuất", visible=False, interactive=False)
            export_status = gr.HTML()
            with gr.Accordion("Thông tin văn bản (dùng khi soạn và xuất Word)", open=False):
                with gr.Row():
                    unit = gr.Textbox(label="Cơ quan/đơn vị", placeholder="UBND xã Bình Thành")
                    number = gr.Textbox(label="Số/ký hiệu", placeholder="…/BC-UBND")
                    place = gr.Textbox(label="Địa danh", placeholder="Bình Thành")
                with gr.Row():
                    rdate = gr.Textbox(label="Ngày báo cáo", placeholder="05/01/2026 (để trống: hôm nay)")
                    title = gr.Textbox(label="Trích yếu", placeholder="Báo cáo kết quả thực hiện …")
        with gr.Column(scale=2):
            sources = gr.HTML(sources_html([]), label="Nguồn", elem_id="chat-sources")
    last = gr.State(None)
    outs = [chatbot, sources, findings, last]
    ev = {"fn": chat_respond, "inputs": [msg, chatbot, mode, unit, rdate], "outputs": outs}
    send.click(**ev, api_name="chat")
    msg.submit(**ev, api_visibility="private")
    for trigger in (send.click, msg.submit):
        trigger(lambda: "", None, msg, queue=False, api_visibility="private")
    clear.click(chat_clear, None, [chatbot, sources, findings, last, export_file], queue=False, api_visibility="private")
    export_btn.click(chat_export, [chatbot, last, unit, number, place, rdate, title], [export_file, export_status],
                     api_name="export_chat")


def _check_tab(settings):
    with gr.Row():
        with gr.Column(scale=2):
            text = gr.Textbox(label="Văn bản cần kiểm tra", lines=14, max_lines=30, elem_id="check-text",
                              placeholder="Dán nội dung báo cáo vào đây, hoặc tải lên tệp bên dưới.")
            file = gr.File(label=f"Hoặc tải lên tệp (.docx, .pdf, .txt, .md; tối đa {settings.max_upload_mb:g} MB)",
                           file_types=list(ALLOWED_EXT), elem_id="check-file")
            with gr.Row():
                rdate = gr.Textbox(label="Ngày báo cáo (tùy chọn)", placeholder="05/01/2026", scale=2)
                run = gr.Button("Kiểm tra", variant="primary", scale=1, elem_id="check-run")
        with gr.Column(scale=3):
            summary = gr.HTML(elem_id="check-summary")
            marked = gr.HTML(elem_id="check-highlight")
    findings = gr.Dataframe(headers=FINDING_HEADERS, label="Các phát hiện", interactive=False, wrap=True,
                            elem_id="check-findings", column_count=len(FINDING_HEADERS),
                            column_widths=["9%", "14%", "37%", "22%", "18%"])
    citations = gr.Dataframe(headers=CITATION_HEADERS, label="Tất cả trích dẫn", interactive=False, wrap=True,
                             column_count=len(CITATION_HEADERS), column_widths=["36%", "11%", "14%", "10%", "15%", "14%"])
    with gr.Row():
        export_btn = gr.Button("Xuất báo cáo kiểm tra (Word)")
        export_file = gr.File(label="Tệp xuất", visible=False, interactive=False)
    export_status = gr.HTML()
    state = gr.State(None)
    run.click(check_run, [text, file, rdate], [marked, findings, citations, summary, state], api_name="check")
    export_btn.click(check_export, [state], [export_file, export_status], api_name="export_check")


def _summary_tab():
    with gr.Row():
        doc = gr.Dropdown(label="Báo cáo đã nạp", choices=[], scale=3, elem_id="summary-doc", allow_custom_value=True)
        file = gr.File(label="Hoặc tải lên báo cáo", file_types=list(ALLOWED_EXT), scale=2)
    run = gr.Button("Tóm tắt", variant="primary")
    status = gr.HTML()
    out = gr.Markdown(elem_id="summary-out", sanitize_html=True)
    run.click(summary_run, [doc, file], [status, out], api_name="summarize")
    return doc


def _docs_tab(sum_dd):
    settings = get_settings()
    status = gr.HTML(elem_id="docs-status")
    table = gr.Dataframe(headers=DOC_HEADERS, label="Tài liệu đã nạp", interactive=False, wrap=True,
                         elem_id="docs-table", column_count=len(DOC_HEADERS),
                         column_widths=["11%", "9%", "12%", "9%", "38%", "7%", "14%"])
    refresh_btn = gr.Button("Làm mới danh sách", size="sm")
    with gr.Row():
        with gr.Column():
            gr.Markdown("### Tải lên tài liệu")
            files = gr.File(label=f"Tệp .pdf, .docx, .md, .txt (tối đa {settings.max_upload_mb:g} MB mỗi tệp)",
                            file_count="multiple", file_types=list(ALLOWED_EXT), elem_id="docs-upload")
            upload_btn = gr.Button("Nạp vào chỉ mục", variant="primary", elem_id="docs-ingest")
            upload_status = gr.HTML(elem_id="docs-upload-status")
        with gr.Column():
            gr.Markdown("### Xóa tài liệu")
            del_dd = gr.Dropdown(label="Tài liệu", choices=[], elem_id="docs-delete-choice", allow_custom_value=True)
            del_btn = gr.Button("Xóa khỏi chỉ mục", variant="stop")
            del_status = gr.HTML()
    with gr.Accordion("Thêm văn bản địa phương vào danh mục (để kiểm tra trích dẫn)", open=False):
        with gr.Row():
            r_number = gr.Textbox(label="Số/ký hiệu", placeholder="05/QĐ-UBND")
            r_type = gr.Dropdown(DOC_TYPES, label="Loại văn bản", allow_custom_value=True, value="Quyết định")
            r_date = gr.Textbox(label="Ngày ban hành", placeholder="05/01/2026")
        with gr.Row():
            r_issuer = gr.Textbox(label="Cơ quan ban hành", placeholder="UBND xã Bình Thành")
            r_title = gr.Textbox(label="Trích yếu", placeholder="Về việc …")
        r_btn = gr.Button("Thêm vào danh mục")
        r_status = gr.HTML()
    refresh_btn.click(docs_refresh, None, [table, del_dd, sum_dd, status], api_name="documents")
    upload_btn.click(docs_upload, [files], [upload_status, table, del_dd, sum_dd, status], api_name="upload",
                     concurrency_limit=1).then(lambda: None, None, files, queue=False, api_visibility="private")
    del_btn.click(docs_delete, [del_dd], [del_status, table, del_dd, sum_dd, status], api_name="delete_document",
                  concurrency_limit=1)
    r_btn.click(registry_add, [r_number, r_type, r_date, r_issuer, r_title], [r_status], api_name="registry_add")
    return table, del_dd, status


THEME_FONT = ("ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Arial", "sans-serif")


def theme():
    # Local fonts only: the default theme fetches Google Fonts, which offline offices cannot reach.
    return gr.themes.Default(primary_hue="red", secondary_hue="amber", neutral_hue="slate",
                             font=THEME_FONT, font_mono=THEME_FONT)  # tables use the mono font: keep diacritics clean


# ---- serving --------------------------------------------------------------------------------------
def launch(demo: gr.Blocks, host: str, port: int, *, block: bool = True, auth: Callable | None = None):
    settings = get_settings()
    exports = (settings.data_dir / "exports").resolve()
    exports.mkdir(parents=True, exist_ok=True)
    demo.queue(default_concurrency_limit=settings.concurrency)
    return demo.launch(
        server_name=host, server_port=port, auth=auth, prevent_thread_lock=not block, quiet=True,
        auth_message="Đăng nhập để dùng Trợ lý soạn báo cáo." if auth else None, show_error=False,
        max_file_size=max(1, int(settings.max_upload_mb * 1024 * 1024)), allowed_paths=[str(exports)],
        footer_links=[], theme=theme(), css=CSS, share=False, inbrowser=False, ssr_mode=False,
    )


def _ingest_at_start(paths: list[str]) -> None:
    from .index import get_index
    from .ingestion import ingest_paths

    index = get_index()
    wanted = [Path(p) for p in paths]
    missing = [p for p in wanted if not p.exists()]
    for p in missing:
        print(f"Bỏ qua '{p}': không tìm thấy thư mục/tệp.", file=sys.stderr)
    wanted = [p for p in wanted if p.exists()]
    if not wanted:
        return
    if index.documents() and not index.is_stale(wanted):
        print(f"Chỉ mục đã cập nhật ({len(index.documents())} tài liệu).")
        return
    print("Đang nạp tài liệu vào chỉ mục: " + ", ".join(str(p) for p in wanted))
    try:

        progress = TerminalProgress(enabled=sys.stderr.isatty())
    except Exception:  # noqa: BLE001
        progress = None
    report = ingest_paths(index, wanted, progress=progress, lock_wait=60)
    for item in report.failed:
        print(f"LỖI      {item['error']}", file=sys.stderr)
    print(f"Nạp xong: {len(report.ingested)} nạp, {len(report.skipped)} bỏ qua, {len(report.failed)} lỗi; "
          f"chỉ mục có {len(index.documents())} tài liệu.")


def warm_up() -> None:
    """Open the index, load the embedder, start the model and have it read the prompts' fixed parts
    in the background, so the first question does not pay for it. Failures are only logged: the handlers report them in context."""
    def run():
        try:
            from .index import get_index

            get_index().embedder.embed_query("khởi động")
            from . import llm

            llm.endpoint()
            llm.warm_prompts()
        except Exception as exc:  # noqa: BLE001
            log.info("Khởi động trước chưa xong: %s", exc)

    threading.Thread(target=run, name="warm-up", daemon=True).start()


def serve(host: str | None = None, port: int | None = None, index_paths: list[str] | None = None) -> int:
    from .auth import check_user, users_configured

    settings = get_settings()
    host = host or settings.host
    port = int(port or settings.port)
    with_users = users_configured()
    if not is_loopback(host) and not with_users:
        print(f"Từ chối chạy trên địa chỉ {host}: ứng dụng sẽ mở cho các máy khác trong mạng mà không có đăng nhập. "
              "Thêm người dùng trước (`assistant user-add TÊN`), hoặc chạy trên 127.0.0.1.", file=sys.stderr)
        return 2
    if index_paths:
        try:
            _ingest_at_start(index_paths)
        except Exception as exc:  # noqa: BLE001
            print(f"Không nạp được tài liệu lúc khởi động: {user_error(exc)}", file=sys.stderr)
    demo = build_app()
    try:
        launch(demo, host, port, block=False, auth=check_user if with_users else None)
    except OSError as exc:
        log.info("launch: %s", exc)
        print(f"Không mở được cổng {port} trên {host}: cổng đang bị chương trình khác dùng (có thể ứng dụng "
              "đã chạy sẵn) hoặc địa chỉ không thuộc máy này. Chọn cổng khác bằng --port hoặc ASSISTANT_PORT.",
              file=sys.stderr)
        return 1
    shown = f"[{host}]" if ":" in host else host
    print(f"{APP_TITLE}: mở http://{shown}:{port} trong trình duyệt"
          + (" (cần đăng nhập)." if with_users else ".") + " Nhấn Ctrl+C để dừng.", flush=True)
    warm_up()
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0
