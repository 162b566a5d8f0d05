"""What the exports draw round the map's elements: the constraint's ring round its queue."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from app.domain.elements import Board, Connector, Element, Inventory, Note, Step
from app.domain.metrics import compute_metrics
from app.export import fonts
from app.export.fonts import text_width
from app.export.layout import Rect
from app.export.svg import board_svg

SVG = "{http://www.w3.org/2000/svg}"
# The glyphs of a line reach this far above and below its baseline, in ems (the export's face).
ASCENT, DESCENT = 0.8, 0.25


def constrained_map(label: str, count: int | None = 25) -> Board:
    """Two steps, the second the constraint (its long wait), a queue between them."""
    elements: list[Element] = [
        Step(id="a", x=0, y=0, text="Price approval", wait_minutes=240, process_minutes=15),
        Inventory(id="q", x=228, y=16, text=label, count=count),
        Step(id="b", x=456, y=0, text="Discount > 15% → VP", wait_minutes=4800, process_minutes=60),
        Connector(id="aq", source="a", target="q"),
        Connector(id="qb", source="q", target="b"),
    ]
    return Board(id="b", elements={e.id: e for e in elements})


def queue_ring(root: ET.Element) -> Rect:
    ring = root.find(f".//{SVG}g[@class='constraint-ring']")
    assert ring is not None
    rects = ring.findall(f"{SVG}rect")
    assert len(rects) == 2  # the step's, then its queue's
    x, y, w, h = (float(rects[1].get(k, "nan")) for k in ("x", "y", "width", "height"))
    return Rect(x, y, w, h)


def queue_texts(root: ET.Element) -> list[Rect]:
    """Each line of text the queue draws (its "I", count and label lines), as boxes on the map."""
    g = root.find(f".//{SVG}g[@class='inventory'][@data-id='q']")
    assert g is not None
    moved = re.fullmatch(r"translate\((\S+) (\S+)\)", g.get("transform", ""))
    assert moved is not None
    dx, dy = float(moved[1]), float(moved[2])
    boxes = []
    for t in g.iter(f"{SVG}text"):
        size = float(t.get("font-size", "nan"))
        weight = int(t.get("font-weight", "400"))
        w = text_width(t.text or "", size, weight)
        x, y = dx + float(t.get("x", "nan")), dy + float(t.get("y", "nan"))
        boxes.append(Rect(x - w / 2, y - ASCENT * size, w, (ASCENT + DESCENT) * size))
    return boxes


def test_the_queue_ring_takes_in_a_long_label_whole() -> None:
    board = constrained_map("Quotes awaiting approval from the VP who travels a lot")
    metrics = compute_metrics(board)
    assert metrics.constraint is not None and metrics.constraint.id == "b"
    root = ET.fromstring(board_svg(board, metrics))
    ring = queue_ring(root)
    lines = queue_texts(root)
    assert len(lines) >= 5  # the "I", the count, three lines of label at least
    for line in lines:
        assert ring.x < line.x and line.right < ring.right, (line, ring)
        assert ring.y < line.y and line.bottom < ring.bottom, (line, ring)


def test_a_short_label_keeps_the_ring_the_canvas_draws() -> None:
    board = constrained_map("7 quotes")
    root = ET.fromstring(board_svg(board, compute_metrics(board)))
    # 12 px round the 72 x 64 triangle, and 52 px under it for the count and two label lines.
    assert queue_ring(root) == Rect(228 - 12, 16 - 12, 72 + 24, 64 + 24 + 52)


def test_a_header_naming_hundreds_of_tied_steps_is_wrapped_in_linear_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The constraint's reason names every step tied with it, and the header wraps it across
    # the map's width: each word re-measured the whole line so far. 1,000 steps of a few
    # sentences took minutes of CPU per SVG (longer per PDF), holding the two render slots
    # every export and validation picture on the server waits for.
    steps = [
        Step(id=f"s{i}", x=250.0 * i, text=f"Step {i} " + "lorem ipsum " * 20,
             wait_minutes=60, process_minutes=30)
        for i in range(150)
    ]  # fmt: skip
    arrows = [Connector(id=f"c{i}", source=f"s{i}", target=f"s{i + 1}") for i in range(149)]
    board = Board(id="b", elements={e.id: e for e in [*steps, *arrows]})
    metrics = compute_metrics(board)
    assert metrics.constraint is not None and len(metrics.constraint.tied_with) == 149
    measured = [0]

    def counting(text: str, size: float, weight: int = 400, italic: bool = False) -> float:
        measured[0] += len(text)
        return text_width(text, size, weight, italic)

    monkeypatch.setattr(fonts, "text_width", counting)
    shown = board_svg(board, metrics)
    written = sum(len(s.text) for s in steps) + len(metrics.constraint.reason)
    assert "Tied on the wait with" in shown
    assert measured[0] < 40 * written, f"{measured[0]:,} letters measured for {written:,} written"


@pytest.mark.parametrize("word", ["Longname" * 250, "\u0640" * 2000], ids=["latin", "tatweel"])
def test_names_of_one_long_unbroken_word_are_cut_into_lines_in_linear_work(
    monkeypatch: pytest.MonkeyPatch, word: str
) -> None:
    # A word wider than its box is cut between letters: each cut searched for the longest
    # prefix that fits by measuring prefix after prefix whole. A step named with 2,000
    # letters and no space took a tenth of a second per drawing of it, so a hostile map of
    # 2,500 such steps held a render slot for minutes, and an SVG is not stopped at 2 min.
    steps = [Step(id=f"s{i}", x=250.0 * i, text=word, wait_minutes=60, process_minutes=30)
             for i in range(10)]  # fmt: skip
    notes = [Note(id=f"n{i}", x=250.0 * i, y=400, text=word) for i in range(10)]
    board = Board(id="b", elements={e.id: e for e in [*steps, *notes]})
    measured = [0]

    def counting(text: str, size: float, weight: int = 400, italic: bool = False) -> float:
        measured[0] += len(text)
        return text_width(text, size, weight, italic)

    monkeypatch.setattr(fonts, "text_width", counting)
    shown = board_svg(board, compute_metrics(board))
    written = len(word) * 20
    assert word[:8] in shown
    assert measured[0] < 40 * written, f"{measured[0]:,} letters measured for {written:,} written"


def test_a_word_cut_between_letters_gives_the_lines_it_always_gave() -> None:
    # Cut by summing its letters' widths: the same lines as the longest prefix that fits.
    for word, width in [("unbreakable" * 3, 40), ("W" * 50, 9), ("iiiiWWWWmmmm" * 9, 77.5)]:
        lines = fonts.wrap(word, width, 12)
        assert "".join(lines) == word
        for line in lines[:-1]:
            assert text_width(line, 12) <= width or len(line) == 1
        for line, after in zip(lines, lines[1:], strict=False):
            assert text_width(line + after[0], 12) > width  # nothing more would have fitted
