"""Section drafting, scored as a clerk would read the draft (issue "Section drafts a commune office can send").

    python bench/draft_eval.py                    # every request, the default (1.5B) model
    python bench/draft_eval.py --model small --only s01,s06 --show
    python bench/draft_eval.py --data-dir /tmp/draft-eval   # keep and reuse the index

Index: corpus/ (the sample reports of five communes and the legal texts). Requests and what a good
draft must carry: bench/data/section_requests.jsonl (written for this project; "written" says which
were seen while the drafting code was built). For each draft:
  * words: words of the text (markers and "[cần bổ sung: …]" placeholders not counted) / words asked;
    within ±30 % counts as met.
  * parts: each field the request names appears as a part (a part whose heading or opening names it).
  * decree: each such part cites its governing decree (the number in the part, and the product's
    checker gives that citation status `verified` with no finding on it).
  * facts: share of the listed facts present (any of a fact's alternatives, accents and case folded).
  * citations: citations the product's checker finds in the draft; "ok" = status verified and no
    finding on it.
  * figures: figures (number + unit) in a stretch closed by markers [n]; "held" = the figure is in the
    text of one of those markers' own sources (this bench's own check, not the product's).
  * other-unit: figures that occur in another commune's report in the index and not in any of this
    draft's sources.
  * unflagged: a citation not ok, a figure not held by its markers, or an other-unit figure, with no
    finding over it and no "chưa xác minh" after it. Target 0.
  * leaks: prompt scaffolding in the text ("<<<", "{{VB", "NGUỒN", "Dữ kiện:", "Đã viết:").
  * first: seconds from the start until text first shows, and the same after the first part's
    retrieval (the target's measure); total: seconds for the whole draft.
Prints a table and the totals; nothing passes or fails.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus_index import corpus_index, use_packaged_model  # noqa: E402

from assistant import llm  # noqa: E402
from assistant.citations import check_text  # noqa: E402
from assistant.drafting import draft_chain  # noqa: E402
from assistant.index import registry_with_corpus  # noqa: E402
from assistant.text import FIGURE, GAP_RUN, MARKER, fold, nfc, unit_after  # noqa: E402
from assistant.units import record_unit, same_unit, unit_in  # noqa: E402

REQUESTS = ROOT / "bench" / "data" / "section_requests.jsonl"
LEAKS = ("<<<", "{{VB", "NGUỒN", "Dữ kiện:", "Đã viết:")
PLACEHOLDER = GAP_RUN
MARKED = re.compile(r"(?:\s*\[\d{1,3}\])+")
MARK_WINDOW = 40


def words(text: str) -> int:
    return len(MARKER.sub("", PLACEHOLDER.sub("", text)).split())


def flagged(text: str, start: int, end: int, findings: list[dict]) -> bool:
    if "chưa xác minh" in text[end:end + MARK_WINDOW]:
        return True
    return any((f.get("start") or 0) < end and start < (f.get("end") or 0) for f in findings)


def figures_in(text: str) -> list[tuple[int, int, str, str | None]]:
    out = []
    for m in FIGURE.finditer(text):
        before = text[max(0, m.start() - 12):m.start()].lower()
        if re.search(r"(?:năm|ngày|tháng|quý|điều|khoản|mục|số)\s*$", before):
            continue
        unit = unit_after(text, m.end(1))
        if unit is None:
            continue
        out.append((m.start(1), m.end(1), m.group(1), unit))
    return out


def held(value: str, unit: str | None, source_text: str) -> bool:
    t = nfc(source_text)
    for m in FIGURE.finditer(t):
        if m.group(1) == value:
            u = unit_after(t, m.end(1))
            if unit is None or u is None or u == unit:
                return True
    return False


def other_units_text(index, unit) -> str:
    """All text of other communes' reports in the index (where an other-unit figure would come from)."""
    parts = []
    for rec in index.documents():
        u = record_unit(rec)
        if u is None or same_unit(u, unit):
            continue
        ids = [f"{rec.doc_id}:{i:05d}" for i in range(rec.chunks)]
        parts += [t for t, _ in index.get_chunks(ids).values()]
    return "\n".join(parts)


def score(req: dict, answer, first: float, total: float, index, registry) -> dict:
    text = nfc(answer.text)
    folded = fold(text)
    hits = answer.hits
    row = {"id": req["id"], "words": words(text), "asked": req["words"], "first": first, "total": total}
    row["len_ok"] = abs(row["words"] - req["words"]) <= 0.3 * req["words"]
    parts = answer.parts or []
    row["parts_want"] = len(req["parts"])
    row["parts_ok"] = sum(1 for name in req["parts"] if any(
        fold(name) in fold(p["heading"]) or fold(name) in fold(p["text"][:120]) for p in parts))
    result = check_text(text, registry=registry)
    cites = [c for c in result.citations if c.number]

    def cite_ok(c) -> bool:
        return c.status in ("verified", "local") and not any(
            f.start < c.end and c.start < f.end and f.severity != "info" for f in result.findings)

    row["decree_want"] = sum(len(v) for v in req["decrees"].values())
    ok_numbers = {c.number for c in cites if cite_ok(c)}
    row["decree_ok"] = sum(1 for v in req["decrees"].values() for n in v if n in ok_numbers)
    row["facts_want"] = len(req["facts"])
    row["facts_ok"] = sum(1 for alts in req["facts"] if any(fold(a) in folded for a in alts))
    row["cites"] = len(cites)
    row["cites_ok"] = sum(1 for c in cites if cite_ok(c))
    unflagged = [c.text for c in cites if not cite_ok(c) and not flagged(text, c.start, c.end, answer.findings)]
    # figures in marked stretches, each checked against its own markers' sources
    fig_total = fig_held = other = 0
    others = other_units_text(index, unit_in(req["unit"]))
    start = 0
    for m in MARKED.finditer(text):
        markers = [int(x) for x in MARKER.findall(m.group(0))]
        line_start = text.rfind("\n", 0, m.start()) + 1
        stretch_start = max(start, line_start)
        for s, e, value, unit in figures_in(text[stretch_start:m.start()]):
            s, e = s + stretch_start, e + stretch_start
            fig_total += 1
            own = [hits[n - 1].text for n in markers if 1 <= n <= len(hits)]
            if any(held(value, unit, t) for t in own):
                fig_held += 1
                continue
            anywhere = any(held(value, unit, h.text) for h in hits)
            if not anywhere and held(value, unit, others):
                other += 1
            if not flagged(text, s, e, answer.findings):
                unflagged.append(f"{value} {unit}")
        start = m.end()
    row["garbled"] = sum(len(p.get("garbled", [])) for p in parts)  # replies cut or rejected (then rewritten)
    row.update(figs=fig_total, figs_held=fig_held, other_unit=other, unflagged=len(unflagged),
               unflagged_items=unflagged, leaks=sum(text.count(x) for x in LEAKS),
               placeholders=len(PLACEHOLDER.findall(text)))
    return row


def run(req: dict) -> tuple[object, float, float, float]:
    """The draft, and seconds from the start to: the first part's sources gathered (the first "token"
    event comes right after its retrieval), the first text beyond the heading line, the end."""
    t0 = time.perf_counter()
    first, retrieved, answer = None, None, None
    for event in draft_chain().stream({"request": req["request"], "unit": req["unit"],
                                       "report_date": req.get("report_date")}):
        answer = event.answer
        if retrieved is None and event.kind == "token":
            retrieved = time.perf_counter() - t0
        body = answer.text.split("\n", 1)[1] if "\n" in answer.text else ""
        if first is None and event.kind == "token" and body.strip():  # text beyond the heading line
            first = time.perf_counter() - t0
    total = time.perf_counter() - t0
    first = first if first is not None else total
    return answer, first, min(first, retrieved if retrieved is not None else first), total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="default", help="default (1.5B) | small (0.5B) — ignored with OPENAI_BASE_URL")
    ap.add_argument("--data-dir", help="keep the index here (reused when it exists)")
    ap.add_argument("--only", help="comma-separated request ids")
    ap.add_argument("--show", action="store_true", help="print each draft")
    args = ap.parse_args()
    os.environ.setdefault("ASSISTANT_LOG_LEVEL", "WARNING")
    if not os.environ.get("OPENAI_BASE_URL"):
        use_packaged_model(args.model)
    requests = [json.loads(line) for line in REQUESTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.only:
        wanted = set(args.only.split(","))
        requests = [r for r in requests if r["id"] in wanted]
    rows = []
    with corpus_index(args.data_dir, paths=[ROOT / "corpus"]) as index:
        registry = registry_with_corpus(index)
        t0 = time.perf_counter()
        warmed = llm.warm_prompts()  # as the app does at start: the prompts' fixed parts in the model's cache
        print(f"model started and {warmed} prompts read into its cache in {time.perf_counter() - t0:.1f} s "
              f"(load average {os.getloadavg()[0]:.1f})", flush=True)
        for req in requests:
            answer, first, retrieved, total = run(req)
            row = score(req, answer, first, total, index, registry)
            row["after_retrieval"] = first - retrieved
            rows.append(row)
            if args.show:
                print(f"\n=== {req['id']} {req['request']} ({req['unit']})\n{answer.text}\n")
                for f in answer.findings:
                    print(f"  ! {f['code']} [{f['severity']}] {f['text'][:60]!r}: {f['message'][:110]}")
            print(f"{row['id']}: {row['words']}/{row['asked']} words, parts {row['parts_ok']}/{row['parts_want']}, "
                  f"decrees {row['decree_ok']}/{row['decree_want']}, facts {row['facts_ok']}/{row['facts_want']}, "
                  f"citations {row['cites_ok']}/{row['cites']}, figures held {row['figs_held']}/{row['figs']}, "
                  f"other-unit {row['other_unit']}, unflagged {row['unflagged']} {row['unflagged_items'][:3]}, "
                  f"leaks {row['leaks']}, placeholders {row['placeholders']}, garbled {row['garbled']}, first {row['first']:.1f} s "
                  f"({row['after_retrieval']:.1f} s after retrieval), "
                  f"total {row['total']:.1f} s", flush=True)
    n = len(rows)
    if not n:
        return 0
    tot = lambda k: sum(r[k] for r in rows)  # noqa: E731
    print("\nTotals over", n, "requests")
    print(f"  length within ±30 %: {sum(r['len_ok'] for r in rows)}/{n}; mean words/asked "
          f"{sum(r['words'] / r['asked'] for r in rows) / n:.2f}")
    print(f"  fields as parts: {tot('parts_ok')}/{tot('parts_want')}; governing decree cited: "
          f"{tot('decree_ok')}/{tot('decree_want')}")
    print(f"  listed facts present: {tot('facts_ok')}/{tot('facts_want')} = {tot('facts_ok') / max(1, tot('facts_want')):.2f}")
    print(f"  citations verifying: {tot('cites_ok')}/{tot('cites')}; figures held by their marker's source: "
          f"{tot('figs_held')}/{tot('figs')}; other-unit figures: {tot('other_unit')}")
    print(f"  unflagged errors: {tot('unflagged')}; scaffolding leaks: {tot('leaks')}; placeholders: {tot('placeholders')}; "
          f"model replies rejected (looping or garbled): {tot('garbled')}")
    print(f"  peak RSS of this process (the embedded model server included): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; load average now {os.getloadavg()[0]:.1f}")
    print(f"  first text after the first part's retrieval: mean {tot('after_retrieval') / n:.1f} s, "
          f"max {max(r['after_retrieval'] for r in rows):.1f} s (target ≤ 8 s)")
    print(f"  first text: mean {sum(r['first'] for r in rows) / n:.1f} s, max {max(r['first'] for r in rows):.1f} s; "
          f"total: mean {sum(r['total'] for r in rows) / n:.1f} s, max {max(r['total'] for r in rows):.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
