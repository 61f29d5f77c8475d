"""The substance of a report's sections, read by meaning: difficulties, causes (objective and
subjective), lessons, tasks (solutions, directions) and recommendations with whom each is addressed to.

A section is recognised by the words of its heading in their many forms ("Khó khăn, vướng mắc",
"Tồn tại, hạn chế", "Hạn chế, khó khăn", "Những mặt còn hạn chế"), numbered or not, on its own or
under "Đánh giá"; a lead-in line ("Nguyên nhân khách quan:", "- Về chủ quan: …", "Đối với Sở Tư pháp:
…") narrows it. Items are copied from the report: a numbered or bulleted item is one item; a
paragraph of prose gives its clauses, an introduction ("…, rút ra một số bài học kinh nghiệm như
sau:") dropped and a list run on with ";" cut into its items, a clause opened by "tuy nhiên", "dẫn
đến" … staying with the one before. The rules are data (`data/sections.json`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import lexicon
from ..text import fold, sentences
from .outline import BULLET, Block, Heading

RULES = json.loads((Path(__file__).resolve().parent / "data" / "sections.json").read_text(encoding="utf-8"))
SECTION_KINDS: tuple[str, ...] = tuple(RULES["summary_kinds"])
PLAN_KINDS = frozenset(RULES["plan_kinds"])
DONE_KINDS = frozenset(RULES["done_kinds"])
LEAD_WORDS_MAX = RULES["lead_words_max"]
INLINE_LEAD_WORDS_MAX = RULES["inline_lead_words_max"]


def _words_pattern(phrases) -> re.Pattern:
    """Folded phrases as whole words, longest first."""
    alts = sorted({fold(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")


KIND_WORDS = [(kind, _words_pattern(words)) for kind, words in RULES["kinds"].items()]
SIDE_WORDS = [(side, _words_pattern(words)) for side, words in RULES["sides"].items()]
INTRO_END = re.compile(r"(?:" + "|".join(re.escape(fold(w)) for w in RULES["intro_ends"]) + r")\s*$")
JOIN_START = _words_pattern(RULES["join_connectors"])
DROP_START = _words_pattern(RULES["drop_connectors"])
MARKUP = re.compile(r"\*\*|__")
CLAUSE_SEPARATOR = re.compile(r";\s+")
INLINE_LEAD = re.compile(r"^([^:]{2,400}?):\s+(\S.*)$", re.DOTALL)
COMMA_LEAD = re.compile(r"^([^,:;]{2,60}),\s+(\S.*)$", re.DOTALL)  # "Về chủ quan, một số …"
SIDE_LEAD_WORDS_MAX = 4
ORDINAL_OPENER = re.compile(r"^(?:(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi) la|thu (?:nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi))"
                            r"\s*[,:]\s+")  # folded "Một là,", "Thứ hai:"
TRAILING_STOP = re.compile(r"[\s.;,:]+$")
_ADDRESSEE_LEADS = sorted((tuple(fold(w).split()) for w in RULES["addressee_leads"]), key=len, reverse=True)
_REQUEST_WORDS = sorted((tuple(fold(w).split()) for w in RULES["request_words"]), key=len, reverse=True)
_ORG_HEADS = sorted(((tuple(fold(h).replace(",", " ,").split()), h[:1].isupper()) for h in RULES["organisation_heads"]),
                    key=lambda x: len(x[0]), reverse=True)
_PLACE_WORDS = frozenset(fold(w) for w in RULES["place_words"])
ADDRESSEE_OPENING = fold(RULES["addressee_leads"][0]) + " "  # "đối với …, …" names whom without a colon


def heading_kind(title: str) -> str | None:
    """The kind of section a heading or lead-in names: the kind whose word comes first in it
    ("TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN" → difficulties); a results heading stays results even when it
    names tasks ("NHIỆM VỤ ĐƯỢC GIAO VÀ KẾT QUẢ THỰC HIỆN")."""
    folded = fold(title)
    found = {}
    for kind, rx in KIND_WORDS:
        m = rx.search(folded)
        if m:
            found[kind] = m.start()
    if not found:
        return None
    first = min(found, key=found.get)
    if first in PLAN_KINDS and "results" in found:
        return "results"
    return first


def side_of(text: str) -> str | None:
    folded = fold(text)
    hits = [(m.start(), side) for side, rx in SIDE_WORDS for m in [rx.search(folded)] if m]
    return min(hits)[1] if hits else None


# --- addressees ---------------------------------------------------------------------------------------

def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Words as written (",", split off) and their folded forms."""
    words = text.replace(",", " ,").split()
    return words, [fold(w).strip(".;:()") for w in words]


def _org_length(words: list[str], folded: list[str], i: int) -> int:
    """How many words from i make an organisation's name: a head ("Sở", "UBND", "các Bộ, ngành",
    "Thanh tra"), then capitalised words, place words ("tỉnh", "xã"), one lower-case syllable after
    a capitalised one ("Tư pháp", "Nông nghiệp") and "và" between names ("Nông nghiệp và Môi trường")."""
    if i >= len(words) or MARKUP.match(words[i]):
        return 0
    for head, upper in _ORG_HEADS:
        n = len(head)
        if tuple(folded[i:i + n]) == head and words[i][:1].isupper() == upper:
            break
    else:
        return 0
    return n + _name_words(words, folded, i + n)


def _name_words(words: list[str], folded: list[str], j: int) -> int:
    """How many words from j go on a name: capitalised words, place words, one lower-case syllable
    after a capitalised one, "và" between names."""
    i = j
    while j < len(words):
        w, f = words[j], folded[j]
        if not f or f == "," or MARKUP.match(w):
            break
        if w[:1].isupper() or f in _PLACE_WORDS:
            j += 1
        elif f == "va" and j + 1 < len(words) and words[j + 1][:1].isupper():
            j += 1
        elif words[j - 1][:1].isupper() and words[j - 1] not in (",",):
            j += 1
        elif f"{words[j - 1].lower()} {w.lower()}" in lexicon.compounds():
            j += 1  # "… Chính sách xã hội tỉnh": "xã hội" is one word, not the place "xã"
        else:
            break
        if words[j - 1].endswith((".", ";", ":")):
            break
    return j - i


def _join(words: list[str]) -> str:
    return " ".join(words).replace(" ,", ",").strip(" ,:;.")


def addressee_lead(lead: str) -> tuple[str | None, str]:
    """(addressee, the rest) of "Đối với Trung ương", "Kiến nghị với UBND tỉnh", "Đối với Đảng ủy,
    HĐND và UBND xã, …" (names joined by commas, up to the first piece that is not a name); (None,
    lead) when it does not name one."""
    words, folded = _tokens(lead.strip())
    for lw in _ADDRESSEE_LEADS:
        if tuple(folded[:len(lw)]) == lw:
            i = len(lw)
            break
    else:
        return None, lead
    start = i
    while i < len(words):
        n = _org_length(words, folded, i)
        if not n:
            break
        i += n
        if i < len(words) and folded[i] == "," and _org_length(words, folded, i + 1):
            i += 1
            continue
        # "Sở Văn hóa, Thể thao và Du lịch": a name that goes on past its comma
        if i + 1 < len(words) and folded[i] == "," and words[i + 1][:1].isupper():
            n = _name_words(words, folded, i + 1)
            if n and i + 1 + n >= len(words):  # up to the end of the lead: still the name
                i += 1 + n
        break
    if i == start:
        return None, lead
    rest = words[i + 1:] if i < len(words) and folded[i] == "," else words[i:]
    return _join(words[start:i]), _join(rest)


def addressee_in(text: str) -> str | None:
    """Whom an item asks: "Đề nghị Sở Tư pháp tổ chức …" → "Sở Tư pháp"; "Sở Tài chính bố trí …" →
    "Sở Tài chính"; None for "Đề nghị bổ sung 01 biên chế …"."""
    words, folded = _tokens(MARKUP.sub("", text))
    i = 0
    for rw in _REQUEST_WORDS:
        if tuple(folded[:len(rw)]) == rw:
            i = len(rw)
            break
    if i == 0 and (not words or not words[0][:1].isupper()):
        return None  # no request word: only an organisation opening the item names whom
    n = _org_length(words, folded, i)
    return _join(words[i:i + n]) if n else None


# --- state along the outline -----------------------------------------------------------------------

@dataclass(frozen=True)
class State:
    kind: str | None = None
    side: str | None = None       # causes: objective | subjective
    addressee: str | None = None  # recommendations
    group: str | None = None      # tasks: the heading below the plan's own ("Giải pháp")
    heading: str | None = None    # the heading or lead-in the kind was read from


def _narrow(state: State, title: str, *, is_heading: bool) -> State:
    """The state under a heading or lead-in with this title."""
    k = heading_kind(title)
    if k and not (state.kind in DONE_KINDS and k in PLAN_KINDS) and k != state.kind:
        state = State(kind=k, heading=title)
    elif k == state.kind and k == "tasks" and is_heading and state.heading != title:
        state = replace(state, group=title)
    if state.kind == "causes":
        side = side_of(title)
        if side:
            state = replace(state, side=side)
    if state.kind == "recommendations":
        who, _ = addressee_lead(_bare(title))
        if who:
            state = replace(state, addressee=who)
    return state


def _path_state(path: tuple[Heading, ...]) -> State:
    state = State()
    for h in path:
        state = _narrow(state, h.title, is_heading=True)
    return state


def _reads_as_title(text: str) -> bool:
    """A short line of its own, not a list item, with no closing punctuation: a title left unnumbered."""
    t = text.strip()
    return bool(t) and not BULLET.match(t) and len(t.split()) <= LEAD_WORDS_MAX and t[-1] not in ".;:,!?"


def _bare(text: str) -> str:
    """A paragraph without its bullet or number and markup."""
    return BULLET.sub("", text.strip(), count=1).strip()


# --- items -------------------------------------------------------------------------------------------

def _clean(clause: str) -> str:
    clause = MARKUP.sub("", clause).strip()
    m = DROP_START.match(fold(clause))
    if m:
        clause = clause[m.end():].lstrip(" ,")
    return TRAILING_STOP.sub("", clause)


def split_items(text: str) -> list[str]:
    """The items of a paragraph: its sentences cut at ";", a clause opened by a connector ("tuy
    nhiên", "dẫn đến", "nhất là") kept with the one before; "đồng thời", "ngoài ra" dropped."""
    out: list[str] = []
    for sentence in sentences(text):
        for clause in CLAUSE_SEPARATOR.split(sentence):
            clause = clause.strip()
            if not clause:
                continue
            if out and JOIN_START.match(fold(clause)):
                out[-1] = out[-1] + "; " + clause
                continue
            out.append(clause)
    return [c for c in (_clean(c) for c in out) if len(c.split()) >= 3]


def _inline(state: State, text: str) -> tuple[State, str, str | None]:
    """(state, body, lead) of a paragraph that may open with a lead-in: "Về khách quan: …",
    "Đối với Sở Tư pháp: …", "…, rút ra một số bài học như sau: …"."""
    m = INLINE_LEAD.match(text)
    if m:
        lead, body = m.group(1).strip(), m.group(2)
        if len(lead.split()) <= INLINE_LEAD_WORDS_MAX:
            narrowed = _narrow(state, lead, is_heading=False)
            if narrowed != state:
                return narrowed, body, lead
        if INTRO_END.search(fold(lead)):
            return state, body, None
    if state.kind == "recommendations" and fold(text).startswith(ADDRESSEE_OPENING):
        who, rest = addressee_lead(text)
        if who and rest:
            return replace(state, addressee=who), rest, None
    return state, text, None


@dataclass
class Sections:
    items: dict[str, list[dict]] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)  # kind (and causes_objective …) -> heading
    section_kinds: dict[str, str] = field(default_factory=dict)  # section path -> kind ("II > 2" -> "difficulties")


def _note_heading(found: Sections, state: State, title: str) -> None:
    if state.kind in SECTION_KINDS:
        found.headings.setdefault(state.kind, state.heading or title)
        if state.kind == "causes" and state.side and side_of(title):
            found.headings.setdefault(f"causes_{state.side}", title)


def read_sections(blocks: list[Block]) -> Sections:
    """Items per kind, each {"text", "section", "page"} and, by kind, "side", "group", "addressee"."""
    found = Sections(items={k: [] for k in SECTION_KINDS})
    lead_state: State | None = None
    lead_path = None
    for b in blocks:
        if not b.path:
            continue
        if b.kind == "heading":
            state = _path_state(b.path)
            _note_heading(found, state, b.text)
            if state.kind:
                found.section_kinds[b.section] = state.kind
            continue
        if b.path != lead_path:
            lead_state, lead_path = None, b.path
        state = lead_state or _path_state(b.path)
        text = _bare(b.text)
        if b.kind == "text" and _reads_as_title(b.text):
            narrowed = _narrow(state, text, is_heading=False)
            if narrowed.kind != state.kind:  # "Những mặt còn hạn chế" on a line of its own
                lead_state = narrowed
                _note_heading(found, narrowed, b.text)
                continue
        if b.kind == "lead":
            lead = text.rstrip(" :*_")
            if len(lead.split()) <= LEAD_WORDS_MAX:
                narrowed = _narrow(state, lead, is_heading=False)
                if narrowed != state:
                    lead_state = narrowed
                    _note_heading(found, narrowed, b.text)
            continue
        if b.kind != "text" or state.kind not in SECTION_KINDS:
            continue
        for side_state, side_text, side_lead in _side_runs(state, text):
            if side_lead:
                _note_heading(found, side_state, side_lead)
            _add_items(found, side_state, side_text, b)
    return found


def _side_runs(state: State, text: str) -> list[tuple[State, str, str | None]]:
    """A paragraph of causes naming both sides in turn ("Về khách quan, …. Về chủ quan, …") as one
    run of sentences per side, each without its opening words; any other paragraph as it is."""
    if state.kind != "causes":
        return [(state, text, None)]
    runs: list[tuple[State, list[str], str | None]] = []
    for sentence in sentences(text):
        m = COMMA_LEAD.match(sentence.strip())
        side = side_of(m.group(1)) if m and len(m.group(1).split()) <= SIDE_LEAD_WORDS_MAX else None
        if side:
            runs.append((replace(state, side=side), [m.group(2)], m.group(1)))
        elif runs:
            runs[-1][1].append(sentence.strip())
        else:
            runs.append((state, [sentence.strip()], None))
    if not any(lead for _, _, lead in runs):
        return [(state, text, None)]
    return [(st, " ".join(parts), lead) for st, parts, lead in runs]


def _add_items(found: Sections, state: State, text: str, b: Block) -> None:
    state, body, lead = _inline(state, text)
    if lead:
        _note_heading(found, state, lead + ":")
    ordinal = ORDINAL_OPENER.match(fold(body))
    if ordinal:  # "Một là, …; …." is one point however many clauses it has
        clauses = [c for c in (_clean(body[ordinal.end():]),) if len(c.split()) >= 3]
    elif BULLET.match(b.text) and not lead and body == text:
        clauses = [c for c in (_clean(body),) if len(c.split()) >= 3]  # one numbered item is one item
    else:
        clauses = split_items(body)
    who = state.addressee or (addressee_in(clauses[0]) if clauses and state.kind == "recommendations" else None)
    for clause in clauses:
        item = {"text": clause[:1].upper() + clause[1:], "section": b.section, "page": b.page}
        if state.kind == "causes":
            item["side"] = state.side
        elif state.kind == "tasks":
            item["group"] = state.group
        elif state.kind == "recommendations":
            item["addressee"] = who
        found.items[state.kind].append(item)
