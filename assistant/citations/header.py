"""Read a document's own header: số/ký hiệu, date line, issuer block, type word and trích yếu.

Works on plain text extracted from .docx/.pdf (one block per line) and on Markdown copies
(tables '| CHÍNH PHỦ | CỘNG HÒA … |', bold '**NGHỊ ĐỊNH**', headings, YAML front matter).
Front matter (so_hieu, loai, co_quan_ban_hanh, ngay_ban_hanh, trich_yeu) only fills gaps.
"""
from __future__ import annotations

import re
from datetime import date

from assistant.text import nfc

from . import patterns as P
from .find import find_citations
from .normalise import parse_number

HEADER_LINES = 60
_EM_DASH_BREAK = re.compile(r"(?<!\s)\s+—\s+")  # "CHÍNH PHỦ — CỘNG HÒA …" on one line; linear
_TABLE_RULE = re.compile(r"-{3,}|:?-+:?")          # a Markdown table's |---|:-:| cell
_FRONT_KEY = re.compile(r"[a-z_]+")
_NUMBER_SEPARATOR = re.compile(r"[/-]")
_LEADING_COLON = re.compile(r"^[\s:]+")
_STARTS_WITH_DIGIT = re.compile(r"\s*\d")
_LEADING_DASHES = re.compile(r"^[\s—–:-]+")
_CODE_AFTER_SLASH = re.compile(r"/\s*([A-Za-zĐđ]+)")          # state form: "/QĐ"
_CODE_BEFORE_SLASH = re.compile(r"-\s*([A-Za-zĐđ]+)\s*/")     # party form: "-KH/"
_LAST_CODE = re.compile(r"[-/]\s*([A-Za-zĐđ]+)\s*$")
_PARENTHESISED_NOTE = re.compile(r"\s*\(.*?\)")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ENGLISH_NOTE = re.compile(r"[A-Za-z]{4,} (?:the|from|wording|reconstructed)")  # an editor's note, not a title


_FRONT = re.compile(r"\A\s*---\n(.*?)\n---\n", re.DOTALL)
_MARKUP = re.compile(r"^[#>*_\s]+|[*_]+$")
_NUMBER_LINE = re.compile(r"^(?:(?:luat|bo luat|phap lenh) )?so {0,3}:? {0,8}(?P<num>[^\s].*?)?\s*$")
_DATE_LINE = re.compile(r"^(?P<place>[^\d,]{1,60}, {0,3})?ngay")
_DATE_IN_LINE = re.compile(r"ngay {0,3}(?P<d>\d{1,2}) {1,3}thang {1,3}(?P<m>\d{1,2}) {1,3}nam {1,3}(?P<y>\d{4})")
_NATIONAL = ("cong hoa xa hoi chu nghia viet nam", "doc lap", "dang cong san viet nam")
_SEPARATOR = re.compile(r"^[\W_]*$")
_PLACE_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|huyen|quan|thi xa|thanh pho|tinh)\b")


def _lines(text: str) -> list[str]:
    out = []
    for raw in text.splitlines():
        cells = [raw] if "|" not in raw else [c for c in raw.split("|")]
        for cell in cells:
            for part in _EM_DASH_BREAK.split(cell):
                line = _MARKUP.sub("", part.strip()).strip()
                if _TABLE_RULE.fullmatch(line):
                    line = ""
                out.append(line)
    return out


def _front_matter(text: str) -> tuple[dict, str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        k, sep, v = line.partition(":")
        if sep and _FRONT_KEY.fullmatch(k.strip()):
            meta[k.strip()] = v.strip().strip('"')
    return meta, text[m.end():]


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)


def _sentence_case(line: str) -> str:
    low = line.lower()
    return low[:1].upper() + low[1:]


def _type_of(line_folded: str) -> tuple[str, str] | None:
    """'nghi dinh quy dinh ve …' -> ('Nghị định', rest) when the line starts with a type word."""
    words = line_folded.split()
    for k in range(min(P.MAX_TYPE_WORDS, len(words)), 0, -1):
        phrase = " ".join(words[:k])
        if phrase in P.TYPE_BY_WORD:
            return P.TYPE_BY_WORD[phrase].name, " ".join(words[k:])
    return None


def read_header(text: str) -> dict:
    """{'kind', 'number', 'date', 'issuer', 'title'} read from the document's own header."""
    text = nfc(text)
    meta, body = _front_matter(text)
    lines = _lines(body)[:HEADER_LINES * 3]
    folded = [P.fkey(ln) for ln in lines]
    out = {"kind": None, "number": None, "date": None, "issuer": None, "title": None}

    number_idx = date_idx = None
    for i, f in enumerate(folded):
        if number_idx is None:
            m = _NUMBER_LINE.match(f)
            if m and (m.group("num") is None or _NUMBER_SEPARATOR.search(m.group("num") or "")):
                number_idx = i
                raw = lines[i][len(lines[i]) - len(f) + (m.start("num") if m.group("num") else len(f)):] if m.group("num") else ""
                raw = _LEADING_COLON.sub("", raw)
                mm = P.NUMBER_RE.search(P.shadow(raw))
                if mm and mm.lastgroup != "bare" and _STARTS_WITH_DIGIT.match(raw):
                    out["number"] = parse_number(raw[mm.start():mm.end()]).number
        dl = _DATE_LINE.match(f) if date_idx is None and len(f) < 100 else None
        if dl:
            m = _DATE_IN_LINE.search(f)
            # Without a place name the line must hold the date alone: "Ngày 10 tháng 7 năm 2025, HĐND xã
            # ban hành …" is a sentence of the body, not the date line.
            if m and (dl.group("place") or not f[m.end():].strip(" .,")):
                date_idx = i
                try:
                    out["date"] = date(int(m["y"]), int(m["m"]), int(m["d"]))
                except ValueError:
                    pass
        if number_idx is not None and date_idx is not None:
            break

    # Issuer: the top-left block, i.e. upper-case lines before the number line (or before the
    # type word), excluding the national motto; the last organisation named is the issuer.
    block_end = number_idx if number_idx is not None else min(len(lines), 12)
    names: list[str] = []
    for i in range(block_end):
        ln, f = lines[i], folded[i]
        if not ln or _SEPARATOR.match(ln) or any(f.startswith(x) for x in _NATIONAL) or not _is_upper(ln):
            continue
        if _type_of(f) and i > 0:
            break
        if names and _PLACE_PREFIX.match(f):
            names[-1] = f"{names[-1]} {ln}"
        elif any(f == w or f.startswith(w + " ") for w in P.ORG_WORDS):
            names.append(ln)
    if names:
        out["issuer"] = names[-1]

    # Type word line and trích yếu.
    start = (max(x for x in (number_idx, date_idx) if x is not None) + 1) if (number_idx is not None or date_idx is not None) else 0
    kind_idx = None
    for i in range(start, min(len(lines), start + 25)):
        ln = lines[i]
        if not ln or not _is_upper(ln):
            continue
        tt = _type_of(folded[i])
        if tt:
            kind_idx = i
            out["kind"] = tt[0]
            rest = ln.split(None, len(folded[i].split()) - len(tt[1].split()))[-1] if tt[1] else ""
            rest = _LEADING_DASHES.sub("", rest)
            if out["kind"] in ("Luật", "Bộ luật", "Pháp lệnh") and rest:
                out["title"] = f"{out['kind']} {_sentence_case(rest)[0].upper()}{rest.lower()[1:]}"
            elif rest:
                out["title"] = _sentence_case(rest)
            break
    if kind_idx is not None and out["title"] is None:
        parts = []
        j = kind_idx + 1
        while j < len(lines) and not lines[j]:
            j += 1
        while j < len(lines) and lines[j] and not _SEPARATOR.match(lines[j]) and len(parts) < 4:
            f = folded[j]
            if f.startswith(("can cu", "kinh gui", "thuc hien", "phan thu", "chuong ")):
                break
            parts.append(lines[j])
            j += 1
        if parts:
            title = " ".join(parts)
            out["title"] = _sentence_case(title) if _is_upper(title) else title

    # A "# Nghị định số 134/2025/NĐ-CP ngày 12/6/2025 …" heading names the document too.
    if out["number"] is None or out["kind"] is None:
        for ln in lines[:8]:
            cites = [c for c in find_citations(ln) if c.number and c.form in ("state", "party")]
            if cites and cites[0].start == 0:
                c = cites[0]
                out["number"] = out["number"] or c.number
                out["kind"] = out["kind"] or c.doc_type
                out["date"] = out["date"] or c.date
                break

    if out["kind"] is None and out["number"]:
        parts = parse_number(out["number"])
        if parts.type_code:
            names = P.TYPES_BY_CODE.get(P.fkey(parts.type_code))
            out["kind"] = sorted(names)[0] if names and len(names) == 1 else out["kind"]
    if out["kind"] is None and number_idx is not None:
        m = _CODE_AFTER_SLASH.search(lines[number_idx]) or _CODE_BEFORE_SLASH.search(lines[number_idx])
        if m and P.fkey(m.group(1)) in P.TYPES_BY_CODE and len(P.TYPES_BY_CODE[P.fkey(m.group(1))]) == 1:
            out["kind"] = next(iter(P.TYPES_BY_CODE[P.fkey(m.group(1))]))
    if out["issuer"] is None and number_idx is not None:
        # No issuer block (e.g. text extracted without the left column): name it from the ký hiệu.
        m = _LAST_CODE.findall(lines[number_idx])
        if m and P.fkey(m[-1]) in P.ISSUER_BY_CODE:
            out["issuer"] = P.ISSUER_BY_CODE[P.fkey(m[-1])].name

    # Front matter fills what the header did not say (and gives the mixed-case title).
    if meta:
        if out["number"] is None and meta.get("so_hieu"):
            out["number"] = parse_number(meta["so_hieu"]).number
        if out["kind"] is None and meta.get("loai"):
            out["kind"] = meta["loai"]
        if out["issuer"] is None and meta.get("co_quan_ban_hanh"):
            out["issuer"] = _PARENTHESISED_NOTE.sub("", meta["co_quan_ban_hanh"])
        if out["date"] is None:
            m = _DMY.match(meta.get("ngay_ban_hanh", "") or meta.get("ngay_thong_qua", ""))
            if m:
                out["date"] = date(int(m[3]), int(m[2]), int(m[1]))
        ty = meta.get("trich_yeu", "")
        if ty and not _ENGLISH_NOTE.search(ty) and (
                out["title"] is None or P.fkey(out["title"]) in P.fkey(ty) or P.fkey(ty) in P.fkey(out["title"])):
            out["title"] = ty
    return out
