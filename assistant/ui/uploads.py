"""Files users upload: type and size checks (the loaders' formats, ASSISTANT_MAX_UPLOAD_MB), and a copy
under data_dir/uploads with a sanitised name that can never land outside that folder."""
from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

from ..config import get_settings
from ..errors import UsageError
from ..loaders import SUPPORTED, load
from ..text import nfc

ALLOWED_EXT = tuple(sorted(SUPPORTED))
_RESERVED_CHARS = re.compile(r'[<>:"|?*\x00]')  # not allowed in file names on Windows
_SPACES = re.compile(r"\s+")


def sanitize_filename(name: str) -> str:
    """A safe base name for a saved upload: no folders, no control or reserved characters."""
    name = nfc(str(name or "")).replace("\\", "/").split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _RESERVED_CHARS.sub("_", name)
    name = _SPACES.sub(" ", name).strip().lstrip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[:120].strip() or "tai-lieu"
    return f"{stem}.{ext.lower()}" if ext else stem


def file_path(f) -> Path | None:
    """A Gradio upload (path string, FileData dict or tempfile wrapper) → Path."""
    if f is None:
        return None
    if isinstance(f, (str, Path)):
        return Path(f)
    if isinstance(f, dict):
        return Path(f.get("path") or f.get("name"))
    return Path(getattr(f, "path", None) or f.name)


def original_name(f) -> str:
    """The name the user's file had on their computer."""
    if isinstance(f, dict) and f.get("orig_name"):
        return f["orig_name"]
    return getattr(f, "orig_name", None) or file_path(f).name


def check_upload(path: Path, shown: str) -> None:
    """Refuse unsupported types and files above ASSISTANT_MAX_UPLOAD_MB (UsageError, Vietnamese)."""
    settings = get_settings()
    if path.suffix.lower() not in ALLOWED_EXT and Path(shown).suffix.lower() not in ALLOWED_EXT:
        raise UsageError(f"Tệp '{shown}' không được hỗ trợ. Chỉ nhận {', '.join(ALLOWED_EXT)}.")
    size_mb = path.stat().st_size / (1024 * 1024)
    if size_mb > settings.max_upload_mb:
        raise UsageError(f"Tệp '{shown}' nặng {size_mb:.1f} MB, vượt giới hạn {settings.max_upload_mb:g} MB "
                         "(ASSISTANT_MAX_UPLOAD_MB).")


def checked_path(f) -> Path:
    """An upload's temporary path, once it has passed `check_upload` (read in place, not kept)."""
    path = file_path(f)
    check_upload(path, original_name(f))
    return path


def read_upload_text(f) -> str:
    """The text of an uploaded file (checked first), read with the loaders."""
    return load(checked_path(f)).text


def uploads_dir() -> Path:
    d = (get_settings().data_dir / "uploads").resolve()
    d.mkdir(parents=True, exist_ok=True)
    return d


def save_upload(f) -> tuple[Path, str]:
    """Copy an upload into data_dir/uploads under a sanitised name; returns (saved path, shown name)."""
    src = file_path(f)
    shown = original_name(f)
    check_upload(src, shown)
    name = sanitize_filename(shown)
    if Path(name).suffix.lower() not in ALLOWED_EXT:
        name = sanitize_filename(Path(name).stem + src.suffix.lower())
    base = uploads_dir()
    dest = (base / name).resolve()
    if dest.parent != base:  # cannot happen after sanitising; refuse rather than write elsewhere
        raise UsageError(f"Tên tệp '{shown}' không hợp lệ.")
    tmp = dest.with_name(f".{dest.name}.part")
    shutil.copyfile(src, tmp)
    tmp.replace(dest)
    return dest, shown
