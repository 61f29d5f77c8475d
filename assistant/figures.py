"""Figures of a report as records: the value, what it counts, its unit and its period.

"Cấp bản sao trích lục hộ tịch: 153 trường hợp" under the lead-in "+ Năm 2025:" is the record
(label "Cấp bản sao trích lục hộ tịch", value "153", unit "trường hợp", period "Năm 2025"). The
period comes from the nearest place the report states it: the clause or sentence itself ("Trong
năm 2025, …", "Năm 2026 (từ 31/12/2025 đến 22/4/2026): …"), else the lead-in line above
("+ Quý I năm 2026:"), else the nearest heading that states one, else the report's own period.

The label is read from the figure's own clause: the words before it back to the previous figure or
the last ":" ("Đăng ký kết hôn: 23 cặp"), without the actor ("Ủy ban nhân dân xã đã tổ chức 07 hội
nghị …" → "tổ chức hội nghị tuyên truyền pháp luật"); a figure joined to the one before by "với" is
counted about it ("… với 223 lượt người tham gia" → "Lượt người tham gia (tổ chức hội nghị …)"), a
rate ("đạt 82,6%") is the rate of the figure before, the second half of "02 lượt/02 người" shares
its label; a label that says too little takes the line's subject ("Về hình sự: xảy ra 05 vụ án",
"Kết quả xử phạt vi phạm hành chính:" above "+ Năm 2025: 14 trường hợp"), and a part of a total
("trong đó lĩnh vực đất đai 09 trường hợp") names the total. Tables give one record per cell, the
period from the column heading ("| Chỉ tiêu | Năm 2025 | 6 tháng đầu năm 2026 |") and the unit from
the row ("Đăng ký khai sinh (trường hợp)"). Summaries list these records; drafting hands them to the
model as facts; verification compares a written figure's period with its source's. The rules are
data in `data/figures.json`.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from . import lexicon
from .text import FIGURE, fold, nfc, sentence_cuts

RULES = json.loads((Path(__file__).resolve().parent / "data" / "figures.json").read_text(encoding="utf-8"))
PERIOD = re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in RULES["period_patterns"]) + r")(?![\w])",
                    re.IGNORECASE)
_TERM = re.compile(r"(?:nhiệm kỳ|giai đoạn|năm học)\b", re.IGNORECASE)  # a term or stage, not a span of report
MULTIWORD_UNITS = sorted(RULES["multiword_units"], key=len, reverse=True)
_NOT_UNITS = frozenset(RULES["not_units"])
_SINGLE_UNITS = frozenset(RULES["single_units"])  # "người", "hộ": a unit of one syllable, whatever follows
_MEASURE_UNITS = frozenset(RULES["measure_units"])  # "người", "việc": a measure, not what is counted
ORDINAL_BEFORE = re.compile(
    r"(?:^|[\s(])" + "".join(f"(?<!{re.escape(w)}\\s)" for w in RULES["not_ordinal_before"])
    + r"(?:" + "|".join(re.escape(w) for w in RULES["ordinal_words"]) + r")\s*$", re.IGNORECASE)
_DATE_BEFORE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+$", re.IGNORECASE)
_MONTH_BEFORE = re.compile(r"tháng\s+\d{1,2}\s+$", re.IGNORECASE)
_DAY_BEFORE = re.compile(r"ngày\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*[.)])\s+")
_QUARTER_ROMAN = re.compile(r"(?<=quý )(?:iv|i{1,3})\b")
_LETTER_HEADING = re.compile(r"^[a-zđ]\)\s+[^\W\d_]")
_HEADING = re.compile(r"^\s*(?:([IVXLC]{1,5})\.|(\d{1,2}(?:\.\d{1,2})*)\.?)\s+\S")
_CLAUSE_SPLIT = re.compile(r";|\n")
_TABLE_LINE = re.compile(r"^\s*\||\s\|\s")
_TABLE_RULE = re.compile(r"^[\s|:-]+$")
_UNIT_IN_PARENS = re.compile(r"\s*\(([^()]{1,30})\)\s*$")
_SMALL_INTEGER = re.compile(r"\d{1,3}\.?")
# "17/19 chỉ tiêu", "21/21 thôn": a ratio, read as one figure (a date has its year: "15/10/2025").
RATIO = re.compile(r"(?<![\w/.,-])(\d{1,3}(?:\.\d{3})*/\d{1,3}(?:\.\d{3})*)(?![\w/-])")
# "02 lượt/02 người", "05 vụ án/06 bị can": the second figure of a pair, right after "word/".
PAIRED = re.compile(r"(?<=[^\W\d_]/)(\d{1,3}(?:[.,]\d{3})+|\d+)(?![\w/-])")
_COMMA_SPACE = re.compile(r",\s+")
_PARENTHESISED = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"\S+")
_DATE_PHRASE = re.compile(r"(?<![\w/])(?:(?:vào|từ|đến|tính đến)\s+)?(?:ngày\s+)?\d{1,2}/\d{1,2}/\d{4}\s*,?", re.IGNORECASE)
# A sentence set in its time by what opens it: "Trước sắp xếp, …", "Sau bão số 10 …, …", "Dịp Tết …, …"
_TIME_SCENE = re.compile(r"\s*(?:[-+•]\s+)?((?:" + "|".join(map(re.escape, RULES["time_scene_words"])) + r")(?:\s[^,;:.()\d]*(?:\d[^,;:()]*)?)?),\s",
                         re.IGNORECASE)
_UNIT_HEADINGS = frozenset(RULES["unit_column_headings"])
_COMPARED_HEADING = re.compile(r"\s*(?:so với|so sánh)\b", re.IGNORECASE)
_LIST_JOIN = re.compile(r"\s*(?:,|,?\s*và|,?\s*cùng)?\s*", re.IGNORECASE)  # between two figures of one list
_PER_UNIT = re.compile(r"(?:/[^\W\d_]+)+")
_LETTER = re.compile(r"[^\W\d_]")
_FIRST_COMMA = re.compile(r"[^,;:()]*,")
_NAMES_IN_BRACKETS = re.compile(r"\([^()\d]*\)")  # "(Khe Mây, Bản Nà)": names, no figure
_AFTER_SEGMENT = re.compile(r"([^,;:.()/\n]*)([,;:.()/\n]|$)")
PERIOD_WITH_PREPOSITION = re.compile(r"(?:(?<![\w])(?:trong|tính|vào|của|cho|cuối|đầu)\s+)?" + PERIOD.pattern, re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# the report's own span named without a year: "Trong 6 tháng,", "Tính chung 6 tháng,", "Trong quý"
RELATIVE_PERIOD = re.compile(r"(?<![\w])(?:trong|tính chung|trong cả|cả)\s+(?:\d{1,2}\s+tháng(?:\s+(?:đầu|cuối)\s+năm)?"
                             r"|quý|năm|kỳ(?:\s+báo cáo)?)(?![\w])\s*,?", re.IGNORECASE)
LEAD_MAX = 120


def _base_unit(unit: str | None) -> str | None:
    """"triệu đồng/hộ" is an amount as "triệu đồng" is."""
    return unit.split("/")[0] if unit else unit


def _phrases(key: str) -> list[str]:
    return sorted(RULES[key], key=len, reverse=True)


_DROP_PREFIXES = _phrases("label_drop_prefixes")
_DROP_SUFFIXES = _phrases("label_drop_suffixes")
_ACTOR_BEFORE = frozenset(RULES["actor_before"])
_ACTOR_WORD = re.compile(r"\s(?:" + "|".join(map(re.escape, RULES["actor_before"])) + r")\s")
_QUANTITY_HEADS = _phrases("quantity_heads")
_RATE_WORDS = _phrases("rate_words")
_RATE_BASES = _phrases("rate_bases")
_ATTRIBUTE_WORDS = _phrases("attribute_words")
_AFTER_STOPS = _phrases("after_stops")
_COMMA_STOPS = _phrases("after_comma_stops")
_AFTER_TRAILING = _phrases("after_trailing_drop")
_PART_WORDS = _phrases("part_words")
_LEAD_DROP = _phrases("lead_drop_prefixes")
_NOT_TOPICS = _phrases("not_topic_openers")
_CHANGE_WORDS = _phrases("change_words")
_PREDICATE_WORDS = _phrases("predicate_words")
_NEXT_HEAD_STOPS = _phrases("next_head_stops")
_AMOUNT_UNITS = frozenset(RULES["amount_units"])
_EXISTENTIAL = _phrases("existential_words")
# "… so với năm 2024", also past the figure's own rate in brackets: "giảm 03 vụ (giảm 21,4%) so với …"
_COMPARISON = re.compile(r"[\s)]*(?:\([^()]*\)\s*)?(so với[^,;:.()\n]*)", re.IGNORECASE)
LABEL_WORDS_MAX = RULES["label_words_max"]
COMMA_CUT_WORDS = RULES["comma_cut_words"]
WEAK_LABEL_WORDS = RULES["weak_label_words"]
LABELLED_WEAK_WORDS = RULES["labelled_weak_words"]
CONTEXT_MIN_WORDS = RULES["context_min_words"]
LIST_ITEM_WORDS = RULES["list_item_words"]
CONTEXT_WORDS_MAX = RULES["context_words_max"]
AFTER_WORDS_MAX = RULES["after_words_max"]
LABELLED_WORDS_MAX = RULES["labelled_words_max"]
INLINE_LEAD_WORDS = RULES["inline_lead_words"]


@dataclass
class FigureRecord:
    value: str                 # as written: "1.707", "69,2", "17/19"
    unit: str | None           # "trường hợp", "việc", "%"
    label: str                 # what it counts, in the report's words
    period: str | None         # "Năm 2025", "Quý I năm 2026", "từ 01/7/2025 đến nay"
    section: str = ""          # "II > 1 > 1.9"
    page: int | None = None
    clause: str = ""           # the clause it was read from
    start: int = -1            # offsets of the value in the text it was read from
    end: int = -1

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("start", "end", "clause"):
            d.pop(k)
        return d

    def amount(self) -> str:
        """"153 trường hợp", "69,2%"."""
        if self.unit == "%":
            return f"{self.value}%"
        return f"{self.value} {self.unit}".strip() if self.unit else self.value

    def line(self) -> str:
        """One line for a person: "Năm 2025 — Cấp bản sao trích lục hộ tịch: 153 trường hợp"."""
        what = f"{self.label}: {self.amount()}" if self.label else self.amount()
        return f"{self.period} — {what}" if self.period else what


def _cap(text: str) -> str:
    if text.isupper():  # "QUÝ IV NĂM 2026" in a heading → "Quý IV năm 2026"
        text = _QUARTER_ROMAN.sub(lambda m: m.group(0).upper(), text.lower())
    return text[:1].upper() + text[1:] if text else text


def _period_text(text: str, m: re.Match) -> str:
    """A period as stated, with the dates that explain it: "Năm 2025 (từ 01/7/2025 đến 14/12/2025)"."""
    after = PERIOD.match(text, m.end() + 2) if text[m.end():m.end() + 2] == " (" else None
    if after and text[after.end():after.end() + 1] == ")":
        return _cap(text[m.start():after.end() + 1].strip())
    return _cap(m.group(0).strip())


def periods_in(text: str) -> list[re.Match]:
    """Period expressions in the text, skipping dates ("ngày 11 tháng 6 năm 2025") and a law's year."""
    out = []
    for m in PERIOD.finditer(text):
        before = text[max(0, m.start() - 24):m.start()]
        if m.group(0).lower().startswith("năm") and (_DATE_BEFORE.search(before) or _MONTH_BEFORE.search(before)):
            continue
        out.append(m)
    return out


def first_period(text: str) -> str | None:
    found = periods_in(text)
    return _period_text(text, found[0]) if found else None


def stated_period(line: str) -> str | None:
    """The period a heading or lead-in line sets: the first that is not a term or stage when it
    has one ("… Bộ tiêu chí … giai đoạn 2021 - 2025, kết quả đến ngày 30/11/2025 như sau:" → "đến
    ngày 30/11/2025"), else the first."""
    found = periods_in(line)
    if not found:
        return None
    dated = [m for m in found if not _TERM.match(m.group(0))]
    return _period_text(line, (dated or found)[0])


def unit_phrase(text: str, end: int) -> str | None:
    """The unit right after a figure ending at `end`: a known unit of several words ("trường hợp",
    "lượt người", "Tổ hòa giải") or the next word; None when what follows is not a unit, or is a
    capitalised name the figure counts ("01 Chánh Văn phòng")."""
    rest = text[end:end + 40]
    stripped = rest.lstrip()
    if stripped.startswith("%"):
        return "%"
    if stripped is rest:  # no space before the word: "02lượt" is not a unit reading
        return None
    low = stripped.lower()
    for u in MULTIWORD_UNITS:
        if low.startswith(u) and not low[len(u):len(u) + 1].isalpha():
            per = _PER_UNIT.match(low, len(u))  # "60 triệu đồng/hộ", "63 triệu đồng/người/năm"
            return u + per.group(0) if per else u
    m = re.match(r"[^\W\d_]+", stripped)
    if not m or m.group(0)[:1].isupper():
        return None
    word = m.group(0).lower()
    if word in _NOT_UNITS:
        return None
    if word in _SINGLE_UNITS:
        return word
    return lexicon.word_at(stripped, 0) or word  # "37 báo cáo", "03 bác sĩ"


def _is_figure(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 30):m.start()]
    if _DATE_BEFORE.search(before) or (ORDINAL_BEFORE.search(before) and m.group(1).isdigit()):
        return False  # "xóm 5", "Kế hoạch 15" name a thing; "ngõ xóm 186,4 km", "kế hoạch 13.000 lượt" count
    if not before.strip() and text[m.end(1):m.end(1) + 1] in (".", ")") and not unit_phrase(text, m.end(1) + 1):
        return False  # outline numbering at the start of a line
    value = m.group(1)
    if re.fullmatch(r"(?:19|20)\d\d", value) and not unit_phrase(text, m.end(0)):
        return False  # a year standing alone
    return True


# --- labels ------------------------------------------------------------------------------------------

def _starts_with(folded_text: str, phrases: list[str]) -> str | None:
    for p in phrases:
        if folded_text == p or folded_text.startswith(p + " "):
            return p
    return None


def _ends_with(folded_text: str, phrases: list[str]) -> str | None:
    for p in phrases:
        if folded_text == p or folded_text.endswith(" " + p):
            return p
    return None


def _trim(text: str) -> str:
    return text.strip(" \t-+•:;,.()\"'")


def _clean_head(head: str, *, labelled: bool = False) -> str:
    """The words before a figure, without connectors, notes in brackets, stated periods and the
    actor: ", trong đó Ủy ban nhân dân xã đã tổ chức" → "tổ chức"; "Năm 2025, xã đã chứng thực bản
    sao" → "chứng thực bản sao". A long head is cut at its last comma when what comes before is a
    clause of its own ("Tủ sách … được duy trì, bổ sung"), not one of a list of short names
    ("Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc"); a label written
    before a colon is kept whole."""
    head = _PARENTHESISED.sub(" ", head)
    head = _DATE_PHRASE.sub(" ", head)  # "Ngày 05/9/2026, toàn xã có": a date says when, not what
    head = PERIOD_WITH_PREPOSITION.sub(" ", head)
    head = RELATIVE_PERIOD.sub(" ", head)
    head = _SPACES.sub(" ", _BULLET.sub("", _trim(head)))
    parts = _COMMA_SPACE.split(head)
    if not labelled and len(head.split()) > COMMA_CUT_WORDS and len(parts) > 1 \
            and max(len(p.split()) for p in parts[:-1]) > LIST_ITEM_WORDS \
            and not _starts_with(head.lower(), _QUANTITY_HEADS):  # "Tỷ lệ chất thải … được thu gom, xử lý": one
        head = parts[-1]
    changed = True
    while changed and head:
        changed = False
        head = _trim(head)
        low = head.lower()
        p = _starts_with(low, _DROP_PREFIXES)
        if p:
            head, changed = head[len(p):], True
            continue
        p = _ends_with(low, _DROP_SUFFIXES)
        if p:
            head, changed = head[:len(head) - len(p)], True
    words = head.split()
    if labelled:
        return " ".join(words[-LABELLED_WORDS_MAX:])
    lowered = [w.lower() for w in words]
    if not _starts_with(" ".join(lowered), _QUANTITY_HEADS):
        cuts = [i for i, w in enumerate(lowered[:-1]) if w in _ACTOR_BEFORE and i > 0]
        if cuts:
            words = words[cuts[-1] + 1:]  # "Ủy ban nhân dân xã đã tổ chức" → "tổ chức"
    if len(words) > LABEL_WORDS_MAX:  # keep the end, from a comma when there is one
        tail = words[-LABEL_WORDS_MAX:]
        after_comma = [i for i, w in enumerate(words[:-1]) if w.endswith(",") and len(words) - i - 1 <= LABEL_WORDS_MAX]
        if after_comma:
            words = words[after_comma[0] + 1:]
        else:
            k = len(words) - LABEL_WORDS_MAX  # not in the middle of a word: "chương | trình tín dụng"
            words = tail[1:] if f"{words[k - 1].lower()} {words[k].lower()}" in lexicon.compounds() else tail
        cut = " ".join(words)
        p = _starts_with(cut.lower(), _DROP_PREFIXES)  # "… Phối hợp | với Trung tâm …": no connector first
        return _trim(cut[len(p):]) if p else cut
    return " ".join(words)


def _after_words(clause: str, pos: int, limit: int, *, opens: bool = False, listed: bool = True) -> tuple[str, int]:
    """The words after a figure's unit that say what it counts ("07 hội nghị tuyên truyền pháp
    luật với …" → "tuyên truyền pháp luật"; "04 cuộc truyền thông, tư vấn pháp luật tại các xóm …"),
    and where they end. They stop at a connector ("với", "đạt", "trong đó"), at ";:.()/", at "và"
    before another figure, and at a comma followed by a verb of its own ("…, đã ban hành …") or by
    the words of the next figure."""
    first = end = -1
    taken = 0
    stops = [p for p in _AFTER_STOPS if p not in _PREDICATE_WORDS] if opens else _AFTER_STOPS
    clause = _NAMES_IN_BRACKETS.sub(lambda b: " " * len(b.group(0)), clause)  # "02 thôn vùng đồi (Khe Mây,
    # Bản Nà) còn nhiều khó khăn": names in brackets are passed over, the words after them still count
    for k, m in enumerate(_AFTER_SEGMENT.finditer(clause, pos, limit)):
        words = list(_WORD.finditer(m.group(1)))
        if not words:
            if k == 0 and m.group(2) == "," and listed:
                continue  # "03 phản ánh, kiến nghị về …": the unit is the first of a list
            break
        texts = [w.group(0).lower() for w in words]
        stop_at = next((i for i in range(1, len(texts)) if _starts_with(" ".join(texts[i:]), _AFTER_STOPS)), None)
        runs_on = m.end(1) >= limit and limit < len(clause) and (
            stop_at is None or _starts_with(" ".join(texts[stop_at:]), _NEXT_HEAD_STOPS) is not None)
        if k and (runs_on or _starts_with(" ".join(texts), _AFTER_STOPS + _COMMA_STOPS)):
            break  # past a comma: the words running into the next figure are its own
        stop = False
        for i, w in enumerate(words):
            rest = " ".join(texts[i:])
            if (_starts_with(rest, stops) and not _compound_end(texts, i)) or taken >= AFTER_WORDS_MAX or (
                    texts[i] == "và" and (any(c.isdigit() for c in " ".join(texts[i + 1:i + 4]))
                                         or (m.end(1) >= limit and limit < len(clause)
                                             and texts[-1] not in _AFTER_TRAILING and not any(
                                                 _starts_with(" ".join(texts[j:]), _AFTER_STOPS)
                                                 for j in range(i + 1, len(texts)))))) \
                    or PERIOD_WITH_PREPOSITION.match(m.group(1), w.start()):  # "… lúa trong năm 2025": a period, not a name
                stop = True
                break
            if first < 0:
                first = m.start(1) + w.start()
            end = m.start(1) + w.end()
            taken += 1
        if stop or m.group(2) != ",":
            break
    if first < 0:
        return "", pos
    seg = clause[first:end]
    last = _ends_with(_SPACES.sub(" ", seg).lower(), _AFTER_TRAILING)
    while last:  # "… theo Nghị định 173 và" before "111"; "… đào tạo nghề cho" before "215 học viên"
        seg = seg[:len(seg) - len(last)].rstrip(" ,")  # (the figure's words end before it too)
        last = _ends_with(_SPACES.sub(" ", seg).lower(), _AFTER_TRAILING) if seg else None
    return (_SPACES.sub(" ", seg), first + len(seg)) if seg else ("", pos)


def _compound_end(texts: list[str], i: int) -> bool:
    """Is the word at i a syllable of a longer word, with the one before or after it ("lấn chiếm",
    "tăng cường"), not the connector it would be alone ("chiếm 30%", "tăng 12 hộ")?"""
    words = lexicon.compounds()
    return (i > 0 and f"{texts[i - 1]} {texts[i]}".strip(",") in words) or (
        i + 1 < len(texts) and f"{texts[i]} {texts[i + 1]}".strip(",") in words)


def _shorten(text: str, n: int) -> str:
    words = text.split()
    return text if len(words) <= n else " ".join(words[:n]) + " …"


def _content_words(label: str) -> int:
    return len([w for w in re.findall(r"[^\W\d_]+", label)])


@dataclass
class _Figure:
    m: re.Match | None
    value: str
    start: int              # of the value, in the clause
    end: int
    kind: str               # plain | ratio | paired
    unit: str | None = None
    name: bool = False      # the words after it are a name it counts ("01 Chánh Văn phòng")
    after: str = ""
    phrase_end: int = 0     # where the figure's own words end
    label: str = ""
    compared: str = ""      # "so với đầu năm": the figure is a change since then
    exists: bool = False    # "… có 22/24 khu dân cư đạt …": the words before only say it exists
    opens: bool = False     # it opens its clause ("16/18 thôn đạt …"), or only says it exists
    head: str = ""          # the words before it that its label took ("giao nộp")
    record: "FigureRecord | None" = field(default=None, repr=False)


def _figures_in(clause: str) -> list[_Figure]:
    found = []
    for m in FIGURE.finditer(clause):
        if not _is_figure(clause, m):
            continue
        if clause[m.end(1):m.end(0)].strip() == "%":
            unit = "%"
        else:
            unit = unit_phrase(clause, m.end(1))
        found.append(_Figure(m, m.group(1), m.start(1), m.end(1), "plain", unit))
    for m in RATIO.finditer(clause):
        unit = unit_phrase(clause, m.end(1))
        if unit and not _DAY_BEFORE.search(clause[max(0, m.start() - 8):m.start()]):
            found.append(_Figure(m, m.group(1), m.start(1), m.end(1), "ratio", unit))
    for m in PAIRED.finditer(clause):
        unit = unit_phrase(clause, m.end(1))
        if unit:
            found.append(_Figure(m, m.group(1), m.start(1), m.end(1), "paired", unit))
    found.sort(key=lambda f: f.start)
    for f in found:
        pos = f.end
        if f.unit == "%":
            pos = clause.index("%", f.end) + 1
        elif f.unit:
            low = clause.lower()
            pos = low.index(f.unit, f.end) + len(f.unit)
        else:
            f.name = bool(re.match(r"\s+[^\W\d_]", clause[f.end:]) and clause[f.end:].lstrip()[:1].isupper())
        f.phrase_end = pos
    for i, f in enumerate(found):
        # the next figure that counts something: "… dưới 03 tháng" does not end the words before it
        limit = next((g.start for g in found[i + 1:] if g.unit or g.name), len(clause))
        if f.unit or f.name:
            # "16/18 thôn đạt danh hiệu …", at the clause's start or after its lead's colon
            # (a period stated before it does not count: "Năm 2025, 16/18 thôn …")
            before = PERIOD_WITH_PREPOSITION.sub(" ", clause[clause.rfind(":", 0, f.start) + 1:f.start])
            f.exists = _ends_with(_trim(before).lower(), _EXISTENTIAL) is not None and f.unit is not None
            # "Trước sắp xếp, 03 xã cũ đã đạt …": what stands before a comma sets the scene
            f.opens = f.exists or not _LETTER.search(before) or before.rstrip().endswith(",")
            f.after, end = _after_words(clause, f.phrase_end, limit, opens=f.opens,
                                        listed=_base_unit(f.unit) not in _AMOUNT_UNITS)
            f.phrase_end = max(f.phrase_end, end)
            m = _COMPARISON.match(clause, f.phrase_end)
            if m:
                f.compared = _SPACES.sub(" ", m.group(1)).strip()
    return found


def _subject(text: str) -> str | None:
    """A lead-in's subject as a label's context: "Kết quả xử phạt vi phạm hành chính trên địa bàn
    xã:" → "xử phạt vi phạm hành chính trên địa bàn xã"; a period alone says nothing."""
    s = _trim(_BULLET.sub("", RELATIVE_PERIOD.sub(" ", PERIOD.sub(" ", text))))
    p = _starts_with(s.lower(), _LEAD_DROP)
    while p and s:
        s = _trim(s[len(p):])
        p = _starts_with(s.lower(), _LEAD_DROP)
    s = _SPACES.sub(" ", s)
    if s and s.split()[-1].lower() in _ACTOR_BEFORE:
        return None  # "Trong năm, Công an xã đã:" names who acted, not what is counted
    return s if _content_words(s) >= CONTEXT_MIN_WORDS and len(s.split()) <= LABEL_WORDS_MAX else None


def _label(f: _Figure, prev: _Figure | None, raw: str, context: str | None, part: tuple | None,
           labelled: bool = False, same_kind: _Figure | None = None, shared_head: str = "",
           topic: str | None = None) -> str:
    """What a figure counts (see the module docstring)."""
    low_raw = _trim(raw).lower()
    if f.kind == "paired" and prev is not None:
        return f"{prev.label} — {f.unit} {f.after}" if f.after else prev.label
    change = _ends_with(low_raw, _CHANGE_WORDS) if f.compared else None
    if change:  # "…, giảm 64 hộ so với đầu năm": a change of what the words or the figure before count
        base = _clean_head(_trim(raw)[:len(_trim(raw)) - len(change)])
        if f.unit == "%" and not base and same_kind is not None and same_kind.compared:
            return _cap(f"tỷ lệ {same_kind.label[:1].lower()}{same_kind.label[1:]}")  # "(giảm 21,4%)"
        if _content_words(base) - _content_words(f.unit or "") < 1:
            base = (" ".join(x for x in (same_kind.unit, same_kind.after) if x)
                    if (same_kind.after or _base_unit(same_kind.unit) != _base_unit(f.unit)) and f.unit != "%"
                    and _base_unit(same_kind.unit) not in _AMOUNT_UNITS else same_kind.label) \
                if same_kind is not None else " ".join(
                x for x in (base, f.unit or "", f.after) if x)
        return _cap(_SPACES.sub(" ", f"{base} {change} {f.compared}").strip(" ,:;-"))
    own_context = None
    attribute = None
    unit_words = ""
    for w in _ATTRIBUTE_WORDS:
        i = low_raw.rfind(w + " ") if not low_raw.endswith(w) else len(low_raw) - len(w)
        word_before = low_raw[:i].split()[-1:]
        if word_before and f"{word_before[0]} {w.split()[0]}" in lexicon.compounds():
            continue  # "thực hiện đối với 1.234 hồ sơ": "đối với" is not "với"
        if i == 0 or (i > 0 and low_raw[i - 1] == " "):
            attribute = (_trim(raw)[:i], _trim(raw)[i + len(w):])
            break
    if attribute is not None and prev is not None:
        before, raw = attribute
        own_context = _clean_head(before) if _content_words(_clean_head(before)) >= WEAK_LABEL_WORDS else prev.label
        if f.unit and _base_unit(f.unit) not in _AMOUNT_UNITS:
            unit_words = f.unit  # "… với 510 lượt người": the people are what is counted
    head = "" if f.opens and f.after and not labelled else _clean_head(raw, labelled=labelled)
    # "Đại hội Thể dục thể thao xã lần thứ I có 12 môn thi đấu": what has them is where they are counted
    whole = _clean_head(_COMMA_SPACE.split(raw)[-1]) if f.exists and f.after and not labelled \
        and not _starts_with(_trim(raw).lower(), _LEAD_DROP) else ""  # not "Kết quả phân loại … có"
    if not head and shared_head and f.unit != "%":
        head = shared_head  # "giao nộp 06 khẩu súng, 14 vũ khí thô sơ và 3,2 kg pháo nổ": one verb for the list
    f.head = head
    if not (attribute is not None and prev is not None):
        unit_words = f.unit if f.unit and _base_unit(f.unit) not in _MEASURE_UNITS and not f.name else ""
    rate_word = _ends_with(head.lower(), _RATE_WORDS) if f.unit == "%" else None
    if rate_word:
        head = head[:len(head) - len(rate_word)].strip()
    rate = f.unit == "%" and (rate_word or _ends_with(low_raw, _RATE_WORDS) or not head)
    against = _starts_with(f.after.lower(), _RATE_BASES) if f.after else None
    if rate and prev is not None and not head and f.after and not against:
        label = f"tỷ lệ {f.after}"  # "…, bảo đảm 100% khoản chi được kiểm soát": the rate of what follows
    elif rate and prev is not None and not head:
        base = prev.label
        base = base[len("số "):] if base.lower().startswith("số ") else base
        label = f"tỷ lệ {base[:1].lower() + base[1:]}"
        if against:  # "…, đạt 76,0% kế hoạch năm": the rate is against that
            label += f" {f.after}" if against == "so với" else f" so với {f.after}"
    elif rate and head:
        prefix = "" if head.lower().startswith("tỷ lệ") else "tỷ lệ"  # "Tỷ lệ hồ sơ trực tuyến đạt 67,8%"
        label = " ".join(x for x in (prefix, head, f.after) if x)
    elif f.after or (_content_words(head) < WEAK_LABEL_WORDS and not labelled):
        label = " ".join(x for x in (head, unit_words, f.after) if x)
    else:
        label = head
        unit_words = ""
    if own_context:
        own_context = _shorten(own_context[:1].lower() + own_context[1:], CONTEXT_WORDS_MAX)
        label = f"{_cap(label)} ({own_context})" if label else own_context
    elif _content_words(label) - _content_words(unit_words) < (LABELLED_WEAK_WORDS if labelled else WEAK_LABEL_WORDS) \
            and context:  # "+ Chuyển tuyến: 214 lượt người" is named by its writer; "+ Năm 2025: 14 trường hợp" is not
        label = f"{_cap(context)}: {label}" if label else context
    elif label and _content_words(whole) >= CONTEXT_MIN_WORDS:
        label = f"{_cap(label)} ({_shorten(whole[:1].lower() + whole[1:], CONTEXT_WORDS_MAX)})"
    elif label and not f.after and not labelled and prev is not None and _content_words(prev.after) >= CONTEXT_MIN_WORDS \
            and _content_words(label) - _content_words(unit_words) < WEAK_LABEL_WORDS \
            and not set(fold(prev.after).split()) <= set(fold(label).split()):
        # "… lập biên bản 74 trường hợp lấn chiếm vỉa hè, lòng đường, xử phạt 58,6 triệu đồng": what
        # the figure before is said of is what this one is about
        label = f"{_cap(label)} ({_shorten(prev.after, CONTEXT_WORDS_MAX)})"
    elif label and topic and not labelled and part is None and "trong đó" not in low_raw \
            and _content_words(label) - _content_words(unit_words) < WEAK_LABEL_WORDS \
            and not set(fold(label).split()) >= set(fold(topic).split()):
        # "Đoàn vận động viên xã tham gia Đại hội Thể dục thể thao tỉnh …, đạt 02 Huy chương Vàng": the
        # sentence's opening words say where a figure named too briefly was counted
        label = f"{_cap(label)} ({_shorten(topic[:1].lower() + topic[1:], CONTEXT_WORDS_MAX)})"
    if not label.strip() and prev is not None:
        label = prev.label  # "01 đoàn đông người (08 người)": the figure in brackets details the one before
    if part is not None:
        parent, part_word = part
        low = label.lower()
        if part_word and not low.startswith(part_word):
            label = f"{part_word} {label}"
        label = f"{_cap(parent)} — trong đó {label[:1].lower() + label[1:]}"
    return _cap(_SPACES.sub(" ", label).strip(" ,:;-"))


# --- tables ------------------------------------------------------------------------------------------

def _cells(line: str) -> list[tuple[str, int]]:
    """(cell text, offset in the line) of a table row, Markdown ("| a | b |") or from Word ("a | b")."""
    out, pos = [], 0
    for part in line.split("|"):
        out.append((part.strip(), pos + len(part) - len(part.lstrip())))
        pos += len(part) + 1
    if line.strip().startswith("|"):
        out = out[1:]
    if line.strip().endswith("|"):
        out = out[:-1]
    return out


def _split_unit(label: str) -> tuple[str, str | None]:
    """"Đăng ký khai sinh (trường hợp)" → ("Đăng ký khai sinh", "trường hợp")."""
    m = _UNIT_IN_PARENS.search(label)
    return (label[:m.start()].strip(), m.group(1).strip().lower()) if m else (label.strip(), None)


def _table_records(lines: list[str], offsets: list[int], period: str | None, section: str,
                   page: int | None) -> list[FigureRecord]:
    """One record per figure cell: the label from the row's first cell (after an STT column), the
    period from the column heading when it states one, else the passage's."""
    rows = [(_cells(ln), off, ln) for ln, off in zip(lines, offsets) if ln.strip() and not _TABLE_RULE.match(ln)]
    if len(rows) < 2:
        return []
    header = [text for text, _ in rows[0][0]]
    body = rows[1:]
    # an STT column: small numbers or nothing ("|  | Tổng cộng | …") in every row, most of them numbers
    numbered = [bool(r[0]) and bool(_SMALL_INTEGER.fullmatch(r[0][0][0])) for r in body]
    label_col = 1 if sum(numbered) * 2 > len(body) and all(
        ok or (r[0] and not r[0][0][0]) for ok, r in zip(numbered, body)) else 0
    unit_col = next((j for j, text in enumerate(header) if fold(text).strip(" .") in _UNIT_HEADINGS), None)
    columns = []
    for text in header:
        heading, unit = _split_unit(text)
        if _COMPARED_HEADING.match(heading):  # "So với năm 2025 (%)": this period's figure against that one
            columns.append((None, unit, heading[:1].lower() + heading[1:]))
        else:
            columns.append((first_period(heading), unit, _trim(_SPACES.sub(" ", PERIOD.sub(" ", heading)))))
    out = []
    for cells, off, line in body:
        if len(cells) <= label_col:
            continue
        label, unit = _split_unit(cells[label_col][0])
        if unit is None and unit_col is not None and unit_col < len(cells) and cells[unit_col][0]:
            unit = cells[unit_col][0].lower()  # "| Người cao tuổi | người | 948 |"
        for j, (cell, cell_off) in enumerate(cells):
            if j <= label_col or j >= len(columns) or j == unit_col:
                continue
            m = FIGURE.fullmatch(cell) or RATIO.fullmatch(cell)
            if not m:
                continue
            col_period, col_unit, col_heading = columns[j]
            u = "%" if cell.endswith("%") or col_unit == "%" else (unit or col_unit)
            shown = f"{label} ({col_heading})" if col_heading else label
            start = off + cell_off + m.start(1)
            out.append(FigureRecord(value=m.group(1), unit=u, label=_cap(shown), period=col_period or period,
                                    section=section, page=page, clause=line.strip(),
                                    start=start, end=start + len(m.group(1))))
    return out


# --- reading a passage ---------------------------------------------------------------------------------

def _line_records(line: str, line_start: int, base_period: str | None, lead_subject: str | None,
                  section: str, page: int | None, last_unit: str | None) -> list[FigureRecord]:
    out: list[FigureRecord] = []
    line_period = None
    cuts = [0, *sentence_cuts(line), len(line)]
    for a, b in zip(cuts, cuts[1:]):
        sentence = line[a:b]
        scene = _TIME_SCENE.match(sentence)
        scene_end = scene.end() if scene and _counts_something(sentence[scene.end():]) else 0
        # a period stated in the sentence holds for the rest of it; "Trước sắp xếp, 03 xã cũ …"
        running = _cap(_trim(scene.group(1))) if scene_end else None
        opener = _opener(sentence)
        topic = _topic(sentence)
        prev: _Figure | None = None
        seen: list[_Figure] = []  # the sentence's figures so far
        part: tuple | None = None
        breakdown_unit = last_unit
        offset = 0
        for clause in _CLAUSE_SPLIT.split(sentence):
            c_start = a + sentence.find(clause, offset)
            offset = c_start - a + len(clause)
            figures = _figures_in(clause)
            first_fig = next((f.start for f in figures if f.unit or f.name), len(clause))
            for p in periods_in(clause):
                if p.start() < first_fig and not _names_a_thing(clause, p) and c_start - a + p.start() >= scene_end:
                    if running and clause[max(0, p.start() - 2):p.start()] == " (":
                        continue  # the dates explaining the period just read
                    running = _period_text(clause, p)
                    if line_period is None and c_start < 60:
                        line_period = running  # "Năm 2025 (…): …" opens the line
            clause_prev: _Figure | None = None
            for f in figures:
                if f.unit is None and not f.name:
                    continue  # a bare number says nothing a clerk can reuse
                floor = clause_prev.phrase_end if clause_prev else 0
                colon = clause.rfind(":", floor, f.start)
                raw = clause[max(floor, colon + 1):f.start]
                labelled = colon >= 0 and not raw.strip()
                if labelled:  # "label: figure"
                    label_end, colon = colon, clause.rfind(":", floor, colon)
                    raw = clause[max(floor, colon + 1):label_end]
                low_raw = raw.lower()
                if "trong đó" in low_raw:
                    part_word = _starts_with(_clean_head(raw).lower(), _PART_WORDS)
                    parent = next((g for g in reversed(seen) if g.unit == f.unit), prev) if f.unit else prev
                    part = (parent.label, part_word) if parent is not None and part_word else None
                    breakdown_unit = prev.unit if prev is not None and prev.unit else last_unit
                before_colon = clause.rfind(":", floor, colon) if colon > floor else -1
                context = _subject(clause[max(floor, before_colon + 1):colon]) if colon > floor else None
                if context is None and colon < 0 and clause_prev is not None:
                    # "… tiếp định kỳ: 06 kỳ, tiếp 07 lượt": the lead before the clause's first figure
                    # says what its later figures count too
                    lead_colon = clause.rfind(":", 0, clause_prev.start)
                    context = _subject(clause[:lead_colon]) if lead_colon > 0 else None
                context = context or opener
                same_kind = next((g for g in reversed(seen) if f.unit and g.unit
                                  and (_base_unit(g.unit) + " ").startswith(_base_unit(f.unit) + " ")),
                                 None)  # "hộ nghèo" for "hộ", "triệu đồng/người/năm" for "triệu đồng"
                if f.unit == "%" and f.compared:
                    # "… thu được 29.714 triệu đồng, đạt 76,9% dự toán, tăng 12,4% so với cùng kỳ": the change
                    # is of the amount, not of the rate against a base; "tỷ lệ … đạt 88,6%, tăng 2,1%" of the rate
                    same_kind = next((g for g in reversed(seen) if g.unit and not (g.unit == "%" and g.after)), None)
                shared = clause_prev.head if clause_prev is not None and _LIST_JOIN.fullmatch(raw) and (
                    clause_prev.unit == f.unit or (_base_unit(clause_prev.unit) not in _AMOUNT_UNITS
                                                   and not _starts_with(clause_prev.head.lower(), _QUANTITY_HEADS))
                ) else ""  # "60 triệu đồng/hộ xây mới, 30 triệu đồng/hộ sửa chữa": the same measure
                f.label = _label(f, prev, raw, context or lead_subject, part, labelled, same_kind, shared,
                                 topic[0] if topic and (c_start - a) + f.start >= topic[1] else None)
                broken_down = _bracket_parent(clause, f, seen)
                if broken_down is not None and _content_words(f.label) - _content_words(f.unit or "") < WEAK_LABEL_WORDS:
                    # "… 1.260 triệu đồng (ngân sách tỉnh 750 triệu đồng, …)": a part of the figure before
                    f.label = f"{f.label} ({_shorten(broken_down.label[:1].lower() + broken_down.label[1:], CONTEXT_WORDS_MAX)})"
                if f.unit is None and "trong đó" in sentence[:f.start + c_start - a].lower():
                    f.unit = breakdown_unit  # "Trong đó có 01 Chánh Văn phòng": the total's unit
                out.append(FigureRecord(
                    value=f.value, unit=f.unit, label=f.label, period=running or line_period or base_period,
                    section=section, page=page, clause=clause.strip(" \t-+•"),
                    start=line_start + c_start + f.start, end=line_start + c_start + f.end))
                prev = clause_prev = f
                seen.append(f)
                if f.unit:
                    last_unit = f.unit
    return out


_ADVERBIAL_BEFORE = re.compile(r"(?:^|\b(?:trong|tính|vào|suốt|cho|đến|từ|đầu|cuối|của cả))\s*[,(]?\s*$",
                               re.IGNORECASE)


_BARE_YEAR = re.compile(r"năm \d{4}", re.IGNORECASE)
_NAMING_BEFORE = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in RULES["naming_nouns"])
                            + r")(?:\s+[^\W\d_]+){0,3}\s*$", re.IGNORECASE)


def _names_a_thing(clause: str, m: re.Match) -> bool:
    """A term or stage after a noun names that thing ("Quy chế làm việc … nhiệm kỳ 2021 - 2026"), it
    does not date the figures that follow; at the clause's start or after "trong", "của cả" … it does."""
    before = clause[:m.start()].strip(" \t-+•*")
    if not _TERM.match(m.group(0)):
        # "… giao chỉ tiêu giảm nghèo năm 2026, …": the year names the target, not the figures' time
        return _BARE_YEAR.fullmatch(m.group(0)) is not None and _NAMING_BEFORE.search(before) is not None
    return not _ADVERBIAL_BEFORE.search(before)


def _opener(sentence: str) -> str | None:
    """The topic a sentence opens with ("Đối với lĩnh vực Thanh tra: Thực hiện …" → "lĩnh vực Thanh
    tra"), a context for its figures; not a label followed by its own figure ("Đại học: 07 người")."""
    colon = sentence.find(":")
    if colon <= 0 or len(sentence[:colon].split()) > INLINE_LEAD_WORDS:
        return None
    after = sentence[colon + 1:].lstrip()
    if not after or after[:1].isdigit():
        return None
    return _subject(sentence[:colon])


def _bracket_parent(clause: str, f: _Figure, seen: list[_Figure]) -> _Figure | None:
    """The figure a bracket opened right after breaks down, when `f` is inside it with the same unit:
    "1.260 triệu đồng (ngân sách tỉnh 750 triệu đồng, …)"."""
    opened = clause.rfind("(", 0, f.start)
    if opened < 0 or clause.rfind(")", 0, f.start) > opened:
        return None
    parent = next((g for g in reversed(seen) if g.end <= opened), None)
    if parent is None or _base_unit(parent.unit) != _base_unit(f.unit) or parent.phrase_end < opened - 2 \
            or not parent.label:
        return None
    return parent


def _topic(sentence: str) -> tuple[str, int] | None:
    """The words a sentence opens with, up to its first comma, when they count nothing and say
    something ("Đoàn vận động viên xã tham gia Đại hội Thể dục thể thao tỉnh lần thứ X, đạt …"), and
    where they end: only the figures after them take them."""
    m = _FIRST_COMMA.match(sentence)
    if not m or _counts_something(m.group(0)) or _starts_with(_trim(_BULLET.sub("", m.group(0))).lower(), _NOT_TOPICS):
        return None  # "Thực hiện …, ", "Để …, ": why or on what basis, not where the figures were counted
    opening = m.group(0).rstrip(",")
    verb = _ACTOR_WORD.search(opening)
    if verb:  # "Lễ hội Cầu ngư thôn An Hải năm 2026 được tổ chức trang trọng": its subject
        opening = opening[:verb.start()]
    words = _clean_head(opening)
    if _starts_with(words.lower(), _LEAD_DROP):
        return None  # "Về mạng lưới giao thông, …": a field named, which its figures' names already say
    return (words, m.end()) if _content_words(words) >= WEAK_LABEL_WORDS else None


def _counts_something(text: str) -> bool:
    """Does the text hold a figure with a unit ("12 hội nghị"), not only a year ("NĂM 2026")?"""
    return any(_is_figure(text, m) and unit_phrase(text, m.end(1)) for m in FIGURE.finditer(text))


def _heading_level(m: re.Match) -> int:
    return 1 if m.group(1) else 2 + m.group(2).count(".")


def extract_figures(text: str, *, section: str = "", page: int | None = None,
                    heading_period: str | None = None, default_period: str | None = None,
                    lead_period: str | None = None) -> list[FigureRecord]:
    """Figure records of a passage (a chunk body or a whole report), in order."""
    text = nfc(text)
    out: list[FigureRecord] = []
    lead = lead_period
    lead_subject: str | None = None
    items = 0  # bullet lines read under the lead
    lead_items_only = False  # the lead's period ends with its items (it says more than a period)
    stated: dict[int, str | None] = {}  # heading level -> the period that heading states
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        line, line_start, stripped = lines[i], offsets[i], lines[i].strip()
        i += 1
        if not stripped:
            continue
        heading = next((stated[k] for k in sorted(stated, reverse=True) if stated[k]), None) or heading_period
        if _TABLE_LINE.search(stripped):
            j = i
            while j < len(lines) and lines[j].strip() and _TABLE_LINE.search(lines[j].strip()):
                j += 1
            out += _table_records(lines[i - 1:j], offsets[i - 1:j], lead or heading or default_period, section, page)
            i = j
            lead, lead_subject = None, None  # the table was what the lead-in ("… như sau:") announced
            continue
        h = _HEADING.match(stripped)
        if h and len(stripped) <= 160 and stripped[-1] not in ":.;," \
                and not _counts_something(stripped.split(" ", 1)[-1]):  # "2. Đề nghị …." is an item
            level = _heading_level(h)
            for k in [k for k in stated if k >= level]:
                del stated[k]
            stated[level] = stated_period(stripped)
            lead, lead_subject = None, None  # a new heading: the lead-in above it no longer applies
            continue
        if _LETTER_HEADING.match(stripped) and stripped[-1] not in ":.;," and not _counts_something(stripped):
            lead, lead_subject = None, None  # "c) Lâm nghiệp, thủy sản": a new part
            continue
        if stripped.endswith(":") and len(stripped) <= LEAD_MAX and not _counts_something(line):
            lead = stated_period(stripped)  # "+ Năm 2025:" sets the period; "- Công tác hộ tịch:" clears it
            # a lead that is only a period ("Năm 2025 (từ … đến …):") heads a part, to its end; one that
            # says more ("… kết quả đến ngày 30/11/2025 như sau:") covers its own items only
            lead_items_only = bool(_LETTER.search(_PARENTHESISED.sub(" ", PERIOD_WITH_PREPOSITION.sub(
                " ", _BULLET.sub("", stripped[:-1])))))
            lead_subject = _subject(stripped[:-1]) or (lead_subject if lead else None)
            items = 0
            continue
        if stripped.endswith(":") and len(stripped) > LEAD_MAX and not _counts_something(stripped) \
                and _BULLET.match(next((ln for ln in lines[i:] if ln.strip()), "")):
            # "Trước mùa mưa bão năm 2026, …; kết quả chuẩn bị đến ngày 31/8/2026 như sau:" above its
            # items: they are of the period it states last, next to what they are, until a paragraph
            found = [m for m in periods_in(stripped) if not _TERM.match(m.group(0))]
            if found:
                lead, lead_items_only = _period_text(stripped, found[-1]), True
            lead_subject, items = None, 0
            continue
        if lead is not None or lead_subject is not None:
            if _BULLET.match(line):
                items += 1
            elif items:  # a paragraph after the lead's items is no longer one of them; the period of
                lead_subject, items = None, 0  # a lead that is only a period still holds ("Năm 2025 (…):"
                if lead_items_only:  # items, then "Tổng số việc … là 863 việc")
                    lead = None
        last_unit = out[-1].unit if out else None
        out += _line_records(line, line_start, lead or heading or default_period, lead_subject, section, page,
                             last_unit)
        if stripped.endswith(":") and _counts_something(stripped):
            # "Đến ngày 30/11/2026, … có 1.148 người …; cụ thể:" — its items are
            lead = stated_period(stripped) or lead  # of the period it states
            lead_subject, items, lead_items_only = None, 0, True
    return out

# --- periods as intervals, for comparing them ------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@lru_cache(maxsize=2048)
def period_interval(period: str | None, today: date | None = None) -> tuple[date, date] | None:
    """The days a period covers: "Năm 2025" → 1/1–31/12/2025, "Quý I năm 2026" → 1/1–31/3/2026,
    "6 tháng đầu năm 2026" → 1/1–30/6/2026, "từ 01/7/2025 đến nay" → 1/7/2025–today, "đến ngày
    30/11/2026" → that day."""
    if not period:
        return None
    p = fold(period)
    dates = re.findall(r"(\d{1,2})/(\d{1,2})/(\d{4})", p)
    try:
        if re.search(r"(?<![a-z])tu (?:ngay )?\d", p) and dates:
            start = date(int(dates[0][2]), int(dates[0][1]), int(dates[0][0]))
            end = date(int(dates[1][2]), int(dates[1][1]), int(dates[1][0])) if len(dates) > 1 else (today or date.max)
            return start, end
        m = re.search(r"(?<![a-z])den (?:ngay )?(\d{1,2})/(\d{1,2})/(\d{4})", p)
        if m:  # "(Ước) đến ngày 30/11/2026": a figure as it stands on that day
            day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return day, day
        m = re.search(r"quy (i{1,3}|iv|[1-4])(?:/| nam )(\d{4})", p)
        if m:
            q = _ROMAN.get(m.group(1)) or int(m.group(1))
            y = int(m.group(2))
            end_month = q * 3
            return date(y, end_month - 2, 1), _month_end(y, end_month)
        m = re.search(r"(\d{1,2}|sau|chin) thang (dau|cuoi) nam (\d{4})", p)
        if m:
            n = {"sau": 6, "chin": 9}.get(m.group(1)) or int(m.group(1))
            y = int(m.group(3))
            if m.group(2) == "dau":
                return date(y, 1, 1), _month_end(y, n)
            return date(y, 13 - n, 1), date(y, 12, 31)
        m = re.search(r"thang (\d{1,2})(?:/| nam )(\d{4})", p)
        if m:
            y, mo = int(m.group(2)), int(m.group(1))
            return date(y, mo, 1), _month_end(y, mo)
        m = re.search(r"(?:nam hoc|giai doan|nhiem ky) (\d{4}) ?- ?(\d{4})", p)
        if m:
            return date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
        m = re.search(r"nam (\d{4})", p)
        if m:
            y = int(m.group(1))
            return date(y, 1, 1), date(y, 12, 31)
    except ValueError:
        return None
    return None


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1).fromordinal(date(year, month + 1, 1).toordinal() - 1)


def periods_compatible(a: str | None, b: str | None) -> bool:
    """False only when both periods are known and do not overlap ("Năm 2025" vs "Quý I năm 2026")."""
    ia, ib = period_interval(a), period_interval(b)
    if ia is None or ib is None:
        return True
    return ia[0] <= ib[1] and ib[0] <= ia[1]


PERIOD_SLACK_DAYS = 16  # "từ 01/7/2025 đến nay" in a report of 12/01/2026 still answers "năm 2025"


def period_answers(asked: str | None, source: str | None, today: date | None = None) -> bool:
    """Can a figure of the `source` period answer a question about the `asked` period? False only
    when both are known and the source's days fall outside the asked ones: another period, or a
    longer one holding it ("860 lượt" of 6 tháng đầu năm 2026 is not the figure of quý I)."""
    ia, ib = period_interval(asked), period_interval(source, today)
    if ia is None or ib is None:
        return True
    slack = timedelta(days=PERIOD_SLACK_DAYS)
    return ib[0] >= ia[0] - slack and ib[1] <= ia[1] + slack


_REPORTS_ON = re.compile(r"\bbáo cáo\b", re.IGNORECASE)
_AS_FOLLOWS = re.compile(r"như sau\s*:", re.IGNORECASE)


def document_period(text: str, title: str | None = None) -> str | None:
    """A report's own period: stated in its title ("Báo cáo … 6 tháng đầu năm 2026"), else in its
    opening sentence, after its last "báo cáo" ("… Ủy ban nhân dân xã báo cáo kết quả 6 tháng … (từ
    ngày 01/7/2025 đến ngày 31/12/2025) như sau:") — the plans and resolutions it cites before that
    carry periods of their own."""
    found = first_period(title or "")
    if found:
        return found
    head = nfc(text[:6000])
    m = _AS_FOLLOWS.search(head)
    if not m:
        return None
    sentence_start = max(head.rfind(".\n", 0, m.start()), head.rfind("\n\n", 0, m.start()), 0)
    opening = head[sentence_start:m.start()]
    verbs = list(_REPORTS_ON.finditer(opening))
    return first_period(opening[verbs[-1].end():] if verbs else opening)
