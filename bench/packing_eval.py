"""Does the prompt still hold the answer? Packing (assistant/packing.py) against plain truncation.

    python bench/packing_eval.py                       # temp index of corpus/ + ../shared/data
    python bench/packing_eval.py --data-dir /tmp/dl    # reuse an index

bench/data/packing_questions.jsonl: 20 questions written for this project, each with the exact
words of its answer (a figure with its unit, a phrase), found once in the corpus (checked with grep).
For each question the product's retrieval runs (k = 5, the ask default, and the relevance filter);
then, for each prompt budget (characters of source text, labels and fences included):
  retrieved   the answer is in the retrieved chunks at all (the ceiling);
  truncated   the answer is in the sources as they would be without packing: whole chunks in rank
              order, the text cut at the budget;
  packed      the answer is in the packed sources (`answering.prompt_hits` at that budget).
No model is called.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus_index import corpus_index  # noqa: E402  (bench/ is on sys.path above; it puts the project there)

from assistant.analyser import tokens
from assistant.answering import relevant
from assistant.config import get_settings
from assistant.packing import format_sources, pack
from assistant.retrieval import retrieve

QUESTIONS = ROOT / "bench" / "data" / "packing_questions.jsonl"
BUDGETS = (1000, 1400, 2000, 3000)


def squash(s: str) -> str:
    return " ".join(s.split()).lower()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--show", action="store_true", help="print the questions whose answer packing lost")
    args = ap.parse_args()

    with corpus_index(args.data_dir, "packing-") as index:
        questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]

        counts = {b: {"truncated": 0, "packed": 0} for b in BUDGETS}
        retrieved, lost = 0, []
        for q in questions:
            hits = relevant(retrieve(q["question"], args.k))
            answer = squash(q["answer"])
            if not any(answer in squash(h.text) for h in hits):
                continue
            retrieved += 1
            idf = index.bm25.idf(tokens(q["question"]))
            whole = format_sources(hits)
            for b in BUDGETS:
                counts[b]["truncated"] += answer in squash(whole[:b])
                packed = format_sources(pack(hits, q["question"], b, idf))
                got = answer in squash(packed)
                counts[b]["packed"] += got
                if not got and b == get_settings().prompt_source_chars:
                    lost.append(q)

        n = len(questions)
        print(f"packing_eval: {n} questions, k={args.k}, {len(index.documents())} documents indexed; "
              f"answer retrieved at all: {retrieved}/{n}\n")
        print(f"{'budget (chars)':>15}  {'truncated':>10}  {'packed':>8}")
        for b in BUDGETS:
            mark = "*" if b == get_settings().prompt_source_chars else " "
            print(f"{mark}{b:14d}  {counts[b]['truncated']:5d}/{n:<4d} {counts[b]['packed']:3d}/{n:<4d}")
        print("\n* the embedded model's default (ASSISTANT_SOURCE_CHARS)")
        if args.show:
            for q in lost:
                print(f"lost at the default budget: {q['id']} {q['question']} → {q['answer']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
