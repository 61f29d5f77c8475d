"""Progress of long work (ingesting files, drafting by parts), drawn by whoever is watching.

`Progress` is the interface with no-op methods; `TerminalProgress` draws a tqdm bar on a terminal
(the command line), `CallbackProgress` reports fractions and Vietnamese descriptions to a callable
such as Gradio's `gr.Progress()` (the app).
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


class Progress:
    """Callbacks for ingesting a batch of files; every method may be left as a no-op."""

    def start(self, files: int) -> None: ...
    def file(self, path: Path) -> None: ...
    def chunks_total(self, n: int) -> None: ...
    def chunks_done(self, n: int) -> None: ...
    def done(self, path: Path, status: str) -> None: ...
    def close(self) -> None: ...


class TerminalProgress(Progress):
    """A progress bar on a terminal (files, chunks, embedding rate); silent when not enabled."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.files = self.seen = 0

    def start(self, files: int) -> None:
        from tqdm import tqdm

        if self.enabled:
            self.bar = tqdm(total=0, unit="đoạn", desc="Nạp tài liệu", dynamic_ncols=True, file=sys.stderr)
        self.files = files
        self.seen = 0

    def file(self, path: Path) -> None:
        self.seen += 1
        if self.bar:
            self.bar.set_description(f"[{self.seen}/{self.files}] {Path(path).name[:40]}")

    def chunks_total(self, n: int) -> None:
        if self.bar:
            self.bar.total += n
            self.bar.refresh()

    def chunks_done(self, n: int) -> None:
        if self.bar:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar:
            self.bar.close()


class CallbackProgress(Progress):
    """Reports (fraction, description) to `report(fraction, desc=...)`, e.g. a `gr.Progress()`."""

    def __init__(self, report: Callable[..., object]):
        self.report = report
        self.files = self.seen = 0
        self.total = self.done_chunks = 0
        self.name = ""

    def start(self, files: int) -> None:
        self.files = files
        self.report(0, desc=f"Chuẩn bị nạp {files} tệp…")

    def file(self, path: Path) -> None:
        self.seen += 1
        self.name = Path(path).name
        self.report((self.seen - 1) / max(self.files, 1), desc=f"[{self.seen}/{self.files}] Đọc {self.name}")

    def chunks_total(self, n: int) -> None:
        self.total += n

    def chunks_done(self, n: int) -> None:
        self.done_chunks += n
        frac = ((self.seen - 1) + min(self.done_chunks / max(self.total, 1), 1.0)) / max(self.files, 1)
        self.report(frac, desc=f"[{self.seen}/{self.files}] Đang lập chỉ mục {self.name} "
                               f"({self.done_chunks}/{self.total} đoạn)")

    def done(self, path: Path, status: str) -> None:
        self.total = self.done_chunks = 0

    def close(self) -> None:
        self.report(1.0, desc="Xong")
