"""`flowmap serve` without what DESIGN section 3 asks of every edit beyond a relay's work:
for measuring how far below Flowmap a target lies, never for serving anyone.

Three things come off: the commit (a batch's ops are not written to the op log, so an
acknowledged edit would not survive a crash), the live metrics (no recompute, no
`metrics` frames) and the forecast (never due). What is left is the protocol (parsing,
the checks every message gets), the hub (ordering, planning and applying a batch to
the board, the ack and the broadcast, the drags and cursors) and the transport.
`run.py --targets B0,Flowmap,Bare` runs it beside the others (`Bare-commit`, `Bare-metrics`,
`Bare-forecast`, or two joined by `+`, take off only those); if Bare alone is over
a target's multiple of B0, no trimming of the commit or the metrics can reach it.

    python -m bench.serve_bare serve --port 8000 --database-url sqlite:///b.db
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from app.cli import main
from app.hub.forecast_feed import ForecastFeed
from app.hub.metrics_feed import Heads, MetricsFeed
from app.hub.ports import StoredOp
from app.store.oplog_sqlite import SqliteOpLog


def _no_commit(
    self: SqliteOpLog, board_id: str, expected_seq: int, ops: Sequence[StoredOp]
) -> None:
    """The batch's ops are not written (a board's own fields, rare, still are)."""


def _ops_alone(self: MetricsFeed, ops: bytes, changed: bool, heads: Heads | None = None) -> None:
    self._send_ops(ops, heads)


def _never_due(self: ForecastFeed) -> None:
    pass


PARTS: dict[str, tuple[Any, str, Any]] = {
    "commit": (SqliteOpLog, "commit_quick", _no_commit),
    "metrics": (MetricsFeed, "send", _ops_alone),
    "forecast": (ForecastFeed, "due", _never_due),
}


def strip(parts: Iterable[str] = PARTS) -> None:
    """Take `parts` (some of PARTS' names) off Flowmap, in this process."""
    for part in parts:
        owner, name, replacement = PARTS[part]
        assert hasattr(owner, name), f"{owner.__name__}.{name} is gone: update bench/serve_bare.py"
        setattr(owner, name, replacement)


if __name__ == "__main__":
    # `Bare-commit` in run.py's targets takes the commit alone off, `Bare` all three.
    chosen = os.environ.get("FLOWMAP_BARE_STRIP", ",".join(PARTS))
    strip(part for part in chosen.split(",") if part)
    main(sys.argv[1:])
