"""Exports leave nothing out (issue 17): long text wraps and its box grows, experiment
cards are drawn; what the canvas cuts short (a step's long name, a note stopped by the box
under it) ends in "…" and is listed whole under the picture."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from app.domain.demo import demo_board
from app.domain.durations import format_duration
from app.domain.elements import Board, Connector, Element, Experiment, Inventory, Note, Step
from app.domain.metrics import compute_metrics
from app.export.fit import fitted, reach
from app.export.png import board_png, png_scale
from app.export.svg import board_picture, board_svg, svg_size
from app.export.svg_notes import note_height

SVG = "{http://www.w3.org/2000/svg}"
# The facilitator's note that lost its end on the canvas and in every export.
LONG_NOTE = (
    "Releases queue for the shared staging slot; the database migration waits for the "
    "weekly change board, so most of the wait is approval, not work. Book the slot per "
    "team and the queue should drop by half"
)
CARD_TEXT = "running the migration in the pipeline instead of the change board"


def board_of(*elements: Element, **frame: str) -> Board:
    return Board(id="b", elements={e.id: e for e in elements}, **frame)  # type: ignore[arg-type]


def svg_root(board: Board) -> ET.Element:
    return ET.fromstring(board_svg(board, compute_metrics(board)).split("\n", 1)[1])


def group_of(root: ET.Element, el_id: str) -> ET.Element:
    found = [g for g in root.iter(f"{SVG}g") if g.get("data-id") == el_id]
    assert len(found) == 1, el_id
    return found[0]


def words(node: ET.Element) -> list[str]:
    return " ".join("".join(t.itertext()) for t in node.iter(f"{SVG}text")).split()


def baselines(node: ET.Element) -> list[float]:
    return [float(t.get("y", "0")) for t in node.iter(f"{SVG}text")]


def test_a_long_note_is_drawn_whole_in_a_box_grown_to_hold_it() -> None:
    assert len(LONG_NOTE) > 200
    for variant in ("comment", "hypothesis", "kaizen"):
        note = Note(id="n", x=0, y=0, text=LONG_NOTE, variant=variant)  # type: ignore[arg-type]
        root = svg_root(board_of(note))
        g = group_of(root, "n")
        shown = words(g)
        assert "…" not in " ".join(shown)
        assert [w for w in shown if w not in ("?", "HYPOTHESIS")] == LONG_NOTE.split(), variant
        drawn = fitted(board_of(note)).elements["n"]
        assert drawn.w == note.w and drawn.h > note.h, variant
        # Every line's baseline sits inside the grown box.
        assert max(baselines(g)) < drawn.h, variant


def test_a_long_note_grows_into_the_room_below_it_as_on_the_canvas_and_moves_nothing() -> None:
    # The export pushed what was under a long note down, the canvas stopped the note short
    # (model/boxes.js roomsBelow): the step under it left its row on the wall only. The same
    # boards as the canvas's test (frontend/tests/boxes.test.js), the same heights.
    long = " ".join(["word"] * 80)
    note = Note(id="n", x=0, y=0, text=long)
    step = Step(id="s", x=40, y=300, text="Staging test")
    under = Note(id="u", x=100, y=200, text="x")
    aside = Step(id="a", x=400, y=200, text="Elsewhere")
    assert note_height(note) > 300  # the text wants more than the room
    drawn = fitted(board_of(note, step, aside)).elements
    assert drawn["n"].h == 300 - 16 - 44  # type: ignore[union-attr]
    assert drawn["s"] == step and drawn["a"] == aside  # nothing moved
    assert fitted(board_of(note, step, under)).elements["n"].h == 200 - 16  # type: ignore[union-attr]
    close = Note(id="u", x=100, y=125, text="x")
    assert fitted(board_of(note, close)).elements["n"].h == 120  # type: ignore[union-attr]
    # Nothing under it, or what lay over it already (stacked on purpose): every word shows.
    assert fitted(board_of(note, aside)).elements["n"].h == note_height(note)  # type: ignore[union-attr]
    over = Step(id="s", x=40, y=60, text="Staging test")
    assert fitted(board_of(note, over)).elements["n"].h == note_height(note)  # type: ignore[union-attr]


def test_a_note_stopped_short_ends_in_a_mark_and_is_listed_whole_under_the_picture() -> None:
    # On a wall nothing can be hovered: what the map cuts short is read under it, by number.
    note = Note(id="n", x=0, y=0, text=LONG_NOTE, variant="hypothesis")
    card_over = card(x=400.0, y=0.0, result="Lead time fell to 17d " * 6)
    steps = (
        Step(id="s", x=40, y=240, text="Staging test"),
        Step(id="t", x=400, y=240, text="Ship"),
    )
    root = svg_root(board_of(note, card_over, *steps))
    shown = " ".join(words(group_of(root, "n")))
    assert shown.endswith("… (1)") and LONG_NOTE.split()[-1] not in shown.split()
    assert " ".join(words(group_of(root, "x"))).endswith("… (2)")
    listed = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "in-full")
    said = " ".join(words(listed))
    assert f"(1) Hypothesis: {LONG_NOTE}" in said
    assert "(2) Experiment: We believe that by" in said and said.endswith("Lead time fell to 17d")
    # The list is under everything else drawn.
    listed_texts = set(listed.iter(f"{SVG}text"))
    above = [float(t.get("y", "0")) for t in root.iter(f"{SVG}text") if t not in listed_texts]
    assert min(baselines(listed)) > max(above)
    # A map that shows every word lists nothing.
    assert not any(g.get("class") == "in-full" for g in svg_root(board_of(note)).iter(f"{SVG}g"))


def test_a_long_step_name_is_cut_in_its_own_box_as_on_the_canvas_and_moves_nothing() -> None:
    # The canvas keeps a step's box as stored and ends a long name in "…" (text-fit.js
    # labelCut); the exports grew the box and pushed what was under it down instead.
    name = "Security review of every dependency upgrade by the central platform team " * 2
    step = Step(id="s", x=0, y=0, text=name)
    deep = Note(id="d", x=0, y=reach(Step(id="s", x=0, y=0)) + 10, text="under the data box")
    drawn = fitted(board_of(step, deep)).elements
    assert drawn["s"] == step and drawn["d"] == deep
    root = svg_root(board_of(step, deep))
    shown = " ".join(words(group_of(root, "s")))
    assert "… (1)" in shown and " ".join(name.split()) not in shown
    assert max(baselines(group_of(root, "s"))) < step.h + 200  # the data box's rows too
    name_lines = [t for t in group_of(root, "s").iter(f"{SVG}text")
                  if float(t.get("y", "0")) < step.h]  # fmt: skip
    assert name_lines and max(float(t.get("y", "0")) for t in name_lines) < step.h


def test_a_cut_step_name_is_listed_whole_under_the_picture_by_its_mark() -> None:
    name = "Security review of every dependency upgrade by the central platform team " * 2
    note = Note(id="n", x=0, y=0, text=LONG_NOTE, variant="hypothesis")
    steps = (
        Step(id="s", x=40, y=240, text=name),
        Step(id="t", x=400, y=240, text="Ship"),
    )
    root = svg_root(board_of(note, *steps))
    assert " ".join(words(group_of(root, "n"))).endswith("… (1)")  # read top to bottom
    assert "… (2)" in " ".join(words(group_of(root, "s")))
    listed = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "in-full")
    said = " ".join(words(listed))
    assert f"(2) Step: {' '.join(name.split())}" in said
    assert "Ship" not in said  # a name that fits is not listed


def test_a_long_step_name_is_cut_in_the_pdf_map_without_a_mark() -> None:
    # The PDF's steps table names every step whole: its map picture cuts with "…" alone.
    name = "Security review of every dependency upgrade by the central platform team " * 2
    board = board_of(Step(id="s", x=0, y=0, text=name))
    picture = board_picture(board, compute_metrics(board), header=False, in_full=False)
    document = picture.document()
    root = ET.fromstring(document.split("\n", 1)[1] if document.startswith("<?xml") else document)
    shown = " ".join(words(group_of(root, "s")))
    assert shown.split()[-1] != "(1)" and "…" in shown
    assert picture.drawn.elements["s"].h == board.elements["s"].h  # type: ignore[union-attr]


def test_a_board_with_nothing_to_grow_is_drawn_where_it_is() -> None:
    board = demo_board()
    assert fitted(board) is board


def test_a_long_queue_name_arrow_label_and_frame_wrap_instead_of_being_cut() -> None:
    name = "Security review of every dependency upgrade by the central platform team " * 2
    label = "only when the change advisory board has met and signed the release form off"
    title = "Quarterly release train for the retail banking mobile app and its back office " * 3
    trigger = "A customer asks for a new payment method in the app store reviews and support"
    a = Step(id="a", x=0, y=0, text=name, wait_minutes=60)
    b = Step(id="b", x=400, y=0, text="Ship", process_minutes=30)
    flow = Connector(id="ab", source="a", target="b", text=label)
    queue = Inventory(id="q", x=260, y=200, count=4, text=name)
    root = svg_root(
        board_of(a, b, flow, queue, title=title, trigger=trigger, delivery=trigger, scope=name)
    )
    text = " ".join(words(root))
    step = " ".join(words(group_of(root, "a")))
    # Only the step's name is cut, as on the canvas, and it is listed whole under the map.
    assert text.count("…") == step.count("…") == 1
    for whole in (name, label, title, trigger):
        assert " ".join(whole.split()) in text


def card(**changes: object) -> Experiment:
    fields: dict[str, object] = {
        "id": "x",
        "x": 0.0,
        "y": 400.0,
        "text": CARD_TEXT,
        "baseline": 11_940.0,
        "target": 7_200.0,
        "review": "2027-03-01",
        "status": "running",
        "result": "",
    }
    return Experiment(**(fields | changes))  # type: ignore[arg-type]


def test_an_experiment_card_is_in_the_picture_with_its_whole_hypothesis() -> None:
    board = demo_board()
    x = card(result="Lead time fell to 17d after two sprints, with the migration automated")
    board = board_of(*board.elements.values(), x)
    root = svg_root(board)
    g = group_of(root, "x")
    said = " ".join(words(g))
    assert "EXPERIMENT · RUNNING" in said
    start, end = (format_duration(m, board.calendar) for m in (11_940.0, 7_200.0))
    assert f"We believe that by {CARD_TEXT} we will reduce lead time from {start} to {end}" in said
    assert "by 2027-03-01. Result: Lead time fell to 17d after two sprints, with the" in said
    assert said.endswith("migration automated") and "…" not in said
    drawn = fitted(board).elements["x"]
    assert max(baselines(g)) < drawn.h  # type: ignore[union-attr]


def test_an_experiment_card_shows_in_the_png() -> None:
    x = card(x=0.0, y=0.0)
    board = board_of(x)
    document = board_svg(board, compute_metrics(board))
    root = ET.fromstring(document.split("\n", 1)[1])
    left, top = (float(v) for v in root.get("viewBox", "").split()[:2])
    scale = png_scale(*svg_size(document))
    image = Image.open(io.BytesIO(board_png(board, compute_metrics(board)))).convert("RGB")
    # The middle of the green band across the card's top, where the canvas paints it.
    band = image.getpixel((round((x.x + x.w * 0.8 - left) * scale), round((x.y + 6 - top) * scale)))
    assert band == (0xD2, 0xEC, 0xC9)
    # And its words are drawn: dark ink in the text area under the band.
    text_area = image.crop(
        (
            round((x.x + 12 - left) * scale),
            round((x.y + 30 - top) * scale),
            round((x.x + x.w - 12 - left) * scale),
            round((x.y + x.h - 10 - top) * scale),
        )
    )
    assert text_area.convert("L").getextrema()[0] < 80


def test_a_grown_note_above_the_constraint_leaves_room_for_its_badge() -> None:
    note = Note(id="n", x=300, y=-160, text=LONG_NOTE, variant="hypothesis")
    intake = Step(id="a", x=0, y=120, text="Intake", wait_minutes=60)
    build = Step(id="b", x=300, y=120, text="Build", wait_minutes=3 * 480)
    flow = Connector(id="ab", source="a", target="b")
    board = board_of(note, intake, build, flow)
    root = svg_root(board)
    drawn = fitted(board).elements["n"]
    badge = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "badge")
    badge_top = float(badge.get("transform", "").split()[1].rstrip(")"))
    assert badge_top >= drawn.y + drawn.h  # type: ignore[union-attr]
