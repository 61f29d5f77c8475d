"""Prompt templates live as files in `prompts/` (Vietnamese, each with a worked example).

A file has a `# system` part and a `# user` part; `{name}` placeholders are filled with str.format.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from .config import PROJECT_ROOT

_PART = re.compile(r"^# (system|user)\s*$", re.M)


def prompts_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_PROMPTS_DIR", PROJECT_ROOT / "prompts"))


@lru_cache(maxsize=32)
def _load(name: str, directory: str) -> dict[str, str]:
    text = (Path(directory) / f"{name}.md").read_text(encoding="utf-8")
    pieces = _PART.split(text)
    parts = {pieces[i]: pieces[i + 1].strip() for i in range(1, len(pieces) - 1, 2)}
    if "system" not in parts or "user" not in parts:
        raise ValueError(f"prompts/{name}.md cần hai phần '# system' và '# user'")
    return parts


def messages(name: str, **values: str) -> list[dict]:
    parts = _load(name, str(prompts_dir()))
    return [{"role": "system", "content": parts["system"].format(**values)},
            {"role": "user", "content": parts["user"].format(**values)}]
