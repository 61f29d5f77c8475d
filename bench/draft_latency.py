"""Latency of one section draft and one summary with the embedded model on this machine.

    python bench/draft_latency.py                  # default (1.5B) model
    python bench/draft_latency.py --model small

Phases, each timed on its own:
  1. index build (temp ASSISTANT_DATA_DIR, corpus/ + ../shared/data when present) — not a target;
  2. model load (the in-process llama.cpp server starting), a 1-token request, and the prompt
     warm-up the app runs at start (llm.warm_prompts: the fixed part of each prompt read once into
     llama.cpp's prompt cache); --cold skips it;
  3. draft: retrieval (the same retrieve + relevance filter + packing drafting runs), then the
     product's draft_stream: time to first token counted from the end of retrieval, and total;
     then a second, different request (first token and total) — the steady state of a working day;
  4. the same draft prompt sent directly with the openai client (prompt cache off), for the
     server's own token counts and speeds (llama.cpp `timings`, `usage`);
  5. summary of the sample 6-month report: per model call first token and total, and the whole
     summarize() call.
Peak RSS: resource.getrusage ru_maxrss of this process (the llama.cpp server runs in it) and of
children. Targets: first token ≤ 8 s after retrieval; a ~250-word section ≤ 60 s.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from draft_eval import ROOT, log, nfc, setup  # noqa: E402  (bench/ is on sys.path above)

SECTION_REQUEST = ("Soạn đoạn khoảng 250 từ đánh giá công tác hộ tịch, chứng thực 6 tháng cuối năm 2025 "
                   "cho báo cáo của xã")
SECOND_REQUEST = "Soạn mục 1.3 Phân quyền, phân cấp, lĩnh vực tư pháp"
SUMMARY_TARGET = ROOT / "corpus" / "mau" / "bao-cao-tu-phap-6-thang-2025-xa-mau.md"
TARGET_FIRST_TOKEN = 8.0
TARGET_SECTION = 60.0


def rss_mb() -> tuple[float, float, float]:
    """(current RSS, peak RSS self, peak RSS children) in MB."""
    cur = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                cur = int(line.split()[1]) / 1024
    except OSError:
        pass
    return (cur, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


class CallLog:
    """Wraps assistant.llm.stream_chat to time every model call the product makes."""

    def __init__(self):
        self.calls: list[dict] = []

    def install(self):
        from assistant import llm

        original = llm.stream_chat

        def timed(messages, **kwargs):
            rec = {"start": time.perf_counter(), "first": None, "end": None, "pieces": 0, "chars": 0,
                   "prompt_chars": sum(len(m["content"]) for m in messages)}
            self.calls.append(rec)
            try:
                for piece in original(messages, **kwargs):
                    if rec["first"] is None:
                        rec["first"] = time.perf_counter()
                    rec["pieces"] += 1
                    rec["chars"] += len(piece)
                    yield piece
            finally:  # also when the caller stops reading
                rec["end"] = time.perf_counter()

        llm.stream_chat = timed


def ok(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def direct_call(messages: list[dict], max_tokens: int) -> dict:
    """The same prompt straight through the openai client, streamed, prompt cache off, capped at
    max_tokens (enough for the server's prompt-reading and generation speeds, at a fraction of the time)."""
    from assistant import llm
    from assistant.config import get_settings

    ep = llm.endpoint()
    client = llm.client()
    t0 = time.perf_counter()
    first, pieces, usage, timings = None, 0, None, None
    stream = client.chat.completions.create(
        model=ep.model, messages=messages, stream=True, temperature=get_settings().temperature, max_tokens=max_tokens,
        stream_options={"include_usage": True}, extra_body={"cache_prompt": False})
    for ev in stream:
        if ev.choices and ev.choices[0].delta and ev.choices[0].delta.content:
            if first is None:
                first = time.perf_counter()
            pieces += 1
        if getattr(ev, "usage", None):
            usage = ev.usage
        extra = getattr(ev, "model_extra", None) or {}
        if extra.get("timings"):
            timings = extra["timings"]
    end = time.perf_counter()
    return {"first": (first or end) - t0, "total": end - t0, "pieces": pieces,
            "prompt_tokens": usage.prompt_tokens if usage else None,
            "completion_tokens": usage.completion_tokens if usage else None, "timings": timings}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", choices=["default", "small"], default="default")
    ap.add_argument("--data-dir", default=None, help="keep the index here and reuse it (default: a temp dir)")
    ap.add_argument("--threads", type=int, default=None,
                    help="ASSISTANT_THREADS for the model (default: all cores)")
    ap.add_argument("--max-draft-secs", type=float, default=300.0,
                    help="stop reading the draft stream after this many seconds (drafting sets no max_tokens)")
    ap.add_argument("--no-direct", action="store_true", help="skip the direct openai call")
    ap.add_argument("--direct-tokens", type=int, default=64, help="tokens generated by the direct call")
    ap.add_argument("--cold", action="store_true", help="skip the prompt warm-up the app does at start")
    args = ap.parse_args()

    base, temp, info = setup(args.model, args.data_dir, args.threads)
    try:
        from assistant import llm, prompts
        from assistant.answering import prompt_hits
        from assistant.drafting import DRAFT_K, _context, draft_stream
        from assistant.packing import format_sources
        from assistant.retrieval import retrieve
        from assistant.summarising import summarize

        calls = CallLog()
        calls.install()
        rss0 = rss_mb()

        # -- model load and warm-up --------------------------------------------------------------
        t0 = time.perf_counter()
        ep = llm.endpoint()
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        llm.client().chat.completions.create(model=ep.model, max_tokens=1,
                                             messages=[{"role": "user", "content": "Xin chào"}])
        warm = time.perf_counter() - t0
        t0 = time.perf_counter()
        warmed = 0 if args.cold else llm.warm_prompts()
        prompt_warm = time.perf_counter() - t0
        rss_load = rss_mb()
        log(f"model load {load:.1f} s, warm-up {warm:.1f} s, prompt warm-up {prompt_warm:.1f} s ({warmed} prompts)")

        # -- retrieval alone (the embedder is warmed by a first query, timed separately) -----------
        t0 = time.perf_counter()
        retrieve("hộ tịch", DRAFT_K)
        first_query = time.perf_counter() - t0
        t0 = time.perf_counter()
        hits = prompt_hits(SECTION_REQUEST, retrieve(SECTION_REQUEST, DRAFT_K))
        retrieval = time.perf_counter() - t0
        log(f"retrieval {retrieval:.2f} s ({len(hits)} sources); drafting …")

        # -- the product's streamed draft ----------------------------------------------------------
        n_before = len(calls.calls)
        t_start = time.perf_counter()
        t_sources = t_first = None
        pieces = 0
        answer = None
        cut = False
        stream = draft_stream(SECTION_REQUEST, unit="UBND xã An Hòa")
        for event, answer in stream:
            now = time.perf_counter()
            if now - t_start > args.max_draft_secs and event == "token":
                cut = True
                stream.close()  # closes the HTTP stream: the server stops generating
                break
            if event == "sources":
                t_sources = now
            elif event == "token":
                pieces += 1
                if t_first is None:
                    t_first = now
            elif event == "error":
                log(f"draft error: {answer.error}")
        t_done = time.perf_counter()
        call = calls.calls[n_before] if len(calls.calls) > n_before else None
        words = len(nfc(answer.text).split()) if answer else 0
        ttft = (t_first - t_sources) if t_first and t_sources else float("nan")
        total = t_done - t_start
        gen_secs = (call["end"] - call["first"]) if call and call["first"] and call["end"] else float("nan")
        post = t_done - (call["end"] if call and call["end"] else t_done)
        rss_draft = rss_mb()
        log(f"draft: first token {ttft:.1f} s after retrieval, total {total:.1f} s, {words} words")

        # -- a second, different request ----------------------------------------------------------
        t0 = time.perf_counter()
        t2_sources = t2_first = None
        answer2 = None
        for event, answer2 in draft_stream(SECOND_REQUEST, unit="UBND xã An Hòa"):
            now = time.perf_counter()
            if event == "sources":
                t2_sources = now
            elif event == "token" and t2_first is None:
                t2_first = now
        ttft2 = (t2_first - t2_sources) if t2_first and t2_sources else float("nan")
        total2 = time.perf_counter() - t0
        log(f"second draft: first token {ttft2:.1f} s after retrieval, total {total2:.1f} s")

        # -- the same prompt, direct ---------------------------------------------------------------
        direct = None
        if not args.no_direct and hits:
            msgs = prompts.messages("draft", context=_context(None, "UBND xã An Hòa"),
                                    sources=format_sources(hits, placeholders=True), request=SECTION_REQUEST)
            direct = direct_call(msgs, args.direct_tokens)
            log(f"direct call: first token {direct['first']:.1f} s, total {direct['total']:.1f} s")

        # -- summary -------------------------------------------------------------------------------
        n_before = len(calls.calls)
        t0 = time.perf_counter()
        s_answer = summarize(str(SUMMARY_TARGET))
        s_total = time.perf_counter() - t0
        s_calls = calls.calls[n_before:]
        rss_end = rss_mb()

        # -- report -------------------------------------------------------------------------------
        name = Path(info["gguf"]).name if info["gguf"] else ep.base_url
        print(f"draft_latency: model={args.model} ({name}), threads={os.environ.get('ASSISTANT_THREADS') or 'all'} "
              f"of {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
        print(f"index: {info['documents']} documents, {info['chunks']} chunks built in {info['secs']:.1f} s "
              f"(not a target)\n")
        w = 46
        print(f"{'measure':{w}} {'value':>12}  {'target':>8}  verdict")
        print("-" * (w + 34))

        def line(label, value, unit="s", target=None):
            v = f"{value:.2f} {unit}" if isinstance(value, float) else f"{value} {unit}".strip()
            t = f"≤ {target:g} s" if target is not None else ""
            verdict = ok(value, target) if target is not None and value == value else ""
            print(f"{label:{w}} {v:>12}  {t:>8}  {verdict}")

        line("model load (server start, excluded)", load)
        line("warm-up, 1-token request (excluded)", warm)
        line("prompt warm-up at start (excluded)" if not args.cold else "prompt warm-up: skipped (--cold)", prompt_warm)
        line("retrieval, first query (embedder warm-up)", first_query)
        line(f"retrieval (hybrid, k={DRAFT_K}, relevance filter, packing)", retrieval)
        line("draft: sources used", len(hits), "")
        line("draft: first token after retrieval", ttft, target=TARGET_FIRST_TOKEN)
        line("draft: total (retrieval → verified text)" if not cut else
             f"draft: CUT at {args.max_draft_secs:g} s, still generating", total, target=TARGET_SECTION)
        line("draft: words in the output (asked ~250)", words, "")
        line("draft: streamed pieces", pieces, "")
        if call and call["first"]:
            line("draft: model time to first piece", call["first"] - call["start"])
            line("draft: generation (first → last piece)", gen_secs)
            line("draft: pieces/s while generating", call["pieces"] / gen_secs if gen_secs else 0.0, "/s")
            line("draft: prompt characters", call["prompt_chars"], "")
        line("draft: after generation (fill + verify + mark)", post)
        line("second draft: first token after retrieval", ttft2, target=TARGET_FIRST_TOKEN)
        line("second draft: total", total2, target=TARGET_SECTION)
        line("second draft: words", len(nfc(answer2.text).split()) if answer2 else 0, "")
        if direct:
            print("-" * (w + 34))
            line("direct call: first token (no prompt cache)", direct["first"])
            line(f"direct call: total (capped at {args.direct_tokens} tokens)", direct["total"])
            line("direct call: prompt tokens (usage)", direct["prompt_tokens"] or 0, "")
            line("direct call: completion tokens (usage)", direct["completion_tokens"] or 0, "")
            tm = direct["timings"] or {}
            if tm:
                line("server: prompt reading", float(tm.get("prompt_per_second") or 0), "tok/s")
                line("server: generation", float(tm.get("predicted_per_second") or 0), "tok/s")
            elif direct["completion_tokens"]:
                line("direct call: tokens/s (completion/total-first)",
                     direct["completion_tokens"] / max(direct["total"] - direct["first"], 1e-9), "tok/s")
        print("-" * (w + 34))
        line("summary: total summarize() (sample report)", s_total)
        line("summary: model calls (map parts)", len(s_calls), "")
        for i, c in enumerate(s_calls, 1):
            if c["first"] and c["end"]:
                line(f"summary call {i}: first token / total", c["first"] - c["start"])
                line(f"summary call {i}: total ({c['pieces']} pieces)", c["end"] - c["start"])
        line("summary: overview words", len(nfc((s_answer.summary or {}).get("overview") or "").split()), "")
        print("-" * (w + 34))
        for label, r in (("before model load", rss0), ("after load + warm-up", rss_load),
                         ("after draft", rss_draft), ("at the end", rss_end)):
            print(f"{'RSS ' + label + ' (now / peak self / peak children)':{w + 14}} "
                  f"{r[0]:7.0f} / {r[1]:7.0f} / {r[2]:5.0f} MB")
        if answer and answer.error:
            print(f"\ndraft error: {answer.error}")
        if s_answer.error:
            print(f"summary error: {s_answer.error}")
    finally:
        if temp:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
