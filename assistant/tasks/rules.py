"""The register's rules, read once from ./data/*.json and compiled for matching on folded text.

Patterns are written in Vietnamese in the data files and folded here (lower case, no diacritics,
đ -> d), so "Uỷ ban" and "Ủy ban", "UBND" and "ubnd" match alike. Folding keeps every character in
place (`fold_keep_offsets`), so a match in the folded text is the same span in the original.
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

_fold_chars: dict[int, str] = {}


def fold_keep_offsets(text: str) -> str:
    """`assistant.text.fold`, one character for one character (offsets stay valid)."""
    missing = {c for c in set(text) if ord(c) not in _fold_chars}
    for c in missing:
        f = fold(c)
        _fold_chars[ord(c)] = f if len(f) == 1 else c
    return text.translate(_fold_chars)


def _load(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _folded_pattern(pattern: str, where: str) -> str:
    if UPPER_ESCAPE.search(pattern):
        raise ValueError(f"{where}: upper-case regex escape in {pattern!r} (patterns are folded to lower case)")
    return fold(pattern)


def _alternation(patterns: list[str], where: str) -> str:
    return "|".join(f"(?:{_folded_pattern(p, where)})" for p in patterns)


def _ending(patterns: list[str], where: str) -> re.Pattern:
    """Matches when the text ends with one of the phrases (and the spaces after it)."""
    return re.compile(r"(?<!\w)(?:" + _alternation(patterns, where) + r")\s*$")


@dataclass(frozen=True)
class Rules:
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
    fillers = _alternation(neg["blocked_fillers"], "negatives.json")
    separators = _alternation(neg["list_separators"], "negatives.json")
    triggers = [*roles["indirect_before"], *roles["designation_before"], *neg["blocked_before"]]
    return Rules(
        level=level,
        label=lv["label"],
        actor=re.compile(r"(?<!\w)(?:" + actor + r")(?!\w)"),
        indirect_before=_ending(roles["indirect_before"], "roles.json"),
        designation_before=_ending(roles["designation_before"], "roles.json"),
        blocked_before=re.compile(r"(?<!\w)(?:" + _alternation(neg["blocked_before"], "negatives.json") + r")"
                                  r"(?: (?:" + fillers + r"))?\s*$"),
        list_trigger=re.compile(r"(?<!\w)(?:" + _alternation(triggers, "roles.json, negatives.json") + r")(?!\w)"),
        list_separator=re.compile(r"(?:,|(?<!\w)(?:" + separators + r"))\s*$"),
        list_split=re.compile(r",|(?<!\w)(?:" + separators + r")(?!\w)"),
        list_item=re.compile(r"(?<!\w)(?:" + _alternation(neg["list_items"], "negatives.json") + r")(?!\w)"),
        definition_before=re.compile(r"(?<!\w)" + _folded_pattern(neg["definition_before"], "negatives.json") + r"(?!\w)"),
        designating_title=re.compile(r"(?<!\w)(?:" + _alternation(roles["designating_titles"], "roles.json") + r")(?!\w)"),
        not_predicate_before=re.compile(r"(?<!\w)(?:" + _alternation(roles["relative_before_verb"], "roles.json")
                                        + r")\s*$"),
        negation_reach=int(roles["negation_reach"]),
        title_owner_before=re.compile(_folded_pattern(roles["title_owner_before"], "roles.json") + r"\s*$"),
        verb=re.compile(r"(?<!\w)(?:" + verbs + r")(?!\w)"),
        verb_at_start=re.compile(r"\s*(?:" + openers + r")(?!\w)"),
        condition=re.compile(r"(?<!\w)(?:" + "|".join(roles["conditions"]) + r")(?!\w)", re.IGNORECASE),
        condition_end=re.compile(r"(?<!\w)thì(?!\w)|,", re.IGNORECASE),
        negation=re.compile(r"(?<!\w)" + fold(neg["negation_after"]) + r"(?!\w)"),
        negative_title=re.compile(r"(?<!\w)(?:" + _alternation(neg["article_titles"], "negatives.json") + r")(?!\w)"),
        transfer=re.compile(_alternation(_load("transfer.json")["patterns"], "transfer.json")),
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
