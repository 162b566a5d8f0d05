"""Where the board page's main thread spends a scenario: for bench/browser.py --profile.

Two views of the same stretch: Chromium's trace (devtools.timeline), summed as
self time per event on the renderer's main thread (script, style, layout,
pre-paint, paint, ...), and V8's sampling profiler, summed as self time per
function. Both are written next to each other as text, the raw files beside.

    with profiled(browser, page, Path("/tmp/prof/drag-1000")):
        scenario_drag(page)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "v8"]
TOP = 25


@contextmanager
def profiled(browser: Browser, page: Page, stem: Path) -> Iterator[None]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 250})
    trace = stem.with_suffix(".trace.json")
    browser.start_tracing(page=page, path=str(trace), categories=CATEGORIES)
    cdp.send("Profiler.start")
    try:
        yield
    finally:
        profile = cdp.send("Profiler.stop")["profile"]
        browser.stop_tracing()
        cdp.detach()
        stem.with_suffix(".cpuprofile").write_text(json.dumps(profile))
        text = [
            "# main thread, self ms by trace event",
            *_lines(trace_self_times(trace)),
            "",
            "# JavaScript, self ms by function",
            *_lines(function_self_times(profile)),
        ]
        stem.with_suffix(".txt").write_text("\n".join(text) + "\n")


def _lines(totals: dict[str, float]) -> list[str]:
    top = sorted(totals.items(), key=lambda item: -item[1])[:TOP]
    return [f"{ms:9.1f}  {name}" for name, ms in top]


def trace_self_times(path: Path) -> dict[str, float]:
    """Self time (ms) per complete event on the renderer main thread."""
    data: Any = json.loads(path.read_text())
    events = data["traceEvents"] if isinstance(data, dict) else data
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    spans = sorted(
        (
            (e["ts"], e["ts"] + e.get("dur", 0), e["name"])
            for e in events
            if e.get("ph") == "X" and (e["pid"], e["tid"]) in main and e.get("dur")
        ),
        key=lambda s: (s[0], -s[1]),
    )
    totals: dict[str, float] = {}
    # Spans nest (a FunctionCall holds the Layout it forced): each counts its own time only.
    open_spans: list[tuple[float, float, str, list[float]]] = []
    for start, end, name in spans:
        while open_spans and open_spans[-1][1] <= start:
            s, e, n, child = open_spans.pop()
            totals[n] = totals.get(n, 0.0) + (e - s - child[0]) / 1000
            if open_spans:
                open_spans[-1][3][0] += e - s
        open_spans.append((start, end, name, [0.0]))
    while open_spans:
        s, e, n, child = open_spans.pop()
        totals[n] = totals.get(n, 0.0) + (e - s - child[0]) / 1000
        if open_spans:
            open_spans[-1][3][0] += e - s
    return totals


def function_self_times(profile: dict[str, Any]) -> dict[str, float]:
    """Self time (ms) per function from a V8 CPU profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    totals: dict[str, float] = {}
    deltas = profile.get("timeDeltas", [])
    for sample, delta in zip(profile.get("samples", []), deltas[1:] + [0], strict=False):
        frame = nodes[sample]["callFrame"]
        url = frame["url"].rsplit("/", 1)[-1]
        name = (
            f"{frame['functionName'] or '(anonymous)'} {url}:{frame['lineNumber'] + 1}"
            if url
            else frame["functionName"]
        )
        totals[name] = totals.get(name, 0.0) + delta / 1000
    return totals
