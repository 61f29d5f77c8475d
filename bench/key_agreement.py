"""How far two people agree on figures' labels and periods, scored as summary_eval scores the tool.

A second person labelled the figures of the holdout4 pair, seeing only the reports and each figure's
value, unit and section (bench/data/reports_key_holdout4_second.json). Their labels and periods are
scored against the first key with the same rules summary_eval applies to the tool's records: what a
careful person reaches, the ceiling the target of 95 % is measured against.

    python bench/key_agreement.py [--show]
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import summary_eval as se  # noqa: E402

FIRST = se.ROOT / "bench" / "data" / "reports_key_holdout4.jsonl"
SECOND = se.ROOT / "bench" / "data" / "reports_key_holdout4_second.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true", help="print the figures the two disagree on")
    args = ap.parse_args()
    first = [json.loads(line) for line in FIRST.read_text(encoding="utf-8").splitlines() if line.strip()]
    second = {e["file"]: e for e in json.loads(SECOND.read_text(encoding="utf-8"))}
    n = label = period = both = 0
    for entry in first:
        other = second[entry["file"]]["figures"]
        periods = se.Periods(entry["period"], None, date.fromisoformat(entry["date"]))
        for a, b in zip(entry["figures"], other, strict=True):
            assert a["value"] == b["value"], (a, b)
            lab = se.label_right(a["label"], b["label"], a["unit"])
            per = periods.of(a["period"]) == periods.of(b["period"])
            n, label, period, both = n + 1, label + lab, period + per, both + (lab and per)
            if args.show and not (lab and per):
                print(f"  {a['value']:>10}  {a['label']} [{a['period']}]  |  {b['label']} [{b['period']}]")
    print(f"{n} figures: label {label / n:.1%}, period {period / n:.1%}, both {both / n:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
