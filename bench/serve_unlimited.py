"""`flowmap serve` with the per-connection edit limit lifted, for W4's capacity sweep only.

Flowmap refuses more than 50 operations a second from one connection
(app/api/ratelimit.py): a guard against one runaway client, not a cost of
serving. W4 raises the rate on a board of 30 peers until the server gives out,
which needs more than 30 × 50 edits a second; so W4 starts Flowmap through
this module, which raises that budget before the server starts. The limiter
still runs (its cost is measured); it just never refuses. If a future Flowmap
moves the limit, W4 shows `rate_limited` errors instead of failing.

    python -m bench.serve_unlimited serve --port 8000 --database-url sqlite:///b.db
"""

from __future__ import annotations

import importlib
import sys

from app.cli import main

# Far above what one bench client sends (W4's top step gives each of 30 editors ~230/s).
LIFTED_OPS_PER_SECOND = 1_000_000.0


def lift_edit_limit() -> bool:
    """Raise the per-connection operation budget; False if this build has no such limit."""
    try:
        limits = importlib.import_module("app.api.ratelimit")
    except ImportError:
        return False
    if not hasattr(limits, "OPS_PER_SECOND"):
        return False
    for name in ("OPS_PER_SECOND", "OPS_BURST"):
        setattr(limits, name, LIFTED_OPS_PER_SECOND)
    return True


if __name__ == "__main__":
    lift_edit_limit()
    main(sys.argv[1:])
