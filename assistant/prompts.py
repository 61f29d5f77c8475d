"""Prompt templates live as files in `prompts/` (Vietnamese, each with a worked example).

A file has a `# system` part, optionally one or more worked examples as `# example user` /
`# example assistant` pairs (sent as earlier chat turns: small local models follow a shown
exchange far better than a described one), and a `# user` part. `{name}` placeholders in the
system and user parts are filled with str.format.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from .config import PROJECT_ROOT

_PART = re.compile(r"^# (system|example user|example assistant|user)\s*$", re.MULTILINE)


def prompts_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_PROMPTS_DIR", PROJECT_ROOT / "prompts"))


@lru_cache(maxsize=32)
def _load(name: str, directory: str) -> list[tuple[str, str]]:
    text = (Path(directory) / f"{name}.md").read_text(encoding="utf-8")
    pieces = _PART.split(text)
    parts = [(pieces[i], pieces[i + 1].strip()) for i in range(1, len(pieces) - 1, 2)]
    kinds = [k for k, _ in parts]
    if kinds[:1] != ["system"] or kinds[-1:] != ["user"]:
        raise ValueError(f"prompts/{name}.md phải mở đầu bằng '# system' và kết thúc bằng '# user'")
    return parts


_ROLES = {"system": "system", "example user": "user", "example assistant": "assistant", "user": "user"}


def messages(name: str, **values: str) -> list[dict]:
    out = []
    for kind, body in _load(name, str(prompts_dir())):
        content = body.format(**values) if kind in ("system", "user") else body
        out.append({"role": _ROLES[kind], "content": content})
    return out


def fixed_part(name: str) -> list[dict]:
    """The messages before the request: instructions and worked examples, the same on every call.

    The embedded server keeps them in its prompt cache (llm.warm_prompts), so a request only pays
    for reading its own sources. Placeholders therefore belong in the `# user` part only.
    """
    out = []
    for kind, body in _load(name, str(prompts_dir()))[:-1]:
        out.append({"role": _ROLES[kind], "content": body.format() if kind == "system" else body})
    return out


def user_part(name: str) -> str:
    """The `# user` template itself (str.format placeholders), for other template engines."""
    return _load(name, str(prompts_dir()))[-1][1]
