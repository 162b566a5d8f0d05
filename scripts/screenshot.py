"""Screenshot the demo board as a facilitator sees it, for the README and for looking.

    .venv/bin/python scripts/screenshot.py docs/screenshot.png [--width 1440 --height 900]

Starts `flowmap serve` on a throwaway SQLite file with the demo board, opens it
in Chromium (the system's when there is one), waits until it is live and saves
a PNG. Nothing is left running.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from e2e.utils.browser import launch  # noqa: E402
from tests.support.live import Server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--select", help="text of a step to select (shows the side panel)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/shot.db"
        server = Server(url, Path(tmp) / "server.log")
        printed = subprocess.run(
            [sys.executable, "-m", "app.cli", "demo", "--database-url", url,
             "--base-url", server.url],
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout  # fmt: skip
        link = re.search(r"facilitator\s+(\S+)", printed)
        assert link, printed
        server.start()
        try:
            shoot(link.group(1), args)
        finally:
            server.stop()
    print(f"wrote {args.out}")


def shoot(link: str, args: argparse.Namespace) -> None:
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.add_init_script("localStorage.setItem('flowmap.name', 'Ada')")
        page.goto(link)
        page.wait_for_function("() => window.flowmap && window.flowmap.status === 'connected'")
        page.wait_for_selector(".ladder-line")
        if args.select:
            page.get_by_role("button", name=f"Step: {args.select}").click()
        page.wait_for_timeout(600)  # the fit animation and fonts settle
        page.screenshot(path=str(args.out))
        browser.close()


if __name__ == "__main__":
    main()
