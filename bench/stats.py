"""Percentiles and the per-run summary the report is built from."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

PERCENTILES = (50, 90, 99, 99.9)


def percentile(sorted_values: Sequence[int], p: float) -> float | None:
    """Nearest-rank percentile of already sorted values; None when there are none."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil, at least the first
    return float(sorted_values[min(int(rank), len(sorted_values)) - 1])


def latency_summary(samples_us: Sequence[int]) -> dict[str, Any]:
    """Count, p50/p90/p99/p99.9 and max, in milliseconds."""
    ordered = sorted(samples_us)
    summary: dict[str, Any] = {"n": len(ordered)}
    for p in PERCENTILES:
        value = percentile(ordered, p)
        summary[f"p{p:g}"] = None if value is None else value / 1000
    summary["max"] = ordered[-1] / 1000 if ordered else None
    return summary


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def fmt(value: float | None, digits: int = 2) -> str:
    """A table cell: the number, or an en dash when there is none."""
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


# Per-run figures that a repeated run reports as their median.
MEDIAN_FIELDS = ("edit_rate", "server_cpu_s", "server_util", "cpu_per_edit_us", "loadgen_util",
                 "server_wait", "loadgen_wait", "others_util", "send_lag_p99_ms", "join_seconds",
                 "rss_mib")  # fmt: skip
# Counts that a repeated run adds up: a message missed in any repeat is missed.
SUM_FIELDS = ("edits", "gaps", "out_of_order", "unacked", "behind", "missed", "errors",
              "disconnects", "frames", "late_sends")  # fmt: skip
LATENCY_FIELDS = ("peer", "same_process", "cross_process", "ack", "drag")


def _median(values: list[Any]) -> Any:
    present = sorted(v for v in values if v is not None)
    return statistics.median(present) if present else None


def merge_repeats(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One row for several runs of the same workload and target.

    Rates, CPU and each latency percentile are the median over the runs (one
    run spoiled by a neighbour's burst on a shared machine does not decide the
    figure); counts of missed, reordered and refused messages are summed.
    """
    if len(rows) == 1:
        return rows[0]
    merged = dict(rows[0])
    for key in MEDIAN_FIELDS:
        merged[key] = _median([r.get(key) for r in rows])
    for key in SUM_FIELDS:
        merged[key] = sum(r.get(key) or 0 for r in rows)
    for key in LATENCY_FIELDS:
        summaries = [r[key] for r in rows if r.get(key)]
        if summaries:
            merged[key] = {k: _median([s.get(k) for s in summaries]) for k in summaries[0]}
            merged[key]["n"] = sum(s["n"] for s in summaries)
    merged["error_samples"] = [e for r in rows for e in r.get("error_samples", [])][:5]
    merged["repeats"] = len(rows)
    merged["p99_each"] = [r["peer"]["p99"] for r in rows]
    merged["cpu_per_edit_each"] = [r["cpu_per_edit_us"] for r in rows]
    return merged
