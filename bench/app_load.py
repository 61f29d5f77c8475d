"""Load on the web app: N concurrent sessions (gradio_client) asking through /chat, plus /check.

The app runs in a child process (its own data directory, a tiny corpus ingested first) and talks to
a stub OpenAI-compatible model server in this process that streams a fixed answer with a delay per
word, so the figures measure the app (queue, retrieval, verification, streaming, and saving every
question and answer in the conversations store), not a model. After each run the store is read:
every question asked must be saved with its answer marked done.

    python bench/app_load.py                    # 10 and 50 sessions
    python bench/app_load.py --sessions 10 --rounds 3 --delay 0.02 --concurrency 4 --json
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

QUESTIONS = ["Xã Bình Thành trồng bao nhiêu ha lúa?", "Dân số toàn xã là bao nhiêu?",
             "Đã chứng thực bao nhiêu bản sao từ bản chính?", "Hỗ trợ giống cho bao nhiêu hộ dân?"]
CHECK_TEXT = ("Căn cứ Kế hoạch số 05/KH-UBND ngày 10/01/2025 của UBND xã Bình Thành; "
              "Nghị định số 999/2099/NĐ-CP ngày 01/01/2099 của Chính phủ.")


def serve_child(port: int) -> None:
    """Child process: ingest the corpus, then serve the app until killed."""
    from assistant.ui import build_app
    from assistant.ui.serving import ingest_at_start, launch

    ingest_at_start([os.environ["BENCH_CORPUS"]])
    demo = build_app()
    print("READY", flush=True)
    launch(demo, "127.0.0.1", port, block=True)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run_sessions(url: str, sessions: int, rounds: int, check_every: int) -> dict:
    from gradio_client import Client

    latencies = {"chat": [], "check": []}
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(sessions)

    def session(i: int) -> None:
        try:
            client = Client(url, verbose=False)
        except Exception as exc:  # noqa: BLE001
            with lock:
                errors.append(f"connect: {exc!r}")
            start_gate.abort()
            return
        try:
            start_gate.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        history: list = []
        for r in range(rounds):
            use_check = check_every and (i + r) % check_every == 0
            t0 = time.perf_counter()
            try:
                if use_check:
                    out = client.predict(CHECK_TEXT, None, "05/01/2026", api_name="/check")
                    ok = "<mark" in out[0]
                    kind = "check"
                else:
                    history, *_ = client.predict(QUESTIONS[(i + r) % len(QUESTIONS)], history, "Hỏi đáp", "", "",
                                                 api_name="/chat")
                    last = history[-1]["content"]
                    text = last if isinstance(last, str) else "".join(p.get("text", "") for p in last)
                    ok = bool(text) and not text.startswith("⚠")
                    kind = "chat"
                dt = time.perf_counter() - t0
                with lock:
                    latencies[kind].append(dt)
                    if not ok:
                        errors.append(f"{kind}: bad answer")
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"{'check' if use_check else 'chat'}: {exc!r}"[:300])

    t0 = time.perf_counter()
    threads = [threading.Thread(target=session, args=(i,)) for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    out = {"sessions": sessions, "rounds": rounds, "wall_s": round(wall, 2), "errors": len(errors),
           "error_samples": errors[:5]}
    for kind, vals in latencies.items():
        out[kind] = {"n": len(vals), "p50_s": round(percentile(vals, 50), 3), "p95_s": round(percentile(vals, 95), 3),
                     "max_s": round(max(vals), 3) if vals else None,
                     "mean_s": round(statistics.fmean(vals), 3) if vals else None}
    done = sum(len(v) for v in latencies.values())
    out["throughput_rps"] = round(done / wall, 2) if wall else None
    return out


def saved(data_dir: Path) -> dict:
    """What the conversations store holds: conversations, and messages by role and status."""
    import sqlite3

    from assistant.conversations import FILE_NAME

    if not (data_dir / FILE_NAME).exists():
        return {"conversations": 0, "messages": {}}
    db = sqlite3.connect(data_dir / FILE_NAME)
    try:
        conversations = db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]
        rows = db.execute("SELECT role, status, COUNT(*) FROM messages GROUP BY role, status").fetchall()
    finally:
        db.close()
    return {"conversations": conversations, "messages": {f"{role}:{status}": n for role, status, n in rows}}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, nargs="*", default=[10, 50])
    p.add_argument("--rounds", type=int, default=2, help="requests per session")
    p.add_argument("--check-every", type=int, default=4, help="every Nth request is a /check (0 = never)")
    p.add_argument("--delay", type=float, default=0.02, help="stub model: seconds per streamed word")
    p.add_argument("--concurrency", type=int, default=None, help="ASSISTANT_CONCURRENCY for the app")
    p.add_argument("--json", action="store_true")
    p.add_argument("--_serve", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args._serve:
        serve_child(args._serve)
        return 0

    from fixtures.app import StubLLM, free_port, write_corpus

    base = Path(tempfile.mkdtemp(prefix="app-load-"))
    corpus = write_corpus(base / "corpus")
    port = free_port()
    results = []
    with StubLLM(delay=args.delay) as stub:
        env = dict(os.environ, ASSISTANT_DATA_DIR=str(base / "data"), OPENAI_BASE_URL=stub.base_url,
                   ASSISTANT_MODEL="stub", ASSISTANT_LLM_RETRIES="0", BENCH_CORPUS=str(corpus),
                   GRADIO_ANALYTICS_ENABLED="False")
        if args.concurrency:
            env["ASSISTANT_CONCURRENCY"] = str(args.concurrency)
        child = subprocess.Popen([sys.executable, __file__, "--_serve", str(port)], env=env, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            t0 = time.perf_counter()
            for line in child.stdout:
                if line.startswith("READY"):
                    break
            url = f"http://127.0.0.1:{port}/"
            import httpx

            while time.perf_counter() - t0 < 120:
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            startup = time.perf_counter() - t0
            for n in args.sessions:
                before = saved(base / "data")
                res = run_sessions(url, n, args.rounds, args.check_every)
                res["stub_requests"] = len(stub.requests)
                after = saved(base / "data")
                asked = res["chat"]["n"]
                new = {k: after["messages"].get(k, 0) - before["messages"].get(k, 0) for k in after["messages"]}
                res["saved"] = {"conversations": after["conversations"] - before["conversations"], "messages": new}
                if new.get("user:done", 0) != asked or new.get("assistant:done", 0) != asked:
                    res["errors"] += 1
                    res["error_samples"].append(f"saved: {new} for {asked} questions")
                results.append(res)
                if not args.json:
                    c, k = res["chat"], res["check"]
                    sv = res["saved"]
                    print(f"{n:>3} phiên × {args.rounds} lượt: chat p50 {c['p50_s']:.2f}s p95 {c['p95_s']:.2f}s "
                          f"(n={c['n']}); check p50 {k['p50_s']:.2f}s p95 {k['p95_s']:.2f}s (n={k['n']}); "
                          f"lỗi {res['errors']}; {res['throughput_rps']} yêu cầu/s; tổng {res['wall_s']}s; "
                          f"đã lưu {sv['conversations']} cuộc trò chuyện, "
                          f"{sv['messages'].get('assistant:done', 0)} câu trả lời xong")
                    for e in res["error_samples"]:
                        print("    ", e)
        finally:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    summary = {"startup_incl_ingest_s": round(startup, 2), "stub_delay_s_per_word": args.delay,
               "concurrency": args.concurrency or "default", "runs": results}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"Khởi động (gồm nạp 2 tài liệu): {startup:.1f}s")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
