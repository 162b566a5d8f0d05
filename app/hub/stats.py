"""Process-wide counters for the /metrics endpoint (Prometheus text format)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

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

    def observe_batch(self, seconds: float) -> None:
        """Time from a batch's first arrival to its broadcast."""
        self.batches += 1
        self.latency_sum += seconds
        self.latency_counts[bisect_left(LATENCY_BUCKETS, seconds)] += 1

    def render(self, boards_open: int) -> str:
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
            "# TYPE flowmap_broadcast_latency_seconds histogram",
        ]
        running = 0
        for bound, count in zip(LATENCY_BUCKETS, self.latency_counts, strict=False):
            running += count
            lines.append(f'flowmap_broadcast_latency_seconds_bucket{{le="{bound}"}} {running}')
        lines.append(f'flowmap_broadcast_latency_seconds_bucket{{le="+Inf"}} {self.batches}')
        lines.append(f"flowmap_broadcast_latency_seconds_sum {self.latency_sum:.6f}")
        lines.append(f"flowmap_broadcast_latency_seconds_count {self.batches}")
        return "\n".join(lines) + "\n"
