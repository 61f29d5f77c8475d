"""Prompt templates live as files in `prompts/` (Vietnamese, each with worked examples).

A file has a `# system` part, optionally one or more worked examples as `# example user` /
`# example assistant` pairs (sent as earlier chat turns: small local models follow a shown
exchange far better than a described one), and a `# user` part holding the placeholders
(`{sources}`, `{question}` …). Everything before the `# user` part is the same on every call, so
the embedded server keeps it in its prompt cache (`llm.warm_prompts`).

`template(name)` is the file as a LangChain `ChatPromptTemplate` — what the jobs run;
`messages(name, **values)` the same messages as plain dicts.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from .config import get_settings

_PART = re.compile(r"^# (system|example user|example assistant|user)\s*$", re.MULTILINE)
_ROLES = {"system": "system", "example user": "user", "example assistant": "assistant", "user": "user"}
_LC_ROLES = {"system": "system", "user": "human", "assistant": "ai"}


def prompts_dir() -> Path:
    return get_settings().prompts_dir


@lru_cache(maxsize=32)
def _load(name: str, directory: str) -> tuple[tuple[str, str], ...]:
    text = (Path(directory) / f"{name}.md").read_text(encoding="utf-8")
    pieces = _PART.split(text)
    parts = tuple((pieces[i], pieces[i + 1].strip()) for i in range(1, len(pieces) - 1, 2))
    kinds = [k for k, _ in parts]
    if kinds[:1] != ["system"] or kinds[-1:] != ["user"] or "user" in kinds[:-1]:
        raise ValueError(f"prompts/{name}.md phải mở đầu bằng '# system' và kết thúc bằng '# user'")
    return parts


def _parts(name: str) -> tuple[tuple[str, str], ...]:
    return _load(name, str(prompts_dir()))


def fixed_part(name: str) -> list[dict]:
    """The messages before the request: instructions and worked examples, the same on every call."""
    return [{"role": _ROLES[kind], "content": body} for kind, body in _parts(name)[:-1]]


@lru_cache(maxsize=32)
def _template(name: str, directory: str) -> ChatPromptTemplate:
    parts = _load(name, directory)
    fixed = [(_LC_ROLES[_ROLES[kind]], _literal(body)) for kind, body in parts[:-1]]
    return ChatPromptTemplate.from_messages([*fixed, ("human", parts[-1][1])])


def template(name: str) -> ChatPromptTemplate:
    """prompts/<name>.md as a ChatPromptTemplate: fixed messages as literal text, the `# user` part
    with its `{placeholders}`."""
    return _template(name, str(prompts_dir()))


def messages(name: str, **values: str) -> list[dict]:
    """The prompt as chat messages (dicts), placeholders filled."""
    return fixed_part(name) + [{"role": "user", "content": _parts(name)[-1][1].format(**values)}]


def _literal(text: str) -> str:
    """Text for a LangChain f-string template that must come out exactly as written (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")
