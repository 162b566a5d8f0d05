"""The PDF report on paper (issue 17): a readable map over as many pages as it needs,
every note, card, comment and vote in words, and its real creation date."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

from pypdf import PageObject, PdfReader

from app.domain.demo import demo_board
from app.domain.elements import (
    Board,
    Comment,
    Connector,
    Dot,
    Element,
    Experiment,
    Note,
    Step,
    Vote,
)
from app.domain.forecast import forecast_json
from app.domain.metrics import compute_metrics
from app.export import png
from app.export.layout import Rect
from app.export.map_pages import MIN_TEXT_PT, plan_pages
from app.export.pdf import MARGIN, PAGE, board_pdf
from app.export.pdf_map import ladder_band, plan_map
from app.export.svg import board_picture

MOMENT = datetime(2026, 12, 3, 16, 5, 9, tzinfo=UTC)
# The report's frame on its landscape A4 page, in points.
PAGE_WIDTH, PAGE_HEIGHT = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN
LONG_NOTE = (
    "Releases queue for the shared staging slot; the database migration waits for the "
    "weekly change board, so most of the wait is approval, not work. Book the slot per "
    "team and the queue should drop by half"
)


def with_elements(board: Board, *extra: Element) -> Board:
    return Board(
        id=board.id,
        title=board.title,
        calendar=board.calendar,
        elements={**board.elements, **{e.id: e for e in extra}},
    )


def long_map(count: int = 30) -> Board:
    elements: list[Element] = []
    for i in range(count):
        elements.append(
            Step(id=f"s{i}", x=i * 300.0, y=100, text=f"Step {i + 1:02}", wait_minutes=60.0 * i)
        )
        if i:
            elements.append(Connector(id=f"c{i}", source=f"s{i - 1}", target=f"s{i}"))
    return with_elements(Board(id="long", title="Thirty steps"), *elements)


def pdf_of(board: Board) -> PdfReader:
    return PdfReader(io.BytesIO(board_pdf(board, compute_metrics(board), created=MOMENT)))


@cache
def long_pdf(count: int) -> bytes:
    """The report of a map of `count` steps (made once: a long map takes seconds)."""
    board = long_map(count)
    return board_pdf(board, compute_metrics(board), created=MOMENT)


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def operators(page: PageObject) -> list[tuple[bytes, list[Any]]]:
    """The content stream's operators in order, with their operands (as pypdf reads them)."""
    seen: list[tuple[bytes, list[Any]]] = []
    page.extract_text(visitor_operand_before=lambda op, args, _cm, _tm: seen.append((op, args)))
    return seen


def map_scales(page: PageObject) -> list[float]:
    """Points per canvas unit of each map picture drawn on the page."""
    xobjects = page["/Resources"].get("/XObject", {})
    scales, last_cm = [], None
    for op, args in operators(page):
        if op == b"cm":
            last_cm = args
        elif op == b"Do" and last_cm is not None:
            pixels = xobjects[args[0]].get_object()["/Width"]
            scales.append(float(last_cm[0]) / pixels * png.SCALE)
    return scales


def test_the_pdf_is_landscape_and_no_text_is_below_7_pt_on_the_map_or_off_it() -> None:
    for board in (demo_board(), long_map(30)):
        reader = PdfReader(io.BytesIO(long_pdf(30))) if board.id == "long" else pdf_of(board)
        smallest = board_picture(board, compute_metrics(board), header=False).smallest_text()
        drawn = []
        for page in reader.pages:
            assert page.mediabox.width > page.mediabox.height
            sizes = [float(args[1]) for op, args in operators(page) if op == b"Tf"]
            assert sizes and min(sizes) >= MIN_TEXT_PT
            drawn += map_scales(page)
        assert drawn, board.title
        assert min(drawn) * smallest >= MIN_TEXT_PT - 1e-6, board.title


def test_a_long_map_goes_on_over_several_pages_naming_its_steps_in_order() -> None:
    reader = PdfReader(io.BytesIO(long_pdf(30)))
    parts = [
        (page_no, m)
        for page_no, page in enumerate(reader.pages)
        for m in re.finditer(r"Map, part (\d+) of (\d+)([^\n]*)", page.extract_text())
    ]
    pages = {page_no for page_no, _ in parts}
    assert len(parts) >= 4 and len(pages) >= 2
    assert [int(m.group(1)) for _, m in parts] == list(range(1, len(parts) + 1))
    named = re.findall(r"Step (\d\d)", " ".join(m.group(3) for _, m in parts))
    assert named == [f"{i:02}" for i in range(1, 31)]  # every step once, in flow order
    text = text_of(reader)
    assert "Totals" in text and "How the numbers are worked out" in text  # the report stays


def test_a_short_map_stays_on_the_first_page_under_the_head() -> None:
    reader = pdf_of(long_map(3))
    first = reader.pages[0]
    assert map_scales(first) and "Map, part" not in first.extract_text()


def lists_board() -> Board:
    board = demo_board()
    build = next(s for s in board.steps() if s.text == "Build")
    design = next(s for s in board.steps() if s.text == "Design")
    extra: list[Element] = [
        Note(id="h1", x=0, y=-400, text=LONG_NOTE, variant="hypothesis"),
        Note(id="k1", x=300, y=-400, text="Book staging per team", variant="kaizen"),
        Note(id="n1", x=600, y=-400, text="Ask ops about the freeze", variant="comment"),
        Experiment(
            id="x1",
            x=900,
            y=-400,
            text="automating the migration",
            baseline=11_940,
            target=7_200,
            status="achieved",
            result="Lead time fell to 17d",
        ),
        Comment(
            id="m1",
            target=build.id,
            text="Why two reviews?",
            author="Ada",
            at="2026-12-01T09:00:00Z",
        ),  # fmt: skip
        Comment(
            id="m2",
            target=build.id,
            parent="m1",
            text="Compliance asks for it",
            author="Grace",
            at="2026-12-01T09:05:00Z",
        ),  # fmt: skip
        Vote(id="v1", text="What do we try first?", dots=2, open=False),
        Dot(id="d1", vote="v1", target="k1", author="Ada", author_id="a"),
        Dot(id="d2", vote="v1", target="k1", author="Grace", author_id="g"),
        Dot(id="d3", vote="v1", target=build.id, author="Ada", author_id="a"),
        Dot(id="d4", vote="v1", target=design.id, author="Grace", author_id="g"),
    ]
    return with_elements(board, *extra)


def test_the_pdf_lists_notes_hypotheses_bursts_experiments_comments_and_votes_whole() -> None:
    text = text_of(pdf_of(lists_board()))
    for heading in ("Hypotheses", "Kaizen bursts", "Notes", "Experiments", "Comments", "Dot votes"):
        assert heading in text
    assert LONG_NOTE in text  # whole, to "drop by half"
    assert "Book staging per team" in text and "Ask ops about the freeze" in text
    assert "We believe that by automating the migration we will reduce lead time" in text
    assert "Status: Achieved" in text and "Result: Lead time fell to 17d" in text
    assert "On Build: Ada, 2026-12-01 09:00: Why two reviews?" in text
    assert "Grace, 2026-12-01 09:05: Compliance asks for it" in text
    assert "What do we try first? (closed; 4 dots from 2 people, 2 each)" in text
    # A tie shares its place, and the place after it is skipped.
    assert "1. Book staging per team: 2 dots" in text
    assert "=2. Build: 1 dot" in text and "=2. Design: 1 dot" in text


def test_the_pdf_is_dated_with_the_moment_given() -> None:
    info = pdf_of(demo_board()).metadata
    assert info is not None and info.creation_date == MOMENT


def test_pages_are_cut_between_steps_never_through_one() -> None:
    steps = [Rect(i * 300.0, 0, 168, 180) for i in range(12)]
    picture = Rect(-48, -48, 11 * 300 + 168 + 96, 276)
    plan = plan_pages(picture, steps, smallest=10, width=760, height=500)
    assert len(plan.tiles) > 1 and plan.scale * 10 >= MIN_TEXT_PT
    for tile in plan.tiles:
        assert tile.w * plan.scale <= 760 + 1e-6
        for edge in (tile.x, tile.right):
            assert not any(s.x < edge < s.right for s in steps), edge
    # The windows tile the picture: no gap, no overlap.
    assert plan.tiles[0].x == picture.x and plan.tiles[-1].right == picture.right
    assert all(a.right == b.x for a, b in zip(plan.tiles, plan.tiles[1:], strict=False))


def test_every_part_of_the_map_with_the_ladder_in_it_is_printed() -> None:
    # A workshop's map: ten steps in a row, two more below them (the ladder goes under the
    # lowest), notes dropped far below the ladder from small screens. The paper under the steps held only the ladder, and a part was printed only
    # if a step or a note was in it: the ladder under steps 4-10, the constraint's rung
    # with it, was on no page.
    elements: list[Element] = []
    for i in range(10):
        elements.append(
            Step(id=f"s{i}", x=390.0 + 312 * i, y=88, text=f"Step {i + 1}",
                 wait_minutes=240.0 * (i % 4 + 1), process_minutes=30.0)
        )  # fmt: skip
        if i:
            elements.append(Connector(id=f"c{i}", source=f"s{i - 1}", target=f"s{i}"))
    elements += [
        Step(id="fix", x=390, y=352, text="Fix the order"),
        Step(id="call", x=702, y=672, text="Call the customer"),
        Note(id="above", x=1014, y=-208, text="Who owns the credit check?"),
        Note(id="low", x=1794, y=1487, text="Invoices wait for the month end"),
        Note(id="lower", x=1794, y=1724, variant="hypothesis", text="Batching invoices"),
    ]
    board = with_elements(Board(id="otc", title="Order to cash"), *elements)
    metrics = compute_metrics(board)
    parts = plan_map(board, metrics, PAGE_WIDTH, (PAGE_HEIGHT - 120, PAGE_HEIGHT))
    (band,) = ladder_band(parts.picture.drawn, metrics)
    under = [t for t in parts.plan.tiles if t.x < band.right and band.x < t.right
             and t.y < band.bottom and band.y < t.bottom]  # fmt: skip
    assert len(under) > 1, "the map takes several parts across"
    assert all(t in parts.tiles for t in under), "a part with the ladder in it is printed"
    # The bare paper between the ladder and the notes far below it is in no part.
    between = (band.bottom + 1487) / 2
    assert not any(t.y < between < t.bottom for t in parts.tiles), "bare paper is left out"
    # The PDF prints those parts, each under its caption.
    printed = re.findall(r"Map, part \d+ of (\d+)", text_of(pdf_of(board)))
    assert printed and int(printed[0]) == len(parts.tiles), printed


def test_an_empty_map_says_so_instead_of_a_blank_box_or_an_empty_table() -> None:
    """A facilitator exporting before anyone drew a step got a large blank box for the map
    and a table of headings with no rows."""
    for board in (Board(id="empty", title="Order to cash"), with_elements(
        Board(id="notes-only"), Note(id="n1", x=0, y=0, text="Ask finance about month end")
    )):  # fmt: skip
        reader = pdf_of(board)
        first = reader.pages[0]
        said = text_of(reader)
        assert "No steps on this map yet" in said
        if not board.elements:
            assert map_scales(first) == []  # no picture of nothing
        assert "Wait Process Lead" not in said  # the step table's headings, with no rows


def test_an_empty_maps_picture_says_so() -> None:
    picture = board_picture(
        Board(id="empty", title="Order to cash"), compute_metrics(Board(id="e"))
    )
    words = " ".join(t.text or "" for t in picture.root.iter("{http://www.w3.org/2000/svg}text"))
    words += " ".join(t.text or "" for t in picture.root.iter("text"))
    assert "No steps on this map yet" in words
    assert "Order to cash" in words


def test_a_constraint_tied_with_many_long_named_steps_still_makes_a_pdf() -> None:
    # The Totals table's Constraint row names every step tied on the wait: taller than a
    # page, reportlab could not place it (LayoutError), and the export was a 500 for
    # everyone. Twenty steps of a long sentence each, all waiting a day, were enough.
    steps = [
        Step(id=f"s{i}", x=300.0 * i, text=f"Step {i} " + "lorem ipsum " * 60,
             wait_minutes=480, process_minutes=30)
        for i in range(20)
    ]  # fmt: skip
    arrows = [Connector(id=f"c{i}", source=f"s{i}", target=f"s{i + 1}") for i in range(19)]
    board = Board(id="b", title="Ties", elements={e.id: e for e in [*steps, *arrows]})
    metrics = compute_metrics(board)
    assert metrics.constraint is not None and len(metrics.constraint.tied_with) == 19
    pdf = PdfReader(io.BytesIO(board_pdf(board, metrics, created=MOMENT)))
    words = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Tied on the wait with" in words and "Step 19" in words


def test_a_ranged_step_with_a_long_name_still_makes_a_pdf() -> None:
    # The forecast's "Figures with a spread" table gives the name a 7 cm column: 2,000
    # characters (the most a step holds) made a row taller than a page, and a 500.
    name = "lorem ipsum " * 166
    elements: list[Element] = [
        Step(id="s", text=name, wait_minutes=1680, wait_text="2d-5d", process_minutes=30),
        Step(id="t", x=300, text="Ship", wait_minutes=60, process_minutes=30),
        Connector(id="c", source="s", target="t"),
    ]
    board = Board(id="b", title="Long", elements={e.id: e for e in elements})
    made = board_pdf(board, compute_metrics(board), created=MOMENT, forecast=forecast_json(board))
    pdf = PdfReader(io.BytesIO(made))
    assert "Figures with a spread" in " ".join(page.extract_text() for page in pdf.pages)


def test_a_note_the_map_cuts_short_keeps_the_step_under_it_in_place_and_is_whole_in_its_list() -> (
    None
):
    # The map on the page is the canvas's: the long hypothesis over the constraint stops short
    # of it (it pushed the step out of its row); its words are all in the report's list.
    board = demo_board()
    staging = next(s for s in board.steps() if s.text == "Staging test")
    note = Note(id="h1", x=staging.x, y=staging.y - 200, text=LONG_NOTE, variant="hypothesis")
    board = with_elements(board, note)
    drawn = board_picture(board, compute_metrics(board), header=False, in_full=False).drawn
    assert drawn.elements[staging.id] == staging
    assert drawn.elements["h1"].h < 200  # type: ignore[union-attr]
    assert LONG_NOTE in text_of(pdf_of(board))
