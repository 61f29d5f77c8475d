"""Precision and recall of the citation checker on the labelled sets in bench/data/.

Two sets, scored separately so that figures stay honest:
- check_eval/      the 9 documents the engine was tuned on (label 04 gained one expected finding with
                   issue 14, see its "note");
- check_eval_new/  cases of issue 14's classes, written after that code was finished and not tuned on.

Each document NAME.txt has NAME.json: {"report_date": ISO|null, "expected": [{"code", "text", "n"?}]},
where `text` is the (n-th, default 1st) occurrence in the NFC text of the span the finding should cover.
A predicted finding (severity error or warning; `info` findings are advice and not scored) matches an
expected one with the same code whose span it overlaps. Registry: the shipped corpus/registry.json only.

    python bench/check_eval.py [-v] [old|new]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from assistant.citations import check_text, load_registry
from assistant.text import nfc

DATA = Path(__file__).resolve().parent / "data"
SETS = {"old": DATA / "check_eval", "new": DATA / "check_eval_new"}
SCORED = {"error", "warning"}


class _NoLocal:
    local_registry_path = Path("/nonexistent/registry_local.json")


def _span(text: str, needle: str, n: int) -> tuple[int, int]:
    needle = nfc(needle)
    pos = -1
    for _ in range(n):
        pos = text.find(needle, pos + 1)
        if pos == -1:
            raise ValueError(f"label text not found ({n}): {needle!r}")
    return pos, pos + len(needle)


def score(folder: Path, verbose: bool = False) -> dict:
    registry = load_registry(_NoLocal())
    tp, fp, fn = Counter(), Counter(), Counter()
    n_docs = n_cites = n_expected = 0
    for path in sorted(folder.glob("*.txt")):
        labels = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        raw = path.read_text(encoding="utf-8")
        text = nfc(raw)
        rd = labels.get("report_date")
        result = check_text(raw, report_date=date.fromisoformat(rd) if rd else None, registry=registry)
        n_docs += 1
        n_cites += len(result.citations)
        expected = [(e["code"], *_span(text, e["text"], e.get("n", 1))) for e in labels["expected"]]
        n_expected += len(expected)
        predicted = [f for f in result.findings if f.severity in SCORED]
        unmatched = list(expected)
        for f in predicted:
            hit = next((e for e in unmatched if e[0] == f.code and f.start < e[2] and e[1] < f.end), None)
            if hit:
                unmatched.remove(hit)
                tp[f.code] += 1
            else:
                fp[f.code] += 1
                if verbose:
                    print(f"  FP {path.name}: {f.code} {f.severity} {f.text!r} — {f.message}")
        for e in unmatched:
            fn[e[0]] += 1
            if verbose:
                print(f"  FN {path.name}: {e[0]} {text[e[1]:e[2]]!r}")
    codes = sorted(set(tp) | set(fp) | set(fn))
    print(f"{folder.name}: {n_docs} documents, {n_cites} citations found, {n_expected} planted errors (labels)")
    print(f"{'code':22} {'TP':>4} {'FP':>4} {'FN':>4} {'P':>6} {'R':>6}")

    def pr(t, p, n):
        return (t / (t + p) if t + p else 1.0), (t / (t + n) if t + n else 1.0)

    for c in codes:
        p, r = pr(tp[c], fp[c], fn[c])
        print(f"{c:22} {tp[c]:>4} {fp[c]:>4} {fn[c]:>4} {p:6.3f} {r:6.3f}")
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p, r = pr(T, F, N)
    print(f"{'overall':22} {T:>4} {F:>4} {N:>4} {p:6.3f} {r:6.3f}")
    return {"precision": p, "recall": r, "citations": n_cites, "expected": n_expected}


def main(verbose: bool = False, sets: list[str] | None = None) -> dict:
    out = {}
    for name in sets or list(SETS):
        if SETS[name].exists():
            out[name] = score(SETS[name], verbose)
            print()
    return out


if __name__ == "__main__":
    main(verbose="-v" in sys.argv, sets=[a for a in sys.argv[1:] if a in SETS] or None)
