"""A legal text as Chương / Mục / Điều / khoản / điểm, each with its own text.

Headings are recognised the way chunking recognises them (`chunking.legal_heading`); khoản ("1.")
and điểm ("a)", also "- a)") are read here, because chunking stops at khoản. Markdown copies keep
their `#` marks, DOCX and PDF renderings do not, so everything is decided from the words.

Guards against false headings in wrapped PDF lines: khoản and điểm must follow in order (1, 2, 3 …;
a, b, c, d, đ, e …), Điều numbers must grow and carry a title, a Chương/Mục title never starts in
lower case, and in PDF/plain text a heading must start a paragraph (a blank line or a finished
sentence before it). The body ends at the first Phụ lục or "Nơi nhận"; an unrelated Markdown heading
("## Tóm tắt …") closes the article it follows, so notes after a text are not read as its clauses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.chunking import legal_heading
from assistant.documents import Document

# "2. Ủy ban nhân dân …" — a khoản opens with its number and a capital (or a quote, a digit).
KHOAN_LINE = re.compile(r"(\d{1,3})\.\s+(\S.*)")
# "a) …", "đ) …", and Markdown bullets in front of them ("- a) …").
DIEM_LINE = re.compile(r"(?:[-+•*]\s+)?([a-zđ])\)\s+(\S.*)")
MARKDOWN_HEADING = re.compile(r"#{1,6}\s")
MARKDOWN_RULE = re.compile(r"[-*_=]{3,}")
BOLD_MARKS = re.compile(r"\*\*|__")
WHOLE_LINE_ITALIC = re.compile(r"^\*(?!\*)(.+?)\*$")
DIGITS = re.compile(r"\d+")
CHAPTER_OR_SECTION_WORD = re.compile(r"(?:#{1,6}\s+)?(?:Chương|CHƯƠNG|Mục|MỤC)\s")

POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
_SENTENCE_DONE = tuple(".:;!?…)")
# Formats whose lines are paragraphs (a line is never a wrapped piece of a sentence).
_LINE_IS_PARAGRAPH = {"md", "docx"}
MAX_TITLE_CHARS = 300  # a heading's title never runs longer (and a runaway one would grow quadratically)
_LONG_HEADING = 100  # chunking reads a plain 'Chương …' line as a heading only below 120 characters


@dataclass
class Heading:
    kind: str   # "chuong" | "muc"
    num: str
    title: str = ""


@dataclass
class Point:
    letter: str
    text: str


@dataclass
class Clause:
    """A khoản (number), or an article's own text before/without khoản (number None)."""
    number: int | None
    text: str
    points: list[Point] = field(default_factory=list)


@dataclass
class Article:
    number: int
    label: str                  # "7", "5a"
    title: str
    chapter: Heading | None
    section: Heading | None     # the Mục
    page: int | None = None
    clauses: list[Clause] = field(default_factory=list)

    @property
    def lead(self) -> Clause | None:
        return self.clauses[0] if self.clauses and self.clauses[0].number is None else None

    @property
    def numbered(self) -> list[Clause]:
        return [c for c in self.clauses if c.number is not None]


@dataclass
class LegalText:
    articles: list[Article]
    headings: list[Heading]     # every Chương and Mục, in order


class _Builder:
    """Collects lines into the current article / clause / point."""

    def __init__(self):
        self.articles: list[Article] = []
        self.headings: list[Heading] = []
        self.chapter: Heading | None = None
        self.section: Heading | None = None
        self.article: Article | None = None
        self.pieces: list[str] = []       # the open unit's lines and their joiners
        self.unit: Clause | Point | None = None
        self.title_of: Heading | Article | None = None  # a heading whose title may continue below
        self.last_clause: int | None = None  # the open article's last khoản number

    # -- units ----------------------------------------------------------------------------------
    def _flush(self) -> None:
        if self.unit is not None:
            self.unit.text = "".join(self.pieces).strip()
        self.unit, self.pieces = None, []

    def close_article(self) -> None:
        self._flush()
        if self.article is not None:
            self.article.clauses = [c for c in self.article.clauses if c.text or c.points or c.number is not None]
            self.articles.append(self.article)
        self.article = None

    def open_article(self, number: int, label: str, title: str, page: int) -> None:
        self.close_article()
        self.article = Article(number, label, title, self.chapter, self.section, page)
        self.last_clause = None

    def open_clause(self, number: int | None, first_line: str) -> None:
        self._flush()
        clause = Clause(number, "")
        self.article.clauses.append(clause)
        if number is not None:
            self.last_clause = number
        self.unit, self.pieces = clause, [first_line]

    def open_point(self, letter: str, first_line: str) -> None:
        self._flush()
        if not self.article.clauses:
            self.article.clauses.append(Clause(None, ""))
        point = Point(letter, "")
        self.article.clauses[-1].points.append(point)
        self.unit, self.pieces = point, [first_line]

    def add_line(self, line: str, new_paragraph: bool) -> None:
        if self.unit is None:
            if self.article.clauses:  # text after the last point of a clause: stays with that clause
                clause = self.article.clauses[-1]
                target = clause.points[-1] if clause.points else clause
                self.unit, self.pieces = target, [target.text]
            else:
                self.open_clause(None, line)
                return
        self.pieces.append(("\n" if new_paragraph else " ") + line)

    # -- expectations ---------------------------------------------------------------------------
    def next_clause_number(self) -> int | None:
        """The khoản that may come next; None (any) right under the Điều heading, where an excerpt
        ("Điều 7 … (trích)") may start at khoản 3."""
        if self.article is None:
            return 1
        if self.last_clause is not None:
            return self.last_clause + 1
        return None if not self.article.clauses and self.unit is None else 1

    def next_point_letter(self) -> str | None:
        clause = self.article.clauses[-1] if self.article and self.article.clauses else None
        if clause is None or not clause.points:
            return "a"
        i = POINT_LETTERS.index(clause.points[-1].letter) if clause.points[-1].letter in POINT_LETTERS else -1
        return POINT_LETTERS[i + 1] if 0 <= i < len(POINT_LETTERS) - 1 else None

    def last_article_number(self) -> int:
        if self.article is not None:
            return self.article.number
        return self.articles[-1].number if self.articles else 0


def _clean(line: str) -> str:
    """A line without Markdown emphasis: '**Điều 2. X**' -> 'Điều 2. X', '*(Kèm theo …)*' -> '(Kèm theo …)'."""
    line = BOLD_MARKS.sub("", line).strip()
    m = WHOLE_LINE_ITALIC.match(line)
    return m.group(1).strip() if m else line


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(map(str.isupper, letters)) >= 0.9 * len(letters)


def _starts_lower(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return first.isalpha() and first.islower()


def parse_legal(doc: Document) -> LegalText:
    """The articles of a legal document, with the Chương/Mục they sit in."""
    b = _Builder()
    lines_are_paragraphs = doc.format in _LINE_IS_PARAGRAPH
    prev = ""          # the previous non-empty line
    blank = True       # a blank line since `prev`
    stopped = False
    outside = True     # between a closed article and the next heading
    after_heading = False  # the previous line was a heading or a heading's title: this line starts a paragraph
    for page in doc.pages:
        if stopped:
            break
        for raw in page.text.split("\n"):
            line = raw.strip()
            if not line:
                blank = True
                continue
            starts_paragraph = blank or lines_are_paragraphs or after_heading or prev.endswith(_SENTENCE_DONE)
            prev_line, prev, was_blank, blank, after_heading = prev, line, blank, False, False
            if line.startswith("|"):  # a table row: the signature block ends the body, other rows are skipped
                if "nơi nhận" in line.lower():
                    stopped = True
                    break
                continue
            if line.startswith(">") or MARKDOWN_RULE.fullmatch(line):
                continue
            md = bool(MARKDOWN_HEADING.match(line))
            clean = _clean(line)
            head = _heading(clean) if (starts_paragraph or md) else None
            if head is not None and not _accept(head, clean, md, b):
                head = None
            if head is not None:
                kind = head["kind"]
                if kind in ("phu_luc", "noi_nhan"):
                    stopped = True
                    break
                if kind in ("chuong", "muc"):
                    b.close_article()
                    h = Heading(kind, head["num"], head["title"])
                    if kind == "chuong":
                        b.chapter, b.section = h, None
                    else:
                        b.section = h
                    b.headings.append(h)
                    b.title_of = h
                    outside = after_heading = True
                    continue
                m = DIGITS.match(head["num"])
                b.open_article(int(m.group()), head["num"], head["title"], page.number)
                b.title_of = b.article
                outside, after_heading = False, True
                continue
            stripped = MARKDOWN_HEADING.sub("", clean, count=1).strip() if md else clean
            # A Chương/Mục title on the lines below its heading ("## QUY ĐỊNH CHUNG", upper case).
            if isinstance(b.title_of, Heading) and (md or _mostly_upper(stripped)) \
                    and len(b.title_of.title) + len(stripped) <= MAX_TITLE_CHARS:
                b.title_of.title = f"{b.title_of.title} {stripped}".strip()
                after_heading = True
                continue
            # An Điều title wrapped onto the next line (PDF): lower-case start, no sentence ended.
            if isinstance(b.title_of, Article) and not was_blank and not md and _starts_lower(stripped) \
                    and not prev_line.endswith(_SENTENCE_DONE) \
                    and len(b.title_of.title) + len(stripped) <= MAX_TITLE_CHARS:
                b.title_of.title = f"{b.title_of.title} {stripped}"
                after_heading = True
                continue
            b.title_of = None
            if md:  # another Markdown heading: a note after the text, not a clause
                b.close_article()
                outside = True
                continue
            if outside or b.article is None:
                continue
            if starts_paragraph:
                k = KHOAN_LINE.fullmatch(stripped)
                expected = b.next_clause_number()
                if k and (expected is None or int(k.group(1)) == expected) and not _starts_lower(k.group(2)):
                    b.open_clause(int(k.group(1)), k.group(2))
                    continue
                p = DIEM_LINE.fullmatch(stripped)
                if p and p.group(1) == b.next_point_letter():
                    b.open_point(p.group(1), p.group(2))
                    continue
            b.add_line(stripped, new_paragraph=starts_paragraph)
    b.close_article()
    return LegalText(b.articles, b.headings)


def _heading(clean: str) -> dict | None:
    """chunking's reading of a heading line; chunking turns down a long 'Chương …' line that is not
    Markdown (it may be a sentence), but an upper-case title is a heading whatever its length."""
    head = legal_heading(clean)
    if head is None and len(clean) > _LONG_HEADING and CHAPTER_OR_SECTION_WORD.match(clean) and _mostly_upper(clean):
        cut = clean.rfind(" ", 0, _LONG_HEADING)
        short = legal_heading(clean[:cut]) if cut > 0 else None
        if short is not None and short["kind"] in ("chuong", "muc"):
            head = {**short, "title": f"{short['title']} {clean[cut + 1:]}".strip(), "clean": clean}
    return head


def _accept(head: dict, clean: str, md: bool, b: _Builder) -> bool:
    """Guards against a reference at the start of a wrapped line ('Chương III của Luật …', 'Điều 8.')."""
    kind = head["kind"]
    if kind in ("chuong", "muc"):
        return md or not _starts_lower(head["title"])
    if kind == "dieu":
        m = DIGITS.match(head["num"])
        if not m:
            return False
        number = int(m.group())
        grows = number > b.last_article_number() or (number == b.last_article_number() and not head["num"].isdigit())
        titled = bool(head["title"]) and not _starts_lower(head["title"])
        return grows and (titled or md)
    return True
