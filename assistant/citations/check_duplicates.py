"""Phrases doubled by copy-paste ("Nghị định số Nghị định số", "của Căn cứ", "năm năm 2025")."""
from __future__ import annotations

from . import patterns as P
from .findings import Context, Finding


def check_duplicates(ctx: Context) -> list[Finding]:
    out = []
    t, s = ctx.t, ctx.s
    for rx, rule in P.DUPLICATE_RULES:
        for m in P.at_word_starts(rx, s):
            text = t[m.start():m.end()]
            if rule.get("same_words"):
                words = text.lower().split()
                half = len(words) // 2
                if words[:half] != words[half:2 * half]:
                    continue
            if rule.get("case_sensitive_tail"):
                tail = text.split(" ", 1)[1]
                if not tail[:1].isupper():
                    continue
            if "w" in rx.groupindex and m.group("w"):
                first = t[m.start("w"):m.end("w")]
            else:
                first = text.split(" ", 1)[0]
            msg = rule["message"].replace("{text_first}", first).replace("{text}", text)
            suggestion = first if rule.get("fix") == "first" else text.split(" ", 1)[0]
            out.append(ctx.finding("duplicate-phrase", rule["severity"], msg, m.start(), m.end(), suggestion))
    return out
