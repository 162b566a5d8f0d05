"""Swimlanes in the exports: bands behind the map with the lane names, when switched on."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from pypdf import PdfReader

from app.domain.elements import Board, Connector, Step
from app.domain.lanes import LANE_LABEL_W, lane_bands
from app.domain.metrics import compute_metrics
from app.domain.operations import apply_many
from app.domain.tidy import tidy
from app.export.fonts import text_width
from app.export.formats import render
from app.export.json import export_document, plan_import
from app.export.map_pages import MIN_TEXT_PT
from app.export.svg import board_picture, board_svg
from app.export.svg_lanes import NAME_SIZE
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
