"""The appendix's last column ("Kết quả thực hiện"): a figure from the unit's own reports for a task,
quoted with its source, where one exists; every other cell stays empty for the clerk.

A report line is a task's result when it carries a figure with its unit ("236 trường hợp") and names
the task's field ("hộ tịch") and at least one content word pair of the article's title ("đăng ký",
"chứng thực"). Each line goes to the one task it matches best (the first one in document order on a
tie), each task takes its best line: no figure is printed twice, nothing is guessed.
"""
from __future__ import annotations

from pathlib import Path

from assistant.citations import read_header
from assistant.documents import Document
from assistant.text import FIGURE, fold, nfc, sentences, unit_after

from .register import Task, TaskRegister
from .rules import field_rules

FIELD_WEIGHT = 2      # the field's name in the line
MIN_SCORE = 3         # the field and one title word pair, or three title word pairs
MAX_QUOTE_CHARS = 220


def _bigrams(folded: str) -> set[str]:
    words = [w for w in "".join(c if c.isalnum() else " " for c in folded).split()]
    return {f"{a} {b}" for a, b in zip(words, words[1:])}


def _keys(task: Task) -> tuple[str, set[str]]:
    stop = field_rules()["result_stop_bigrams"]
    return fold(task.field), _bigrams(fold(task.title)) - stop


def _score(line_folded: str, line_pairs: set[str], key: tuple[str, set[str]]) -> int:
    field, pairs = key
    score = FIELD_WEIGHT if field and field in line_folded else 0
    return score + len(pairs & line_pairs)


def _counted(sentence: str) -> bool:
    """A sentence with a figure followed by its unit ("236 trường hợp", "98,5%")."""
    return any(unit_after(sentence, m.end(1)) for m in FIGURE.finditer(sentence))


def _label(doc: Document) -> str:
    head = read_header(doc.text[:6000]) or {}
    if head.get("number"):
        kind = head.get("kind") or "Văn bản"
        return f"{kind} số {head['number']}"
    return Path(doc.source).name


def _quote(line: str) -> str:
    picked = [s for s in sentences(line) if _counted(s)] or [line]
    text = " ".join(picked).strip(" -+•*")
    return text if len(text) <= MAX_QUOTE_CHARS else text[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def results_from_reports(registers: list[TaskRegister], reports: list[Document]) -> dict[tuple, str]:
    """{(number, article, clause, point): "<quoted figure> (nguồn: <report>)"} for the tasks of
    `registers` that the unit's `reports` give a figure for; the keys the appendix export reads."""
    tasks = [(reg, t, _keys(t)) for reg in registers for t in reg.tasks]
    if not tasks:
        return {}
    best: dict[int, tuple[int, str]] = {}  # task index -> (score, value)
    for doc in reports:
        label = _label(doc)
        for raw in doc.text.split("\n"):
            line = nfc(raw).strip(" #>*")
            if not line or not _counted(line):
                continue
            folded = fold(line)
            pairs = _bigrams(folded)
            scores = [_score(folded, pairs, key) for _, _, key in tasks]
            top = max(scores)
            if top < MIN_SCORE:
                continue
            i = scores.index(top)
            if i not in best or top > best[i][0]:
                best[i] = (top, f"{_quote(line)} (nguồn: {label})")
    out = {}
    for i, (_, value) in best.items():
        reg, t, _ = tasks[i]
        out[(reg.document.get("number"), t.article, t.clause, t.point)] = value
    return out
