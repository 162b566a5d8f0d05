"""Teams, owners, handoffs and swimlanes, live between a facilitator and a participant."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import (
    board_url,
    select_step,
    start_future_state,
    wait_connected,
    wait_view_settled,
)
from e2e.utils.seed import seed, stored
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
SVG = "{http://www.w3.org/2000/svg}"
DOWNLOAD_TIMEOUT_MS = 60_000
EXPORT_NAMES = {"svg": "SVG picture", "csv": "CSV data"}
HOUR = 60
DAY = 8 * HOUR

STEPS = [
    {
        "id": "s-build",
        "kind": "step",
        "x": 0,
        "y": 0,
        "text": "Build",
        "wait_minutes": DAY,
        "process_minutes": 4 * HOUR,
    },
    {
        "id": "s-review",
        "kind": "step",
        "x": 300,
        "y": 0,
        "text": "Review",
        "wait_minutes": 3 * DAY,
        "process_minutes": 2 * HOUR,
    },
    {
        "id": "s-deploy",
        "kind": "step",
        "x": 600,
        "y": 0,
        "text": "Deploy",
        "wait_minutes": 2 * DAY,
        "process_minutes": HOUR,
    },
]
ARROWS = [
    {
        "id": "c-1",
        "kind": "connector",
        "source": "s-build",
        "target": "s-review",
        "connector": "flow",
    },
    {
        "id": "c-2",
        "kind": "connector",
        "source": "s-review",
        "target": "s-deploy",
        "connector": "flow",
    },
]


def press(page: Page, action: str) -> None:
    """Click a tool where it is: on the bar, or in the More menu (a narrow window)."""
    tool = page.locator(
        f'#toolbar > [data-action="{action}"], .zoom-controls [data-action="{action}"]'
    )
    if tool.count() and tool.is_visible():
        tool.click()
        return
    page.locator("#more-tools").click()
    page.locator(f'#more-menu [data-action="{action}"]').click()


def download(page: Page, fmt: str, folder: Path) -> bytes:
    """The map in `fmt`, downloaded from the Export dialog as a person would."""
    page.get_by_role("button", name="Export").click()
    dialog = page.get_by_role("dialog", name="Export the map")
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        dialog.get_by_role("link", name=re.compile(f"^{EXPORT_NAMES[fmt]}")).click()
    saved = folder / f"map.{fmt}"
    info.value.save_as(saved)
    return saved.read_bytes()


def seed_teamed(server: Server, board: dict[str, Any], *, swimlanes: bool = False) -> None:
    """The three steps with Development doing Build and Deploy, and QA doing Review."""
    teams = [
        {"op": "team", "id": "t-dev", "set": {"name": "Development", "color": "blue"}},
        {"op": "team", "id": "t-qa", "set": {"name": "QA", "color": "green"}},
    ]
    owned = [{**s, "owner": "t-qa" if s["id"] == "s-review" else "t-dev"} for s in STEPS]
    lanes = [{"op": "board", "set": {"swimlanes": True}}] if swimlanes else []
    creates = [{"op": "create", "element": e} for e in [*owned, *ARROWS]]
    server.post_ops(board, [*teams, *lanes, *creates])


def add_team(page: Page, name: str) -> None:
    page.locator("[data-team-new]").fill(name)
    page.locator("[data-team-add]").click()
    expect(page.locator(f"[data-team-name][value='{name}']")).to_have_count(1)


def give_owner(page: Page, step: str, team: str) -> None:
    select_step(page, step)
    page.locator("#inspect-owner").select_option(label=team)
    page.keyboard.press("Escape")


def test_teams_owners_handoffs_and_lanes_for_everyone(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], tmp_path: Path
) -> None:
    seed(live_server, board, *STEPS, *ARROWS)
    fay = open_page(
        board_url(board, "facilitator"), name="Fay", viewport={"width": 1024, "height": 768}
    )
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(fay)
    wait_connected(ada)

    # The facilitator names two teams in Map settings.
    press(fay, "map-settings")
    add_team(fay, "Development")
    add_team(fay, "QA")
    fay.locator("[data-team-new]").scroll_into_view_if_needed()
    # Each name reads whole in its field at 1024 x 768, and so does the hint for a new one.
    cut = fay.evaluate(
        """() => [...document.querySelectorAll('[data-team-name], [data-team-new]')]
            .filter((i) => { const c = document.createElement('canvas').getContext('2d');
                c.font = getComputedStyle(i).font;
                const pad = parseFloat(getComputedStyle(i).paddingLeft) * 2;
                return c.measureText(i.value || i.placeholder).width + pad > i.clientWidth; })
            .map((i) => i.value || i.placeholder)"""
    )
    assert cut == [], cut
    fay.screenshot(path=str(ARTIFACTS / "swimlanes-teams-settings.png"))

    # The participant gives the three chained steps their owners: two handoffs.
    select_step(ada, "Build")
    options = ada.locator("#inspect-owner option").all_inner_texts()
    assert options == ["— none —", "Development", "QA"]  # no "New team…" for a participant
    give_owner(ada, "Build", "Development")
    give_owner(ada, "Review", "QA")
    give_owner(ada, "Deploy", "Development")
    fay.wait_for_function(
        "() => ['s-build', 's-review', 's-deploy'].every((id) => window.flowmap.elements().find((e) => e.id === id).owner)"
    )
    owners = {s: stored(fay, s)["owner"] for s in ("s-build", "s-review", "s-deploy")}
    assert owners["s-build"] == owners["s-deploy"] != owners["s-review"]

    # Both pages mark the two handoffs on their arrows and count them in the Flow panel.
    for page in (fay, ada):
        expect(page.locator(".handoff-chip")).to_have_count(2)
        expect(page.locator("[data-handoff='c-1']")).to_be_visible()
        expect(page.locator("[data-metric='handoffs']")).to_contain_text("Handoffs: 2 on the path")
        expect(page.locator("[data-metric='handoffs']")).to_contain_text("of waiting at handoffs")
        expect(page.locator(".owner-tag")).to_have_count(3)
        expect(page.locator("[data-team-row]")).to_have_count(2)
    # Every tag and chip holds its whole text as the browser draws it: nothing runs out.
    overflow = fay.evaluate(
        """() => [...document.querySelectorAll('.owner-tag, .handoff-chip')].map((g) => {
            const text = g.querySelector('text'), rect = g.querySelector('rect');
            const end = text.getBBox().x + text.getComputedTextLength();
            return [text.textContent, end - rect.width.baseVal.value];
        }).filter(([, over]) => over > -2)"""
    )
    assert overflow == [], overflow
    # The per-team table fits the Flow panel at 1024 x 768: nothing cut off.
    table = fay.locator("[data-metric='teams']")
    assert fay.evaluate("(t) => t.scrollWidth <= t.clientWidth + 1", table.element_handle())
    panel = fay.locator("#totals").bounding_box()
    box = table.bounding_box()
    assert panel and box and box["x"] + box["width"] <= panel["x"] + panel["width"]

    # The facilitator switches swimlanes on: both pages draw the lanes with their names.
    fay.get_by_role("checkbox", name="Swimlanes").check()
    for page in (fay, ada):
        expect(page.locator(".lane")).to_have_count(2)
        expect(page.locator(".lane[data-lane-name='Development'] .lane-label")).to_have_text(
            "Development"
        )
        expect(page.locator(".lane[data-lane-name='QA'] .lane-label")).to_be_visible()
    # The lane tidy came in the same batch: QA's step sits in QA's lane, under Development's.
    ada.wait_for_function(
        "() => { const at = (id) => window.flowmap.elements().find((e) => e.id === id); "
        "return at('s-review').y > at('s-build').y && at('s-deploy').y === at('s-build').y; }"
    )
    review = stored(ada, "s-review")

    press(fay, "map-settings")  # closed: the whole map
    fay.keyboard.press("Escape")
    press(fay, "zoom-reset")
    wait_view_settled(fay)
    fay.screenshot(path=str(ARTIFACTS / "swimlanes-100.png"))
    press(fay, "zoom-fit")
    wait_view_settled(fay)
    fay.screenshot(path=str(ARTIFACTS / "swimlanes-fitted.png"))
    ada.screenshot(path=str(ARTIFACTS / "swimlanes-participant.png"))

    # The participant exports the map: the picture has the lanes, tags and handoff marks,
    # the CSV each step's team and who hands it the work.
    files = {fmt: download(ada, fmt, tmp_path) for fmt in ("svg", "csv")}
    picture = ET.fromstring(files["svg"])
    kinds = [g.get("class") for g in picture.iter(f"{SVG}g")]
    assert kinds.count("lane") == 2 and kinds.count("owner-tag") == 3
    assert kinds.count("handoff-chip") == 2
    rows = {r["text"]: r for r in csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig")))}
    assert [rows[s]["owner"] for s in ("Build", "Review", "Deploy")] == [
        "Development",
        "QA",
        "Development",
    ]
    assert rows["Review"]["handoff_from"] == "Development"

    # Switching off goes alone: the lanes go, the layout stays.
    press(fay, "map-settings")
    fay.get_by_role("checkbox", name="Swimlanes").uncheck()
    expect(ada.locator(".lane")).to_have_count(0)
    assert stored(ada, "s-review")["y"] == review["y"]


def test_removing_a_team_that_owns_steps_is_one_confirmed_undoable_change(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, *STEPS, *ARROWS)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    select_step(fay, "Build")
    # "New team…" in the step's panel adds the team and assigns it at once.
    fay.locator("#inspect-owner").select_option(label="New team…")
    fay.locator("[data-owner-new]").fill("Development")
    fay.locator("[data-owner-new]").press("Enter")
    fay.wait_for_function("() => window.flowmap.elements().find((e) => e.id === 's-build').owner")
    select_step(fay, "Review")
    fay.locator("#inspect-owner").select_option(label="Development")
    fay.keyboard.press("Escape")
    fay.wait_for_function("() => window.flowmap.elements().find((e) => e.id === 's-review').owner")

    press(fay, "map-settings")
    fay.get_by_role("button", name="Remove team Development").click()
    expect(fay.get_by_role("alertdialog")).to_contain_text(
        "Development owns 2 steps: they will have no owner"
    )
    fay.get_by_role("alertdialog").get_by_role("button", name="Remove").click()
    fay.wait_for_function(
        "() => window.flowmap.elements().every((e) => e.kind !== 'step' || !e.owner)"
    )
    expect(fay.locator("[data-no-teams]")).to_be_visible()
    expect(fay.locator(".owner-tag")).to_have_count(0)

    fay.keyboard.press("Escape")
    fay.locator("canvas, svg.canvas").first.focus()
    fay.keyboard.press("Control+z")  # one undo: the team and both owners are back
    fay.wait_for_function(
        "() => ['s-build', 's-review'].every((id) => window.flowmap.elements().find((e) => e.id === id).owner)"
    )
    expect(fay.locator(".owner-tag")).to_have_count(2)


def test_comparing_two_versions_names_the_team_changes_and_the_handoffs(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    facilitator = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    root = f"{live_server.url}/api/boards/{board['id']}"
    seed_teamed(live_server, board)
    assert httpx.post(f"{root}/versions", json={"label": "as is"}, headers=facilitator).is_success
    live_server.post_ops(board, [
        {"op": "update", "id": "s-review", "set": {"owner": "t-dev"}},
        {"op": "team", "id": "t-qa", "remove": True},
        {"op": "team", "id": "t-dev", "set": {"name": "Engineering"}},
    ])  # fmt: skip
    assert httpx.post(f"{root}/versions", json={"label": "to be"}, headers=facilitator).is_success

    fay = open_page(
        board_url(board, "facilitator"), name="Fay", viewport={"width": 1024, "height": 768}
    )
    wait_connected(fay)
    fay.get_by_role("button", name="Publish and validate").click()
    dialog = fay.get_by_role("dialog", name="Publish and validate")
    dialog.get_by_role("button", name="Compare with v1").click()
    expect(
        dialog.get_by_text(
            "Teams: Team renamed: Development → Engineering; Team removed: QA.", exact=False
        )
    ).to_be_visible()
    expect(dialog.locator(".compare-changes")).to_have_text("Review: Owner QA → Engineering")
    row = dialog.locator(".compare-table tr", has_text="Handoffs")
    expect(row).to_have_text(re.compile(r"Handoffs\s*2\s*0\s*−2"))
    fay.screenshot(path=str(ARTIFACTS / "swimlanes-compare.png"))


def test_a_future_state_keeps_the_lanes_and_counts_the_handoffs_it_removes(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed_teamed(live_server, board, swimlanes=True)
    fay = open_page(
        board_url(board, "facilitator"), name="Fay", viewport={"width": 1280, "height": 720}
    )
    wait_connected(fay)
    future = start_future_state(fay)
    expect(future.locator(".lane")).to_have_count(2)
    expect(future.locator(".owner-tag")).to_have_count(3)
    # The redesign: Development reviews its own work.
    select_step(future, "Review")
    future.locator("#inspect-owner").select_option(label="Development")
    future.keyboard.press("Escape")
    expect(future.locator("[data-delta='handoffs']")).to_have_text("2 → 0 (2 handoffs fewer)")
    expect(future.locator("[data-delta='handoffs']")).to_have_class(re.compile("is-better"))
    future.screenshot(path=str(ARTIFACTS / "swimlanes-future.png"))


def test_the_validation_page_lists_each_teams_steps_for_it_to_confirm(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed_teamed(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    fay.get_by_role("button", name="Publish and validate").click()
    dialog = fay.get_by_role("dialog", name="Publish and validate")
    dialog.get_by_label("Version label").fill("With teams")
    dialog.get_by_role("button", name="Publish version").click()
    expect(dialog.locator(".validation-state")).to_contain_text("“With teams”")
    dialog.get_by_label("Invite").fill("Quinn")
    dialog.get_by_role("button", name="Ask them to validate").click()
    link = dialog.get_by_label("Validation link for Quinn")
    expect(link).to_have_value(re.compile(r"/v/[A-Za-z0-9_-]{22,}$"))

    quinn = open_page(link.input_value(), name=None, viewport={"width": 390, "height": 844})
    groups = quinn.locator(".team-group")
    expect(groups).to_have_count(2)
    expect(groups.nth(0).locator(".team-heading")).to_have_text("Development · 2 steps, 0 agreed")
    expect(groups.nth(0).locator(".step h4")).to_have_text(["Build", "Deploy"])
    expect(groups.nth(1).locator(".team-heading")).to_have_text("QA · 1 step, 0 agreed")
    # QA confirms its own part.
    quinn.get_by_role("button", name="Agree: Review").click()
    expect(groups.nth(1).locator(".team-heading")).to_have_text("QA · 1 step, 1 agreed")
    # Numbers still follow the flow across teams: Build 1, Review 2, Deploy 3.
    expect(groups.nth(0).locator(".step-number")).to_have_text(["1", "3"])
    groups.nth(1).scroll_into_view_if_needed()
    quinn.screenshot(path=str(ARTIFACTS / "swimlanes-validation.png"), full_page=True)


def test_the_next_step_added_in_a_lane_joins_that_lanes_team(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # With swimlanes on, Add next step put the new step beside Deploy, in Development's lane,
    # but owned by nobody: an "Unassigned" band was drawn over Development's, its name over
    # the lane's on the canvas and in its place in the exports.
    seed_teamed(live_server, board, swimlanes=True)
    pat = open_page(board_url(board, "participant"), name="Pat", viewport={"width": 640, "height": 720})
    wait_connected(pat)
    expect(pat.locator(".lane")).to_have_count(2)
    select_step(pat, "Deploy")
    pat.get_by_role("button", name="Add next step").click()
    pat.keyboard.type("Release")
    pat.keyboard.press("Enter")
    expect(pat.get_by_label("Step: Release", exact=True)).to_be_visible()
    release = pat.evaluate("() => window.flowmap.elements().find((e) => e.text === 'Release')")
    assert release["owner"] == "t-dev", release
    expect(pat.locator(".lane")).to_have_count(2)
    expect(pat.locator(".lane-label")).to_have_text(["Development", "QA"])


def test_owners_given_one_by_one_with_the_lanes_on_never_draw_one_lane_over_another(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Swimlanes on before anyone owns a step: the steps stand on one row. Each owner picked
    # gives its lane a band; every band must stay clear of the others without a Tidy up.
    teams = [
        {"op": "team", "id": "t-dev", "set": {"name": "Development", "color": "blue"}},
        {"op": "team", "id": "t-qa", "set": {"name": "QA", "color": "green"}},
    ]
    creates = [{"op": "create", "element": e} for e in [*STEPS, *ARROWS]]
    live_server.post_ops(board, [*teams, {"op": "board", "set": {"swimlanes": True}}, *creates])
    fay = open_page(board_url(board, "facilitator"))
    wait_connected(fay)

    def bands() -> list[dict[str, float]]:
        return [b for b in (r.bounding_box() for r in fay.locator(".lane-band").all()) if b]

    def apart() -> None:
        drawn = bands()
        for i, a in enumerate(drawn):
            for b in drawn[i + 1 :]:
                assert a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"], drawn

    give_owner(fay, "Review", "QA")
    expect(fay.locator(".lane-band")).to_have_count(2)
    apart()
    give_owner(fay, "Build", "Development")
    expect(fay.locator(".lane-band")).to_have_count(3)
    apart()
    wait_connected(fay)
    fay.screenshot(path=str(ARTIFACTS / "swimlanes-owned-one-by-one.png"))
