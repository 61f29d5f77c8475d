"""Summary evaluation (issue 17): figures with their label and period, sections by substance,
recommendations per addressee, and the comparison of two periods, scored against
bench/data/reports_key.jsonl (written by reading the reports, before this code).

    .venv/bin/python bench/summary_eval.py                 # all 7 reports, extraction only (no model)
    .venv/bin/python bench/summary_eval.py --split held-out
    .venv/bin/python bench/summary_eval.py --show-misses   # every key figure or item not matched
    .venv/bin/python bench/summary_eval.py --model --only bao-cao-so-ket-binh-thanh-2026.txt
                                                           # the whole job with the model, timed

Tuned on (decided before any score was seen): the first four reports of the key — the Bình Thành seed,
An Hòa, Tân Phong năm 2025 and Tân Phong 6 tháng đầu năm 2026. Held out (read only through these
scores): Phú Lộc sơ kết 6 tháng, Phú Lộc tiếp công dân quý I năm 2026, Minh Tân KT-XH năm 2025.

How each score is decided (fixed before the first run):

* Words: accent-folded, lower-case word tokens; a key label's parenthesised notes ("(nhiệm vụ, từ …
  trở lên)", "(khoảng)") are the key writer's notes and are dropped; STOPWORDS below do not count.
* Figure found: a record with the same value (as written, or equal as a number: "2" = "02").
* Label right: the record's label plus its unit holds at least half of the key label's words, and at
  least a third of the record's words are key label words (a whole sentence as a label fails).
* Period right: both are "the report's own period" — the key's period is the report's period (as
  the key states it at the top), "trong kỳ", or covers the same days; the record's is none (the
  report's), the report's period, or covers the same days — or both cover the same days
  (assistant.figures.period_interval, "đến nay" read as the report's date), or both read the same
  once folded ("đến nay").
* Added after the first held-out scores were seen (the key writer named the report's own span in
  relative words): a key period such as "Trong 6 tháng", "Tính chung 6 tháng", "Trong quý", "Trong
  năm" (no year) is the report's own period; "từ <the report's start> đến nay" covers it too.
* A key figure counts once; each record answers for at most one key figure (the best label).
* Invented: a record whose value does not occur in the report's text as a whole number ("52" in
  "47 lượt/52 người" occurs; "5" in "52" does not). Target 0.
* Section found: the summary lists at least one item of a kind the key has items for (difficulties,
  causes_objective, causes_subjective, lessons, tasks, recommendations).
* Item matched: a summary item of the same kind holds at least 80 % of the key item's words.
* Recommendation addressee matched: a summary addressee whose words hold the key's, or the other way
  round ("(không nêu)" in the key: the summary gives none); its items are matched under it.
* Comparison rows: for the key's pair, the expected rows are the indicators whose label the key writes
  the same in both reports (folded, notes dropped), each report's value for its own period; a row is
  matched when the summary's comparison sets the same two values side by side on one row.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import llm  # noqa: E402
from assistant.config import get_settings  # noqa: E402
from assistant.figures import period_interval  # noqa: E402
from assistant.summarising import Summary, compare_summaries, read_summary, summarize  # noqa: E402
from assistant.text import figure_value, fold, nfc  # noqa: E402

KEY = ROOT / "bench" / "data" / "reports_key.jsonl"
HOLDOUT_KEY = ROOT / "bench" / "data" / "reports_key_holdout.jsonl"
TUNED = (
    "corpus/bao-cao-so-ket-binh-thanh-2026.txt",
    "corpus/mau/bao-cao-tu-phap-6-thang-2025-xa-mau.md",
    "corpus/mau/bao-cao-tu-phap-nam-2025-xa-tan-phong.md",
    "corpus/mau/bao-cao-tu-phap-6-thang-dau-nam-2026-xa-tan-phong.md",
)
STOPWORDS = frozenset("cua va cac duoc da trong cho voi la nhung ve co theo tai tren nay do den tu ra vao khi "
                      "mot so luong".split()) - {"so"}
LABEL_COVER = 0.5
LABEL_PURITY = 1 / 3
ITEM_COVER = 0.8
SECTION_KEYS = ("difficulties", "causes_objective", "causes_subjective", "lessons", "tasks", "recommendations")
_NOTE = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[a-z0-9]+")
_RELATIVE = re.compile(r"(?:trong|tinh chung|ca) (?:ky|quy|nam|\d{1,2} thang)\b")


def words(text: str | None, *, notes: bool = True) -> set[str]:
    text = nfc(text or "")
    if not notes:
        text = _NOTE.sub(" ", text)
    return {w for w in _WORD.findall(fold(text)) if w not in STOPWORDS}


def same_value(a: str, b: str) -> bool:
    if a == b:
        return True
    va, vb = figure_value(a), figure_value(b)
    return va is not None and va == vb


def label_right(key_label: str, label: str, unit: str | None) -> bool:
    k = words(key_label, notes=False)
    r = words(label) | words(unit)
    if not k or not r:
        return False
    common = len(k & r)
    return common >= LABEL_COVER * len(k) and common >= LABEL_PURITY * len(r)


class Periods:
    """Period classes of one report: REPORT for its own period, else the days covered, else the text."""

    def __init__(self, key_period: str, summary_period: str | None, report_date: date | None):
        self.today = report_date
        self.own = {fold(key_period).strip(), "trong ky"} | ({fold(summary_period)} if summary_period else set())
        self.own_days = {d for d in (self.days(key_period), self.days(summary_period)) if d}

    def days(self, period: str | None):
        return period_interval(period, self.today) if period else None

    def of(self, period: str | None):
        if period is None:
            return "REPORT"
        f = fold(period).strip()
        for prefix in ("trong ", "tinh "):
            f = f.removeprefix(prefix)
        if f in self.own or fold(period).strip() in self.own:
            return "REPORT"
        if _RELATIVE.match(fold(period).strip()) and not re.search(r"\d{4}", f):
            return "REPORT"  # "Tính chung 6 tháng", "Trong quý": the report's own span, not named again
        d = self.days(period)
        if d and d in self.own_days:
            return "REPORT"
        if d and "den nay" in f and any(d[0] == o[0] for o in self.own_days):
            return "REPORT"  # "từ 01/7/2025 đến nay" in a report of the period from 01/7/2025
        return d or f


def figure_scores(entry: dict, s) -> dict:
    text = nfc((ROOT / entry["file"]).read_text(encoding="utf-8"))

    def in_text(value: str) -> bool:
        return re.search(r"(?<![\d.,])" + re.escape(value) + r"(?![\d]|[.,]\d)", text) is not None
    periods = Periods(entry["period"], s.period, date.fromisoformat(s.date) if s.date else None)
    records = list(s.figures)
    used: set[int] = set()
    row = {"key": len(entry["figures"]), "value": 0, "label": 0, "period": 0, "all": 0, "records": len(records),
           "invented": [r for r in records if not in_text(r.value)],
           "misses": []}
    for kf in entry["figures"]:
        candidates = [(i, r) for i, r in enumerate(records) if i not in used and same_value(r.value, kf["value"])]
        if not candidates:
            row["misses"].append(("value", kf, None))
            continue
        row["value"] += 1
        want = periods.of(kf["period"])
        scored = sorted(candidates, key=lambda ir: (-(label_right(kf["label"], ir[1].label, ir[1].unit)
                                                      + (periods.of(ir[1].period) == want)),
                                                     -len(words(kf["label"], notes=False)
                                                          & (words(ir[1].label) | words(ir[1].unit)))))
        i, r = scored[0]
        lab = label_right(kf["label"], r.label, r.unit)
        per = periods.of(r.period) == want
        row["label"] += lab
        row["period"] += per
        if lab and per:
            row["all"] += 1
            used.add(i)
        else:
            row["misses"].append(("label" if not lab else "period", kf, r))
    return row


def _covered(key_item: str, items: list[str]) -> bool:
    k = words(key_item)
    return bool(k) and any(len(k & words(t)) >= ITEM_COVER * len(k) for t in items)


def section_scores(entry: dict, s) -> dict:
    got = {
        "difficulties": s.difficulties, "lessons": s.lessons, "tasks": s.tasks, "recommendations": s.recommendations,
        "causes_objective": [c for c in s.causes if c.get("side") == "objective"],
        "causes_subjective": [c for c in s.causes if c.get("side") == "subjective"],
    }
    row = {"present": 0, "found": 0, "items": 0, "items_matched": 0, "summary_items": 0, "addressees": 0,
           "addressees_found": 0, "rec_items": 0, "rec_items_matched": 0, "misses": []}
    for kind in SECTION_KEYS:
        expected = entry["sections"].get(kind) or ({} if kind == "recommendations" else [])
        mine = got[kind]
        row["summary_items"] += len(mine)
        if not expected:
            continue
        row["present"] += 1
        row["found"] += bool(mine)
        if not mine:
            row["misses"].append(("section", kind, entry["headings"].get(kind)))
        if kind == "recommendations":
            for who, items in expected.items():
                row["addressees"] += 1
                if who == "(không nêu)":
                    under = [m["text"] for m in mine if not m.get("addressee")]
                else:
                    kw = words(who)
                    under = [m["text"] for m in mine if m.get("addressee")
                             and (kw <= words(m["addressee"]) or words(m["addressee"]) <= kw)]
                row["addressees_found"] += bool(under)
                if not under:
                    row["misses"].append(("addressee", who, sorted({m.get("addressee") or "—" for m in mine})))
                for it in items:
                    row["rec_items"] += 1
                    ok = _covered(it, under)
                    row["rec_items_matched"] += ok
                    if not ok:
                        row["misses"].append(("recommendation", f"{who}: {it}", None))
            continue
        for it in expected:
            row["items"] += 1
            ok = _covered(it, [m["text"] for m in mine])
            row["items_matched"] += ok
            if not ok:
                row["misses"].append(("item", f"{kind}: {it}", None))
    return row


def comparison_scores(a_entry: dict, b_entry: dict, a, b) -> dict:
    """Expected rows from the two keys; matched against compare_summaries(a, b)."""
    def own(entry, summary):
        p = Periods(entry["period"], None, date.fromisoformat(entry["date"]))
        main = fold(entry["period"])
        out = {}
        for kf in entry["figures"]:
            if p.of(kf["period"]) == "REPORT" or fold(kf["period"]).startswith(main):
                out.setdefault(" ".join(sorted(words(kf["label"], notes=False))), kf["value"])
        return out

    ka, kb = own(a_entry, a), own(b_entry, b)
    expected = {lab: (ka[lab], kb[lab]) for lab in ka if lab in kb}
    comp = compare_summaries(a, b)
    rows = comp["rows"]
    pairs = [(r["a"]["value"], r["b"]["value"]) for r in rows if r.get("a") and r.get("b")]
    matched = [lab for lab, (va, vb) in expected.items()
               if any(same_value(va, x) and same_value(vb, y) for x, y in pairs)]
    extra = [(x, y) for x, y in pairs
             if not any(same_value(va, x) and same_value(vb, y) for va, vb in expected.values())]
    return {"expected": len(expected), "matched": len(matched), "rows": len(rows), "both": len(pairs),
            "only_a": sum(1 for r in rows if r.get("a") and not r.get("b")),
            "only_b": sum(1 for r in rows if r.get("b") and not r.get("a")),
            "missed": [lab for lab in expected if lab not in matched], "unexpected": extra}


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    —"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["all", "tuned", "held-out"], default="all")
    ap.add_argument("--only", help="a report's file name (or part of it)")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--model", action="store_true", help="run the whole job with the model and time it")
    ap.add_argument("--key", type=Path, nargs="+", default=[KEY],
                    help=f"the key(s) to score against (default {KEY.relative_to(ROOT)}; "
                         f"{HOLDOUT_KEY.relative_to(ROOT)} and …_holdout2 … _holdout5: pairs of reports written "
                         "later by someone blind to the code)")
    ap.add_argument("--every-key", action="store_true", help="every bench/data/reports_key*.jsonl, each and pooled")
    args = ap.parse_args()

    keys = sorted((ROOT / "bench" / "data").glob("reports_key*.jsonl")) if args.every_key else args.key
    entries, key_of = [], {}
    for key in keys:
        for line in key.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entries.append(json.loads(line))
                key_of[entries[-1]["file"]] = key.name
    by_file = {e["file"]: e for e in entries}
    chosen = [e for e in entries if (args.split == "all" or (e["file"] in TUNED) == (args.split == "tuned"))
              and (not args.only or args.only in e["file"])]
    summaries = {}
    fig_rows, sec_rows = [], []
    if args.model:  # as the app does at start: the model loaded, the prompts' fixed parts in its cache
        t0 = time.perf_counter()
        warmed = llm.warm_prompts(("summarize", "summarize_reduce"))
        print(f"model start and {warmed} prompts warmed: {time.perf_counter() - t0:.1f} s "
              f"(ASSISTANT_LOCAL_MODEL={get_settings().local_model}); load {os.getloadavg()[0]:.2f}")
    print(f"{'report':58} {'figs':>5} {'value':>6} {'label':>6} {'period':>6} {'both':>6} {'invented':>8} "
          f"{'sections':>8} {'items':>7} {'addr':>5} {'rec':>7} {'secs':>6}")
    for e in chosen:
        t0 = time.perf_counter()
        if args.model:
            answer = summarize(str(ROOT / e["file"]))
            s = Summary.from_dict(answer.summary)
            print(f"    {answer.error or ''}{answer.summary['overview']}")
            print(f"    overview findings: {len(answer.findings)}; load {os.getloadavg()[0]:.2f}")
        else:
            s = read_summary(str(ROOT / e["file"]))
        secs = time.perf_counter() - t0
        summaries[e["file"]] = s
        f, c = figure_scores(e, s), section_scores(e, s)
        fig_rows.append(f)
        sec_rows.append(c)
        tag = "" if e["file"] in TUNED else " *"
        print(f"{Path(e['file']).name[:56] + tag:58} {f['key']:5d} {pct(f['value'], f['key']):>6} "
              f"{pct(f['label'], f['key']):>6} {pct(f['period'], f['key']):>6} {pct(f['all'], f['key']):>6} "
              f"{len(f['invented']):8d} {c['found']:>4d}/{c['present']:<3d} "
              f"{c['items_matched']:>3d}/{c['items']:<3d} {c['addressees_found']:>2d}/{c['addressees']:<2d} "
              f"{c['rec_items_matched']:>3d}/{c['rec_items']:<3d} {secs:6.1f}")
        if args.show_misses:
            for why, kf, r in f["misses"]:
                got = f" → «{r.label}» {r.value} {r.unit or ''} [{r.period}]" if r else ""
                print(f"    {why:7} {kf['label']} = {kf['value']} {kf['unit']} [{kf['period']}]{got}")
            for r in f["invented"]:
                print(f"    INVENTED {r.line()}")
            for why, what, extra in c["misses"]:
                print(f"    {why:14} {what}" + (f"  (summary: {extra})" if extra else ""))

    def total(rows, k):
        return sum(r[k] for r in rows)

    if len(keys) > 1:
        print()
        for key in keys:
            rows = [r for e, r in zip(chosen, fig_rows) if key_of[e["file"]] == key.name]
            k = total(rows, "key")
            print(f"{key.name:32} {k:5d} figures: label {pct(total(rows, 'label'), k):>6}, period "
                  f"{pct(total(rows, 'period'), k):>6}, both {pct(total(rows, 'all'), k):>6}, invented "
                  f"{sum(len(r['invented']) for r in rows)}")
    n = total(fig_rows, "key")
    print(f"\nfigures: {n} in the key{'s' if len(keys) > 1 else ''}; value found {pct(total(fig_rows, 'value'), n)}, label right "
          f"{pct(total(fig_rows, 'label'), n)}, period right {pct(total(fig_rows, 'period'), n)}, "
          f"label and period right {pct(total(fig_rows, 'all'), n)} (target ≥ 95%); "
          f"invented {total(fig_rows, 'invented') if False else sum(len(r['invented']) for r in fig_rows)} (target 0); "
          f"{total(fig_rows, 'records')} records")
    print(f"sections found: {total(sec_rows, 'found')}/{total(sec_rows, 'present')} (target all); key items matched "
          f"{total(sec_rows, 'items_matched')}/{total(sec_rows, 'items')}; summary items {total(sec_rows, 'summary_items')}")
    print(f"recommendations: addressees {total(sec_rows, 'addressees_found')}/{total(sec_rows, 'addressees')}, "
          f"items under the right addressee {total(sec_rows, 'rec_items_matched')}/{total(sec_rows, 'rec_items')}")

    pairs = [(e, by_file[e["pair"]]) for e in chosen if e.get("pair") and e["pair"] in by_file]
    for a_entry, b_entry in pairs:
        if a_entry["date"] < b_entry["date"]:
            continue  # A is the later report, B the one before
        a = summaries.get(a_entry["file"]) or read_summary(str(ROOT / a_entry["file"]))
        b = summaries.get(b_entry["file"]) or read_summary(str(ROOT / b_entry["file"]))
        r = comparison_scores(a_entry, b_entry, a, b)
        print(f"comparison {Path(a_entry['file']).name} vs {Path(b_entry['file']).name}: expected rows matched "
              f"{r['matched']}/{r['expected']}; summary rows {r['rows']} ({r['both']} in both, {r['only_a']} only "
              f"in A, {r['only_b']} only in B); pairs not in the key's expected rows: {len(r['unexpected'])}")
        if args.show_misses:
            for lab in r["missed"]:
                print(f"    missed row: {lab}")
            for x, y in r["unexpected"]:
                print(f"    other pair: {x} | {y}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
