"""When should ask say "không tìm thấy" instead of calling the model? The question-level gate, measured.

    python bench/relevance_eval.py                       # temp index of corpus/ + ../shared/data
    python bench/relevance_eval.py --data-dir /tmp/dl    # reuse an index

Labelled questions: bench/data/retrieval_questions.jsonl (52 answerable, each with the document that
answers it) and bench/data/unanswerable_questions.jsonl (35 about things absent from the corpus,
checked with grep when written; 5 typed without accents). For each question the product's retrieval
runs once (k = 6) and the evidence is computed as the product does (answering.evidence):
max dense similarity + w × max lexical coverage. A gate "evidence ≥ T" is applied to accented
questions (unaccented ones always go to the model: dense is not used for them and folded syllables
are ambiguous). Printed per (w, T): unanswerable questions refused, answerable questions answered.
Then a 2-fold check: T chosen on one half (odd/even lines), scored on the other.
The product's setting (answering.COVERAGE_WEIGHT, MIN_EVIDENCE) is marked with *.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus_index import corpus_index  # noqa: E402  (bench/ is on sys.path above; it puts the project there)

from assistant import answering
from assistant.analyser import tokens
from assistant.query import analyse_query
from assistant.retrieval import retrieve

ANSWERABLE = ROOT / "bench" / "data" / "retrieval_questions.jsonl"
UNANSWERABLE = ROOT / "bench" / "data" / "unanswerable_questions.jsonl"
WEIGHTS = (0.0, 0.05, 0.1, 0.2)
THRESHOLDS = tuple(round(0.85 + 0.01 * i, 3) for i in range(14))


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--k", type=int, default=6)
    args = ap.parse_args()

    with corpus_index(args.data_dir, "relevance-") as index:
        answerable, unanswerable = load(ANSWERABLE), load(UNANSWERABLE)
        rows = []  # (is answerable, gated (accented), max dense, max coverage)
        for q in answerable + unanswerable:
            text = q["question"]
            hits = retrieve(text, args.k)
            idf = index.bm25.idf(tokens(text))
            dense = max(((h.meta.get("dense") or 0.0) for h in hits), default=0.0)
            cov = max((answering.coverage(text, h.text, idf) for h in hits if h.meta.get("bm25")), default=0.0)
            assert abs(answering.evidence(text, hits, idf) - (dense + answering.COVERAGE_WEIGHT * cov)) < 1e-9
            rows.append(("doc" in q, not analyse_query(text).unaccented, dense, cov))

        def score(sel, w, t):
            refused = sum(1 for a, g, d, c in sel if not a and g and d + w * c < t)
            answered = sum(1 for a, g, d, c in sel if a and not (g and d + w * c < t))
            return refused, answered

        n_a, n_u = len(answerable), len(unanswerable)
        n_ua = sum(1 for a, g, _, _ in rows if not a and not g)
        print(f"relevance_eval: {n_a} answerable, {n_u} unanswerable questions ({n_ua} unaccented, never gated), "
              f"k={args.k}, {len(index.documents())} documents indexed\n")
        product = (answering.COVERAGE_WEIGHT, answering.MIN_EVIDENCE)
        print(f"{'w':>5} {'T':>6}  {'refused':>9}  {'answered':>9}")
        for w in WEIGHTS:
            for t in THRESHOLDS:
                refused, answered = score(rows, w, t)
                mark = "*" if (w, t) == product else " "
                print(f"{mark}{w:4.2f} {t:6.3f}  {refused:4d}/{n_u:<4d} {answered:4d}/{n_a:<4d}")
        print("\nno gate (before): refused 0/%d, answered %d/%d" % (n_u, n_a, n_a))
        w = answering.COVERAGE_WEIGHT
        for name, fit, test in (("odd→even", rows[0::2], rows[1::2]), ("even→odd", rows[1::2], rows[0::2])):
            # choose T on one half: most right outcomes, ties to the lower T (rather answer than refuse)
            best = max(THRESHOLDS, key=lambda t: (sum(score(fit, w, t)), -t))
            r, a = score(test, w, best)
            print(f"2-fold {name}: T={best:.3f} chosen; held-out refused {r}/{sum(1 for x in test if not x[0])}, "
                  f"answered {a}/{sum(1 for x in test if x[0])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
