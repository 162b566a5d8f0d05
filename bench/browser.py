"""The browser benchmark: how smoothly the board page draws big maps.

A Flowmap server on a loopback port and a temporary SQLite file; boards of
200, 1,000 and 3,000 elements seeded over HTTP (bench/browser_board.py); the
page opened in headless Chromium (the system's, as the e2e tests launch it);
frame times taken from requestAnimationFrame inside the page while real input
arrives through Playwright:

- load: a new browser context (empty cache) opens the board; the time from
  navigation to the first animation frame after every element is in the DOM
  (the frame that drew them has been laid out and painted by then);
- idle12 / idle40: the page at its load view (the whole map) does nothing while
  12 or 40 remote people (bench/browser_crowd.py) move pointers, drag steps and
  pan, for IDLE_S seconds;
- then at 100 % around the middle of the map (the zoom-reset button):
  drag: a step dragged in a loop for 2 s, mouse events at 60 Hz;
  pan: 120 trackpad wheel events (deltaX +-15 px) at 60 Hz;
  zoom: ctrl+wheel in small pinch steps, 100 % down to ~30 % and back, 6 times.

Each scenario reports p50 and p95 of the intervals between animation frames
(16.7 ms is a smooth 60 fps), each the median over --repeats runs.

    python bench/browser.py                         # 200, 1,000 and 3,000 elements, 3 runs each
    python bench/browser.py --sizes 1000 --repeats 1 --scenarios drag,pan
    python bench/browser.py --json out.json --screenshots /tmp/shots
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repository on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from bench.browser_board import BoardSpec, board_spec, create_board, seed_board
from bench.browser_profile import profiled
from bench.targets import flowmap
from e2e.utils.browser import launch

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("load", "idle12", "idle40", "drag", "pan", "zoom")
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
HZ = 60
IDLE_S = 5.0
SETTLE_S = 1.0
LOAD_TIMEOUT_MS = 60_000
# Issue 20's targets for the p95 frame (ms) and the load (ms). The 200-element
# board is held to the 1,000-element targets.
TARGETS: dict[int, dict[str, float]] = {
    1000: {"drag": 20, "pan": 33, "zoom": 33, "idle12": 20, "idle40": 20, "load": 1000},
    3000: {"drag": 50, "pan": 50, "zoom": 50, "idle12": 50, "idle40": 50, "load": 1000},
}

# What the recorder logs once the board is drawn: the load is waited for by listening to
# the console, not with wait_for_function, whose script Playwright evaluates in the page
# (~20 ms on the main thread, at ~640 ms of a 3,000-element load: in the load's own path).
LOADED = "flowmap-bench: loaded"
# Records animation frames while __bench.on, and the moment the board is drawn.
RECORDER = """
(() => {
  const b = window.__bench = { frames: [], on: false, loadedAt: null, expected: %d };
  const count = () => (document.querySelector('.layer-elements')?.childElementCount ?? 0)
    + (document.querySelector('.layer-connectors')?.childElementCount ?? 0);
  const tick = (t) => {
    if (b.on) b.frames.push(t);
    if (b.loadedAt === null && count() >= b.expected) {
      b.loadedAt = performance.now();
      console.debug('%s');
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

NEAREST_STEP = """
() => {
  const cx = innerWidth / 2, cy = innerHeight / 2;
  let best = null, distance = Infinity;
  for (const g of document.querySelectorAll('.layer-elements > g.el-step')) {
    const r = g.querySelector('.body').getBoundingClientRect();
    if (!r.width) continue;
    const d = Math.hypot(r.x + r.width / 2 - cx, r.y + r.height / 2 - cy);
    if (d < distance) { distance = d; best = { x: r.x + r.width / 2, y: r.y + r.height / 4 }; }
  }
  return best;
}
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    i = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[i]


def paced(n: int, act: Callable[[int], None]) -> None:
    """act(i) for i in 0..n-1 at HZ, never faster (a slow page slows the input, as people do)."""
    start = time.perf_counter()
    for i in range(n):
        act(i)
        wait = start + (i + 1) / HZ - time.perf_counter()
        if wait > 0:
            time.sleep(wait)


def recorded(page: Page, act: Callable[[], None]) -> list[float]:
    """Frame intervals (ms) while `act` runs."""
    page.evaluate("() => { __bench.frames = []; __bench.on = true; }")
    act()
    frames: list[float] = page.evaluate("() => { __bench.on = false; return __bench.frames; }")
    return [b - a for a, b in zip(frames, frames[1:], strict=False)]


def scenario_drag(page: Page) -> list[float]:
    at = page.evaluate(NEAREST_STEP)
    if at is None:
        raise RuntimeError("no step on screen to drag")
    page.mouse.move(at["x"], at["y"])
    page.mouse.down()

    def move(i: int) -> None:
        a = 2 * math.pi * (i + 1) / 120
        page.mouse.move(at["x"] + 140 * math.sin(a), at["y"] + 70 * (1 - math.cos(a)))

    frames = recorded(page, lambda: paced(120, move))
    page.mouse.up()
    return frames


# The point nearest the middle of the screen where the canvas itself is under the pointer
# (after a drag, the selection's context bar floats over the middle: a wheel there scrolls nothing).
OPEN_CANVAS = """
() => {
  const canvas = document.querySelector('svg.canvas');
  for (let r = 0; r < 400; r += 20) {
    for (let a = 0; a < 360; a += 30) {
      const x = innerWidth / 2 + r * Math.cos(a * Math.PI / 180);
      const y = innerHeight / 2 + r * Math.sin(a * Math.PI / 180);
      const hit = document.elementFromPoint(x, y);
      if (hit && canvas.contains(hit)) return { x, y };
      if (r === 0) break;
    }
  }
  return { x: innerWidth / 2, y: innerHeight / 2 };
}
"""


def over_canvas(page: Page) -> None:
    at = page.evaluate(OPEN_CANVAS)
    page.mouse.move(at["x"], at["y"])


def scenario_pan(page: Page) -> list[float]:
    over_canvas(page)
    return recorded(
        page,
        lambda: paced(
            120, lambda i: page.mouse.wheel(15 if i < 60 else -15, 4 if i % 40 < 20 else -4)
        ),
    )


def scenario_zoom(page: Page) -> list[float]:
    over_canvas(page)
    page.keyboard.down("Control")
    try:
        # exp(-12 * 0.01) per event (viewport.js PINCH_ZOOM_RATE): ten of them take 100 % to 30 %.
        return recorded(
            page,
            lambda: paced(120, lambda i: page.mouse.wheel(0, 12 if (i // 10) % 2 == 0 else -12)),
        )
    finally:
        page.keyboard.up("Control")


def zoom_screenshots(page: Page, folder: Path, size: int) -> None:
    """The page in the middle of a zoom-out gesture (its preview) and once it has settled."""
    over_canvas(page)
    page.keyboard.down("Control")
    try:
        for _ in range(6):
            page.mouse.wheel(0, 12)
        page.screenshot(path=str(folder / f"zoom-mid-{size}.png"))
    finally:
        page.keyboard.up("Control")
    page.wait_for_function("() => !window.flowmap.zooming")
    time.sleep(SETTLE_S)
    page.screenshot(path=str(folder / f"zoom-settled-{size}.png"))


def scenario_idle(page: Page, crowd_url: str, people: int, spec_file: Path) -> list[float]:
    crowd = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.browser_crowd",
            "--url",
            crowd_url,
            "--people",
            str(people),
            "--board",
            str(spec_file),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert crowd.stdout is not None
        line = crowd.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"the crowd did not start: {line!r}")
        time.sleep(SETTLE_S)
        return recorded(page, lambda: time.sleep(IDLE_S))
    finally:
        assert crowd.stdin is not None
        crowd.stdin.close()
        try:
            crowd.wait(15)
        except subprocess.TimeoutExpired:
            crowd.kill()
            crowd.wait(5)
        time.sleep(SETTLE_S)  # the peers' leaving, drawn before the next scenario


def open_board(
    browser: Browser, url: str, expected: int, profile: Path | None = None
) -> tuple[Page, float]:
    """A fresh context (empty cache) opens the board; the page and its load time in ms."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script("localStorage.setItem('flowmap.name', 'Bench')")
    context.add_init_script(RECORDER % (expected, LOADED))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    with profiled(browser, page, profile / f"load-{expected}") if profile else nullcontext():
        with page.expect_console_message(lambda m: m.text == LOADED, timeout=LOAD_TIMEOUT_MS):
            page.goto(url)
    loaded: float = page.evaluate("() => __bench.loadedAt")
    if errors:
        raise RuntimeError(f"the page failed: {errors}")
    return page, loaded


def to_working_view(page: Page) -> None:
    """100 % around the middle of the screen (the map's middle after the load's fit)."""
    page.locator('[data-action="zoom-reset"]').first.click()
    page.wait_for_function("() => Math.abs(window.flowmap.zoom - 1) < 1e-3")
    page.mouse.move(5, VIEWPORT["height"] - 5)
    time.sleep(SETTLE_S)


def one_run(
    browser: Browser,
    url: str,
    crowd_url: str,
    spec: BoardSpec,
    spec_file: Path,
    scenarios: list[str],
    screenshots: Path | None,
    profile: Path | None,
) -> dict[str, Any]:
    size = len(spec.elements)
    page, loaded = open_board(browser, url, size, profile)
    out: dict[str, Any] = {"load": loaded}

    @contextmanager
    def watched(name: str) -> Iterator[None]:
        with profiled(browser, page, profile / f"{name}-{size}") if profile else nullcontext():
            yield

    try:
        time.sleep(SETTLE_S)
        if screenshots:
            page.screenshot(path=str(screenshots / f"fit-{len(spec.elements)}.png"))
        for people in (12, 40):
            if f"idle{people}" in scenarios:
                with watched(f"idle{people}"):
                    out[f"idle{people}"] = scenario_idle(page, crowd_url, people, spec_file)
        to_working_view(page)
        if screenshots:
            page.screenshot(path=str(screenshots / f"100-{len(spec.elements)}.png"))
        for name, run in (("drag", scenario_drag), ("pan", scenario_pan), ("zoom", scenario_zoom)):
            if name in scenarios:
                with watched(name):
                    out[name] = run(page)
                time.sleep(SETTLE_S)
        if screenshots and "zoom" in scenarios:
            zoom_screenshots(page, screenshots, size)
    finally:
        page.context.close()
    return out


def summary(size: int, runs: list[dict[str, Any]], scenarios: list[str]) -> list[dict[str, Any]]:
    rows = []
    targets = TARGETS.get(size, TARGETS[1000])
    for name in scenarios:
        if name == "load":
            values = [r["load"] for r in runs]
            p50 = p95 = statistics.median(values)
            frames = None
        else:
            values = [r[name] for r in runs if name in r]
            if not values:
                continue
            p50 = statistics.median(percentile(v, 50) for v in values)
            p95 = statistics.median(percentile(v, 95) for v in values)
            frames = statistics.median(len(v) for v in values)
        target = targets[name]
        rows.append(
            {
                "size": size,
                "scenario": name,
                "p50": p50,
                "p95": p95,
                "target": target,
                "ratio": p95 / target,
                "frames": frames,
                "runs": len(values),
            }
        )
    return rows


def print_rows(rows: list[dict[str, Any]]) -> None:
    print(
        f"{'size':>5} {'scenario':<8} {'p50 ms':>8} {'p95 ms':>8} {'target':>7} "
        f"{'p95/target':>10} {'frames':>6}"
    )
    for r in rows:
        frames = "" if r["frames"] is None else f"{r['frames']:.0f}"
        mark = "" if r["ratio"] <= 1 else "  over"
        print(
            f"{r['size']:>5} {r['scenario']:<8} {r['p50']:>8.1f} {r['p95']:>8.1f} "
            f"{r['target']:>7.0f} "
            f"{r['ratio']:>10.2f} {frames:>6}{mark}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Frame times of the board page on big maps (issue 20)."
    )
    parser.add_argument(
        "--sizes", default="200,1000,3000", help="elements per board, comma-separated"
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs per size; figures are their medians"
    )
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"some of {','.join(SCENARIOS)}"
    )
    parser.add_argument("--json", type=Path, help="write every frame interval and the summary here")
    parser.add_argument(
        "--profile",
        type=Path,
        help="first run of each size: a trace and a JS profile per scenario here",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        help="save the page at its load view, at 100 %%, and in and after a zoom gesture here",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {sorted(unknown)}")
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    raw: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="flowmap-browser-bench-") as tmp:
        work = Path(tmp)
        target = flowmap(work, cores=None)
        target.start()
        try:
            base = f"http://127.0.0.1:{target.servers[0].port}"
            with sync_playwright() as playwright:
                browser = launch(playwright)
                try:
                    for size in sizes:
                        spec = board_spec(size)
                        board = create_board(base, f"Browser bench {size}")
                        seed_board(base, board, spec.elements)
                        spec_file = work / f"spec-{size}.json"
                        spec_file.write_text(
                            json.dumps({"bounds": spec.bounds, "steps": spec.steps})
                        )
                        url = f"{base}/b/{board['id']}?token={board['tokens']['facilitator']}"
                        crowd_url = (
                            f"ws://127.0.0.1:{target.servers[0].port}/ws/boards/{board['id']}"
                            f"?token={board['tokens']['participant']}"
                        )
                        runs = [
                            one_run(
                                browser,
                                url,
                                crowd_url,
                                spec,
                                spec_file,
                                scenarios,
                                args.screenshots if i == 0 else None,
                                args.profile if i == 0 else None,
                            )
                            for i in range(args.repeats)
                        ]
                        raw[str(size)] = runs
                        size_rows = summary(size, runs, scenarios)
                        print_rows(size_rows)
                        sys.stdout.flush()
                        rows += size_rows
                finally:
                    browser.close()
        finally:
            target.stop()
    print()
    print_rows(rows)
    if args.json:
        args.json.write_text(json.dumps({"summary": rows, "runs": raw}, indent=1))


if __name__ == "__main__":
    main()
