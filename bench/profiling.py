"""Where Flowmap's server spends its CPU under a workload: py-spy samples, summed up.

py-spy (the `bench` extra) samples the running server from outside: no change
to the server, a few percent of overhead. Its collapsed stacks are kept (load
them into speedscope or flamegraph.pl) and summed into the functions that use
the CPU themselves (self), the Flowmap functions under which it is used
(inclusive), and the share of each library.

    summary = await profile_run(spec, target, Path("bench/results/profile-W1"))
"""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench.load import Spec, run_workload
from bench.procstat import thread_cpu_seconds
from bench.targets import Target

# Samples per second: enough for a 15 s run to rank functions, cheap for the server.
SAMPLE_RATE = 200
TOP = 20
# A frame in py-spy's collapsed format: "function (path/to/file.py:123)".
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^():]+)(?::\d+)?\)$")
AREAS = ("app/", "sqlalchemy", "starlette", "fastapi", "uvicorn", "websockets", "pydantic",
         "orjson", "asyncio", "sqlite3", "psycopg", "redis", "concurrent", "threading")  # fmt: skip


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def frame_key(frame: str) -> tuple[str, str]:
    """(function, short file) of one collapsed frame."""
    match = FRAME.match(frame.strip())
    if match is None:
        return frame.strip(), ""
    path = match["file"]
    short = path.split("site-packages/", 1)[-1]
    if "/app/" in short:
        short = "app/" + short.split("/app/", 1)[1]
    return match["func"], short


def area(file: str) -> str:
    return next((a.rstrip("/") for a in AREAS if file.startswith(a) or f"/{a}" in file), "other")


def summarize(collapsed: str) -> dict[str, Any]:
    """Self time per function, inclusive time per Flowmap function, self time per library."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [frame_key(f) for f in stack.split(";") if f]
        if not frames:
            continue
        worker = any(file.startswith("threading") for _, file in frames[:3])
        threads["worker threads (database)" if worker else "event loop thread"] += count
        leaf_func, leaf_file = frames[-1]
        own[f"{leaf_file}:{leaf_func}"] += count
        areas[area(leaf_file)] += count
        for name in {f"{file}:{func}" for func, file in frames if file.startswith("app/")}:
            inclusive[name] += count
    share = (lambda n: n / total) if total else (lambda n: 0.0)
    return {
        "samples": total,
        "self": [(name, share(n)) for name, n in own.most_common(TOP)],
        "inclusive": [(name, share(n)) for name, n in inclusive.most_common(TOP)],
        "areas": [(name, share(n)) for name, n in areas.most_common()],
        "threads": [(name, share(n)) for name, n in threads.most_common()],
    }


def markdown(title: str, summary: dict[str, Any], row: dict[str, Any]) -> str:
    def table(header: str, items: list[tuple[str, float]]) -> list[str]:
        return [f"| {header} | share |", "|---|---:|",
                *(f"| `{name}` | {100 * s:.1f}% |" for name, s in items), ""]  # fmt: skip

    lines = [
        f"# Profile: Flowmap under {title}",
        "",
        f"{summary['samples']} py-spy samples (on-CPU, all threads) at {SAMPLE_RATE}/s; "
        f"{row['edit_rate']:.0f} edits/s, {row.get('cpu_per_edit_us') or 0:.0f} µs CPU per edit.",
        "",
        "Self time in `asyncio/runners.py:Runner.run` is uvloop's C code (socket reads and",
        "writes, callback dispatch); in `concurrent/futures/thread.py:_worker`, the database",
        "thread handing work over. Idle (sleeping) threads are not sampled.",
        "",
        "## CPU by thread (exact, from schedstat, whole run)", "",
        *table("thread", summary["thread_cpu"]),
        "## Samples by thread", "", *table("thread", summary["threads"]),
        "## Self time by library", "", *table("library", summary["areas"]),
        "## Self time by function", "", *table("function", summary["self"]),
        "## Inclusive time under Flowmap's own functions", "",
        *table("function", summary["inclusive"]),
    ]  # fmt: skip
    return "\n".join(lines)


async def profile_run(spec: Spec, target: Target, out: Path) -> dict[str, Any]:
    """Run `spec` against the (single-process) target while py-spy samples it."""
    tool = py_spy()
    if tool is None:
        raise RuntimeError("py-spy is not installed: pip install -e '.[bench]'")
    raw = out.with_suffix(".collapsed.txt")
    sampler = await asyncio.create_subprocess_exec(
        tool, "record", "--pid", str(target.servers[0].pid), "--rate", str(SAMPLE_RATE),
        "--format", "raw", "--output", str(raw), "--nonblocking",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    pid = target.servers[0].pid
    before = thread_cpu_seconds(pid)
    try:
        row = await run_workload(spec, target)
        after = thread_cpu_seconds(pid)
    finally:
        sampler.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl+C
        _, err = await sampler.communicate()
    if not raw.exists():
        raise RuntimeError(f"py-spy wrote nothing: {err.decode(errors='replace')[-500:]}")
    summary = summarize(raw.read_text())
    used = {tid: seconds - before.get(tid, 0.0) for tid, seconds in after.items()}
    total = sum(used.values()) or 1.0
    summary["thread_cpu"] = [
        ("event loop (main thread)", used.get(pid, 0.0) / total),
        ("other threads (database pool)", (total - used.get(pid, 0.0)) / total),
    ]
    out.with_suffix(".md").write_text(markdown(spec.name, summary, row))
    return {"row": row, "profile": summary}
