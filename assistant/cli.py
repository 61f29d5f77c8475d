"""`assistant` / `python -m assistant`: every job of the product from the command line.

Names and JSON shapes follow ../shared/cli-contract.md. Exit codes: 0 success, 1 the job ran but
something failed, 2 bad usage. Errors go to stderr in Vietnamese; tracebacks only with --debug.
"""
from __future__ import annotations

import argparse
import getpass
import importlib
import json
import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from .citations import RegistryEntry, check_text, load_registry, normalise_number
from .config import get_settings
from .errors import UsageError, user_message
from .index import get_index, registry_with_corpus
from .ingestion import delete_document, ingest_paths
from .labels import SEVERITY_LABEL
from .loaders import load
from .progress import TerminalProgress
from .retrieval import hit_to_dict, retrieve
from .tasks import register_for
from .text import nfc, vn_date

# The jobs that load the model client (openai, LangChain: ~3 s) or the app (Gradio: ~6 s) are
# looked up by name when their command runs, so `assistant check` or `assistant docs` start at once.
JOBS = {
    "ask": "assistant.answering:ask_chain",
    "draft": "assistant.drafting:draft_chain",
    "summarize": "assistant.summarising:summarize_chain",
    "serve": "assistant.ui:serve",
    "add_user": "assistant.auth:add_user",
}


def job(name: str) -> Callable:
    module, _, attr = JOBS[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def _parse_date(s: str | None) -> date | None:
    if not s:
        return None
    try:
        return date.fromisoformat(s)
    except ValueError:
        raise UsageError(f"Ngày '{s}' không đúng dạng YYYY-MM-DD (ví dụ 2026-02-22).") from None


# ---- ingest / docs ---------------------------------------------------------------------------
def cmd_ingest(args) -> int:
    index = get_index()
    progress = TerminalProgress(enabled=not args.json and sys.stderr.isatty())
    report = ingest_paths(index, [Path(p) for p in args.paths], prune=args.prune, progress=progress,
                          lock_wait=args.wait)
    if args.json:
        _print_json(report.to_dict())
    else:
        for item in report.ingested:
            print(f"Đã nạp   {item['source']}  ({item['pages']} trang, {item['chunks']} đoạn)")
            for w in item.get("warnings") or []:
                print(f"         ! {w}")
        for item in report.skipped:
            print(f"Bỏ qua   {item['source']}: {item['reason']}")
        for item in report.removed:
            print(f"Đã xóa   {item['source']} (tệp không còn)")
        for item in report.failed:
            print(f"LỖI      {item['error']}", file=sys.stderr)
        print(f"Tổng: {len(report.ingested)} nạp, {len(report.skipped)} bỏ qua, {len(report.failed)} lỗi, "
              f"{len(report.removed)} xóa; chỉ mục có {len(index.documents())} tài liệu, {index.chunk_count()} đoạn.")
    return 1 if report.failed else 0


def cmd_docs(args) -> int:
    docs = get_index().documents()
    if args.json:
        _print_json({"documents": [d.public() for d in docs]})
        return 0
    if not docs:
        print("Chỉ mục chưa có tài liệu. Nạp bằng: assistant ingest corpus/")
        return 0
    for d in docs:
        print(f"{d.doc_id}  {d.kind or '-':<12} {d.number or '-':<18} {d.date or '-':<10}  "
              f"{d.chunks:>4} đoạn  {(d.title or '')[:70]}\n{'':18}{d.source}")
    return 0


def cmd_delete(args) -> int:
    rec = delete_document(get_index(), args.doc_id)
    if not rec:
        print(f"Không có tài liệu mã '{args.doc_id}'. Xem danh sách: assistant docs", file=sys.stderr)
        return 1
    print(f"Đã xóa {rec.source} khỏi chỉ mục.")
    return 0


# ---- search ----------------------------------------------------------------------------------
def _filters(args) -> dict:
    f = {}
    if args.kind:
        f["kind"] = args.kind
    if args.year:
        if "-" in args.year:
            a, b = args.year.split("-", 1)
            f["year"] = (int(a), int(b))
        else:
            f["year"] = int(args.year)
    return f


def cmd_search(args) -> int:
    if args.batch:
        lines = Path(args.batch).read_text(encoding="utf-8").splitlines()
        for q in (line.strip() for line in lines):
            if q:
                _print_json({"query": q, "hits": [hit_to_dict(h) for h in retrieve(q, args.k, _filters(args))]})
        return 0
    if not args.query:
        raise UsageError("Cần câu tìm kiếm, hoặc --batch TỆP.")
    hits = retrieve(args.query, args.k, _filters(args))
    if args.json:
        _print_json({"query": args.query, "hits": [hit_to_dict(h) for h in hits]})
        return 0
    if not hits:
        print("Không tìm thấy đoạn nào.")
    for i, h in enumerate(hits, 1):
        where = ", ".join(x for x in (h.number, f"trang {h.page}" if h.page else "", h.section) if x)
        print(f"[{i}] {h.title or Path(h.source).name} ({where})  điểm {h.score:.4f}\n    {h.text[:240]!s}\n")
    return 0


# ---- check -----------------------------------------------------------------------------------
def read_text_file(path: Path) -> str:
    return load(path).text


def cmd_check(args) -> int:
    text = read_text_file(Path(args.file))
    result = check_text(text, report_date=_parse_date(args.date), registry=registry_with_corpus())
    if args.json:
        _print_json(result.to_dict())
        return 0
    print_check(text, result)
    return 0


def print_check(text: str, result) -> None:
    text = nfc(text)
    rd = vn_date(result.report_date) if result.report_date else "không rõ"
    print(f"Ngày báo cáo: {rd}. {len(result.citations)} trích dẫn, {len(result.findings)} phát hiện.\n")
    for f in result.findings:
        line = text.count("\n", 0, f.start) + 1 if f.start is not None else "?"
        print(f"dòng {line}: [{SEVERITY_LABEL.get(f.severity, f.severity).upper()}] {f.code}: {f.message}")
        if f.text:
            print(f"    «{f.text[:160]}»")
        if f.suggestion:
            print(f"    → {f.suggestion}")
    print("\nTrích dẫn:")
    for c in result.citations:
        print(f"  {c.status:<10} {c.text[:120]}")


# ---- generation jobs -------------------------------------------------------------------------
def _print_answer(answer, as_json: bool) -> int:
    if as_json:
        _print_json(answer.to_dict())
    else:
        if answer.error:
            print(answer.error, file=sys.stderr)
        print(answer.text)
        if answer.sources:
            print("\nNguồn:")
            for s in answer.sources:
                where = ", ".join(str(x) for x in (s.get("number"), f"trang {s['page']}" if s.get("page") else None,
                                                   s.get("section")) if x)
                print(f"  {s['marker']} {s.get('title') or Path(s['source']).name} ({where})")
        for f in answer.findings:
            print(f"  ! {f['code']}: {f['message']}")
    return 1 if answer.error else 0


def _run_job(name: str, inputs: dict, as_json: bool) -> int:
    """Stream a job; on a terminal, say what it is doing (drafting by parts takes a while)."""
    show = not as_json and sys.stderr.isatty()
    answer, said = None, ""
    for event in job(name)().stream(inputs):
        answer = event.answer
        if show and answer.progress and answer.progress != said:
            said = answer.progress
            print(f"… {said}", file=sys.stderr)
    return _print_answer(answer, as_json)


def cmd_ask(args) -> int:
    return _run_job("ask", {"question": args.question, "k": args.k, "unit": args.unit}, args.json)


def cmd_draft(args) -> int:
    report_date = _parse_date(args.date)
    return _run_job("draft", {"request": args.request, "unit": args.unit,
                              "report_date": report_date.isoformat() if report_date else None}, args.json)


def cmd_summarize(args) -> int:
    return _run_job("summarize", {"target": args.target, "compare": args.compare}, args.json)


# ---- task register ---------------------------------------------------------------------------
def cmd_tasks(args) -> int:
    register = register_for(args.source, level=args.level)
    if args.json:
        _print_json(register.to_dict())
    else:
        print(register.table())
    return 0


# ---- registry / users / serve ----------------------------------------------------------------
def cmd_registry_add(args) -> int:
    entry = RegistryEntry(number=normalise_number(args.number), doc_type=args.type, issuer=args.issuer,
                          date=_parse_date(args.date), effective_date=None, title=args.title,
                          source=args.source or "người dùng nhập", confidence="user")
    load_registry().add(entry, persist=True)
    print(f"Đã thêm {entry.doc_type} {entry.number} vào danh mục văn bản.")
    return 0


def cmd_user_add(args) -> int:
    password = args.password or getpass.getpass("Mật khẩu: ")
    job("add_user")(args.username, password)
    print(f"Đã thêm người dùng '{args.username}'.")
    return 0


def cmd_serve(args) -> int:
    return job("serve")(host=args.host, port=args.port, index_paths=args.index)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="Trợ lý soạn báo cáo — Văn phòng HĐND và UBND xã")
    p.add_argument("--debug", action="store_true", help="in chi tiết lỗi (traceback) và nhật ký gỡ lỗi")
    sub = p.add_subparsers(dest="command", required=True, metavar="LỆNH")

    s = sub.add_parser("ingest", help="nạp tệp/thư mục (.pdf, .docx, .md, .txt) vào chỉ mục")
    s.add_argument("paths", nargs="+")
    s.add_argument("--prune", action="store_true", help="xóa khỏi chỉ mục các tài liệu mà tệp đã mất")
    s.add_argument("--wait", type=float, default=0.0, help="chờ tối đa N giây nếu có lần nạp khác đang chạy")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("docs", help="liệt kê tài liệu đã nạp")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_docs)

    s = sub.add_parser("delete", help="xóa một tài liệu khỏi chỉ mục")
    s.add_argument("doc_id")
    s.set_defaults(func=cmd_delete)

    s = sub.add_parser("search", help="tìm kiếm kết hợp (BM25 + vector)")
    s.add_argument("query", nargs="?")
    s.add_argument("-k", type=int, default=None)
    s.add_argument("--kind")
    s.add_argument("--year", help="năm hoặc khoảng năm, ví dụ 2025 hoặc 2020-2025")
    s.add_argument("--batch", help="tệp có một câu tìm kiếm mỗi dòng")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("check", help="kiểm tra mọi trích dẫn văn bản trong một báo cáo")
    s.add_argument("file")
    s.add_argument("--date", help="ngày của báo cáo (YYYY-MM-DD) nếu không đọc được từ dòng địa danh, ngày")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("draft", help="soạn một mục báo cáo từ tài liệu đã nạp")
    s.add_argument("request")
    s.add_argument("--date", help="ngày báo cáo (YYYY-MM-DD)")
    s.add_argument("--unit", help="tên đơn vị, ví dụ 'UBND xã Bình Thành'")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_draft)

    s = sub.add_parser("summarize", help="tóm tắt một báo cáo (tệp hoặc mã tài liệu)")
    s.add_argument("target")
    s.add_argument("--compare", metavar="B", help="báo cáo kỳ trước (tệp hoặc mã tài liệu) để đặt các chỉ tiêu cạnh nhau")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_summarize)

    s = sub.add_parser("ask", help="hỏi đáp trên tài liệu đã nạp")
    s.add_argument("question")
    s.add_argument("-k", type=int, default=None)
    s.add_argument("--unit", help="đơn vị có số liệu được dùng nếu câu hỏi không nêu, ví dụ 'xã Bình Thành'")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("tasks", help="danh mục nhiệm vụ, quyền hạn một văn bản giao cho cấp xã")
    s.add_argument("source", help="đường dẫn tệp, hoặc số văn bản đã nạp (ví dụ 120/2025/NĐ-CP)")
    s.add_argument("--level", default="xa", help="cấp chính quyền (mặc định: xa, cấp xã)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_tasks)

    s = sub.add_parser("registry-add", help="thêm văn bản địa phương vào danh mục để kiểm tra trích dẫn")
    s.add_argument("number", help="số/ký hiệu, ví dụ 05/QĐ-UBND")
    s.add_argument("--type", required=True, help="loại văn bản, ví dụ 'Quyết định'")
    s.add_argument("--date", help="ngày ban hành YYYY-MM-DD")
    s.add_argument("--issuer", help="cơ quan ban hành, ví dụ 'UBND xã Bình Thành'")
    s.add_argument("--title", help="trích yếu")
    s.add_argument("--source", help="nguồn thông tin")
    s.set_defaults(func=cmd_registry_add)

    s = sub.add_parser("user-add", help="thêm người dùng đăng nhập ứng dụng (mật khẩu được băm)")
    s.add_argument("username")
    s.add_argument("--password", help="(nên bỏ trống để nhập ẩn)")
    s.set_defaults(func=cmd_user_add)

    s = sub.add_parser("serve", help="chạy ứng dụng web (mặc định 127.0.0.1:7860)")
    s.add_argument("--host", default=None)
    s.add_argument("--port", type=int, default=None)
    s.add_argument("--index", nargs="*", default=None, help="nạp các thư mục này trước khi chạy nếu chỉ mục cũ")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = "DEBUG" if args.debug else get_settings().log_level.upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"Lỗi cách dùng: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        print(user_message(exc), file=sys.stderr)
        return 1
