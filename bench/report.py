"""Turn a run's results into bench/results/report.md, its two figures, and the closing line.

line = last_line(results["steady"])   # cpu_ratio_vs_floor=... p99_extra_ms=... missed=...
write_report(results, Path("bench/results"))
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.stats import PERCENTILES, fmt, ratio
from bench.svgplot import Panel, render
from bench.workloads import W4_P99_LIMIT_MS, W4_TARGET_RATE, W8

FLOOR = "B0"
SUBJECT = "Flowmap"
# A sweep step counts toward capacity only if the clients really sent (nearly) the offered rate.
ACHIEVED_SHARE = 0.9
# Above this, the load generator (not the server) may be what limits a row.
LOADGEN_BUSY = 0.85


def row_for(rows: list[dict[str, Any]], workload: str, target: str) -> dict[str, Any] | None:
    """The measured row of `target` on `workload` (None if it was not run or failed)."""
    return next(
        (r for r in rows if r["workload"] == workload and r["target"] == target and "peer" in r),
        None,
    )


def floor_row(rows: list[dict[str, Any]], workload: str) -> dict[str, Any] | None:
    """B0's row of `workload`; for a run behind the proxy (W8×3), the three B0 relays' row."""
    proxied = (r["target"] for r in rows if r["target"].startswith(f"{FLOOR}×"))
    return row_for(rows, workload, FLOOR) or row_for(rows, workload, next(proxied, FLOOR))


def versus_floor(
    rows: list[dict[str, Any]], workload: str, target: str = SUBJECT
) -> dict[str, Any]:
    """CPU per edit as a multiple of B0's, and p99 edit-to-peer as B0's plus a difference."""
    floor, row = floor_row(rows, workload), row_for(rows, workload, target)
    if floor is None or row is None:
        missed = None if row is None else row["missed"]
        return {"cpu_ratio": None, "p99_extra_ms": None, "missed": missed}
    p99, floor_p99 = row["peer"]["p99"], floor["peer"]["p99"]
    return {
        "cpu_ratio": ratio(row["cpu_per_edit_us"], floor["cpu_per_edit_us"]),
        "p99_floor_ms": floor_p99,
        "p99_extra_ms": None if p99 is None or floor_p99 is None else p99 - floor_p99,
        "missed": row["missed"],
    }


def last_line(rows: list[dict[str, Any]], workload: str = "W1") -> str:
    """The line `run.py` ends with: Flowmap against the floor on W1."""
    v = versus_floor(rows, workload)
    cpu = "nan" if v["cpu_ratio"] is None else f"{v['cpu_ratio']:.2f}"
    extra = "nan" if v["p99_extra_ms"] is None else f"{v['p99_extra_ms']:.2f}"
    missed = -1 if v["missed"] is None else v["missed"]
    return f"cpu_ratio_vs_floor={cpu} p99_extra_ms={extra} missed={missed}"


def _ms(summary: dict[str, Any] | None, key: str = "p99") -> float | None:
    return None if summary is None else summary.get(key)


def steady_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| workload | target | edits/s | server CPU (% core) | CPU/edit µs | × B0 | p50 ms "
        "| p99 ms | p99 = B0 + | p99 ack ms | p99 drag ms | missed | server waited | "
        "others' CPU | load gen CPU |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if "skipped" in row:
            lines.append(f"| {row['workload']} | {row['target']} | skipped: {row['skipped']} |")
            continue
        v = versus_floor(rows, row["workload"], row["target"])
        busy = _busy(row)
        label = (
            f"{row['workload']} (median of {row['repeats']})"
            if "repeats" in row
            else row["workload"]
        )
        lines.append(
            f"| {label} | {row['target']} | {fmt(row['edit_rate'], 0)} "
            f"| {fmt(100 * row['server_util'], 0)} | {fmt(row['cpu_per_edit_us'], 0)} "
            f"| {fmt(v['cpu_ratio'])} | {fmt(_ms(row['peer'], 'p50'))} | {fmt(_ms(row['peer']))} "
            f"| {fmt(v['p99_extra_ms'])} | {fmt(_ms(row['ack']))} | {fmt(_ms(row['drag']))} "
            f"| {row['missed']} | {fmt(100 * row['server_wait'], 0)}% "
            f"| {fmt(row['others_util'], 2)} cores | {fmt(100 * row['loadgen_util'], 0)}%{busy} |"
        )
    return lines


def capacity(sweep: list[dict[str, Any]]) -> float | None:
    """The highest rate W4 sustained: p99 within the limit, nothing missed, rate really sent."""
    passing = [
        r["offered_rate"]
        for r in sweep
        if r["peer"]["p99"] is not None
        and r["peer"]["p99"] <= W4_P99_LIMIT_MS
        and not r["missed"]
        and not r["disconnects"]
        and r["edit_rate"] >= ACHIEVED_SHARE * r["offered_rate"]
    ]
    return max(passing) if passing else None


def sweep_table(sweeps: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines = [
        "| target | offered/s | sent/s | server CPU (% core) | CPU/edit µs | p50 ms | p99 ms "
        "| missed | server waited | others' CPU | load gen CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for target, rows in sweeps.items():
        for r in rows:
            again = " (2nd try)" if r.get("retried") else ""
            lines.append(
                f"| {target} | {fmt(r['offered_rate'], 0)}{again} | {fmt(r['edit_rate'], 0)} "
                f"| {fmt(100 * r['server_util'], 0)} | {fmt(r['cpu_per_edit_us'], 0)} "
                f"| {fmt(_ms(r['peer'], 'p50'))} | {fmt(_ms(r['peer']))} | {r['missed']} "
                f"| {fmt(100 * r['server_wait'], 0)}% | {fmt(r['others_util'], 2)} cores "
                f"| {fmt(100 * r['loadgen_util'], 0)}%{_busy(r)} |"
            )
    return lines


def _busy(row: dict[str, Any] | None) -> str:
    """⚠ where the load generator was past LOADGEN_BUSY: it may be what limits."""
    return " ⚠" if row and row.get("loadgen_util", 0) > LOADGEN_BUSY else ""


def _client_bound(row: dict[str, Any] | None) -> str:
    if not _busy(row):
        return ""
    return f" ⚠ load generator {fmt(100 * row['loadgen_util'], 0)}% busy" if row else ""


def reconnect_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| target | clients | entries replayed | catch-up p50 ms | p99 ms | all caught up (s) "
        "| within 2 s | snapshots | server CPU s | missed |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['target']} | {r['clients']} | {r['entries_replayed']} "
            f"| {fmt(_ms(r['catch_up'], 'p50'), 0)} | {fmt(_ms(r['catch_up']), 0)} "
            f"| {fmt(r['all_caught_up_s'])} | {'yes' if r['within_target'] else 'NO'} "
            f"| {r['snapshots']} | {fmt(r['server_cpu_s'])} | {r['missed']} |"
        )
    return lines


def idle_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| target | idle connections | RSS before MiB | RSS after MiB | KiB per connection |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['target']} | {r['connections']} | {fmt(r['rss_before_mib'], 1)} "
            f"| {fmt(r['rss_after_mib'], 1)} | {fmt(r['kib_per_connection'], 1)} |"
        )
    return lines


def scale_out_lines(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| target | edits/s | server CPU (% core, all processes) | p99 same process ms "
        "| p99 cross process ms | p99 all ms | missed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {r['target']} | skipped: {r['skipped']} | | | | | |")
            continue
        same = r["same_process"] or r["peer"]
        lines.append(
            f"| {r['target']} | {fmt(r['edit_rate'], 0)} | {fmt(100 * r['server_util'], 0)} "
            f"| {fmt(_ms(same))} | {fmt(_ms(r['cross_process']))} | {fmt(_ms(r['peer']))} "
            f"| {r['missed']} |"
        )
    if len(rows) == 2 and "skipped" not in rows[1]:
        lines += ["", f"Redis hop at p99: {fmt(redis_hop(rows))} ms against one process; "
                  f"{fmt(redis_hop_in_run(rows))} ms against same-process peers of the same"
                  " run."]  # fmt: skip
    return lines


def redis_hop_in_run(rows: list[dict[str, Any]]) -> float | None:
    """What crossing processes adds to p99, against peers on the sender's own process
    in the same two-process run (so both sides share the racing for the board)."""
    if len(rows) != 2 or "skipped" in rows[1]:
        return None
    same, cross = _ms(rows[1]["same_process"]), _ms(rows[1]["cross_process"])
    return None if same is None or cross is None else cross - same


def redis_hop(rows: list[dict[str, Any]]) -> float | None:
    """What crossing processes through Redis adds to p99 edit-to-peer, against one process."""
    if len(rows) != 2 or "skipped" in rows[1]:
        return None
    one, two = _ms(rows[0]["peer"]), _ms(rows[1]["cross_process"])
    return None if one is None or two is None else two - one


def latency_figure(rows: list[dict[str, Any]]) -> str:
    """Edit-to-peer percentiles, one panel per workload, one line per target."""
    keys = [f"p{p:g}" for p in PERCENTILES]
    panels = []
    for workload in dict.fromkeys(r["workload"] for r in rows if "peer" in r):
        series = {
            r["target"]: [r["peer"].get(k) for k in keys]
            for r in rows
            if r["workload"] == workload and "peer" in r
        }
        panels.append(Panel(f"{workload}: edit-to-peer latency", list(range(len(keys))), keys,
                            series, "ms (log)"))  # fmt: skip
    return render(panels)


def capacity_figure(sweeps: dict[str, list[dict[str, Any]]]) -> str:
    """W4: p99 edit-to-peer and server CPU against the offered rate, one line per target."""
    rates = sorted({r["offered_rate"] for rows in sweeps.values() for r in rows})
    labels = [f"{r:g}" for r in rates]

    def by_rate(rows: list[dict[str, Any]], value: Any) -> list[float | None]:
        found = {r["offered_rate"]: value(r) for r in rows}
        return [found.get(rate) for rate in rates]

    p99 = {t: by_rate(rows, lambda r: r["peer"]["p99"]) for t, rows in sweeps.items()}
    cpu = {t: by_rate(rows, lambda r: 100 * r["server_util"]) for t, rows in sweeps.items()}
    return render(
        [
            Panel("W4: p99 edit-to-peer vs edits/s", list(range(len(rates))), labels, p99,
                  "ms (log)", hline=W4_P99_LIMIT_MS),
            Panel("W4: server CPU vs edits/s", list(range(len(rates))), labels, cpu,
                  "% of one core", log_y=False),
        ]
    )  # fmt: skip


def headline(results: dict[str, Any]) -> list[str]:
    """The issue's targets, each with what was measured."""
    steady = results.get("steady", [])
    w1 = versus_floor(steady, "W1")
    flowmap_sweep = results.get("sweep", {}).get(SUBJECT, [])
    cap = capacity(flowmap_sweep)
    half = [r for r in flowmap_sweep if cap and r["offered_rate"] <= cap / 2]
    half_p99 = half[-1]["peer"]["p99"] if half else None
    # "Half that rate" read both ways: half the 2,500/s asked for, and half what was reached.
    target_half = [r for r in flowmap_sweep if r["offered_rate"] <= W4_TARGET_RATE / 2]
    target_half_p99 = target_half[-1]["peer"]["p99"] if target_half else None
    w7 = row_for(steady, "W7", SUBJECT)
    w8 = row_for(steady, "W8", SUBJECT)
    # Server memory (RSS, everything included) over W8's connections, as they work.
    w8_kib = 1024 * w8["rss_mib"] / (W8.boards * W8.clients) if w8 else None
    # The first step past the capacity: what stopped the sweep, the server or its client?
    beyond = next((r for r in flowmap_sweep if cap is None or r["offered_rate"] > cap), None)
    w5 = row_for(results.get("reconnect", []), "W5", SUBJECT)
    idle = next((r for r in results.get("idle", []) if r["target"] == SUBJECT), None)
    idle_kib = idle["kib_per_connection"] if idle else None
    scale_out = results.get("scale_out", [])
    skipped = next((r["skipped"] for r in scale_out if "skipped" in r), None)
    w6 = (
        f"skipped: {skipped}"
        if skipped
        else f"{fmt(redis_hop_in_run(scale_out))} ms against same-process peers of the same run;"
        f" {fmt(redis_hop(scale_out))} ms against one process alone"
    )
    missed = sum(
        r.get("missed") or 0
        for group in ("steady", "reconnect", "scale_out")
        for r in results.get(group, [])
    )
    missed += sum(r["missed"] for rows in results.get("sweep", {}).values() for r in rows[:-1])
    return [
        "| target (issue 6) | measured |",
        "|---|---|",
        f"| W1 CPU per edit ≤ 2× B0 | {fmt(w1['cpu_ratio'])}× |",
        f"| W1 p99 edit-to-peer ≤ B0 + 2 ms | B0 {fmt(w1.get('p99_floor_ms'))} ms "
        f"+ {fmt(w1['p99_extra_ms'])} ms |",
        f"| W4 ≥ 2,500 edits/s, 30 peers, one core | {fmt(cap, 0)} edits/s"
        f"{_client_bound(beyond)} |",
        f"| W4 p99 ≤ 10 ms at half that rate | {fmt(target_half_p99)} ms "
        f"(at {fmt(target_half[-1]['offered_rate'], 0) if target_half else '–'}/s); "
        f"{fmt(half_p99)} ms at half the capacity reached "
        f"({fmt(half[-1]['offered_rate'], 0) if half else '–'}/s) |",
        f"| W7 p99 edit-to-peer ≤ 50 ms | {fmt(_ms(w7['peer']) if w7 else None)} ms"
        f"{_client_bound(w7)} |",
        f"| W8 (issue 20) p99 edit-to-peer ≤ 50 ms, 2,400 connections | "
        f"{fmt(_ms(w8['peer']) if w8 else None)} ms{_client_bound(w8)}; "
        f"{fmt(w8_kib, 1)} KiB of server memory per busy connection |",
        f"| W5 all 200 caught up within 2 s | {fmt(w5['all_caught_up_s'] if w5 else None)} s |",
        f"| W6 Redis hop ≤ 1 ms at p99 | {w6} |",
        f"| idle connection ≤ 25 KiB | {fmt(idle_kib, 1)} KiB |",
        f"| never a missed or reordered message | {missed} missed (every run but W4's last step) |",
    ]


def write_report(results: dict[str, Any], out: Path) -> Path:
    """report.md, latency.svg, capacity.svg and results.json in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True))
    steady = results.get("steady", [])
    sweeps = results.get("sweep", {})
    (out / "latency.svg").write_text(latency_figure(steady))
    if sweeps:
        (out / "capacity.svg").write_text(capacity_figure(sweeps))
    meta = results.get("meta", {})
    md = ["# Flowmap benchmark", "",
          f"Run {meta.get('started', '?')} on {meta.get('machine', '?')}.",
          f"Pinning: {meta.get('pinning', '?')}. {meta.get('note', '')} {meta.get('end', '')}",
          "",
          "## Against the issue's targets", "", *headline(results), "",
          "## Steady workloads (W1, W2, W3, W7, W8)", "", *steady_table(steady), "",
          "![edit-to-peer latency percentiles](latency.svg)", ""]  # fmt: skip
    if sweeps:
        md += ["## W4: capacity sweep (30 peers, all editing)", "", *sweep_table(sweeps), "",
               f"Capacity: {', '.join(f'{t} {fmt(capacity(r), 0)}/s' for t, r in sweeps.items())}.",
               "", "![capacity curve](capacity.svg)", ""]  # fmt: skip
    if results.get("reconnect"):
        md += [
            "## W5: 200 clients reconnect at once",
            "",
            *reconnect_table(results["reconnect"]),
            "",
        ]
    if results.get("scale_out"):
        md += ["## W6: two processes over PostgreSQL and Redis", "",
               *scale_out_lines(results["scale_out"]), ""]  # fmt: skip
    if results.get("idle"):
        md += ["## Memory per idle connection", "", *idle_table(results["idle"]), ""]
    md += ["How to read these: bench/README.md.", ""]
    path = out / "report.md"
    path.write_text("\n".join(md))
    return path
