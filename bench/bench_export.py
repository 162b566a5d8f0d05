"""How long the picture exports take on big maps: the PNG and the PDF report.

A facilitator exports after the workshop; on a map of a few hundred steps the PDF
is many pages of the map, each a render of its own (app/export/pdf_map.py), in the
renderer's child processes (app/export/raster.py). The maps are chains of steps with
figures (the size a whole organisation's map reaches). Run it from the repository root:

    python bench/bench_export.py [STEPS ...]      # default: 60 240

It prints, per size, the seconds the PDF took, its pages and renders and the
seconds spent rendering, then the seconds the PNG took.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.elements import Board, Connector, Element, Step  # noqa: E402
from app.domain.metrics import compute_metrics  # noqa: E402
from app.export import pdf_map  # noqa: E402
from app.export.pdf import board_pdf  # noqa: E402
from app.export.png import board_png, svg_to_png  # noqa: E402

SIZES = (60, 240)


def chain(n: int) -> Board:
    """n steps with figures, joined left to right, a little staggered."""
    elements: list[Element] = []
    for i in range(n):
        elements.append(
            Step(id=f"s{i}", x=40 + 220 * i, y=160 + (i % 3) * 10, text=f"Step {i}: a review",
                 wait_minutes=60.0 * (i % 7 + 1), process_minutes=15.0 * (i % 5 + 1),
                 pca=80.0 + i % 20)  # fmt: skip
        )
    elements += [Connector(id=f"c{i}", source=f"s{i - 1}", target=f"s{i}") for i in range(1, n)]
    return Board(id=f"chain{n}", title=f"{n} steps", elements={e.id: e for e in elements})


def measure(n: int) -> dict[str, Any]:
    board = chain(n)
    metrics = compute_metrics(board)
    renders: list[float] = []

    def timed(document: str) -> bytes:
        started = time.perf_counter()
        png = svg_to_png(document)
        renders.append(time.perf_counter() - started)
        return png

    pdf_map.svg_to_png = timed  # the PDF's map pages, each timed
    started = time.perf_counter()
    pdf = board_pdf(board, metrics, created=datetime.now(UTC))
    pdf_seconds = time.perf_counter() - started
    started = time.perf_counter()
    board_png(board, metrics)
    png_seconds = time.perf_counter() - started
    return {
        "steps": n,
        "pdf_s": pdf_seconds,
        "pages": pdf.count(b"/Type /Page\n"),
        "renders": len(renders),
        "render_s": sum(renders),
        "png_s": png_seconds,
    }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    print("| steps | PDF s | pages | map renders | rendering s | PNG s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        r = measure(n)
        print(f"| {r['steps']} | {r['pdf_s']:.1f} | {r['pages']} | {r['renders']} | "
              f"{r['render_s']:.1f} | {r['png_s']:.2f} |")  # fmt: skip


if __name__ == "__main__":  # the renderer's children import this module again
    main()
