"""Process-wide counters for the /metrics endpoint (Prometheus text format)."""

from __future__ import annotations

import gc
from bisect import bisect_left
from dataclasses import dataclass, field

from app.hub.lag import LagWindow

# Commit-to-broadcast latency buckets in seconds: a live board should sit in the first few.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


@dataclass
class Stats:
    """Plain numbers the room and the websocket bump; rendered on demand."""

    connections: int = 0
    ops_applied: int = 0
    ops_rejected: int = 0
    errors: int = 0
    batches: int = 0
    latency_counts: list[int] = field(default_factory=lambda: [0] * (len(LATENCY_BUCKETS) + 1))
    latency_sum: float = 0.0
    # Fan-out between processes (zero on a single process).
    broker_published: int = 0  # messages handed to the broker
    broker_publish_errors: int = 0  # publish attempts that failed (retried)
    broker_dropped: int = 0  # messages given up on: the receivers fill the gap from the log
    broker_received: int = 0  # messages from other processes
    broker_reconnects: int = 0
    remote_ops: int = 0  # operations other processes committed, applied here
    gap_fills: int = 0  # reads of the op log that found operations the broker had not brought
    seq_conflicts: int = 0  # commits that lost the race for a board to another process
    locked_commits: int = 0  # commits made with the board row locked, after lost races
    # Publish on another process to arrival here, the last minute (the broker observes it).
    fanout_lag: LagWindow = field(default_factory=LagWindow)
    metrics_skipped: int = 0  # batches that could not change a number: no recompute
    metrics_deferred: int = 0  # batches whose recompute waited for the next interval

    def observe_batch(self, seconds: float) -> None:
        """Time from a batch's first arrival to its broadcast."""
        self.batches += 1
        self.latency_sum += seconds
        self.latency_counts[bisect_left(LATENCY_BUCKETS, seconds)] += 1

    def render(self, boards_open: int, broker_healthy: bool | None = None) -> str:
        """The exposition text; `broker_healthy` is None when there is no shared broker."""
        lines = [
            "# TYPE flowmap_connections gauge",
            f"flowmap_connections {self.connections}",
            "# TYPE flowmap_boards_open gauge",
            f"flowmap_boards_open {boards_open}",
            "# TYPE flowmap_ops_applied_total counter",
            f"flowmap_ops_applied_total {self.ops_applied}",
            "# TYPE flowmap_ops_rejected_total counter",
            f"flowmap_ops_rejected_total {self.ops_rejected}",
            "# TYPE flowmap_errors_total counter",
            f"flowmap_errors_total {self.errors}",
            "# TYPE flowmap_metrics_skipped_total counter",
            f"flowmap_metrics_skipped_total {self.metrics_skipped}",
            "# TYPE flowmap_metrics_deferred_total counter",
            f"flowmap_metrics_deferred_total {self.metrics_deferred}",
            "# TYPE flowmap_broadcast_latency_seconds histogram",
        ]
        running = 0
        for bound, count in zip(LATENCY_BUCKETS, self.latency_counts, strict=False):
            running += count
            lines.append(f'flowmap_broadcast_latency_seconds_bucket{{le="{bound}"}} {running}')
        lines.append(f'flowmap_broadcast_latency_seconds_bucket{{le="+Inf"}} {self.batches}')
        lines.append(f"flowmap_broadcast_latency_seconds_sum {self.latency_sum:.6f}")
        lines.append(f"flowmap_broadcast_latency_seconds_count {self.batches}")
        lines += self._broker_lines(broker_healthy)
        lines += self._gc_lines()
        return "\n".join(lines) + "\n"

    @staticmethod
    def _gc_lines() -> list[str]:
        """The collector's work by generation, and what start-up froze (app.main)."""
        lines = ["# TYPE flowmap_gc_collections_total counter"]
        for generation, stats in enumerate(gc.get_stats()):
            lines.append(
                f'flowmap_gc_collections_total{{generation="{generation}"}} {stats["collections"]}'
            )
        lines += ["# TYPE flowmap_gc_frozen_objects gauge",
                  f"flowmap_gc_frozen_objects {gc.get_freeze_count()}"]  # fmt: skip
        return lines

    def _broker_lines(self, healthy: bool | None) -> list[str]:
        counters = {
            "flowmap_broker_published_total": self.broker_published,
            "flowmap_broker_publish_errors_total": self.broker_publish_errors,
            "flowmap_broker_dropped_total": self.broker_dropped,
            "flowmap_broker_received_total": self.broker_received,
            "flowmap_broker_reconnects_total": self.broker_reconnects,
            "flowmap_remote_ops_applied_total": self.remote_ops,
            "flowmap_gap_fills_total": self.gap_fills,
            "flowmap_seq_conflicts_total": self.seq_conflicts,
            "flowmap_locked_commits_total": self.locked_commits,
        }
        lines: list[str] = []
        for name, value in counters.items():
            lines += [f"# TYPE {name} counter", f"{name} {value}"]
        if healthy is not None:
            lines += ["# TYPE flowmap_broker_healthy gauge", f"flowmap_broker_healthy {healthy:d}"]
        return lines
