"""Drafting and summary evaluation: do generated citations and figures verify, and is every
unverifiable one flagged?

    python bench/draft_eval.py                       # 10 drafts + 5 summaries, default (1.5B) model
    python bench/draft_eval.py --model small --limit 3
    python bench/draft_eval.py --only drafts --show  # print each generated text

The index is built in a temporary ASSISTANT_DATA_DIR from corpus/ and, when present,
../shared/data/decrees/*.md and ../shared/data/reports/*.md (--data-dir DIR keeps and reuses it).
Requests: bench/data/draft_requests.jsonl; summary targets: bench/data/summary_targets.jsonl.

Drafts — for each output text (as shown to the user, after the product's "chưa xác minh" marks):
  * citations: every citation `find_citations` finds in the output. "ok" (this bench's own check)
    = its number is in the registry (corpus/registry.json + the local registry + the headers of
    indexed documents, which drafting also uses) AND among the retrieved sources (a source's own
    number, or a number written in a source's text); a law cited by name must match a registry
    Luật by name and year and appear by name in a source. "prod" = the product's verdict: status
    `verified` from `verify_generated` and no unsupported-claim finding on it.
  * figures: numbers with a unit (412 việc, 3.214 bản, 69,2 %, 21.560.000 đồng …), outside
    citations and dates. "traced" = number + unit found verbatim (whitespace/case-insensitive) in
    the text of the retrieved sources.
  * unflagged errors: a citation not "ok", or a figure not traced, with no finding whose span
    overlaps it and no "chưa xác minh" within 40 characters after it. Target 0. "line" counts the
    flagged ones whose only flag is a whole-line "no [n] marker" note (weak flag).
    "unit?" counts untraced figures whose bare number does occur in a source (unit or subject
    changed) — the product's own figure check compares bare numbers only.
  * leftover: {{VB n}} placeholders that reached the output unfilled.
Summaries:
  * key figures copied verbatim: key_figures[i].text found in the report file's text (NFC,
    whitespace collapsed).
  * overview: figures traced verbatim to the report text; citations whose number is in the report;
    unflagged errors as above.
Prints tables; nothing passes or fails.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = ROOT / "bench" / "data"
CACHE = ROOT / "bench" / ".cache"
UNVERIFIED = "chưa xác minh"
MARK_WINDOW = 40

sys.path.insert(0, str(ROOT))


# ----------------------------------------------------------------------------------------------------
# Environment: model, data dir, index
# ----------------------------------------------------------------------------------------------------

def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def choose_model(name: str) -> Path | None:
    """Assemble the packaged GGUF once into bench/.cache/models and point ASSISTANT_GGUF at it.

    Returns None when OPENAI_BASE_URL is set (a remote endpoint is used as is) or ASSISTANT_GGUF
    is already given.
    """
    if os.environ.get("OPENAI_BASE_URL"):
        log(f"OPENAI_BASE_URL is set: using {os.environ['OPENAI_BASE_URL']} (not the embedded model)")
        return None
    if os.environ.get("ASSISTANT_GGUF"):
        return Path(os.environ["ASSISTANT_GGUF"])
    from assistant.models import assemble, catalogue

    model = catalogue()[name]
    t0 = time.perf_counter()
    path = assemble(model, CACHE / "models")
    log(f"model {model.description}: {path} ({time.perf_counter() - t0:.1f} s to assemble/check)")
    os.environ["ASSISTANT_GGUF"] = str(path)
    os.environ["ASSISTANT_LOCAL_MODEL"] = name
    return path


def shared_files() -> list[Path]:
    out = []
    for sub in ("decrees", "reports"):
        d = SHARED / "data" / sub
        if d.is_dir():
            out += sorted(d.glob("*.md"))
    return out


def cap_generation(max_tokens: int | None) -> None:
    """Give model calls that set no max_tokens (drafting sets none) this cap, so a looping model
    cannot run on to the end of the context. Printed in the header; 0/None = product as is."""
    if not max_tokens:
        return
    from assistant import llm

    original = llm.stream_chat

    def capped(messages, **kwargs):
        if kwargs.get("max_tokens") is None:
            kwargs["max_tokens"] = max_tokens
        return original(messages, **kwargs)

    llm.stream_chat = capped


def setup(model: str, data_dir: str | None, threads: int | None = None) -> tuple[Path, bool, dict]:
    """Set the environment, build (or reuse) the index. Returns (data dir, is temporary, info)."""
    if threads:
        os.environ["ASSISTANT_THREADS"] = str(threads)
    temp = data_dir is None
    base = Path(tempfile.mkdtemp(prefix="draft-eval-")) if temp else Path(data_dir).resolve()
    base.mkdir(parents=True, exist_ok=True)
    os.environ["ASSISTANT_DATA_DIR"] = str(base)
    os.environ.setdefault("ASSISTANT_LOG_LEVEL", "WARNING")
    from assistant.config import reset_settings

    reset_settings()
    gguf = choose_model(model)
    from assistant.index import get_index, reset_index
    from assistant.ingestion import ingest_paths

    reset_index()
    index = get_index()
    paths = [ROOT / "corpus"] + shared_files()
    if not (SHARED / "data").is_dir():
        log(f"{SHARED}/data not found: index built from corpus/ only")
    t0 = time.perf_counter()
    report = ingest_paths(index, paths)
    secs = time.perf_counter() - t0
    info = {"ingested": len(report.ingested), "skipped": len(report.skipped), "failed": report.failed,
            "chunks": sum(rec.chunks or 0 for rec in index.documents()), "secs": secs,
            "documents": len(index.documents()), "gguf": str(gguf) if gguf else None,
            "shared": (SHARED / "data").is_dir()}
    log(f"index: {info['documents']} documents / {info['chunks']} chunks ({info['ingested']} ingested, "
        f"{info['skipped']} unchanged, {len(report.failed)} failed) in {secs:.1f} s at {base}")
    for f in report.failed:
        log(f"  failed: {f['source']}: {f['error']}")
    return base, temp, info


# ----------------------------------------------------------------------------------------------------
# This bench's own checks (deliberately not assistant.verify)
# ----------------------------------------------------------------------------------------------------

def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s or "")


def squash(s: str) -> str:
    """NFC, lower case, every whitespace run a single space."""
    return re.sub(r"\s+", " ", nfc(s)).strip().lower()


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", nfc(s).replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"\s+", " ", "".join(ch for ch in s if not unicodedata.combining(ch))).lower().strip()


def number_key(number: str) -> str:
    """'120/2025/NĐ-CP', '120 / 2025 / ND-CP', 'số 45/BC-UBND' → comparable key."""
    return fold(number).replace(" ", "").lstrip("so:").upper()


_NUMBER_IN_TEXT = re.compile(r"(?<![\w/])(\d{1,4}\s?/\s?(?:\d{4}\s?/\s?)?[A-ZĐ][A-ZĐ0-9]*(?:\s?-\s?[A-ZĐ0-9]+)*)")

UNITS = sorted([
    "%", "việc", "vụ việc", "vụ án", "vụ", "hồ sơ", "bản", "bản sao", "người", "lượt", "lượt người", "hộ",
    "trường hợp", "cặp", "đồng", "triệu đồng", "tỷ đồng", "ha", "tấn", "km", "xã", "thôn", "xóm", "cuộc",
    "hội nghị", "văn bản", "đơn", "thủ tục", "tổ", "tổ hòa giải", "hòa giải viên", "biên chế", "công chức",
    "cán bộ", "tờ", "tờ gấp", "nhiệm vụ", "kỳ", "bị can", "đảng viên", "lao động", "học sinh", "phòng",
    "kế hoạch", "quyết định", "lớp", "buổi", "tin", "bài", "nhà", "căn", "con", "cơ sở", "doanh nghiệp",
], key=len, reverse=True)
_FIG = re.compile(
    r"(?<![\w/.,%-])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s?(" + "|".join(re.escape(u) for u in UNITS) + r")(?!\w)",
    re.IGNORECASE)
_BARE_NUMBER = re.compile(r"(?<![\w/.,-])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w/])")


def figures(text: str, skip: list[tuple[int, int]] = ()) -> list[dict]:
    text = nfc(text)
    out = []
    for m in _FIG.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        out.append({"text": m.group(0), "number": m.group(1), "unit": m.group(2).lower(),
                    "start": m.start(), "end": m.end()})
    return out


def citation_core_spans(cites) -> list[tuple[int, int]]:
    """Number and date spans of citations: figures there are not figures. Not the whole citation:
    find_citations can run a title on to the end of the sentence, over real figures."""
    out = []
    for c in cites:
        for span in (c.number_span, c.date_span, c.type_span):
            if span:
                out.append(span)
    return out


def registry_numbers() -> tuple[dict[str, str | None], list[dict]]:
    """Number key → signing date (ISO or None), and law entries, from corpus/registry.json, the local
    registry and the headers of indexed documents (drafting fills citations from those too)."""
    from assistant.config import get_settings
    from assistant.index import get_index

    raw = []
    for p in (ROOT / "corpus" / "registry.json", get_settings().local_registry_path):
        if Path(p).exists():
            d = json.loads(Path(p).read_text(encoding="utf-8"))
            raw += d.get("entries", []) if isinstance(d, dict) else d
    numbers = {number_key(e["number"]): e.get("signing_date") for e in raw if e.get("number")}
    laws = [e for e in raw if (e.get("type") or "").lower().startswith(("luật", "bộ luật"))]
    for rec in get_index().documents():
        if rec.number and rec.kind:
            numbers.setdefault(number_key(rec.number), rec.date)
    return numbers, laws


def source_numbers(hits) -> set[str]:
    out = set()
    for h in hits:
        if h.number:
            out.add(number_key(h.number))
        for m in _NUMBER_IN_TEXT.finditer(nfc(h.text)):
            out.add(number_key(m.group(1)))
    return out


def citation_ok(c, reg_numbers: dict[str, str | None], reg_laws: list[dict], src_numbers: set[str],
                src_folded: str) -> bool:
    """Number in the registry and among the sources; a date written next to it must be the registry's."""
    if c.number:
        key = number_key(c.number)
        if key not in reg_numbers or key not in src_numbers:
            return False
        return not (c.date and reg_numbers[key] and c.date.isoformat() != reg_numbers[key])
    name = (c.law_name or c.text or "").strip()
    if not name:
        return False
    year = re.search(r"(19|20)\d\d", c.text or "")
    core = fold(re.sub(r"^(bộ luật|luật)\s+", "", name, flags=re.IGNORECASE))
    in_registry = any(core and core in fold(e.get("title") or "")
                      and (not year or year.group(0) in (e.get("number") or "") + (e.get("signing_date") or ""))
                      for e in reg_laws)
    return in_registry and fold(name) in src_folded


MARK = f" ({UNVERIFIED})"


def strip_marks(text: str) -> tuple[str, list[int]]:
    """The text without the product's " (chưa xác minh)" marks, and where each mark stood (clean offsets).

    A mark can land inside a figure ("412 (chưa xác minh) việc"), so figures and citations are found
    in the clean text and the marks are checked by position.
    """
    parts, marks, i, pos = [], [], 0, 0
    while (j := text.find(MARK, i)) >= 0:
        parts.append(text[i:j])
        pos += j - i
        marks.append(pos)
        i = j + len(MARK)
    parts.append(text[i:])
    return "".join(parts), marks


def to_marked(i: int, marks: list[int]) -> int:
    return i + len(MARK) * sum(1 for p in marks if p <= i)


def flag_state(start: int, end: int, findings: list[dict], marks: list[int]) -> str:
    """'mark' / 'finding' (specific) / 'line' (only a whole-line no-marker note) / '' (unflagged).

    start/end are clean offsets; findings carry offsets into the marked text.
    """
    if any(start < p <= end + MARK_WINDOW for p in marks):
        return "mark"
    ms, me = to_marked(start, marks), to_marked(max(end - 1, start), marks) + 1
    over = [f for f in findings if f.get("start") is not None and f.get("end") is not None
            and f["start"] < me and ms < f["end"]]
    if any(not (f["code"] == "unsupported-claim" and f.get("severity") == "info") for f in over):
        return "finding"
    return "line" if over else ""


# ----------------------------------------------------------------------------------------------------
# Drafts
# ----------------------------------------------------------------------------------------------------

def product_citation_ok(text: str, hits) -> dict[tuple[int, int], bool]:
    from assistant.verify import verify_generated

    findings, cites = verify_generated(text, hits)
    out = {}
    for c in cites:
        bad = any(f["code"] == "unsupported-claim" and f.get("start") is not None
                  and f["start"] < c.end and c.start < f["end"] for f in findings)
        out[(c.start, c.end)] = c.status == "verified" and not bad
    return out


def eval_draft(item: dict, reg_numbers: dict[str, str | None], reg_laws: list[dict]) -> dict:
    from assistant.citations import find_citations
    from assistant.drafting import draft_stream

    t0 = time.perf_counter()
    rd = date.fromisoformat(item["report_date"]) if item.get("report_date") else None
    pieces, first, ans = 0, None, None
    for event, ans in draft_stream(item["request"], report_date=rd, unit=item.get("unit")):
        if event == "token":
            pieces += 1
            first = first or time.perf_counter() - t0
    secs = time.perf_counter() - t0
    shown = nfc(ans.text)
    text, marks = strip_marks(shown)
    hits = ans.hits
    src_text = squash(" ".join(h.text for h in hits))
    src_folded = fold(" ".join(h.text for h in hits))
    src_nums = source_numbers(hits)
    src_bare = {m.group(1) for m in _BARE_NUMBER.finditer(src_text)}
    prod = product_citation_ok(text, hits)
    cites = find_citations(text)
    row = {"id": item["id"], "secs": secs, "first": first, "pieces": pieces, "words": len(text.split()), "error": ans.error, "sources": len(hits),
           "cites": 0, "cites_ok": 0, "cites_prod": 0, "figs": 0, "figs_traced": 0, "unflagged_cites": 0,
           "unflagged_figs": 0, "unit_only": 0, "line_only": 0, "leftover": len(re.findall(r"\{\{?\s*VB", text)),
           "findings": len(ans.findings), "marks": len(marks), "text": shown, "problems": []}
    for c in cites:
        row["cites"] += 1
        ok = citation_ok(c, reg_numbers, reg_laws, src_nums, src_folded)
        row["cites_ok"] += ok
        row["cites_prod"] += prod.get((c.start, c.end), False)
        if not ok:
            state = flag_state(c.start, c.end, ans.findings, marks)
            if not state:
                row["unflagged_cites"] += 1
                row["problems"].append(f"citation not verified, unflagged: «{c.text[:90]}»")
            elif state == "line":
                row["line_only"] += 1
    for f in figures(text, citation_core_spans(cites)):
        row["figs"] += 1
        traced = squash(f["text"]) in src_text
        row["figs_traced"] += traced
        if not traced:
            state = flag_state(f["start"], f["end"], ans.findings, marks)
            if not state:
                row["unflagged_figs"] += 1
                unit_only = f["number"] in src_bare
                row["unit_only"] += unit_only
                row["problems"].append(f"figure not in sources, unflagged: «{f['text']}»"
                                       + (" (bare number occurs in a source)" if unit_only else ""))
            elif state == "line":
                row["line_only"] += 1
    return row


# ----------------------------------------------------------------------------------------------------
# Summaries
# ----------------------------------------------------------------------------------------------------

def eval_summary(item: dict) -> dict:
    from assistant.citations import find_citations
    from assistant.summarising import summarize

    base = ROOT if item.get("base") == "project" else SHARED
    path = base / item["path"]
    raw = nfc(path.read_text(encoding="utf-8", errors="replace"))
    report = squash(raw)
    report_bare = {m.group(1) for m in _BARE_NUMBER.finditer(report)}
    report_numbers = {number_key(m.group(1)) for m in _NUMBER_IN_TEXT.finditer(raw)}
    t0 = time.perf_counter()
    ans = summarize(str(path))
    secs = time.perf_counter() - t0
    s = ans.summary or {}
    kf = s.get("key_figures") or []
    shown = nfc(s.get("overview") or "")
    overview, marks = strip_marks(shown)
    row = {"id": item["id"], "file": path.name, "secs": secs, "error": ans.error, "key_figs": len(kf),
           "kf_verbatim": sum(squash(k["text"]) in report for k in kf),
           "kf_page": sum(k.get("page") is not None for k in kf),
           "ov_words": len(overview.split()), "ov_cites": 0, "ov_cites_ok": 0, "ov_figs": 0, "ov_traced": 0,
           "unflagged": 0, "unit_only": 0, "line_only": 0, "findings": len(ans.findings),
           "items": {k: len(s.get(k) or []) for k in ("tasks", "difficulties", "causes", "recommendations")},
           "marks": len(marks), "overview": shown, "problems": []}
    row["problems"] += [f"key figure not verbatim in the report: «{k['text'][:90]}»"
                        for k in kf if squash(k["text"]) not in report][:5]
    # Findings are offsets into answer.text; the overview sits inside it.
    off = nfc(ans.text).find(shown) if shown else -1
    findings = [dict(f, start=f["start"] - off, end=f["end"] - off) for f in ans.findings
                if off >= 0 and f.get("start") is not None and f.get("end") is not None]
    cites = find_citations(overview)
    for c in cites:
        row["ov_cites"] += 1
        ok = bool(c.number) and number_key(c.number) in report_numbers or (
            not c.number and fold(c.law_name or c.text) in fold(raw))
        row["ov_cites_ok"] += ok
        if not ok:
            state = flag_state(c.start, c.end, findings, marks)
            if not state:
                row["unflagged"] += 1
                row["problems"].append(f"overview citation not in the report, unflagged: «{c.text[:90]}»")
            elif state == "line":
                row["line_only"] += 1
    for f in figures(overview, citation_core_spans(cites)):
        row["ov_figs"] += 1
        traced = squash(f["text"]) in report
        row["ov_traced"] += traced
        if not traced:
            state = flag_state(f["start"], f["end"], findings, marks)
            if not state:
                row["unflagged"] += 1
                unit_only = f["number"] in report_bare
                row["unit_only"] += unit_only
                row["problems"].append(f"overview figure not in the report, unflagged: «{f['text']}»"
                                       + (" (bare number occurs in the report)" if unit_only else ""))
            elif state == "line":
                row["line_only"] += 1
    return row


# ----------------------------------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------------------------------

def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    —"


def frac(a: int, b: int) -> str:
    return f"{a}/{b}"


def print_drafts(rows: list[dict]) -> None:
    print("\nDRAFTS (assistant.drafting.draft)")
    head = (f"{'id':4} {'secs':>6} {'pieces':>6} {'words':>5} {'src':>3} {'cit ok':>7} {'cit prod':>8} {'fig traced':>10} "
            f"{'unflag cit':>10} {'unflag fig':>10} {'unit?':>5} {'line':>4} {'leftover':>8} {'findings':>8} {'marks':>5}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['id']:4} {r['secs']:6.1f} {r.get('pieces', 0):6d} {r['words']:5d} {r['sources']:3d} {frac(r['cites_ok'], r['cites']):>7} "
              f"{frac(r['cites_prod'], r['cites']):>8} {frac(r['figs_traced'], r['figs']):>10} "
              f"{r['unflagged_cites']:10d} {r['unflagged_figs']:10d} {r['unit_only']:5d} {r['line_only']:4d} "
              f"{r['leftover']:8d} {r['findings']:8d} {r['marks']:5d}" + (f"  ERROR: {r['error'][:60]}" if r["error"] else ""))
    t = {k: sum(r[k] for r in rows) for k in ("secs", "words", "cites", "cites_ok", "cites_prod", "figs",
                                               "figs_traced", "unflagged_cites", "unflagged_figs", "unit_only",
                                               "line_only", "leftover", "findings", "marks")}
    print("-" * len(head))
    print(f"{'all':4} {t['secs']:6.1f} {sum(r.get('pieces', 0) for r in rows):6d} {t['words']:5d} {'':3} {frac(t['cites_ok'], t['cites']):>7} "
          f"{frac(t['cites_prod'], t['cites']):>8} {frac(t['figs_traced'], t['figs']):>10} "
          f"{t['unflagged_cites']:10d} {t['unflagged_figs']:10d} {t['unit_only']:5d} {t['line_only']:4d} "
          f"{t['leftover']:8d} {t['findings']:8d} {t['marks']:5d}")
    print(f"\n  citations verifying (bench check): {pct(t['cites_ok'], t['cites'])} of {t['cites']}"
          f"   (product's verdict: {pct(t['cites_prod'], t['cites'])})")
    print(f"  figures traceable verbatim to a source: {pct(t['figs_traced'], t['figs'])} of {t['figs']}")
    print(f"  unflagged errors: {t['unflagged_cites'] + t['unflagged_figs']} "
          f"({t['unflagged_cites']} citations, {t['unflagged_figs']} figures; target 0)"
          f"   flagged only by a whole-line note: {t['line_only']}")
    print(f"  drafts with a model error: {sum(1 for r in rows if r['error'])}   "
          f"mean {t['secs'] / max(len(rows), 1):.1f} s per draft")


def print_summaries(rows: list[dict]) -> None:
    print("\nSUMMARIES (assistant.summarising.summarize)")
    head = (f"{'id':4} {'file':42} {'secs':>6} {'key figs verbatim':>17} {'ov words':>8} {'ov figs traced':>14} "
            f"{'ov cit ok':>9} {'unflagged':>9} {'unit?':>5} {'findings':>8} {'marks':>5}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['id']:4} {r['file'][:42]:42} {r['secs']:6.1f} {frac(r['kf_verbatim'], r['key_figs']):>17} "
              f"{r['ov_words']:8d} {frac(r['ov_traced'], r['ov_figs']):>14} {frac(r['ov_cites_ok'], r['ov_cites']):>9} "
              f"{r['unflagged']:9d} {r['unit_only']:5d} {r['findings']:8d} {r['marks']:5d}"
              + (f"  ERROR: {r['error'][:60]}" if r["error"] else ""))
    t = {k: sum(r[k] for r in rows) for k in ("secs", "key_figs", "kf_verbatim", "ov_words", "ov_figs", "ov_traced",
                                               "ov_cites", "ov_cites_ok", "unflagged", "unit_only", "findings", "marks")}
    print("-" * len(head))
    print(f"{'all':4} {'':42} {t['secs']:6.1f} {frac(t['kf_verbatim'], t['key_figs']):>17} {t['ov_words']:8d} "
          f"{frac(t['ov_traced'], t['ov_figs']):>14} {frac(t['ov_cites_ok'], t['ov_cites']):>9} {t['unflagged']:9d} "
          f"{t['unit_only']:5d} {t['findings']:8d} {t['marks']:5d}")
    print(f"\n  key figures copied verbatim from the report: {pct(t['kf_verbatim'], t['key_figs'])} of {t['key_figs']}")
    print(f"  overview figures traceable to the report: {pct(t['ov_traced'], t['ov_figs'])} of {t['ov_figs']}")
    print(f"  overview citations found in the report: {pct(t['ov_cites_ok'], t['ov_cites'])} of {t['ov_cites']}")
    print(f"  unflagged errors in overviews: {t['unflagged']} (target 0)")


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", choices=["default", "small"], default="default",
                    help="embedded model: default = Qwen2.5-Coder-1.5B Q4_K_M, small = 0.5B")
    ap.add_argument("--limit", type=int, default=None, help="first N drafts and first N summaries only")
    ap.add_argument("--only", choices=["drafts", "summaries"], default=None)
    ap.add_argument("--threads", type=int, default=None,
                    help="ASSISTANT_THREADS for the model (default: all cores; 1 can be faster on a busy machine)")
    ap.add_argument("--max-tokens", type=int, default=800,
                    help="cap for model calls that set none (drafting sets none); 0 = no cap")
    ap.add_argument("--ids", default=None, help="comma-separated item ids to run (e.g. d01,d02,s01,s03)")
    ap.add_argument("--data-dir", default=None, help="keep the index here and reuse it (default: a temp dir)")
    ap.add_argument("--show", action="store_true", help="print every generated text and the problems found")
    ap.add_argument("--out", default=None, help="write all rows (with texts) as JSON to this file")
    args = ap.parse_args()

    requests = load_jsonl(DATA / "draft_requests.jsonl")
    targets = load_jsonl(DATA / "summary_targets.jsonl")
    skipped = [t["id"] for t in targets if t.get("base") == "shared" and not (SHARED / t["path"]).exists()]
    targets = [t for t in targets if t["id"] not in skipped]
    if args.ids:
        wanted = {x.strip() for x in args.ids.split(",")}
        requests = [r for r in requests if r["id"] in wanted]
        targets = [t for t in targets if t["id"] in wanted]
    if args.limit is not None:
        requests, targets = requests[:args.limit], targets[:args.limit]
    if args.only == "drafts":
        targets = []
    elif args.only == "summaries":
        requests = []

    base, temp, info = setup(args.model, args.data_dir, args.threads)
    cap_generation(args.max_tokens)
    try:
        from assistant import llm

        t0 = time.perf_counter()
        ep = llm.endpoint()
        load_secs = time.perf_counter() - t0
        print(f"draft_eval: model={args.model} ({Path(info['gguf']).name if info['gguf'] else ep.base_url}), "
              f"index {info['documents']} documents / {info['chunks']} chunks (shared/data: "
              f"{'yes' if info['shared'] else 'absent'}), model load {load_secs:.1f} s, "
              f"load average {os.getloadavg()[0]:.2f}, threads {os.environ.get('ASSISTANT_THREADS') or 'all'}, "
              f"draft max_tokens {args.max_tokens or 'none (product default)'}")
        if skipped:
            print(f"  summary targets skipped (../shared absent): {', '.join(skipped)}")
        reg_numbers, reg_laws = registry_numbers()
        drafts, sums = [], []
        for item in requests:
            log(f"draft {item['id']}: {item['request']}")
            try:
                drafts.append(eval_draft(item, reg_numbers, reg_laws))
            except Exception as exc:  # keep the run going; a crash is a result too
                log(f"  {item['id']} crashed: {exc.__class__.__name__}: {exc}")
                drafts.append({"id": item["id"], "secs": 0.0, "words": 0, "sources": 0, "cites": 0, "cites_ok": 0,
                               "cites_prod": 0, "figs": 0, "figs_traced": 0, "unflagged_cites": 0,
                               "unflagged_figs": 0, "unit_only": 0, "line_only": 0, "leftover": 0, "findings": 0,
                               "error": f"crash {exc.__class__.__name__}: {exc}", "text": "", "problems": []})
            log(f"  {drafts[-1]['secs']:.1f} s (first token {drafts[-1].get('first') or 0:.1f} s), "
                f"{drafts[-1].get('pieces', 0)} pieces, {drafts[-1]['words']} words")
        for item in targets:
            log(f"summary {item['id']}: {item['path']}")
            try:
                sums.append(eval_summary(item))
            except Exception as exc:
                log(f"  {item['id']} crashed: {exc.__class__.__name__}: {exc}")
                sums.append({"id": item["id"], "file": Path(item["path"]).name, "secs": 0.0, "key_figs": 0,
                             "kf_verbatim": 0, "kf_page": 0, "ov_words": 0, "ov_cites": 0, "ov_cites_ok": 0,
                             "ov_figs": 0, "ov_traced": 0, "unflagged": 0, "unit_only": 0, "line_only": 0,
                             "findings": 0, "marks": 0, "error": f"crash {exc.__class__.__name__}: {exc}", "overview": "",
                             "problems": []})
            log(f"  {sums[-1]['secs']:.1f} s")
        if drafts:
            print_drafts(drafts)
        if sums:
            print_summaries(sums)
        problems = [(r["id"], p) for r in drafts + sums for p in r["problems"]]
        if problems:
            print("\nUnflagged or unverifiable items:")
            for rid, p in problems:
                print(f"  {rid}: {p}")
        if args.show:
            for r in drafts:
                print(f"\n===== {r['id']} =====\n{r['text']}")
            for r in sums:
                print(f"\n===== {r['id']} overview =====\n{r['overview']}")
        if args.out:
            Path(args.out).write_text(json.dumps({"drafts": drafts, "summaries": sums, "info": info},
                                                 ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        if temp:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
