"""Questions about one commune's figures when several communes report the same kinds of figures.

    python bench/ask_eval.py                  # every question, the default (1.5B) model
    python bench/ask_eval.py --model small --only u01,u02 --show

Index: corpus/ (reports of Bình Thành, An Hòa, Tân Phong, Phú Lộc, Minh Tân and the legal texts).
Questions: bench/data/ask_units.jsonl (written for this project by someone other than the author of
the unit logic): the question, the unit selected in the app (`unit`, or null when the question
names its commune), the expected figure (value, unit, period) or null when the commune's reports do
not hold it, and the values other communes (`other_units_values`) or other periods
(`other_period_values`) give for the same kind — the wrong answers.

Each answer is one of:
  * right — the expected value with its unit is in the answer (or, when null is expected, the answer
    says it is not found / the commune's reports do not have it);
  * refused — "Không tìm thấy…" where a figure was expected;
  * wrong-flagged — a wrong value (another commune's or period's) that the answer marks (a finding
    over it or "chưa xác minh" after it);
  * wrong-unflagged — a wrong value given as if right (for a figure the commune's reports do not hold:
    any figure counted in the unit the question asks about). Target 0;
  * other — neither the expected nor a listed wrong value (e.g. an unrelated figure, or no figure).
Targets: right ≥ 90 %, wrong-unflagged 0.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus_index import corpus_index, use_packaged_model  # noqa: E402

from assistant.answering import NOT_FOUND, ask  # noqa: E402
from assistant.text import FIGURE, MARKER_RUN, fold, nfc, unit_after  # noqa: E402

QUESTIONS = ROOT / "bench" / "data" / "ask_units.jsonl"
NOT_IN_REPORTS = ("khong tim thay", "khong co so lieu", "khong co thong tin", "chua co so lieu", "khong neu",
                  "khong de cap", "khong ghi")
MARK_WINDOW = 40


def values_in(text: str) -> list[tuple[int, int, str, str | None]]:
    """The figures of an answer; a source marker ("[1]", "[2, 3]") is not one."""
    t = nfc(text)
    markers = [m.span() for m in MARKER_RUN.finditer(t)]
    return [(m.start(1), m.end(1), m.group(1), unit_after(t, m.end(1))) for m in FIGURE.finditer(t)
            if not any(a <= m.start(1) < b for a, b in markers)]


def asked_unit(question: str) -> str | None:
    """The unit word a "bao nhiêu X" question counts in ("lượt", "bản", "trường"), if any."""
    m = re.search(r"bao nhiêu\s+([^\W\d_]+)", nfc(question).lower())
    return m.group(1) if m else None


def same_value(a: str, b: str) -> bool:
    return a.lstrip("0") == b.lstrip("0") or a == b


def flagged(text: str, start: int, end: int, findings: list[dict]) -> bool:
    if "chưa xác minh" in text[end:end + MARK_WINDOW]:
        return True
    return any((f.get("start") or 0) < end and start < (f.get("end") or 0) for f in findings)


def judge(q: dict, answer) -> str:
    text = nfc(answer.text)
    expect = q.get("expect")
    figures = values_in(text)
    unit_word = (expect or {}).get("unit", "").split()[0] if expect and expect.get("unit") else None
    wrong_values = set(q.get("other_units_values") or []) | set(q.get("other_period_values") or [])
    if expect:
        if any(same_value(v, expect["value"]) and (unit_word is None or u in (None, unit_word))
               for _, _, v, u in figures):
            return "right"
    elif text.startswith(NOT_FOUND) or any(p in fold(text) for p in NOT_IN_REPORTS):
        return "right"
    wrong = [(s, e) for s, e, v, _ in figures if any(same_value(v, w) for w in wrong_values)
             and not (expect and same_value(v, expect["value"]))]
    if not expect:
        # the commune's reports do not hold the figure: any figure of the kind asked is an invented answer
        asked = asked_unit(q["question"])
        wrong += [(s, e) for s, e, v, u in figures if u and asked and u == asked and (s, e) not in wrong]
    if wrong:
        return "wrong-flagged" if all(flagged(text, s, e, answer.findings) for s, e in wrong) else "wrong-unflagged"
    if expect and text.startswith(NOT_FOUND):
        return "refused"
    return "other"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="default", help="default (1.5B) | small (0.5B) — ignored with OPENAI_BASE_URL")
    ap.add_argument("--data-dir", help="keep the index here (reused when it exists)")
    ap.add_argument("--only", help="comma-separated question ids")
    ap.add_argument("--show", action="store_true", help="print each answer")
    args = ap.parse_args()
    os.environ.setdefault("ASSISTANT_LOG_LEVEL", "WARNING")
    if not os.environ.get("OPENAI_BASE_URL"):
        use_packaged_model(args.model)
    questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.only:
        wanted = set(args.only.split(","))
        questions = [q for q in questions if q["id"] in wanted]
    verdicts: Counter = Counter()
    by_kind: dict[str, Counter] = {}
    times = []
    with corpus_index(args.data_dir, paths=[ROOT / "corpus"]):
        for q in questions:
            t0 = time.perf_counter()
            answer = ask(q["question"], unit=q.get("unit"))
            times.append(time.perf_counter() - t0)
            v = judge(q, answer)
            verdicts[v] += 1
            by_kind.setdefault(q.get("kind", "?"), Counter())[v] += 1
            print(f"{q['id']} {v:<16} {q['question'][:70]}" + (f"\n    → {answer.text[:300]!r}" if args.show else ""),
                  flush=True)
    n = sum(verdicts.values())
    if not n:
        return 0
    print(f"\n{n} questions: " + ", ".join(f"{k} {verdicts[k]}" for k in
                                        ("right", "refused", "wrong-flagged", "wrong-unflagged", "other")))
    print(f"right {verdicts['right'] / n:.2f} (target ≥ 0.90); wrong-unflagged {verdicts['wrong-unflagged']} (target 0)")
    for kind, c in sorted(by_kind.items()):
        print(f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    print(f"time per question: mean {sum(times) / n:.1f} s, max {max(times):.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
