"""What every job returns: the text, its sources (what each marker [n] points at), its findings, and
— for drafts — the parts, for summaries — the structured summary. `to_dict` is the CLI's JSON shape
(../shared/cli-contract.md); `Event` is what a job streams while it works."""
from __future__ import annotations

from dataclasses import dataclass, field

from .documents import Hit


@dataclass
class Answer:
    text: str = ""
    sources: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    error: str | None = None
    parts: list[dict] | None = None    # drafts: [{"heading", "text", "sources", "findings", "start", "end"}]
    summary: dict | None = None        # summaries
    progress: str = ""                 # what is being done now ("Phần 2/3: lĩnh vực thanh tra")

    def to_dict(self) -> dict:
        d = {"text": self.text}
        if self.parts is not None:
            d["parts"] = self.parts
        d.update(sources=self.sources, findings=self.findings)
        if self.summary is not None:
            d = {"summary": self.summary, **d}
        if self.error:
            d["error"] = self.error
        return d


@dataclass
class Event:
    """One step of a streaming job: `kind` is sources | plan | part | token | done | error; `answer`
    is the answer so far (the same object throughout)."""
    kind: str
    answer: Answer
    progress: str = ""  # what was being done when the event was sent (the answer's own moves on)

    def __post_init__(self):
        self.progress = self.progress or self.answer.progress

    def to_dict(self) -> dict:
        out = {"event": self.kind, "text": self.answer.text, "progress": self.progress}
        if self.kind in ("sources", "plan", "done", "error"):
            out.update(self.answer.to_dict())
        return out


def source_entries(hits: list[Hit], start: int = 1) -> list[dict]:
    """The sources panel / JSON `sources`: one entry per marker."""
    out = []
    for i, h in enumerate(hits, start):
        entry = {"marker": f"[{i}]", "doc_id": h.doc_id, "source": h.source, "number": h.number or None,
                 "title": h.title, "page": h.page, "section": h.section, "snippet": h.text[:300]}
        if h.meta.get("unit"):
            entry["unit"] = h.meta["unit"]
        out.append(entry)
    return out
