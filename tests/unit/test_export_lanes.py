"""Swimlanes in the exports: bands behind the map with the lane names, when switched on."""

from __future__ import annotations

import csv
import io
import json
import random
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from itertools import pairwise

from pypdf import PdfReader

from app.domain.elements import Board, Connector, Element, Note, Step, Team
from app.domain.lanes import LANE_LABEL_W, Band, lane_bands
from app.domain.metrics import compute_metrics
from app.domain.operations import apply_many
from app.domain.tidy import tidy
from app.export.fit import fitted, reach
from app.export.fonts import text_width
from app.export.formats import render
from app.export.json import export_document, plan_import
from app.export.map_pages import MIN_TEXT_PT
from app.export.svg import board_picture, board_svg
from app.export.svg_lanes import NAME_SIZE
from app.export.svg_steps import footprint
from tests.support.lanes import TEAMS, owned_board

SVG = "{http://www.w3.org/2000/svg}"
AT = datetime(2026, 12, 4, tzinfo=UTC)
OWNERS = {"a": "t-dev", "b": "t-dev", "c": "t-qa", "d": "t-ops", "e": None}


def three_team_map(*, swimlanes: bool = True) -> Board:
    steps = [Step(id=s, x=i * 400, y=(i % 2) * 90, text=f"Step {s}") for i, s in enumerate("abcde")]
    arrows = [
        Connector(id=f"{a}{b}", source=a, target=b) for a, b in zip("abcd", "bcde", strict=True)
    ]
    board = owned_board([*steps, *arrows], OWNERS, TEAMS, swimlanes=swimlanes)
    tidied, _ = apply_many(board, list(tidy(board).ops))
    return tidied


def lanes_of(document: str) -> list[ET.Element]:
    root = ET.fromstring(document)
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "lane"]


def test_the_svg_draws_a_band_per_lane_with_its_name_at_the_left() -> None:
    board = three_team_map()
    lanes = lanes_of(board_svg(board, compute_metrics(board)))
    assert [g.get("data-team") for g in lanes] == ["t-dev", "t-qa", "t-ops", ""]
    names = [" ".join(t.text or "" for t in g.iter(f"{SVG}text")) for g in lanes]
    assert names == ["Development", "QA", "Operations", "Unassigned"]
    for g, band in zip(lanes, lane_bands(board), strict=True):
        label = next(g.iter(f"{SVG}text"))
        assert band.x < float(label.get("x", "nan")) < band.x + LANE_LABEL_W


def test_the_bands_are_behind_everything_and_inside_the_picture() -> None:
    board = three_team_map()
    picture = board_picture(board, compute_metrics(board))
    world = [g for g in picture.root if g.tag == "g"][0]  # the tree before it is written
    assert [g.get("class") for g in world][:2] == ["lanes", "underlay"]
    for band in lane_bands(board):
        assert picture.box.x <= band.x and band.x + band.w <= picture.box.right
        assert picture.box.y <= band.y and band.bottom <= picture.box.bottom


def test_lane_names_are_never_the_smallest_text() -> None:
    board = three_team_map()
    with_lanes = board_picture(board, compute_metrics(board)).smallest_text()
    without = board_picture(three_team_map(swimlanes=False), compute_metrics(board)).smallest_text()
    assert with_lanes == without and NAME_SIZE > with_lanes and NAME_SIZE * 0.75 > MIN_TEXT_PT


def test_lanes_switched_off_or_no_owners_draw_nothing() -> None:
    board = three_team_map(swimlanes=False)
    assert lanes_of(board_svg(board, compute_metrics(board))) == []
    bare = owned_board([Step(id="a"), Step(id="b", x=400)], {}, TEAMS, swimlanes=True)
    assert lanes_of(board_svg(bare, compute_metrics(bare))) == []


def test_a_long_team_name_wraps_inside_its_label_column() -> None:
    teams = [{"id": "t-x", "name": "Quality assurance and release management", "color": "#336699"}]
    board = owned_board([Step(id="a", text="Check")], {"a": "t-x"}, teams, swimlanes=True)
    (lane,) = lanes_of(board_svg(board, compute_metrics(board)))
    lines = [t.text for t in lane.iter(f"{SVG}text")]
    assert len(lines) > 1 and " ".join(lines) == teams[0]["name"]  # type: ignore[arg-type]


# Names as people type them into a quote-to-cash map: the exports grow a step until
# every word of its name shows (fit.py); the canvas cuts it short.
CRM = (
    "Log request in CRM with all the partner portal metadata, attachments, customer hierarchy, "
    "region and the sales rep who owns the account (check duplicates first!!)"
)
REDLINE = (
    "Redline negotiation with the customer's procurement department, which takes several "
    "rounds because their template conflicts with ours on liability caps"
)
QUOTE_TO_CASH = [
    ("Receive request", "t-sales"), (CRM, "t-sales"), ("Check credit", "t-fin"),
    ("Qualify", "t-sales"), ("Legal review of T&Cs", "t-legal"), (REDLINE, "t-legal"),
    ("Price approval", "t-fin"), ("Pick", "t-wh"), ("Pack", "t-wh"),
    ("Dunning", None), (REDLINE.replace("Redline", "Chase"), None),
]  # fmt: skip
QUOTE_TEAMS = (
    Team("t-sales", "Sales", "blue"),
    Team("t-legal", "Legal", "purple"),
    Team("t-fin", "Finance", "green"),
    Team("t-wh", "Warehouse & Logistics", "orange"),
)


def long_named_map() -> Board:
    """Four teams, long names, two steps nobody owns, scattered, then lanes switched on
    (Map settings applies the lane tidy with it)."""
    rng = random.Random(7)
    steps = [
        Step(id=f"s{i}", x=i * 230 + rng.randint(-60, 60), y=rng.randint(-150, 200), text=name,
             owner=owner, people=rng.choice([None, 2]),
             waste=tuple(rng.sample(["defects", "waiting", "motion"], rng.randint(0, 2))))
        for i, (name, owner) in enumerate(QUOTE_TO_CASH)
    ]  # fmt: skip
    ids = [s.id for s in steps]
    arrows = [Connector(id=f"{a}>{b}", source=a, target=b) for a, b in pairwise(ids)]
    elements: list[Element] = [*steps, *arrows]
    board = Board(id="q2c", elements={e.id: e for e in elements}, teams=QUOTE_TEAMS, swimlanes=True)
    tidied, _ = apply_many(board, list(tidy(board).ops))
    return tidied


def drawn_bands(document: str) -> list[Band]:
    """The bands as the SVG draws them, top lane first."""
    bands = []
    for g in lanes_of(document):
        rect = g.find(f"{SVG}rect")
        assert rect is not None
        x, y, w, h = (float(rect.get(k, "nan")) for k in ("x", "y", "width", "height"))
        bands.append(Band(g.get("data-team", ""), "", "", x, y, w, h))
    return bands


def test_long_names_are_cut_in_their_steps_inside_their_own_lanes_and_lanes_never_overlap() -> None:
    board = long_named_map()
    picture = board_picture(board, compute_metrics(board))
    # As on the canvas: every step keeps its box, and the long names end in "…" (listed
    # whole under the picture).
    assert all(s.h == board.elements[s.id].h for s in picture.drawn.steps())  # type: ignore[union-attr]
    assert picture.document().count("… (") >= 3  # the picture is the one in question
    bands = drawn_bands(picture.document())
    assert [b.id for b in bands] == ["t-sales", "t-legal", "t-fin", "t-wh", ""]
    for upper, lower in pairwise(bands):
        assert upper.bottom < lower.y, (upper.id, upper.bottom, lower.id, lower.y)
    lane = {b.id: b for b in bands}
    for step in picture.drawn.steps():
        band = lane[step.owner or ""]
        # The box, its figures and its waste chips, as drawn.
        assert band.y < step.y and step.y + footprint(step) < band.bottom, step.id
    # The canvas draws the same board's bands from the boxes as stored (names cut short):
    # those never overlap either.
    canvas = lane_bands(board)
    assert all(upper.bottom < lower.y for upper, lower in pairwise(canvas))


def test_the_csv_names_each_steps_team_and_who_hands_it_the_work() -> None:
    board = three_team_map()
    text = render(board, "csv", at=AT).content.decode("utf-8-sig")
    table = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert [table[s]["owner"] for s in "abcde"] == [
        "Development", "Development", "QA", "Operations", "",
    ]  # fmt: skip
    # b gets the work from its own team; c and d from another: handoffs. e has no team.
    assert [table[s]["handoff_from"] for s in "abcde"] == ["", "", "Development", "QA", ""]


def test_the_json_export_carries_the_teams_owners_and_handoff_figures() -> None:
    board = three_team_map()
    document = json.loads(render(board, "json", at=AT).content)
    assert [t["name"] for t in document["board"]["teams"]] == ["Development", "QA", "Operations"]
    owners = {e["id"]: e.get("owner") for e in document["elements"] if e["kind"] == "step"}
    assert owners == OWNERS
    assert document["metrics"]["handoffs"]["count"] == 2
    assert document["metrics"]["handoffs"]["edges"] == [["b", "c"], ["c", "d"]]
    assert [t["steps"] for t in document["metrics"]["teams"]] == [["a", "b"], ["c"], ["d"]]


def marks_of(document: str, kind: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(document).iter(f"{SVG}g") if g.get("class") == kind]


def test_the_picture_tags_each_owned_step_and_marks_each_handoff_as_the_canvas_does() -> None:
    for swimlanes in (True, False):
        board = three_team_map(swimlanes=swimlanes)
        document = board_svg(board, compute_metrics(board))
        tags = {g.get("data-owner-of"): g for g in marks_of(document, "owner-tag")}
        assert sorted(tags) == ["a", "b", "c", "d"]  # e has no owner
        names = {k: "".join(t.text or "" for t in g.iter(f"{SVG}text")) for k, g in tags.items()}
        assert names == {"a": "Development", "b": "Development", "c": "QA", "d": "Operations"}
        for step_id, g in tags.items():
            rect, text = g.find(f"{SVG}rect"), g.find(f"{SVG}text")
            assert rect is not None and text is not None
            step = board.elements[step_id]
            # Above its step, and its name whole inside its pill.
            assert float(rect.get("y", "0")) + float(rect.get("height", "0")) <= step.y  # type: ignore[union-attr]
            end = float(text.get("x", "0")) + text_width(text.text or "", 10.5, 600)
            assert end <= float(rect.get("x", "0")) + float(rect.get("width", "0"))
        chips = [g.get("data-handoff") for g in marks_of(document, "handoff-chip")]
        assert chips == ["bc", "cd"]


def test_a_map_without_teams_has_no_tags_or_chips() -> None:
    steps = [Step(id=s, x=i * 400, text=s) for i, s in enumerate("ab")]
    board = Board(
        id="x", elements={e.id: e for e in [*steps, Connector(id="c", source="a", target="b")]}
    )
    document = board_svg(board, compute_metrics(board))
    assert marks_of(document, "owner-tag") == marks_of(document, "handoff-chip") == []


def test_an_exported_map_with_teams_imports_with_its_teams_owners_and_lanes() -> None:
    board = three_team_map()
    imported = plan_import(export_document(board, compute_metrics(board)))
    assert imported.board.teams == board.teams
    assert {s.id: s.owner for s in imported.board.steps()} == OWNERS
    assert imported.board.swimlanes is True
    assert imported.frame["teams"] == [
        {"id": t.id, "name": t.name, "color": t.color} for t in board.teams
    ]
    assert imported.frame["swimlanes"] is True


def test_the_pdf_lists_each_teams_steps_and_the_handoffs() -> None:
    board = three_team_map()
    pdf = PdfReader(io.BytesIO(render(board, "pdf", at=AT).content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "Teams" in text
    assert "Development Step a, Step b" in text
    assert "QA Step c" in text and "Operations Step d" in text
    assert "Handoffs: 2 on the path" in text


def test_a_pdf_without_teams_has_no_teams_section() -> None:
    steps = [Step(id=s, x=i * 400, text=s) for i, s in enumerate("ab")]
    board = Board(id="x", elements={e.id: e for e in steps})
    pdf = PdfReader(io.BytesIO(render(board, "pdf", at=AT).content))
    text = " ".join((page.extract_text() or "") for page in pdf.pages)
    assert "Its steps, in flow order" not in text and "Handoffs:" not in text


def test_lanes_laid_out_before_a_name_grew_are_moved_apart_in_the_exports() -> None:
    # Lanes stacked for the stored heights (a board tidied before the lane tidy made room
    # for long names, or a step renamed since): the grown step's lane ran into the next.
    long_name = "Log the request in the CRM and check the customer's credit limit " * 3
    steps = [
        Step(id="a", x=0, y=0, text=long_name), Step(id="b", x=400, y=0, text="Quote"),
        Step(id="c", x=0, y=230, text="Test"), Step(id="d", x=400, y=230, text="Ship"),
        Step(id="e", x=800, y=460, text="Bill"),
    ]  # fmt: skip
    owners = {"a": "t-dev", "b": "t-dev", "c": "t-qa", "d": "t-qa", "e": "t-ops"}
    board = owned_board(steps, owners, TEAMS, swimlanes=True)
    stored = lane_bands(board)
    assert all(a.y + a.h <= b.y for a, b in pairwise(stored))  # clear as stored
    drawn = board_picture(board, compute_metrics(board)).drawn
    bands = lane_bands(drawn)
    assert [b.id for b in bands] == ["t-dev", "t-qa", "t-ops"]
    for upper, lower in pairwise(bands):
        assert upper.y + upper.h <= lower.y, (upper, lower)
    for s in drawn.steps():
        band = next(b for b in bands if b.id == owners[s.id])
        assert band.y <= s.y and s.y + footprint(s) <= band.y + band.h, s.id


def _overlaps(board: Board) -> list[tuple[str, str]]:
    drawn = fitted(board)
    boxes = [e for e in drawn.elements.values() if isinstance(e, Note | Step)]
    return [(a.id, b.id) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a.x < b.x + b.w and b.x < a.x + a.w
            and a.y < b.y + reach(b) and b.y < a.y + reach(a)]  # fmt: skip


def test_a_box_that_grows_across_lanes_still_pushes_what_is_below_it() -> None:
    # Pushes were kept inside a lane: a long note in the top lane grew over the next lane's
    # step, and a long-named step in the last lane over a note under the lanes.
    teams = ({"id": "t-dev", "name": "Development", "color": "blue"},
             {"id": "t-qa", "name": "QA", "color": "green"})  # fmt: skip
    note_over = [Step(id="s1", x=80, y=160, text="Take order"),
                 Note(id="n1", x=392, y=170, text="A long observation from the workshop. " * 14),
                 Step(id="s2", x=392, y=424, text="Build")]  # fmt: skip
    step_over = [Step(id="s1", x=80, y=160, text="Take order"),
                 Step(id="s2", x=392, y=424, text="Check the customer's credit limit " * 4),
                 Note(id="n1", x=392, y=640, text="Under the lanes")]  # fmt: skip
    for elements in (note_over, step_over):
        board = owned_board(elements, {"s1": "t-dev", "s2": "t-qa"}, teams, swimlanes=True)
        assert _overlaps(board) == []


def test_lanes_given_owners_on_one_row_are_stacked_apart_in_the_exports() -> None:
    # Owners given through the API with the lanes on, nothing tidied: every step still on the
    # map's one row, each lane's band over the others. The export stacks them in their order,
    # each queue and note going with the step it belongs to, and nothing is cut off.
    from app.domain.elements import Inventory

    steps = [Step(id=s, x=i * 260, y=100, text=f"Step {s}") for i, s in enumerate("abcde")]
    queue = Inventory(id="q", x=3 * 260 - 60, y=110, count=4)  # stands before d
    note = Note(id="n", x=2 * 260, y=0, text="Why c waits")  # above c
    arrows = [Connector(id=f"{a}{b}", source=a, target=b) for a, b in pairwise("abcde")]
    board = owned_board([*steps, queue, note, *arrows], OWNERS, TEAMS, swimlanes=True)
    assert any(b.y < c.bottom for b, c in pairwise(lane_bands(board)))  # overlapping as given

    drawn = fitted(board)
    bands = lane_bands(drawn)
    assert [b.id for b in bands] == ["t-dev", "t-qa", "t-ops", ""]
    for upper, lower in pairwise(bands):
        assert upper.bottom < lower.y, (upper, lower)
    d, q = drawn.elements["d"], drawn.elements["q"]
    assert q.y - d.y == queue.y - steps[3].y  # the queue moved with the step it stands before
    c, n = drawn.elements["c"], drawn.elements["n"]
    assert n.y - c.y == note.y - steps[2].y  # the note with the step under it
    assert lanes_of(board_svg(board, compute_metrics(board)))  # drawn, bands and all
