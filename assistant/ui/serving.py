"""Serving the app: refuse a network address without sign-in, ingest folders named at start-up,
launch, then warm the index, the embedder and the model in a background thread so that the page
opens at once and the first question does not pay for the start-up."""
from __future__ import annotations

import ipaddress
import logging
import sys
import threading
from pathlib import Path

import gradio as gr

from .. import llm
from ..auth import users_configured
from ..config import get_settings
from ..conversations import conversations_path, get_store
from ..index import get_index
from ..ingestion import ingest_paths
from ..progress import TerminalProgress
from .app import APP_TITLE, CSS, build_app, theme
from .common import user_error
from .signin import SignInGate

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def launch(demo: gr.Blocks, host: str, port: int, *, block: bool = True, gate: SignInGate | None = None):
    """Start the server (queue, upload limit, exports folder as the only served files); with a
    sign-in gate, its Vietnamese sign-in page and its session cookie stand in front of every route."""
    settings = get_settings()
    exports = (settings.data_dir / "exports").resolve()
    exports.mkdir(parents=True, exist_ok=True)
    demo.queue(default_concurrency_limit=settings.concurrency)
    return demo.launch(
        server_name=host, server_port=port, prevent_thread_lock=not block, quiet=True, show_error=False,
        auth_dependency=gate.user if gate else None, app_kwargs=gate.app_kwargs() if gate else None,
        max_file_size=max(1, int(settings.max_upload_mb * 1024 * 1024)), allowed_paths=[str(exports)],
        footer_links=[], theme=theme(), css=CSS, share=False, inbrowser=False, ssr_mode=False,
    )


def ingest_at_start(paths: list[str]) -> None:
    """Index the folders/files named on the command line unless the index already holds them as they are."""
    index = get_index()
    wanted = [Path(p) for p in paths]
    for p in wanted:
        if not p.exists():
            print(f"Bỏ qua '{p}': không tìm thấy thư mục/tệp.", file=sys.stderr)
    wanted = [p for p in wanted if p.exists()]
    if not wanted:
        return
    if index.documents() and not index.is_stale(wanted):
        print(f"Chỉ mục đã cập nhật ({len(index.documents())} tài liệu).")
        return
    print("Đang nạp tài liệu vào chỉ mục: " + ", ".join(str(p) for p in wanted))
    report = ingest_paths(index, wanted, progress=TerminalProgress(enabled=sys.stderr.isatty()), lock_wait=60)
    for item in report.failed:
        print(f"LỖI      {item['error']}", file=sys.stderr)
    print(f"Nạp xong: {len(report.ingested)} nạp, {len(report.skipped)} bỏ qua, {len(report.failed)} lỗi; "
          f"chỉ mục có {len(index.documents())} tài liệu.")


def _warm() -> None:
    try:
        get_index().embedder.embed_query("khởi động")
        llm.endpoint()
        llm.warm_prompts()
    except Exception as exc:  # noqa: BLE001
        log.info("Khởi động trước chưa xong: %s", exc)


def warm_up() -> None:
    """Open the index, load the embedder, start the model and have it read the prompts' fixed parts
    in the background. Failures are only logged: the handlers report them in context."""
    threading.Thread(target=_warm, name="warm-up", daemon=True).start()


def serve(host: str | None = None, port: int | None = None, index_paths: list[str] | None = None) -> int:
    """`assistant serve`: 0 when stopped with Ctrl+C, 1 when the port cannot be opened, 2 when refused."""
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
            ingest_at_start(index_paths)
        except Exception as exc:  # noqa: BLE001
            print(f"Không nạp được tài liệu lúc khởi động: {user_error(exc)}", file=sys.stderr)
    try:
        cut = get_store().recover()
    except Exception as exc:  # noqa: BLE001 - an unreadable store: say where, refuse to run without it
        print(f"Không mở được kho cuộc trò chuyện '{conversations_path()}': {user_error(exc)}", file=sys.stderr)
        return 1
    if cut:
        log.warning("%d câu trả lời bị ngắt khi ứng dụng dừng lần trước được giữ lại với dấu 'bị ngắt'.", cut)
    demo = build_app()
    try:
        launch(demo, host, port, block=False, gate=SignInGate() if with_users else None)
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
