"""How close a cited trích yếu is to a registry title: IDF-weighted share of shared bigrams."""
from __future__ import annotations

import math
import re
from functools import lru_cache

from . import patterns as P
from .resolve import Registry

_STOP_SYLLABLES = {"cua", "va", "ve", "viec", "cac", "trong", "tai", "theo", "doi", "voi", "nam"}
_LEADING = re.compile(r"^(?:quy dinh (?:chi tiet )?(?:ve )?|ve viec |ve |v/v |ban hanh )")
_PARENTHESISED = re.compile(r"\([^)]*\)")
_FOLDED_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def bigrams(title: str) -> frozenset[str]:
    f = P.fkey(_PARENTHESISED.sub(" ", title))
    f = _LEADING.sub("", f)
    words = _FOLDED_WORD.findall(f)
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:]) if not (a in _STOP_SYLLABLES and b in _STOP_SYLLABLES))


def title_weights(registry: Registry) -> dict[str, float]:
    """IDF of title bigrams over the registry: 'tu phap' says more than 'linh vuc'."""
    cache = getattr(registry, "_title_idf", None)
    entries = [e for e in registry if e.title]
    if cache is not None and cache[0] == len(entries):
        return cache[1]
    df: dict[str, int] = {}
    for e in entries:
        for b in bigrams(e.title):
            df[b] = df.get(b, 0) + 1
    n = len(entries)
    idf = {b: math.log(1 + n / (1 + k)) for b, k in df.items()}
    idf[""] = math.log(1 + n)  # weight of a bigram no registry title has
    registry._title_idf = (len(entries), idf)
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
