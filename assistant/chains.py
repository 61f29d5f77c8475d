"""The three jobs as LangChain runnables, and the prompt files as LangChain chat templates.

Each job runs the product's own code (retrieval, packing, the model through the OpenAI-compatible
endpoint, citation filling, verification), so a chain built from these behaves exactly as the app
and the CLI do: `.invoke()` returns the answer as a dict (the CLI's JSON shape), `.stream()` yields
{"event": ..., "text": ...} as the answer grows, `.batch()` runs several.

    from assistant.chains import draft_runnable
    draft_runnable().invoke({"request": "Soạn mục 1.3 Phân quyền, phân cấp", "unit": "UBND xã A"})
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableConfig

from . import prompts
from .answering import Answer


class Job(Runnable[Any, dict]):
    """A product job (a function yielding (event, Answer)) as a LangChain runnable."""

    def __init__(self, name: str, events: Callable[[dict], Iterator[tuple[str, Answer]]], key: str):
        self.name = name
        self._events = events
        self._key = key  # the input field a bare string stands for

    def _args(self, value: Any) -> dict:
        return {self._key: value} if isinstance(value, str) else dict(value)

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> dict:
        answer = Answer()
        for _, answer in self._events(self._args(input)):
            pass
        return answer.to_dict()

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[dict]:
        for event, answer in self._events(self._args(input)):
            out = {"event": event, "text": answer.text}
            if event in ("sources", "done", "error"):
                out.update(answer.to_dict())
            yield out


def _ask(args: dict) -> Iterator[tuple[str, Answer]]:
    from .answering import ask_stream

    return ask_stream(args["question"], args.get("k"), args.get("filters"))


def _draft(args: dict) -> Iterator[tuple[str, Answer]]:
    from .drafting import draft_stream

    report_date = args.get("report_date")
    if isinstance(report_date, str):
        report_date = date.fromisoformat(report_date)
    return draft_stream(args["request"], report_date, args.get("unit"), args.get("filters"))


def _summarize(args: dict) -> Iterator[tuple[str, Answer]]:
    from .summarising import summarize

    answer = summarize(args["target"])
    yield ("error" if answer.error and not answer.text else "done"), answer


def ask_runnable() -> Job:
    """Input: a question, or {"question", "k", "filters"}."""
    return Job("ask", _ask, "question")


def draft_runnable() -> Job:
    """Input: a request, or {"request", "unit", "report_date" (ISO date), "filters"}."""
    return Job("draft", _draft, "request")


def summarize_runnable() -> Job:
    """Input: a document id, an indexed file's name, or a path; or {"target": ...}."""
    return Job("summarize", _summarize, "target")


def prompt_template(name: str) -> ChatPromptTemplate:
    """prompts/<name>.md as a ChatPromptTemplate: the same messages `prompts.messages` builds."""
    messages = prompts.fixed_part(name)
    parts = [(m["role"] if m["role"] != "assistant" else "ai", _escape(m["content"])) for m in messages]
    user = prompts.user_part(name)
    return ChatPromptTemplate.from_messages(parts + [("human", user)])


def _escape(text: str) -> str:
    """Literal text for a LangChain f-string template (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")
