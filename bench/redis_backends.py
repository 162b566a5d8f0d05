"""Issue 19: our own Redis protocol code against redis-py, W1, W4 and W6 in one session.

Runs `bench/run.py --only W1,W4,W6 --targets Flowmap` once per backend per round,
interleaved (own, redis-py, own, redis-py, ...) so a busy minute on a shared
machine hits both alike, then prints one line per run:

    python bench/redis_backends.py --rounds 2 --seconds 8 --out /tmp/redis-backends
    python bench/redis_backends.py --rounds 3 --only W6 --out /tmp/redis-w6   # the hop alone
    python bench/redis_backends.py --summarize /tmp/redis-backends   # the table again

The backend is chosen by FLOWMAP_REDIS_BACKEND (app/broker/__init__.py). Only
W6's two processes use Redis; W1 and W4 run one process without it, so they
show what the choice costs a deployment without Redis: nothing, within noise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("own", "redis-py")


def run(out: Path, rounds: int, seconds: float, parts: str) -> None:
    for round_ in range(1, rounds + 1):
        for backend in BACKENDS:
            folder = out / f"{round_}-{backend}"
            print(f"== round {round_}: {backend}", flush=True)
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "run.py"), "--only", parts,
                 "--targets", "Flowmap", "--seconds", f"{seconds:g}", "--no-wait",
                 "--out", str(folder), "--json", str(folder / "results.json")],
                env={**os.environ, "FLOWMAP_REDIS_BACKEND": backend}, check=True,
            )  # fmt: skip


def summarize(out: Path) -> list[str]:
    lines = [
        "| run | W6 hop p50 / p99 ms | W6 cross p50 / p99 ms | W6 CPU/edit µs"
        " | W1 CPU/edit µs | W4 CPU/edit µs @1250 | W4 capacity edits/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for folder in sorted(p for p in out.iterdir() if (p / "results.json").exists()):
        lines.append(f"| {folder.name} | " + " | ".join(figures(folder / "results.json")) + " |")
    return lines


def figures(path: Path) -> list[str]:
    results: dict[str, Any] = json.loads(path.read_text())
    w1 = next((r for r in results.get("steady", []) if r["workload"] == "W1"), None)
    sweep: list[dict[str, Any]] = results.get("sweep", {}).get("Flowmap", [])
    passed = [r for r in sweep if not _failed(r)]
    at_1250 = next((r for r in sweep if r["offered_rate"] == 1250), None)
    pair = results["scale_out"][1]
    same, cross = pair["same_process"], pair["cross_process"]
    hop = [cross[p] - same[p] for p in ("p50", "p99")]
    return [
        f"{hop[0]:.2f} / {hop[1]:.2f}",
        f"{cross['p50']:.2f} / {cross['p99']:.2f}",
        f"{pair['cpu_per_edit_us']:.0f}",
        f"{w1['cpu_per_edit_us']:.0f}" if w1 else "-",
        f"{at_1250['cpu_per_edit_us']:.0f}" if at_1250 else "-",
        f"{passed[-1]['offered_rate']:.0f}" if passed else "-",
    ]


def _failed(row: dict[str, Any]) -> bool:
    p99 = row["peer"]["p99"]
    return p99 is None or p99 > 50 or bool(row["missed"] or row["disconnects"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", default="W1,W4,W6", help="bench/run.py's parts to run")
    parser.add_argument("--seconds", type=float, default=8.0, help="W1's measured window")
    parser.add_argument("--out", type=Path, default=Path("/tmp/redis-backends"))
    parser.add_argument("--summarize", type=Path, help="only print the table of an earlier run")
    args = parser.parse_args()
    if args.summarize is None:
        run(args.out, args.rounds, args.seconds, args.only)
    print("\n".join(summarize(args.summarize or args.out)))


if __name__ == "__main__":
    main()
