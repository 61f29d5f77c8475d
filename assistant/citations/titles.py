"""Is a cited trích yếu the cited document's own? Title identity first, likeness second.

Identity: the words that tell sibling documents apart (field, ministry, "phân định thẩm quyền" vs
"phân quyền, phân cấp"; see fields.py) must not contradict the cited number's own title, and a
title that is exactly another registry document's — or that document's in every distinguishing
word and closer to it than to the own one — is that document's. Likeness (the older rule): the
IDF-weighted share of the cited title's bigrams found in each registry title.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import patterns as P
from .fields import domain_of, fields_in, folded, mentions, modes_in
from .resolve import Registry, RegistryEntry

_STOP_SYLLABLES = {"cua", "va", "ve", "viec", "cac", "trong", "tai", "theo", "doi", "voi", "nam"}
_LEADING = re.compile(r"^(?:quy dinh (?:chi tiet )?(?:ve )?|ve viec |ve |v/v |ban hanh )")
_PARENTHESISED = re.compile(r"\([^)]*\)")
_FOLDED_WORD = re.compile(r"[a-z0-9]+")

OTHER_MIN = 0.6        # likeness to another title that makes the cited one that title's …
OTHER_MARGIN = 0.25    # … when it beats the own title by this much
UNLIKE_MAX = 0.35      # below this likeness to the own title (and ≥ 3 bigrams), the title is not its own
RESIDUAL_MIN = 0.5     # share of the non-distinguishing bigrams a sibling's title must hold
_VERDICTS_KEPT = 20000
SAME_TITLE_MIN = 0.5   # two cited titles of one number name one document if one holds this share of the other


@lru_cache(maxsize=4096)
def bigrams(title: str) -> frozenset[str]:
    f = P.fkey(_PARENTHESISED.sub(" ", title))
    f = _LEADING.sub("", f)
    return _pairs(_FOLDED_WORD.findall(f))


def _pairs(words: list[str]) -> frozenset[str]:
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:]) if not (a in _STOP_SYLLABLES and b in _STOP_SYLLABLES))


@lru_cache(maxsize=4096)
def _residual(title: str) -> frozenset[str]:
    """Bigrams of the title with its distinguishing words cut out (no bigram crosses a cut)."""
    f = folded(_PARENTHESISED.sub(" ", title))
    out: set[str] = set()
    pos = 0
    for m in mentions(_PARENTHESISED.sub(" ", title)):
        out |= _pairs(_FOLDED_WORD.findall(_LEADING.sub("", f[pos:m.start]) if pos == 0 else f[pos:m.start]))
        pos = m.end
    out |= _pairs(_FOLDED_WORD.findall(_LEADING.sub("", f[pos:]) if pos == 0 else f[pos:]))
    return frozenset(out)


@lru_cache(maxsize=4096)
def _identity(title: str) -> str:
    """The words of a title, folded, without the opening ('Quy định về', 'Về việc') and punctuation."""
    f = P.fkey(_PARENTHESISED.sub(" ", title))
    return " ".join(_FOLDED_WORD.findall(_LEADING.sub("", f)))


def title_weights(registry: Registry) -> dict[str, float]:
    """IDF of title bigrams over the registry: 'tu phap' says more than 'linh vuc'."""
    idf = registry.memo.get("title_idf")
    if idf is not None:
        return idf
    entries = [e for e in registry if e.title]
    df: dict[str, int] = {}
    for e in entries:
        for b in bigrams(e.title):
            df[b] = df.get(b, 0) + 1
    n = len(entries)
    idf = {b: math.log(1 + n / (1 + k)) for b, k in df.items()}
    idf[""] = math.log(1 + n)  # weight of a bigram no registry title has
    registry.memo["title_idf"] = idf
    return idf


def title_score(cited: str, reference: str, idf: dict[str, float] | None = None) -> float:
    """Weighted share of the cited title's bigrams found in the reference title (accent-folded)."""
    a, b = bigrams(cited), bigrams(reference)
    if not a:
        return 1.0
    if idf is None:
        return len(a & b) / len(a)
    default = idf.get("", 1.0)
    total = sum(idf.get(x, default) for x in a)
    return sum(idf.get(x, default) for x in a & b) / total


@dataclass(frozen=True)
class Signature:
    modes: frozenset[str]
    domains: frozenset[str]
    fields: tuple[str, ...] = field(default=(), compare=False)  # as named, for messages

    def __bool__(self) -> bool:
        return bool(self.modes or self.domains)


@lru_cache(maxsize=4096)
def signature(title: str) -> Signature:
    fields = tuple(fields_in(title))
    return Signature(modes_in(title), frozenset(domain_of(f) for f in fields), fields)


def _conflicts(a: Signature, b: Signature) -> tuple[str, ...]:
    """The dimensions both titles name and on which they share nothing."""
    out = []
    if a.modes and b.modes and not a.modes & b.modes:
        out.append("modes")
    if a.domains and b.domains and not a.domains & b.domains:
        out.append("domains")
    return tuple(out)


@dataclass(frozen=True)
class TitleVerdict:
    kind: str                           # own | other | conflict | unlike
    other: RegistryEntry | None = None  # the document whose title it is (kind "other")
    cited: Signature | None = None      # distinguishing words of the cited title (kind "conflict")
    own: Signature | None = None        # … and of the own title


OWN = TitleVerdict("own")


def judge_title(cited: str, entry: RegistryEntry, registry: Registry) -> TitleVerdict:
    """Whose title is `cited`, given as the trích yếu of `entry`? Cached per registry."""
    memo = registry.memo.setdefault("title_verdicts", {})
    key = (_identity(cited), entry.number, entry.title)
    verdict = memo.get(key)
    if verdict is None:
        if len(memo) >= _VERDICTS_KEPT:
            memo.clear()  # a long-running app checks many texts: keep the memo bounded
        verdict = memo[key] = _judge(cited, entry, registry)
    return verdict


def _judge(cited: str, entry: RegistryEntry, registry: Registry) -> TitleVerdict:
    own_title = entry.title or ""
    others = [e for e in registry if e.title and e.number != entry.number]
    sig_c, sig_e = signature(cited), signature(own_title)
    if _conflicts(sig_c, sig_e):
        sibling = _sibling(cited, sig_c, others)
        return TitleVerdict("other", sibling) if sibling else TitleVerdict("conflict", None, sig_c, sig_e)
    ident = _identity(cited)
    if ident and ident != _identity(own_title):
        same = [e for e in others if _identity(e.title) == ident]
        if same:
            return TitleVerdict("other", same[0])
        if sig_c and sig_c != sig_e:
            sibling = _sibling(cited, sig_c, others, exact=True)
            if sibling and _residual_share(cited, sibling.title) > _residual_share(cited, own_title):
                return TitleVerdict("other", sibling)
    # Likeness: the bigram rule.
    idf = title_weights(registry)
    own = title_score(cited, own_title, idf)
    best, best_score = None, 0.0
    for other in others:
        sc = title_score(cited, other.title, idf)
        if sc > best_score:
            best, best_score = other, sc
    if best is not None and best_score >= OTHER_MIN and best_score >= own + OTHER_MARGIN \
            and not _conflicts(sig_c, signature(best.title)):
        return TitleVerdict("other", best)
    if own < UNLIKE_MAX and len(bigrams(cited)) >= 3:
        return TitleVerdict("unlike")
    return OWN


def _residual_share(cited: str, reference: str) -> float:
    a = _residual(cited)
    if not a:
        return 1.0
    return len(a & _residual(reference)) / len(a)


def _sibling(cited: str, sig: Signature, others: list[RegistryEntry], exact: bool = False) -> RegistryEntry | None:
    """The registry document the cited title names in every distinguishing word, when there is one."""
    ranked = []
    for e in others:
        s = signature(e.title)
        if _conflicts(sig, s) or not sig.modes <= s.modes or not sig.domains <= s.domains:
            continue
        equal = (s.modes == sig.modes) + (s.domains == sig.domains)
        if exact and equal < 2:
            continue
        share = _residual_share(cited, e.title)
        if share < RESIDUAL_MIN:
            continue
        ranked.append(((equal, round(share, 6)), e))
    if not ranked:
        return None
    ranked.sort(key=lambda x: x[0], reverse=True)
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None  # two documents fit as well: name neither
    return ranked[0][1]


def different_titles(a: str, b: str) -> bool:
    """Two trích yếu that cannot name the same document: their distinguishing words contradict, or
    neither holds half of the other's bigrams ('kiện toàn Tổ hòa giải' vs 'thành lập Ban chỉ đạo')."""
    if _conflicts(signature(a), signature(b)):
        return True
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return False
    shared = len(x & y)
    return shared / len(x) < SAME_TITLE_MIN and shared / len(y) < SAME_TITLE_MIN
