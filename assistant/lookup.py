"""A "bao nhiêu" question answered from the figure records of its sources, without the model.

"Quý I năm 2026 xã Bình Thành đăng ký kết hôn bao nhiêu cặp?" is a lookup, not a composition: the
unit's reports hold the figure as a record (label, unit, period — assistant.figures), and the system
can pick it when the question's words, its counted unit and its period single one out. The answer
quotes the source's own clause with its period and marker, so it is right by construction; a small
model beside figures of two periods or of two things takes the wrong one as often as not. When the
records do not single one figure out, the model answers as before.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .documents import Hit
from .figures import (
    MULTIWORD_UNITS,
    FigureRecord,
    first_period,
    period_answers,
    period_interval,
    periods_in,
    unit_phrase,
)
from .text import fold, nfc
from .units import Unit, mentions
from .verify import dated_records, report_date_of

_COUNTED = re.compile(r"\b(?:bao nhiêu|mấy)\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)", re.IGNORECASE)
_RATE = re.compile(r"\btỷ lệ\b.*\b(?:bao nhiêu|mấy)\b", re.IGNORECASE)
RULES = json.loads((Path(__file__).resolve().parent / "data" / "lookup.json").read_text(encoding="utf-8"))
_FILLER_PHRASES = sorted((fold(p) for p in RULES["filler_phrases"]), key=len, reverse=True)
_FILLER_WORDS = frozenset(fold(w) for w in RULES["filler_words"])
MIN_COVER = RULES["min_cover"]              # share of the question's own words the figure's clause must carry
MIN_TOPIC_WORDS = RULES["min_topic_words"]  # one word ('chứng') does not say what is counted
MAX_LINES = RULES["max_lines"]              # figures of several periods, one line each
ABSENT = "Không tìm thấy số liệu này trong báo cáo của"


@dataclass
class _Candidate:
    hit_no: int
    record: FigureRecord
    period: str | None
    cover: float    # share of the question's words the clause carries
    purity: float   # share of the label's words the question asks about ("Đăng ký kết hôn" over "… đăng ký lại kết hôn")


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(nfc(text))) if not w.isdigit()}


def _topic(question: str, unit: Unit | None, counted: str | None) -> set[str]:
    """The words that say what is counted: the question without its unit, period and question words."""
    q = nfc(question)
    for m in reversed(periods_in(q)):
        q = q[:m.start()] + " " + q[m.end():]
    for u in mentions(q) + ([unit] if unit else []):
        q = re.sub(re.escape(u.name.split(" ", 1)[-1]), " ", q, flags=re.IGNORECASE)
    if counted:
        q = re.sub(r"\b(?:bao nhiêu|mấy)\s+" + re.escape(counted), " ", q, flags=re.IGNORECASE)
    folded = " " + " ".join(re.findall(r"[a-z0-9]+", fold(q))) + " "
    for phrase in _FILLER_PHRASES:
        folded = folded.replace(f" {phrase} ", " ")
    return {w for w in folded.split() if w not in _FILLER_WORDS and not w.isdigit() and len(w) > 1}


def asks_a_quantity(question: str) -> bool:
    """"… bao nhiêu …", "… mấy …", "tỷ lệ … bao nhiêu": a question the records may answer."""
    return bool(_COUNTED.search(question) or _RATE.search(question))


def _whole_unit(question: str, m: re.Match) -> str | None:
    """The unit of several words "bao nhiêu …" names, read whole ("tổ hòa giải", not "tổ hòa") by the
    rule that reads a figure's unit in the reports."""
    unit = unit_phrase(question, len(question[:m.start(1)].rstrip()))
    return unit if unit in MULTIWORD_UNITS else None


def _unit_records(hits: list[Hit]):
    """(source number, record) of every figure of a unit's report among the hits; a legal text's
    numbers are not a unit's figures."""
    for n, h in enumerate(hits, 1):
        if h.meta.get("unit"):
            for r in dated_records(h):
                yield n, r


def _named_things(hits: list[Hit], counted: str) -> list[_Candidate]:
    """"Có bao nhiêu tổ hòa giải?": the question names nothing but the unit, so the figures counted in
    exactly that unit are the candidates, whatever their clause's other words."""
    return [_Candidate(n, r, r.period, 1.0, 1.0) for n, r in _unit_records(hits)
            if r.unit and fold(r.unit) == fold(counted)]


def _unit_fits(counted: str | None, rate: bool, record: FigureRecord) -> bool:
    """"bao nhiêu lượt" takes "02 lượt" or "47 lượt người"; a rate question takes a percentage."""
    if rate:
        return record.unit == "%"
    if not counted or not record.unit or record.unit == "%":
        return False
    return fold(record.unit).split()[0] == fold(counted).split()[0]


def _candidates(hits: list[Hit], topic: set[str], counted: str | None, rate: bool, *,
                any_unit: bool = False) -> list[_Candidate]:
    """Records whose clause carries the question's words and whose unit is the one counted."""
    if len(topic) < MIN_TOPIC_WORDS:
        return []
    out = []
    for n, r in _unit_records(hits):
        if any_unit:
            if not r.unit or r.unit == "%":
                continue
        elif not _unit_fits(counted, rate, r):
            continue
        label_words = _words(r.label)
        if not label_words & topic:
            continue
        cover = len(topic & (label_words | _words(r.clause))) / len(topic)
        if cover < MIN_COVER:
            continue
        out.append(_Candidate(n, r, r.period, cover, len(label_words & topic) / len(label_words)))
    return out


def figure_answer(question: str, hits: list[Hit], unit: Unit | None = None,
                  searched: list[Hit] | None = None) -> str | None:
    """The answer quoting the figure(s) the question asks for, each with its period and marker; that
    the unit's reports give the thing only for other periods; or that they do not hold it at all
    (no retrieved passage of theirs, `searched`, carries the question's words). None when the
    records do not single a figure out: the model answers then."""
    question = nfc(question)
    counted_m = _COUNTED.search(question)
    rate = bool(_RATE.search(question))
    if not counted_m and not rate:
        return None
    counted = counted_m.group(1) if counted_m and not rate else None
    topic = _topic(question, unit, counted)
    found = _candidates(hits, topic, counted, rate)
    whole = _whole_unit(question, counted_m) if counted and not found else None
    if whole and not _topic(question, unit, whole):  # "có bao nhiêu tổ hòa giải?": the unit is the thing
        found = _named_things(hits, whole)
    wider = topic | (_words(counted) if counted else set())
    if not found and counted:  # "bao nhiêu bản sao trích lục": what is counted, not the unit it is counted in
        found = _candidates(hits, wider, None, rate, any_unit=True)
    if len(wider) < MIN_TOPIC_WORDS:
        return None
    asked = first_period(question)
    if not found:
        return _absent(topic if len(topic) >= MIN_TOPIC_WORDS else wider, unit, searched)
    owners = {hits[c.hit_no - 1].meta.get("unit_key") for c in found}
    if len(owners) > 1:
        return None  # two communes' figures: whose is asked is not for the system to guess
    owner = hits[found[0].hit_no - 1].meta.get("unit") or ""
    if asked:
        in_period = [c for c in found if c.period and period_interval(c.period, report_date_of(hits[c.hit_no - 1]))
                     and period_answers(asked, c.period, report_date_of(hits[c.hit_no - 1]))]
        if not in_period:
            if any(not c.period for c in found):
                return None  # a figure of unknown period may be the one asked
            others = _one_per_period(found)
            if not others:
                return None
            return (f"Không có số liệu của kỳ {_lower_first(asked)} trong báo cáo của {owner} đã nạp. "
                    "Số liệu cùng loại của kỳ khác:\n" + "\n".join(f"- {_line(c, owner)}" for c in others))
        found = in_period
    chosen = _one_per_period(found)
    if not chosen or (asked and len(chosen) > 1):
        return None
    lines = [_line(c, owner) for c in chosen]
    return "\n".join(f"- {ln}" for ln in lines) if len(lines) > 1 else lines[0]


def _one_per_period(found: list[_Candidate]) -> list[_Candidate]:
    """The best figure of each period (the question's words covered most, then the label saying
    least else); [] when two different figures tie for a period, latest period first."""
    by_period: dict[str, list[_Candidate]] = {}
    for c in found:
        by_period.setdefault(fold(c.period or ""), []).append(c)
    out = []
    for group in by_period.values():
        top = max((c.cover, c.purity) for c in group)
        best = [c for c in group if (c.cover, c.purity) == top]
        if len({c.record.value for c in best}) > 1:
            return []
        out.append(best[0])
    return sorted(out, key=lambda c: _start(c.period), reverse=True)[:MAX_LINES]


def _line(c: _Candidate, owner: str) -> str:
    clause = c.record.clause.strip().rstrip(".;,")
    clause = clause[:1].upper() + clause[1:]
    when = f"{c.period}, " if c.period and fold(c.period) not in fold(clause) else ""
    who = f"{owner}: " if owner else ""
    line = f"{when}{who}{clause} [{c.hit_no}]."
    return line[:1].upper() + line[1:]  # "Xã Bình Thành: …" when no period leads


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _absent(topic: set[str], unit: Unit | None, searched: list[Hit] | None) -> str | None:
    """The unit's reports were searched and none of their retrieved passages carries the question's
    words: they do not hold the figure. Anything less certain is left to the model."""
    if unit is None or not searched:
        return None
    own = [h for h in searched if h.meta.get("unit_key") == unit.key]
    if not own:
        return None
    if any(len(topic & _words(h.text)) / len(topic) >= MIN_COVER for h in own):
        return None
    return f"{ABSENT} {unit.name} đã nạp."


def _start(period: str | None) -> date:
    interval = period_interval(period) if period else None
    return interval[0] if interval else date.min
