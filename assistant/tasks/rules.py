"""The register's rules, read once from ./data/*.json and compiled once.

Two forms of a text are matched, both keeping every character in place, so a match is the same
span in the original:
- folded (`fold_keep_offsets`: lower case, no diacritics, đ -> d) for the long phrases — actors and
  task verbs — so "Uỷ ban" and "Ủy ban", "UBND" and "ubnd" match alike;
- lowered (`lower_keep_offsets`: lower case, diacritics kept, old tone placement "uỷ", "hoà" made
  "ủy", "hòa") for the short words that decide a role — "của", "từ", "tại", "và", "không", "nơi" —
  which folding would confuse with others ("từ" and "Tư pháp", "mà" and "ma túy", "số" and "Sở").
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import UsageError
from assistant.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
# An upper-case escape (\S, \D, \W, \B) would change meaning when the pattern is folded to lower case.
UPPER_ESCAPE = re.compile(r"\\[A-Z]")
# Old-style tone placement -> the placement NFC text from Word mostly has (same length, so offsets hold).
OLD_TONE_PLACEMENT = (("uỷ", "ủy"), ("uý", "úy"), ("uỳ", "ùy"), ("uỹ", "ũy"), ("uỵ", "ụy"), ("oà", "òa"),
                      ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"), ("oè", "òe"), ("oé", "óe"),
                      ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"))

_fold_chars: dict[int, str] = {}
_folded_already: set[str] = set()


def fold_keep_offsets(text: str) -> str:
    """`assistant.text.fold`, one character for one character (offsets stay valid)."""
    for c in set(text).difference(_folded_already):
        f = fold(c)
        _fold_chars[ord(c)] = f if len(f) == 1 else c
        _folded_already.add(c)
    return text.translate(_fold_chars)


def lower_keep_offsets(text: str) -> str:
    """Lower case with diacritics and the new tone placement, one character for one character."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer ("İ"): keep it as it is
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for old, new in OLD_TONE_PLACEMENT:
        if old in low:
            low = low.replace(old, new)
    return low


def _load(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _folded_pattern(pattern: str, where: str) -> str:
    if UPPER_ESCAPE.search(pattern):
        raise ValueError(f"{where}: upper-case regex escape in {pattern!r} (patterns are folded to lower case)")
    return fold(pattern)


def _lowered_pattern(pattern: str, where: str) -> str:
    if UPPER_ESCAPE.search(pattern):
        raise ValueError(f"{where}: upper-case regex escape in {pattern!r} (patterns are lowered)")
    return lower_keep_offsets(pattern)


def _alternation(patterns: list[str], where: str) -> str:
    """For the folded text."""
    return "|".join(f"(?:{_folded_pattern(p, where)})" for p in patterns)


def _lowered(patterns: list[str], where: str) -> str:
    """For the lowered text."""
    return "|".join(f"(?:{_lowered_pattern(p, where)})" for p in patterns)


def _ending(patterns: list[str], where: str) -> re.Pattern:
    """Matches when the (lowered) text ends with one of the phrases (and the spaces after it)."""
    return re.compile(r"(?<!\w)(?:" + _lowered(patterns, where) + r")\s*$")


@dataclass(frozen=True)
class Rules:
    """Compiled rules. `actor`, `verb`, `verb_at_start`, the titles' and lead-ins' patterns match the folded
    text; the `*_before`, list, negation, condition and transfer patterns match the lowered text."""

    level: str
    label: str
    actor: re.Pattern               # a commune actor, as written
    indirect_before: re.Pattern     # "thuộc thẩm quyền của", "chuyển giao cho" … right before an actor
    designation_before: re.Pattern  # "bao gồm:", "là" … right before an actor
    blocked_before: re.Pattern      # "của", "tại", "với" … : the actor is not the one acting
    list_trigger: re.Pattern        # any of the three above, anywhere (for an actor further down a list)
    list_separator: re.Pattern      # ", ", "và", "hoặc" right before an actor
    list_split: re.Pattern          # the same separators, to cut a list into its items
    list_item: re.Pattern           # a list item that names a body or person ("Ủy ban nhân dân cấp huyện")
    definition_before: re.Pattern   # "… là việc …": a definition, not a task
    designating_title: re.Pattern   # "Người thực hiện …", "Thẩm quyền …"
    not_predicate_before: re.Pattern  # "nơi", "ban": a verb right after them names a place or a body
    negation_reach: int
    title_owner_before: re.Pattern  # "Nhiệm vụ, quyền hạn của" in an article title
    verb: re.Pattern                # a task verb
    verb_at_start: re.Pattern       # a clause that opens with its verb (its actor said above it)
    condition: re.Pattern           # "trường hợp", "nếu", "khi" (on the text itself, not folded)
    condition_end: re.Pattern       # "thì" or a comma closes the condition (idem)
    negation: re.Pattern
    negative_title: re.Pattern
    transfer: re.Pattern
    point_list_cue: re.Pattern
    window_before: int
    window_after: int


@lru_cache(maxsize=None)
def rules_for(level: str = "xa") -> Rules:
    """Compiled rules for a level ("xa"); a UsageError in Vietnamese for a level with no rules."""
    actors = _load("actors.json")["levels"]
    if level not in actors:
        known = ", ".join(sorted(actors))
        raise UsageError(f"Không có quy tắc cho cấp '{level}'. Các cấp có quy tắc: {known}.",
                         "Dùng --level xa (cấp xã).")
    lv = actors[level]
    unit = lv["unit"]
    patterns = [a.replace("{unit}", unit).replace("{formal_unit}", lv.get("formal_unit", unit)) for a in lv["actors"]]
    actor = _alternation(patterns, "actors.json")
    roles = _load("roles.json")
    neg = _load("negatives.json")
    verbs = _alternation(roles["task_verbs"], "roles.json")
    openers = _alternation(roles["task_verbs"] + roles["opening_verbs"], "roles.json")
    fillers = _lowered(neg["blocked_fillers"], "negatives.json")
    separators = _lowered(neg["list_separators"], "negatives.json")
    triggers = [*roles["indirect_before"], *roles["designation_before"], *neg["blocked_before"]]
    return Rules(
        level=level,
        label=lv["label"],
        actor=re.compile(r"(?<!\w)(?:" + actor + r")(?!\w)"),
        indirect_before=_ending(roles["indirect_before"], "roles.json"),
        designation_before=_ending(roles["designation_before"], "roles.json"),
        blocked_before=re.compile(r"(?<!\w)(?:" + _lowered(neg["blocked_before"], "negatives.json") + r")"
                                  r"(?: (?:" + fillers + r"))?\s*$"),
        list_trigger=re.compile(r"(?<!\w)(?:" + _lowered(triggers, "roles.json, negatives.json") + r")(?!\w)"),
        list_separator=re.compile(r"(?:,|(?<!\w)(?:" + separators + r"))\s*$"),
        list_split=re.compile(r",|(?<!\w)(?:" + separators + r")(?!\w)"),
        list_item=re.compile(r"(?<!\w)(?:" + _lowered(neg["list_items"], "negatives.json") + r")(?!\w)"),
        definition_before=re.compile(r"(?<!\w)" + _lowered_pattern(neg["definition_before"], "negatives.json")
                                     + r"(?!\w)"),
        designating_title=re.compile(r"(?<!\w)(?:" + _alternation(roles["designating_titles"], "roles.json")
                                     + r")(?!\w)"),
        not_predicate_before=re.compile(r"(?<!\w)(?:" + _lowered(roles["relative_before_verb"], "roles.json")
                                        + r")\s*$"),
        negation_reach=int(roles["negation_reach"]),
        title_owner_before=re.compile(_folded_pattern(roles["title_owner_before"], "roles.json") + r"\s*$"),
        verb=re.compile(r"(?<!\w)(?:" + verbs + r")(?!\w)"),
        verb_at_start=re.compile(r"\s*(?:" + openers + r")(?!\w)"),
        condition=re.compile(r"(?<!\w)(?:" + _lowered(roles["conditions"], "roles.json") + r")(?!\w)"),
        condition_end=re.compile(r"(?<!\w)thì(?!\w)|,"),
        negation=re.compile(r"(?<!\w)" + _lowered_pattern(neg["negation_after"], "negatives.json") + r"(?!\w)"),
        negative_title=re.compile(r"(?<!\w)(?:" + _alternation(neg["article_titles"], "negatives.json") + r")(?!\w)"),
        transfer=re.compile(_lowered(_load("transfer.json")["patterns"], "transfer.json")),
        point_list_cue=re.compile(r"(?<!\w)(?:" + _alternation(neg["point_list_cue"], "negatives.json") + r")(?!\w)"),
        window_before=int(roles["window_before"]),
        window_after=int(roles["window_after"]),
    )


@lru_cache(maxsize=None)
def field_rules() -> dict:
    """fields.json with its phrases folded for comparison."""
    d = _load("fields.json")
    return {
        "marker": fold(d["field_marker"]),
        "title_markers": [fold(m) for m in d["title_markers"]],
        "generic": {fold(g) for g in d["generic_headings"]},
        "legal_kinds": {fold(k) for k in d["legal_kinds"]},
        "result_stop_bigrams": {fold(b) for b in d["result_stop_bigrams"]},
    }
