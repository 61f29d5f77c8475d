"""Local GGUF models that ship as registry packages split into parts.

The parts are concatenated once into the data directory's model cache and checked against the
published sha256; a mismatch is refused. `ASSISTANT_GGUF` points at any other local model instead.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .errors import ModelError

log = logging.getLogger(__name__)
_CATALOGUE = Path(__file__).with_name("data") / "models.json"


@dataclass(frozen=True)
class PackagedModel:
    name: str
    description: str
    packages: str
    parts: int
    part_file: str
    sha256: str
    file: str
    install: str
    size: int | None = None

    def part_paths(self) -> list[Path]:
        paths = []
        for n in range(1, self.parts + 1):
            module = self.packages.format(n=n)
            spec = importlib.util.find_spec(module)
            if spec is None or not spec.submodule_search_locations:
                raise ModelError(
                    f"Thiếu gói mô hình '{module}' ({self.description}). "
                    f"Cách khắc phục: chạy `{self.install}` (hoặc `make run`)."
                )
            path = Path(list(spec.submodule_search_locations)[0]) / "data" / self.part_file.format(n=n)
            if not path.is_file():
                raise ModelError(f"Gói '{module}' thiếu tệp {path.name}. Cài lại: `{self.install}`.")
            paths.append(path)
        return paths


def catalogue() -> dict[str, PackagedModel]:
    raw = json.loads(_CATALOGUE.read_text(encoding="utf-8"))
    return {name: PackagedModel(name=name, **spec) for name, spec in raw.items()}


def assemble(model: PackagedModel, cache_dir: Path) -> Path:
    """Concatenate the parts into cache_dir once; verify the checksum; return the GGUF path."""
    target = cache_dir / model.file
    marker = target.with_suffix(".sha256")
    if target.is_file() and marker.is_file() and marker.read_text().strip() == model.sha256:
        return target
    parts = model.part_paths()
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with open(tmp, "wb") as out:
        for part in parts:
            with open(part, "rb") as fh:
                while block := fh.read(8 << 20):
                    digest.update(block)
                    out.write(block)
        out.flush()
        os.fsync(out.fileno())
    actual = digest.hexdigest()
    if actual != model.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelError(
            f"Mô hình '{model.description}' ghép từ các gói có mã kiểm tra sai "
            f"(sha256 {actual[:12]}…, cần {model.sha256[:12]}…). Các gói có thể bị hỏng: "
            f"cài lại bằng `pip install --force-reinstall {model.install.split(' ', 2)[-1]}`."
        )
    os.replace(tmp, target)
    marker.write_text(model.sha256 + "\n")
    return target


def resolve_gguf(settings: Settings) -> Path:
    """The GGUF file the embedded server should load."""
    if settings.gguf:
        path = Path(settings.gguf).expanduser()
        if not path.is_file():
            raise ModelError(f"ASSISTANT_GGUF trỏ tới '{path}' nhưng tệp không tồn tại. Sửa đường dẫn hoặc bỏ biến này.")
        return path
    models = catalogue()
    if settings.local_model not in models:
        raise ModelError(
            f"ASSISTANT_LOCAL_MODEL='{settings.local_model}' không hợp lệ; chọn một trong: {', '.join(models)}."
        )
    wanted = models[settings.local_model]
    try:
        return assemble(wanted, settings.model_cache)
    except ModelError:
        # The small model is an acceptable stand-in when only it is installed (e.g. a test install).
        if settings.local_model == "default":
            try:
                path = assemble(models["small"], settings.model_cache)
            except ModelError:
                pass
            else:
                log.warning("Chưa cài mô hình mặc định (%s); dùng tạm %s. Cài mô hình mặc định: %s",
                            wanted.description, models["small"].description, wanted.install)
                return path
        raise
