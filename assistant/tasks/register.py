"""The register's data: one `Task` per Điều/khoản/điểm that gives the commune level a task, power or
duty; a `TaskRegister` per document, with the document's registry citation on top."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from assistant.text import fold, vn_date

CONTRACT_DOCUMENT_KEYS = ("number", "doc_type", "date", "issuer", "title")
_TABLE_TEXT_CHARS = 150


@dataclass
class Task:
    article: int
    clause: int | None
    point: str | None
    actor: str
    field: str
    text: str
    new_to_commune: bool
    title: str = ""        # the Điều's title
    chapter: str = ""      # "Chương II. PHÂN ĐỊNH …" (for matching fields), "" when none
    section: str = ""      # "Mục 1. LĨNH VỰC HỘ TỊCH", "" when none
    page: int | None = None

    @property
    def reference(self) -> str:
        """Where it is, as a citation: 'điểm a khoản 2 Điều 7', 'khoản 1 Điều 5', 'Điều 4'."""
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause is not None:
            parts.append(f"khoản {self.clause}")
        parts.append(f"Điều {self.article}")
        return " ".join(parts)

    @property
    def key(self) -> tuple:
        return (self.article, self.clause, self.point)

    def to_dict(self) -> dict:
        return {"article": self.article, "clause": self.clause, "point": self.point, "actor": self.actor,
                "field": self.field, "text": self.text, "new_to_commune": self.new_to_commune}


@dataclass
class TaskRegister:
    document: dict  # number, doc_type, date (ISO), issuer, title — from the registry when it knows the number
    tasks: list[Task] = field(default_factory=list)
    source: str = ""
    level: str = "xa"

    def by_field(self) -> dict[str, list[Task]]:
        """Tasks grouped by field, fields and tasks in document order."""
        groups: dict[str, list[Task]] = {}
        names: dict[str, str] = {}
        for t in self.tasks:
            name = names.setdefault(fold(t.field), t.field)
            groups.setdefault(name, []).append(t)
        return groups

    @property
    def citation(self) -> str:
        """'Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về …' (registry title)."""
        return self.document.get("citation") or self.document.get("number") or self.source

    @property
    def short_name(self) -> str:
        """'Nghị định số 120/2025/NĐ-CP' — the later-mention form."""
        kind, number = self.document.get("doc_type"), self.document.get("number")
        if kind and number:
            return f"{kind} số {number}"
        return number or self.document.get("title") or self.source

    def to_dict(self) -> dict:
        """The contract's `tasks --json` shape (the document also carries its `citation`)."""
        doc = {k: self.document.get(k) for k in CONTRACT_DOCUMENT_KEYS}
        if self.document.get("citation"):
            doc["citation"] = self.document["citation"]
        return {"document": doc, "tasks": [t.to_dict() for t in self.tasks]}

    def counts_line(self, moved_mark: str) -> str:
        """"21 nhiệm vụ của cấp xã trong 5 lĩnh vực; 3 nhiệm vụ … (moved_mark)" — the table's and the app's summary."""
        line = f"{len(self.tasks)} nhiệm vụ của cấp xã trong {len(self.by_field())} lĩnh vực"
        moved = sum(t.new_to_commune for t in self.tasks)
        if moved:
            line += f"; {moved} nhiệm vụ văn bản ghi là chuyển từ cấp huyện hoặc chuyển giao cho cấp xã ({moved_mark})"
        return line

    def table(self, width: int = _TABLE_TEXT_CHARS) -> str:
        """The register as staff read it in a terminal: a numbered table grouped by field, with counts."""
        groups = self.by_field()
        lines = [self.citation]
        if self.citation == self.short_name and self.document.get("date"):
            lines[0] += f" (ban hành {vn_date(self.document['date'])})"
        if not self.tasks:
            lines.append("Không tìm thấy điều, khoản nào giao nhiệm vụ cho cấp xã trong văn bản này.")
            return "\n".join(lines)
        lines += [self.counts_line("đánh dấu *") + ".", ""]
        n = 0
        for name, tasks in groups.items():
            lines.append(f"{name} — {len(tasks):02d} nhiệm vụ")
            lines.append(f"{'STT':>4}  {'Căn cứ':<22} {'Chủ thể thực hiện':<34} Nhiệm vụ")
            for t in tasks:
                n += 1
                mark = "*" if t.new_to_commune else " "
                text = textwrap.shorten(" ".join(t.text.split()), width=width, placeholder=" …")
                actor = textwrap.shorten(t.actor, width=34, placeholder="…")
                lines.append(f"{n:>3}{mark}  {t.reference:<22} {actor:<34} {text}")
            lines.append("")
        return "\n".join(lines).rstrip()
