"""Flowmap's benchmark: the same workloads against B0, B1 and Flowmap; a report.

    python bench/run.py --quick      # W1 against B0 and Flowmap, well under a minute
    python bench/run.py              # W1..W8 and idle memory; writes bench/results/
    python bench/run.py --profile    # Flowmap under W1 and W4 with py-spy

The last line printed is always
`cpu_ratio_vs_floor=<x> p99_extra_ms=<y> missed=<n>` for W1: Flowmap's CPU per
edit as a multiple of B0's, its p99 edit-to-peer latency minus B0's, and the
entries it failed to deliver in order. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvloop  # noqa: E402

from bench.load import Spec, run_workload  # noqa: E402
from bench.procstat import core_split, pin  # noqa: E402
from bench.profiling import profile_run  # noqa: E402
from bench.proxied import FLOOR as FLOOR_PROXIED  # noqa: E402
from bench.proxied import SUBJECT as SUBJECT_PROXIED  # noqa: E402
from bench.proxied import run_behind_proxy, run_floor_behind_proxy  # noqa: E402
from bench.report import last_line, steady_table, write_report  # noqa: E402
from bench.scenarios import run_idle, run_reconnect, run_scale_out, run_sweep  # noqa: E402
from bench.stats import merge_repeats  # noqa: E402
from bench.targets import Target, flowmap, relay, started  # noqa: E402
from bench.window import QuietGate  # noqa: E402
from bench.workloads import W1, W2, W3, W7, W8, quick, w4_step  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = ("B0", "B1", "Flowmap")
PARTS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W8x3", "idle")
STEADY = {"W1": W1, "W2": W2, "W3": W3, "W7": W7, "W8": W8}
# The headline workloads run three times (median reported): on a shared machine one
# run can be spoiled by a neighbour's burst. The others run once.
REPEATS = {"W1": 3, "W7": 3, "W6": 3}
# The W4 rate Flowmap is profiled at: busy, yet below where it falls over.
PROFILE_W4_RATE = 1000
QUICK_SECONDS = 10.0
# Waiting for a quiet machine (load.QuietGate), in seconds: up to 15 before each measured
# run and 120 in all for a full run; 5 in all for --quick, which must stay under a minute.
FULL_WAIT, FULL_WAIT_PER_RUN = 120.0, 15.0
QUICK_WAIT = 5.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="W1 against B0 and Flowmap only")
    mode.add_argument(
        "--profile",
        action="store_true",
        help="profile Flowmap under W1 and W4 (or the steady workloads --only names)",
    )
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma list of {','.join(PARTS)}")
    parser.add_argument(
        "--targets",
        default=",".join(TARGETS),
        help="comma list of B0,B1,Flowmap (and Bare: bench/serve_bare.py)",
    )
    parser.add_argument("--seconds", type=float, help="measured window of the steady workloads")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the report goes")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and load to cores")
    parser.add_argument(
        "--no-wait", action="store_true", help="do not wait for a quiet machine before each run"
    )
    return parser.parse_args(argv)


class Bench:
    """One invocation: where servers run, where their logs go, what has been measured."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        split = None if args.no_pin else core_split()
        self.server_cores: set[int] | None = split[0] if split else None
        loadgen_cores = split[1] if split else None
        pin(loadgen_cores)
        self.workdir = Path(tempfile.mkdtemp(prefix="flowmap-bench-"))
        self.targets = [t for t in args.targets.split(",") if t]
        self.results: dict[str, Any] = {"meta": self.meta(split)}
        gate = (
            QuietGate(QUICK_WAIT, QUICK_WAIT)
            if args.quick
            else QuietGate(FULL_WAIT, FULL_WAIT_PER_RUN)
        )
        self.gate = None if args.no_wait else gate

    def meta(self, split: tuple[set[int], set[int]] | None) -> dict[str, Any]:
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        models = [
            line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")
        ]
        model = models[0] if models else platform.machine()
        pinning = (f"servers on core(s) {sorted(split[0])}, load generator on {sorted(split[1])}"
                   if split else "none")  # fmt: skip
        return {
            "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{os.cpu_count()} × {model}, Python {platform.python_version()}, "
            f"websockets {version('websockets')}, uvicorn {version('uvicorn')}",
            "pinning": pinning,
            "note": f"Load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}.",
        }

    def target(self, name: str, unlimited: bool = False) -> Target:
        """A fresh target; `unlimited`: Flowmap without its per-connection edit limit (W4)."""
        if name == "Flowmap":
            module = "bench.serve_unlimited" if unlimited else "app.cli"
            return flowmap(self.workdir, self.server_cores, module=module)
        if name.startswith("Bare"):  # Flowmap without commit, metrics or forecast; Bare-commit
            # (or -metrics, -forecast, joined by +) without that alone (bench/serve_bare.py)
            parts = name.partition("-")[2].replace("+", ",")
            strip = {"FLOWMAP_BARE_STRIP": parts} if parts else {}
            return flowmap(
                self.workdir, self.server_cores, module="bench.serve_bare", name=name, env=strip
            )
        return relay(name, self.workdir, self.server_cores)

    def spec(self, spec: Spec) -> Spec:
        return replace(spec, measure=self.args.seconds) if self.args.seconds else spec

    async def each_target(
        self,
        group: str,
        label: str,
        work: Callable[[Target], Awaitable[Any]],
        unlimited: bool = False,
        repeats: int = 1,
    ) -> None:
        """Run `work` against each target on a fresh server, `repeats` rounds of every target
        in turn (so a busy minute on the machine hits them all); median rows are recorded."""
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in self.targets}
        for _ in range(repeats):
            for name in self.targets:
                try:
                    async with started(self.target(name, unlimited)) as target:
                        result = await work(target)
                except Exception as err:  # one broken run must not lose the others
                    result = {"workload": label, "target": name, "skipped": f"error: {err!r}"[:400]}
                runs[name].append(result)
                if repeats > 1:
                    print(progress(result, "run"), flush=True)
        for name, results in runs.items():
            failed = [r for r in results if "skipped" in r]
            self.record(group, name, failed[0] if failed else merge_repeats(results))

    def record(self, group: str, name: str, result: Any) -> None:
        if group == "sweep":
            self.results.setdefault("sweep", {})[name] = result if isinstance(result, list) else []
        else:
            self.results.setdefault(group, []).extend(
                result if isinstance(result, list) else [result]
            )
        for row in result if isinstance(result, list) else [result]:
            print(progress(row), flush=True)


def progress(row: dict[str, Any], kind: str = "") -> str:
    """One line per result as the run goes (`kind` "run": one repeat of several)."""
    head = f"{kind:>3} {row['workload']:>5} {row['target']:<17}"
    if "skipped" in row:
        return f"{head} skipped: {row['skipped']}"
    if "peer" in row and "edit_rate" in row:
        cpu, p99 = row["cpu_per_edit_us"] or 0, row["peer"]["p99"] or 0
        return (f"{head} {row['edit_rate']:7.0f} edits/s  cpu/edit {cpu:7.0f} µs  "
                f"p99 {p99:8.2f} ms  missed {row['missed']}")  # fmt: skip
    return f"{head} " + json.dumps(
        {k: v for k, v in row.items() if isinstance(v, int | float) and k != "target"}
    )


async def run_quick(bench: Bench) -> None:
    spec = quick(bench.args.seconds or QUICK_SECONDS)
    bench.targets = ["B0", "Flowmap"]
    await bench.each_target("steady", "W1", partial(run_workload, spec, gate=bench.gate))


async def run_full(bench: Bench) -> None:
    parts = set(bench.args.only.split(","))
    for name, spec in STEADY.items():
        if name in parts:
            work = partial(run_workload, bench.spec(spec), gate=bench.gate)
            await bench.each_target("steady", name, work, repeats=REPEATS.get(name, 1))
    if "W4" in parts:
        sweep = partial(run_sweep, gate=bench.gate)
        await bench.each_target("sweep", "W4", sweep, unlimited=True)
    if "W5" in parts:
        await bench.each_target("reconnect", "W5", partial(run_reconnect, gate=bench.gate))
    if "W6" in parts:
        rows = await run_scale_out(bench.workdir, bench.server_cores, REPEATS["W6"], bench.gate)
        bench.record("scale_out", "Flowmap", rows)
    if "W8x3" in parts:  # W8 through HAProxy in front of three processes (bench/proxied.py)
        w8x3 = (bench.spec(W8), bench.workdir, bench.server_cores, bench.gate)
        if "B0" in bench.targets:  # the floor of the same run: three B0 relays behind it
            bench.record("steady", FLOOR_PROXIED, await run_floor_behind_proxy(*w8x3))
        if "Flowmap" in bench.targets:
            bench.record("steady", SUBJECT_PROXIED, await run_behind_proxy(*w8x3))
    if "idle" in parts:
        await bench.each_target("idle", "idle", run_idle)
    loads = " ".join(f"{x:.2f}" for x in os.getloadavg())
    waited = bench.gate.waited if bench.gate else 0.0
    bench.results["meta"]["end"] = (
        f"Load average at the end: {loads}; waited {waited:.0f} s in all for a quiet machine."
    )
    report = write_report(bench.results, bench.args.out)
    print(f"report: {report}")


async def run_profile(bench: Bench) -> None:
    bench.args.out.mkdir(parents=True, exist_ok=True)
    chosen = [STEADY[p] for p in bench.args.only.split(",") if p in STEADY]
    if bench.args.only == ",".join(PARTS) or not chosen:
        specs = [bench.spec(W1), replace(w4_step(PROFILE_W4_RATE), measure=10)]
    else:
        specs = [bench.spec(spec) for spec in chosen]
    for spec in specs:
        async with started(bench.target("Flowmap", unlimited=spec.name == "W4")) as target:
            outcome = await profile_run(spec, target, bench.args.out / f"profile-{spec.name}")
        bench.record("steady", "Flowmap", outcome["row"])
        print(f"profile {spec.name}: {bench.args.out / f'profile-{spec.name}.md'}")
        for name, share in outcome["profile"]["areas"][:8]:
            print(f"    {100 * share:5.1f}%  {name}")


async def main_async(argv: Sequence[str] | None) -> str:
    bench = Bench(parse_args(argv))
    if bench.args.quick:
        await run_quick(bench)
    elif bench.args.profile:
        await run_profile(bench)
    else:
        await run_full(bench)
    if bench.args.json:
        bench.args.json.write_text(json.dumps(bench.results, indent=1))
    steady = bench.results.get("steady", [])
    for line in steady_table(steady) if bench.args.quick else []:
        print(line)
    return last_line(steady)


def main(argv: Sequence[str] | None = None) -> None:
    print(uvloop.run(main_async(argv)), flush=True)


if __name__ == "__main__":
    main()
