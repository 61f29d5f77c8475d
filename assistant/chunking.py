"""Structure-aware chunking of Vietnamese legal texts, commune reports and plain text.

- legal (Chương / Mục / Điều / Khoản, Phụ lục): one chunk per Điều; an Điều longer than `max_chars`
  is split by Khoản, the Điều heading repeated on top of each piece. Chunk.meta: chuong, muc, dieu,
  khoan (strings, where known), phu_luc for appendices.
- report (I., 1., 1.1., 1.1.1.; "a)", "-", "+" stay with their parent): one chunk per section,
  section path "II > 1 > 1.3"; the titled path is prefixed to the chunk text for the embedder.
- plain: paragraphs packed to `max_chars`.

Pieces are cut at paragraph, then sentence, then clause boundaries; whitespace only as a last
resort and never inside a citation ("Nghị định số 120/2025/NĐ-CP ngày 11/6/2025") or a figure with
its unit when it can be avoided. A chunk's *body* (the source text it carries) is at most
`max_chars`; `Chunk.meta["body_offset"]` is where the body starts in `Chunk.text` (what comes
before is the context prefix). Lines broken by a page break or by PDF line wrapping are joined
back, so a sentence crossing pages is not split; `Chunk.page` is the page where the body starts.
Heading lines lose their Markdown markers ("### Điều 7." -> "Điều 7."); no other character of the
text is dropped, except that Chương/Mục heading lines of a legal text live in the section path and
meta (chuong_title, muc_title) rather than in a body.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from assistant.documents import Chunk, Document
from assistant.text import CLAUSE_END, sentence_cuts

# ----------------------------------------------------------------------------- patterns

_MD_MARK = re.compile(r"^\s{0,3}#{1,6}\s+")
_BOLD = re.compile(r"^(\*\*|__)(.+?)(\*\*|__)\s*$")
_ROMAN = re.compile(r"^(?=[IVXL])(L?X{0,3})(IX|IV|V?I{0,3})$")

_RE_ROMAN_H = re.compile(r"^([IVXL]{1,6})\s*[.:]\s+(\S.*)$")
_RE_ARABIC_H = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})(\.)?\s+(\S.*)$")
_RE_PHAN = re.compile(r"^(PHẦN|Phần)\s+(THỨ\s+\S+|thứ\s+\S+|[IVXL]+|\d+)\s*[.:]?\s*(.*)$")
_RE_CHUONG = re.compile(r"^(CHƯƠNG|Chương)\s+([IVXLC]+|\d+)\b\s*[.:]?\s*(.*)$")
_RE_MUC = re.compile(r"^(MỤC|Mục)\s+(\d+|[IVXL]+)\b\s*[.:]?\s*(.*)$")
_RE_DIEU = re.compile(r"^Điều\s+(\d+[a-zđ]?)\s*[.:]\s*(.*)$")
_RE_PHU_LUC = re.compile(r"^(PHỤ LỤC|Phụ lục)\b\s*([IVXL]+|\d+|[A-Z])?\b\s*[.:—–-]?\s*(.*)$")
_RE_KHOAN = re.compile(r"^(\d{1,3})\.\s+\S")
_RE_DIEM = re.compile(r"^([a-zđ])\)\s+\S")
_RE_BULLET = re.compile(r"^([-+•*–—]|\u2022)\s+\S")
_RE_NOI_NHAN = re.compile(r"^(\*\*|_)?(Nơi nhận|NƠI NHẬN)\s*:?")
_TERMINAL = set(".!?…:;")
_CLOSERS = "\"'”’)]*_»"

_DIEU_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s+)?(?:\*\*)?Điều\s+\d+[a-zđ]?\s*[.:]", re.MULTILINE)
_ROMAN_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s+)?(?:\*\*)?(?:[IVX]{1,5})\.\s+\S", re.MULTILINE)
_ARABIC_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s+)?(?:\*\*)?\d{1,2}\.\d{1,2}\.?\s+\S", re.MULTILINE)
_CHUONG_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s+)?(?:\*\*)?(?:Chương|CHƯƠNG)\s+[IVXLC\d]+\b", re.MULTILINE)

# Cut preferences inside a sentence.
_CITATION = re.compile(
    r"(?:(?:Luật|Bộ luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư(?: liên tịch)?|Quyết định|Chỉ thị|Kế hoạch|"
    r"Công văn|Hướng dẫn|Thông báo|Báo cáo|Tờ trình|Văn bản|Kết luận)\s+(?:số\s+)?)?"
    r"(?<![\w.\-])\d[\w.\-]*+/[\w./\-]*\w"
    r"(?:\s+ngày\s+\d{1,2}(?:[/.-]\d{1,2}[/.-]\d{2,4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
    r"|(?:khoản|Khoản|điểm|Điểm|Điều|điều|Chương|chương|Mục|mục|Phụ lục|phụ lục)\s+[\w.]+"
    r"|(?<![\d.,])\d[\d.,]*+(?:\s*+%)?\s++\S+")
_COMMA = re.compile(r",(?=\s)")
_SPACE = re.compile(r"\s+")
_TITLE_CHARS = 48      # a title in the prefixed path is shortened to this
_PREFIX_CHARS = 220    # the whole prefix is at most this
_HEADING_PREFIX = 180  # a repeated Điều heading is shortened to this
LEAD_LINE_MAX = 120     # a lead-in line repeated at the top of the next chunk is at most this


# ----------------------------------------------------------------------------- paragraphs


@dataclass
class _Para:
    text: str
    marks: list[tuple[int, int]]  # (offset in text, page) where a page starts
    kind: str = "text"            # text | heading | table | bullet | item
    info: dict = field(default_factory=dict)

    def page_at(self, offset: int) -> int | None:
        if not self.marks:
            return None
        i = bisect.bisect_right([o for o, _ in self.marks], offset) - 1
        return self.marks[max(i, 0)][1]


def _strip_markup(line: str) -> tuple[str, bool]:
    """'### **Điều 7. X**' -> ('Điều 7. X', True)."""
    s = line.strip()
    md = False
    m = _MD_MARK.match(s)
    if m:
        s = s[m.end():].strip()
        md = True
    b = _BOLD.match(s)
    if b:
        s = b.group(2).strip()
    return s, md


def _ends_sentence(text: str) -> bool:
    t = text.rstrip().rstrip(_CLOSERS)
    return bool(t) and t[-1] in _TERMINAL


def _is_table(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") or " | " in s


class _Classifier:
    """Line roles for one structure kind."""

    def __init__(self, structure: str):
        self.structure = structure

    def heading(self, line: str) -> dict | None:
        """Heading info for a line, or None. Keys: kind, label, title, level, clean."""
        clean, md = _strip_markup(line)
        if not clean or len(clean) > 300:
            return None
        if self.structure == "legal":
            for kind, rx in (("dieu", _RE_DIEU), ("chuong", _RE_CHUONG), ("muc", _RE_MUC)):
                m = rx.match(clean)
                if m:
                    if kind == "dieu":
                        return {"kind": kind, "num": m.group(1), "title": m.group(2).strip(), "clean": clean}
                    if kind in ("chuong", "muc") and not (md or clean[: len(m.group(1))].isupper() or
                                                          len(clean) < 120):
                        continue
                    return {"kind": kind, "num": m.group(2), "title": m.group(3).strip(), "clean": clean}
            m = _RE_PHU_LUC.match(clean)
            if m and len(clean) < 200 and (md or line.strip().startswith("**") or clean.isupper()
                                           or not m.group(3)):
                return {"kind": "phu_luc", "num": m.group(2) or "", "title": m.group(3).strip(), "clean": clean}
            if _RE_NOI_NHAN.match(line.strip()):
                return {"kind": "noi_nhan", "clean": clean}
            return None
        return _report_heading(clean, md)

    def block_start(self, line: str) -> bool:
        """Lines that never continue the previous paragraph."""
        s = line.strip()
        if _is_table(s) or _MD_MARK.match(s) or _RE_BULLET.match(s) or _RE_DIEM.match(s) or _RE_KHOAN.match(s):
            return True
        return self.heading(line) is not None


legal_heading = _Classifier("legal").heading  # public: assistant.tasks reads headings the way chunking does


def _report_heading(clean: str, md: bool) -> dict | None:
    if _RE_NOI_NHAN.match(clean) and len(clean) <= 12:  # the signature block is not the last section
        return {"kind": "h", "level": 0, "label": "Nơi nhận", "title": "", "clean": clean, "closing": True}
    m = _RE_PHAN.match(clean)
    if m and (md or not m.group(3) or m.group(3).isupper()):
        return {"kind": "h", "level": 0, "label": f"Phần {m.group(2)}", "title": m.group(3).strip(), "clean": clean}
    m = _RE_ROMAN_H.match(clean)
    if m and _ROMAN.match(m.group(1)) and len(m.group(2)) <= 200:
        return {"kind": "h", "level": 1, "label": m.group(1), "title": m.group(2).strip(), "clean": clean}
    m = _RE_ARABIC_H.match(clean)
    if m and (m.group(2) or "." in m.group(1)):
        title = m.group(3).strip()
        short_sentence = len(title) <= 80 and not re.search(r"[.;!?]\s", title)
        if len(title) <= 160 and (title[-1] not in ".;," or (title[-1] == "." and short_sentence)):
            depth = m.group(1).count(".") + 1
            return {"kind": "h", "level": 1 + depth, "label": m.group(1), "title": title, "clean": clean}
        return None
    letters = sum(1 for c in clean if c.isalpha())
    if md and len(clean) <= 200 and letters >= 0.5 * len(clean.replace(" ", "")):
        return {"kind": "h", "level": 0, "label": _shorten(clean, _TITLE_CHARS), "title": "", "clean": clean,
                "unnumbered": True}
    return None


def _paragraphs(doc: Document, cls: _Classifier) -> list[_Para]:
    """Pages -> paragraphs: wrapped lines and sentences broken by page breaks are joined back."""
    paras: list[_Para] = []
    cur: _Para | None = None
    blank = True
    for page in doc.pages:
        for raw in page.text.split("\n"):
            line = raw.strip()
            if not line:
                blank = True
                continue
            heading = cls.heading(line)
            table = _is_table(line)
            if cur is not None and heading is None:
                if table and cur.kind == "table":
                    if page.number != cur.marks[-1][1]:
                        cur.marks.append((len(cur.text) + 1, page.number))
                    cur.text += "\n" + line
                    blank = False
                    continue
                joinable = (cur.kind in ("text", "bullet", "item") and not table and not cls.block_start(line))
                if joinable:
                    if blank:
                        joinable = (not _ends_sentence(cur.text)) and line[0].islower()
                    else:
                        joinable = not _ends_sentence(cur.text)
                if joinable:
                    if page.number != cur.marks[-1][1]:
                        cur.marks.append((len(cur.text) + 1, page.number))
                    cur.text += " " + line
                    blank = False
                    continue
            if heading is not None:
                kind, text = "heading", heading["clean"]
            elif table:
                kind, text = "table", line
            elif _RE_BULLET.match(line):
                kind, text = "bullet", line
            elif _RE_DIEM.match(line) or _RE_KHOAN.match(line):
                kind, text = "item", line
            else:
                kind, text = "text", line
            cur = _Para(text, [(0, page.number)], kind, heading or {})
            paras.append(cur)
            blank = False
        # A page boundary is not a blank line: a sentence running onto the next page continues.
    return paras


# ----------------------------------------------------------------------------- splitting


def _shorten(text: str, n: int) -> str:
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= n:
        return text
    cut = text.rfind(" ", 0, n)
    if cut < n // 2:
        cut = n
    return text[:cut].rstrip(" ,;:-") + "…"


def _protected(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _CITATION.finditer(text)]


def _cut_at_space(text: str, budget: int) -> int:
    """Where to cut a too-long run with no better boundary (index in text, > 0)."""
    spans = _protected(text[: budget + 200])
    best_any = -1
    for i in range(min(budget, len(text) - 1), 0, -1):
        if text[i].isspace():
            if best_any < 0:
                best_any = i
            if not any(s < i < e for s, e in spans):
                return i
    return best_any if best_any > 0 else budget


def _level_cuts(text: str, level: int) -> list[int]:
    if level == 0:
        return [m.end() for m in re.finditer(r"\n", text)]
    if level == 1:
        return sentence_cuts(text)
    if level == 2:
        return [m.end() for m in CLAUSE_END.finditer(text)]
    if level == 3:
        return [m.end() for m in _COMMA.finditer(text)]
    return []


def _split_spans(text: str, budget: int, base: int = 0, level: int = 0) -> list[tuple[int, int]]:
    """Cut `text` into spans (start, end) of at most `budget` characters after stripping."""
    out: list[tuple[int, int]] = []
    if len(text.strip()) <= budget:
        s, e = _strip_span(text, 0, len(text))
        if e > s:
            out.append((base + s, base + e))
        return out
    if level > 3:
        pos = 0
        while pos < len(text):
            s, e = _strip_span(text, pos, len(text))
            if e <= s:
                break
            if e - s <= budget:
                out.append((base + s, base + e))
                break
            cut = s + _cut_at_space(text[s:min(e, s + budget + 200)], budget)  # not the whole rest: linear
            s2, e2 = _strip_span(text, s, cut)
            if e2 > s2:
                out.append((base + s2, base + e2))
            pos = cut
        return out
    cuts = [c for c in _level_cuts(text, level) if 0 < c < len(text)]
    bounds = [0, *cuts, len(text)]
    segs = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    cur_s = cur_e = None
    for s, e in segs:
        if cur_s is not None and len(text[cur_s:e].strip()) <= budget:
            cur_e = e
            continue
        if cur_s is not None:
            out.extend(_split_spans(text[cur_s:cur_e], budget, base + cur_s, level + 1)
                       if len(text[cur_s:cur_e].strip()) > budget else _span(text, cur_s, cur_e, base))
        cur_s, cur_e = s, e
    if cur_s is not None:
        piece = text[cur_s:cur_e]
        out.extend(_split_spans(piece, budget, base + cur_s, level + 1)
                   if len(piece.strip()) > budget else _span(text, cur_s, cur_e, base))
    return out


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _span(text: str, s: int, e: int, base: int) -> list[tuple[int, int]]:
    s, e = _strip_span(text, s, e)
    return [(base + s, base + e)] if e > s else []


# ----------------------------------------------------------------------------- packing


@dataclass
class _Piece:
    text: str
    page: int | None


def _para_pieces(p: _Para, budget: int) -> list[_Piece]:
    if len(p.text) <= budget:
        return [_Piece(p.text, p.page_at(0))]
    return [_Piece(p.text[s:e], p.page_at(s)) for s, e in _split_spans(p.text, budget)]


def _groups(paras: list[_Para]) -> list[list[_Para]]:
    """Paragraphs that belong together: headings with what follows, a lead-in with its bullets."""
    groups: list[list[_Para]] = []
    pending: list[_Para] = []
    for p in paras:
        if p.kind == "heading":
            pending.append(p)
            continue
        attach = (groups and not pending and p.kind == "bullet"
                  and (groups[-1][-1].kind == "bullet" or _lead_in(groups[-1][-1])))
        if attach:
            groups[-1].append(p)
        else:
            groups.append([*pending, p])
            pending = []
    if pending:
        groups.append(pending)
    return groups


def _lead_in(p: _Para) -> bool:
    return p.text.rstrip().rstrip(_CLOSERS).endswith(":") or p.kind == "item"


def _pack(paras: list[_Para], budget: int) -> list[list[_Piece]]:
    """Paragraphs -> chunks (lists of pieces, each chunk's joined text <= budget)."""
    chunks: list[list[_Piece]] = []
    cur: list[_Piece] = []
    size = 0

    def flush():
        nonlocal cur, size
        if cur:
            chunks.append(cur)
        cur, size = [], 0

    def add_piece(pc: _Piece):
        nonlocal size
        extra = len(pc.text) + (1 if cur else 0)
        if cur and size + extra > budget:
            flush()
            extra = len(pc.text)
        cur.append(pc)
        size += extra

    for g in _groups(paras):
        g_len = sum(len(p.text) for p in g) + len(g) - 1
        if g_len <= budget:
            if cur and size + 1 + g_len > budget:
                flush()
            for p in g:
                add_piece(_Piece(p.text, p.page_at(0)))
            continue
        for p in g:
            for pc in _para_pieces(p, budget):
                add_piece(pc)
    flush()
    return chunks


def _make(pieces: list[_Piece], prefix: str, section: str, meta: dict) -> Chunk:
    body = "\n".join(pc.text for pc in pieces).strip()
    prefix = prefix.strip()
    text = f"{prefix}\n{body}" if prefix else body
    m = dict(meta)
    m["body_offset"] = len(text) - len(body)
    return Chunk(text=text, page=pieces[0].page, section=section, meta=m)


# ----------------------------------------------------------------------------- structure


def detect_structure(text: str) -> str:
    """'legal' (Điều ... headings), 'report' (I., 1.1. ... headings) or 'plain'."""
    dieu = len(_DIEU_LINE.findall(text))
    chuong = len(_CHUONG_LINE.findall(text))
    roman = len(_ROMAN_LINE.findall(text))
    arabic = len(_ARABIC_LINE.findall(text))
    if dieu >= 2 and (dieu + chuong >= roman or chuong >= 1):
        return "legal"
    if roman >= 2 or arabic >= 2 or (roman >= 1 and arabic >= 1):
        return "report"
    return "plain"


def chunk_document(doc: Document, max_chars: int = 1200) -> list[Chunk]:
    """Chunks of a loaded document (see module doc). Every chunk body is <= max_chars."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    structure = detect_structure(doc.text)
    cls = _Classifier(structure)
    paras = _paragraphs(doc, cls)
    if structure == "legal":
        chunks = _chunk_legal(paras, max_chars)
    elif structure == "report":
        chunks = _chunk_report(paras, max_chars)
    else:
        chunks = [_make(pcs, "", "", {}) for pcs in _pack(paras, max_chars)]
    for c in chunks:
        c.meta.setdefault("structure", structure)
    return [c for c in chunks if c.text.strip()]


# ----------------------------------------------------------------------------- reports


def _titled(entry: dict) -> str:
    if entry.get("unnumbered"):
        return entry["label"]
    label = entry["label"]
    title = _shorten(entry.get("title", ""), _TITLE_CHARS)
    sep = ". " if label[-1:].isalnum() else " "
    return f"{label}{sep}{title}" if title else label


def _path_prefix(stack: list[dict]) -> str:
    if not stack:
        return ""
    parts = [_titled(e) for e in stack]
    s = " > ".join(parts)
    while len(s) > _PREFIX_CHARS and len(parts) > 1:
        parts = parts[1:]
        s = "… > " + " > ".join(parts)
    return _shorten(s, _PREFIX_CHARS)


def _chunk_report(paras: list[_Para], max_chars: int, base: list[dict] | None = None,
                  meta: dict | None = None) -> list[Chunk]:
    base = base or []
    meta = meta or {}
    # Sections: (ancestors of the first heading in the body, full stack, paragraphs)
    sections: list[tuple[list[dict], list[dict], list[_Para]]] = []
    stack: list[dict] = []
    cur_paras: list[_Para] = []
    cur_anc: list[dict] = []
    has_content = False
    # With numbered headings (I., 1.1.) about, unnumbered ones (a document title) stay out of paths.
    numbered = any(p.info.get("kind") == "h" and not p.info.get("unnumbered") and not p.info.get("closing")
                   and p.info["level"] >= 0 for p in paras if p.kind == "heading")
    for p in paras:
        if p.kind == "heading" and p.info.get("kind") == "h" and not (numbered and p.info.get("unnumbered")):
            h = p.info
            if has_content:
                sections.append((cur_anc, list(stack), cur_paras))
                cur_paras, has_content = [], False
            if h.get("closing"):
                stack = [e for e in stack if e["level"] < 0]
            while stack and stack[-1]["level"] >= h["level"]:
                stack.pop()
            if not cur_paras:
                cur_anc = list(stack)
            stack.append(h)
            cur_paras.append(p)
        elif p.kind == "heading" and not has_content:
            cur_paras.append(p)  # a repeated title line ("**Phụ lục I**") waits for the content
        else:
            cur_paras.append(p)
            has_content = True
    if cur_paras:
        sections.append((cur_anc, list(stack), cur_paras))

    chunks: list[Chunk] = []
    for anc, full, sec_paras in sections:
        path = base + full
        section = " > ".join(e["label"] for e in path)
        lead = None  # the last lead-in line ("+ Quý I năm 2026:") of the section so far
        for i, pieces in enumerate(_pack(sec_paras, max_chars)):
            starts_with_heading = i == 0 and sec_paras[0].kind == "heading"
            prefix = _path_prefix(base + anc) if starts_with_heading else _path_prefix(path)
            if lead and not _is_lead_line(pieces[0].text):
                # A list cut between chunks keeps what its figures belong to, like the heading path.
                prefix = f"{prefix}\n{lead}" if prefix else lead
            chunks.append(_make(pieces, prefix, section, meta))
            for pc in pieces:
                if _is_lead_line(pc.text):
                    lead = pc.text.strip()
    return chunks


def _is_lead_line(text: str) -> bool:
    """A short single line that introduces what follows: "+ Năm 2025:", "Kết quả cụ thể:"."""
    text = text.strip()
    return 0 < len(text) <= LEAD_LINE_MAX and "\n" not in text and text.rstrip(_CLOSERS).endswith(":")


# ----------------------------------------------------------------------------- legal texts


def _chunk_legal(paras: list[_Para], max_chars: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    ctx: dict[str, str] = {}
    body: list[_Para] = []
    kind = "preamble"      # preamble | chuong | dieu | noi_nhan
    appendix: list[_Para] | None = None
    appendix_info: dict = {}
    expect_title: str | None = None  # "chuong" / "muc" when their title may follow on the next line

    def flush():
        nonlocal body
        if body:
            chunks.extend(_legal_unit(body, kind, dict(ctx), max_chars))
        body = []

    def flush_appendix():
        nonlocal appendix
        if appendix:
            meta = {"phu_luc": appendix_info["num"]} if appendix_info["num"] else {}
            chunks.extend(_chunk_report(_report_paras(appendix, appendix_info), max_chars, meta=meta))
        appendix = None

    for p in paras:
        info = p.info if p.kind == "heading" else {}
        hk = info.get("kind")
        if hk == "phu_luc":
            if appendix is not None and len(appendix) == 1 and info["num"] == appendix_info["num"]:
                appendix.append(p)  # "## PHỤ LỤC I" then "**Phụ lục I**": one appendix
                continue
            flush()
            flush_appendix()
            appendix = [p]
            appendix_info = info
            expect_title = None
            continue
        if appendix is not None:
            appendix.append(p)
            continue
        if expect_title and hk is None and _title_line(p):
            ctx[f"{expect_title}_title"] = _SPACE.sub(" ", _strip_markup(p.text)[0])
            expect_title = None
            continue
        expect_title = None
        if hk in ("chuong", "muc"):
            # A Chương resets its Mục and Điều; a Mục resets its Điều. The title may come on the next line.
            flush()
            levels = ("chuong", "muc", "dieu")
            for level in levels[levels.index(hk):]:
                ctx.pop(level, None)
                ctx.pop(f"{level}_title", None)
            ctx[hk] = info["num"]
            if info["title"]:
                ctx[f"{hk}_title"] = info["title"]
            else:
                expect_title = hk
            kind = "chuong"
        elif hk == "dieu":
            flush()
            ctx["dieu"] = info["num"]
            ctx["dieu_title"] = info["title"]
            kind = "dieu"
            body = [p]
        elif hk == "noi_nhan":
            flush()
            for k in ("dieu", "dieu_title"):
                ctx.pop(k, None)
            kind = "noi_nhan"
            body = [p]
        else:
            body.append(p)
    flush()
    flush_appendix()
    return chunks


def _title_line(p: _Para) -> bool:
    """A Chương/Mục title written on its own line ('## QUY ĐỊNH CHUNG')."""
    clean, md = _strip_markup(p.text)
    letters = [c for c in clean if c.isalpha()]
    return bool(letters) and len(clean) <= 250 and (md or all(c.isupper() for c in letters)) and p.kind != "table"


def _report_paras(paras: list[_Para], info: dict) -> list[_Para]:
    """Re-read appendix paragraphs with report headings (I., 1., 1.1.)."""
    out = []
    for p in paras[1:]:
        if p.kind == "heading":
            # a legal-looking heading inside an appendix (templates: "Điều 1. ....") is text
            out.append(_Para(p.info.get("clean", p.text), p.marks, "text"))
            continue
        h = _report_heading(*_strip_markup(p.text)) if p.kind in ("text", "item") else None
        if h is not None and "\n" not in p.text and len(p.text) <= 300:
            out.append(_Para(h["clean"], p.marks, "heading", h))
        else:
            out.append(p)
    head = paras[0]
    label = f"Phụ lục {info['num']}".strip()
    entry = {"kind": "h", "level": -1, "label": label, "title": info.get("title", ""), "clean": head.text}
    return [_Para(head.text, head.marks, "heading", entry), *out]


def _legal_section(ctx: dict) -> str:
    parts = []
    if ctx.get("chuong"):
        parts.append(f"Chương {ctx['chuong']}")
    if ctx.get("dieu"):
        parts.append(f"Điều {ctx['dieu']}")
    elif ctx.get("muc"):
        parts.append(f"Mục {ctx['muc']}")
    return " > ".join(parts)


def _legal_meta(ctx: dict) -> dict:
    return {k: v for k, v in ctx.items() if v and k in ("chuong", "chuong_title", "muc", "muc_title", "dieu",
                                                         "dieu_title")}


def _legal_unit(body: list[_Para], kind: str, ctx: dict, max_chars: int) -> list[Chunk]:
    meta = _legal_meta(ctx)
    if kind == "preamble":
        return [_make(pcs, "", "Phần mở đầu", meta) for pcs in _pack(body, max_chars)]
    if kind == "noi_nhan":
        return [_make(pcs, "", "Nơi nhận", {}) for pcs in _pack(body, max_chars)]
    section = _legal_section(ctx)
    if kind != "dieu":
        return [_make(pcs, "", section, meta) for pcs in _pack(body, max_chars)]
    total = sum(len(p.text) for p in body) + len(body) - 1
    heading = body[0]
    if total <= max_chars:
        return [_make([_Piece(p.text, p.page_at(0)) for p in body], "", section, meta)]
    # Split by Khoản: [heading + lead-in], khoản 1, khoản 2, ... (each with its điểm and bullets)
    units: list[tuple[str | None, list[_Para]]] = [(None, [heading])]
    for p in body[1:]:
        m = _RE_KHOAN.match(p.text) if p.kind == "item" else None
        if m:
            units.append((m.group(1), [p]))
        else:
            units[-1][1].append(p)
    prefix = _shorten(heading.text, _HEADING_PREFIX)
    chunks: list[Chunk] = []
    # The lead-in (heading and text before khoản 1) travels with khoản 1 when both fit.
    if len(units) > 1:
        lead = units[0][1]
        nxt = units[1][1]
        size = sum(len(p.text) + 1 for p in lead + nxt) - 1
        if size <= max_chars:
            units = [(units[1][0], lead + nxt), *units[2:]]
    for khoan, paras in units:
        m = dict(meta)
        sec = section
        if khoan is not None:
            m["khoan"] = khoan
            sec = f"{section} > Khoản {khoan}"
        for pcs in _pack(paras, max_chars):
            first = pcs[0].text == heading.text
            chunks.append(_make(pcs, "" if first else prefix, sec, m))
    return chunks
