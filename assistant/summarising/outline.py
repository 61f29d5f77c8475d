"""A report read as an outline: headings ("II.", "1.9.", "a)", an unnumbered upper-case title),
lead-in lines ("+ Năm 2025:", "1. Đối với Trung ương:", "Nguyên nhân khách quan:") and paragraphs,
each with its page and the headings above it.

Lines wrapped by a PDF (long, not ending a sentence) or cut by a page break (the next one starting in
lower case) are joined back into paragraphs; a short line of its own stays one. A numbered line is
a heading only when it reads like one (short, no closing full stop) and something stands under it;
"1. Đề nghị bổ sung 01 biên chế …" is an item of its section. The body ends at the closing sentence
("Trên đây là báo cáo …") or at "Nơi nhận".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..documents import Document
from ..text import nfc

MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
BOLD_LINE = re.compile(r"^(\*\*|__)(.+?)(\*\*|__)\s*$")
PART_HEADING = re.compile(r"^(?:PHẦN|Phần)\s+(THỨ\s+\S+|thứ\s+\S+|[IVXL]+|\d+)\s*[.:]?\s*(.*)$")
ROMAN_HEADING = re.compile(r"^([IVXL]{1,6})\s*[.:]\s+(\S.*)$")
NUMBER_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|\))?\s+(\S.*)$")
LETTER_HEADING = re.compile(r"^([a-zđ])\)\s+(\S.*)$")
BULLET = re.compile(r"^(?:[-+•*–—]|\d{1,2}(?:\.\d{1,2}){0,3}[.)]|[a-zđ]\))\s+")
TABLE_LINE = re.compile(r"^\||\s\|\s")
CLOSING = re.compile(r"^(?:\*\*|_)?(?:Nơi nhận|NƠI NHẬN)\b|^Trên đây là\b")
SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]*_»]*$")
VALID_ROMAN = re.compile(r"^(?=[IVXL])(L?X{0,3})(IX|IV|V?I{0,3})$")

HEADING_MAX = 160   # a longer line is a paragraph
WRAPPED_LINE = 60   # a line this long, not ending a sentence, continues on the next line
LETTER_LEVEL = 8    # "a)" sits below any numbered level


@dataclass(frozen=True)
class Heading:
    label: str   # "II", "1.9", "a"; "" for an unnumbered title
    title: str   # "KẾT QUẢ SAU 01 NĂM VẬN HÀNH"
    level: int   # 0 Phần, 1 Roman or upper-case title, 2 "1.", 3 "1.1.", …, 8 "a)"


@dataclass
class Block:
    kind: str                    # heading | lead | text | table
    text: str                    # the paragraph as written (bullet or number kept), markup stripped
    page: int | None
    path: tuple[Heading, ...]    # enclosing headings, outermost first (a heading's own path ends with it)

    @property
    def section(self) -> str:
        return section_path(self.path)


def section_path(path: tuple[Heading, ...]) -> str:
    """'II > 1 > 1.9', the way chunking names sections (an unnumbered title by its first words)."""
    return " > ".join(h.label or _short(h.title) for h in path)


def _short(title: str, n: int = 40) -> str:
    return title if len(title) <= n else title[:n].rsplit(" ", 1)[0] + "…"


def _strip_markup(line: str) -> tuple[str, bool]:
    """('Điều 7. X', True) for '### **Điều 7. X**'; the flag says the whole line was marked up."""
    s = line.strip()
    marked = False
    m = MARKDOWN_HEADING.match(s)
    if m:
        s, marked = s[m.end():].strip(), True
    b = BOLD_LINE.match(s)
    if b:
        s, marked = b.group(2).strip(), True
    return s, marked


def _is_upper_title(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(s.split()) >= 2 and len(letters) >= 4 and all(c.isupper() for c in letters) and len(s) <= HEADING_MAX


def _reads_as_heading(title: str) -> bool:
    """Short, no closing full stop, not several sentences: "Khó khăn, vướng mắc", "Đối với cấp tỉnh:"."""
    t = title.rstrip("*_ ")
    return bool(t) and len(t) <= HEADING_MAX and t[-1] not in ".;," and not re.search(r"[.;!?]\s+\S", t)


def heading_of(line: str) -> Heading | None:
    """The heading a line is, or None."""
    s, marked = _strip_markup(line)
    if not s:
        return None
    m = PART_HEADING.match(s)
    if m and (marked or not m.group(2) or m.group(2).isupper()):
        return Heading(f"Phần {m.group(1)}", m.group(2).strip(), 0)
    m = ROMAN_HEADING.match(s)
    if m and VALID_ROMAN.match(m.group(1)) and len(m.group(2)) <= 200:
        return Heading(m.group(1), m.group(2).strip(), 1)
    m = NUMBER_HEADING.match(s)
    if m and ("." in m.group(1) or s[len(m.group(1))] in ".)") and _reads_as_heading(m.group(2)):
        return Heading(m.group(1), m.group(2).strip(), 1 + m.group(1).count(".") + 1)
    m = LETTER_HEADING.match(s)
    if m and _reads_as_heading(m.group(2)) and len(m.group(2)) <= 120:
        return Heading(m.group(1), m.group(2).strip(), LETTER_LEVEL)
    if _is_upper_title(s) and not s.endswith("."):
        return Heading("", s, 1)
    if marked and _reads_as_heading(s) and not s.endswith(":"):
        return Heading("", s, LETTER_LEVEL + 1)
    return None


def _starts_block(line: str) -> bool:
    return bool(BULLET.match(line) or TABLE_LINE.search(line) or heading_of(line))


def read_outline(doc: Document) -> list[Block]:
    """The report's blocks in order, up to its closing; preamble blocks have an empty path."""
    paras: list[tuple[str, int | None, bool]] = []   # (text, page, is a table)
    current: list | None = None
    last = ""
    for page in doc.pages:
        blank = True
        for raw in nfc(page.text).split("\n"):
            line = raw.strip()
            if not line:
                blank = True
                continue
            table = bool(TABLE_LINE.search(line))
            if current is not None:
                if table and current[2]:
                    current[0] += "\n" + line
                    blank = False
                    continue
                joinable = not current[2] and not table and not _starts_block(line) \
                    and not heading_of(current[0]) and not SENTENCE_END.search(current[0])
                wrapped = not blank and len(last) >= WRAPPED_LINE  # a line a PDF broke at the page width
                if joinable and (wrapped or line[:1].islower()):
                    current[0] += " " + line
                    last = line
                    blank = False
                    continue
            current = [line, page.number, table]
            paras.append(current)  # type: ignore[arg-type]
            last = line
            blank = False

    blocks: list[Block] = []
    stack: list[Heading] = []
    body_start = _body_start(paras)
    for i, (text, page, table) in enumerate(paras):
        if CLOSING.match(text):
            break
        h = None if table else heading_of(text)
        if h is not None and not h.label and i < body_start:
            h = None  # the header's upper-case lines: agency, quốc hiệu, "BÁO CÁO"
        if h is not None and not h.label and stack and stack[-1].level == 0 and not stack[-1].title:
            # "Phần thứ hai" with its title on the next line ("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026")
            stack[-1] = Heading(stack[-1].label, h.title, 0)
            blocks.append(Block("heading", _strip_markup(text)[0], page, tuple(stack)))
            continue
        if h is not None:
            while stack and stack[-1].level >= h.level:
                stack.pop()
            stack.append(h)
            blocks.append(Block("heading", _strip_markup(text)[0], page, tuple(stack)))
            continue
        clean = _strip_markup(text)[0]
        kind = "table" if table else ("lead" if clean.rstrip("*_ ").endswith(":") else "text")
        blocks.append(Block(kind, clean, page, tuple(stack)))
    return _empty_headings_as_items(blocks)


def _body_start(paras: list) -> int:
    """Index of the first numbered heading (else of the first long paragraph): what comes before is
    the document's header."""
    for i, (text, _, table) in enumerate(paras):
        h = None if table else heading_of(text)
        if h is not None and h.label:
            return i
    return next((i for i, (text, _, _) in enumerate(paras) if len(text) > 200), 0)


def _empty_headings_as_items(blocks: list[Block]) -> list[Block]:
    """A numbered "heading" with nothing under it ("3. Kiện toàn các tổ hòa giải ở cơ sở" without a
    full stop, followed by "4. …") is an item of its section."""
    out = []
    for i, b in enumerate(blocks):
        h = b.path[-1] if b.kind == "heading" else None
        if h is not None and h.label and h.level > 1:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            has_body = nxt is not None and len(nxt.path) >= len(b.path) and nxt.path[:len(b.path)] == b.path \
                and (nxt.kind != "heading" or nxt.path[-1].level > h.level)
            if not has_body:
                out.append(Block("lead" if b.text.endswith(":") else "text", b.text, b.page, b.path[:-1]))
                continue
        out.append(b)
    return out
