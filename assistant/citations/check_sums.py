"""A total and its parts ("tổng số 45 trường hợp, trong đó: khai sinh 30 …; khai tử 10 …") must add up."""
from __future__ import annotations

import re

from . import patterns as P
from .findings import Context, Finding

_SENT_END = re.compile(r"\.(?!\d)|\n\s*\n|\n(?=\s*[-+•*]|\s*[A-ZĐ0-9])")
_GAP_PUNCTUATION = re.compile(r"[ ,:;.\n]*(?:co )?")    # "45 trường hợp, trong đó" / "… có trong đó"
_GAP_SHORT_CLAUSE = re.compile(r"[^.;\n]{0,60}")         # "45 trường hợp đăng ký hộ tịch, trong đó"
_GAP_SEPARATORS = re.compile(r"[ ,:.]*")
# A breakdown ends where a new clause starts with a verb ("…; đã giải quyết 2.781 hồ sơ"), or where a
# second "trong đó" opens a breakdown of one of the parts: what follows is another fact, not a part.
_BREAKDOWN_END = re.compile(r"; {0,2}(?:(?:da|dang|con|chua) )?(?:giai quyet|tiep nhan|thu ly|xu ly)(?![a-z])"
                            r"|(?<![a-z])trong do(?![a-z])")


def _int(n: str) -> int:
    return int(n.replace(".", ""))


def check_sums(ctx: Context) -> list[Finding]:
    out = []
    t, s = ctx.t, ctx.s
    for m in P.SUM_TRIGGER_RE.finditer(s):
        lo = max(0, m.start() - 200)
        qtys = list(P.SUM_QTY_RE.finditer(s, lo, m.start()))
        if not qtys:
            continue
        total = qtys[-1]
        gap = s[total.end():m.start()]
        if not _GAP_PUNCTUATION.fullmatch(gap) and not _GAP_SHORT_CLAUSE.fullmatch(gap):
            continue
        before = s[max(0, total.start() - 80):total.start()]
        last_break = max(before.rfind(". "), before.rfind("\n"), before.rfind(";"))
        if "tong" not in before[last_break + 1:] and len(gap.strip(" ,:")) > 0 and not _GAP_SEPARATORS.fullmatch(gap):
            continue
        unit = total.group("u")
        end_m = _SENT_END.search(s, m.end(), min(len(s), m.end() + P.SUM_WINDOW))
        stop = end_m.start() if end_m else min(len(s), m.end() + P.SUM_WINDOW)
        clause_end = _BREAKDOWN_END.search(s, m.end(), stop)
        stop = clause_end.start() if clause_end else stop
        parts = [q for q in P.SUM_QTY_RE.finditer(s, m.end(), stop) if q.group("u") == unit]
        if len(parts) < 2:
            continue
        total_n = _int(total.group("n"))
        vals = [_int(q.group("n")) for q in parts]
        if sum(vals) != total_n:
            expr = " + ".join(str(v) for v in vals)
            unit_text = t[total.start("u"):total.end("u")]
            out.append(ctx.finding("sum-mismatch", "warning",
                                   f"Tổng số {total.group('n')} {unit_text} không khớp với các số liệu thành phần: "
                                   f"{expr} = {sum(vals)}.", total.start(), parts[-1].end(),
                                   suggestion=f"Kiểm tra lại: tổng các thành phần là {sum(vals)} {unit_text}."))
    return out
