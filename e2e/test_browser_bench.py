"""bench/browser.py, the browser benchmark, runs end to end on a small map: it is how issue
20's load and frame figures are taken, so it must not rot between the sessions that use it."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_browser_benchmark_times_a_load_and_a_drag(tmp_path: Path) -> None:
    out = tmp_path / "browser.json"
    subprocess.run(
        [sys.executable, "bench/browser.py", "--sizes", "200", "--repeats", "1",
         "--scenarios", "load,drag", "--json", str(out)],
        cwd=ROOT, check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    rows = {row["scenario"]: row for row in json.loads(out.read_text())["summary"]}
    load, drag = rows["load"], rows["drag"]
    # The load is taken when the page says its 200 elements are drawn: a time since the
    # navigation started, not the harness's wait (which would be 60 s on a miss).
    assert 0 < load["p50"] < 60_000 and math.isfinite(load["p50"])
    assert drag["frames"] > 10 and 0 < drag["p95"] < 1_000
