"""Running the workshop: lock, timer, presenting and following, votes, comments, estimates, links.

Two or three real Chromium pages on one board, through the real server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected, wait_view_settled
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
DAY = 480


def seed(server: Server, board: dict[str, Any], elements: list[dict[str, Any]]) -> None:
    server.post_ops(board, [{"op": "create", "element": e} for e in elements])


def two_steps(server: Server, board: dict[str, Any]) -> None:
    seed(server, board, [
        {"id": "plan", "kind": "step", "x": 60, "y": 120, "text": "Plan"},
        {"id": "ship", "kind": "step", "x": 400, "y": 120, "text": "Ship"},
        {"id": "idea", "kind": "note", "x": 60, "y": -120, "text": "Smaller batches", "variant": "hypothesis"},
    ])  # fmt: skip


def workshop_of_three(
    server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> tuple[Page, Page, Page]:
    """The two-step board open for Fay (facilitator), Ada and Bob (participants), all live."""
    two_steps(server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    for page in (fay, ada, bob):
        wait_connected(page)
    return fay, ada, bob


def test_the_facilitator_pauses_editing_and_runs_a_countdown(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(fay)
    wait_connected(ada)

    fay.get_by_role("button", name="Pause editing for participants").click()
    expect(ada.locator("[data-session-item=locked]")).to_have_text("The facilitator has paused editing")
    expect(ada.get_by_role("button", name="Add step")).to_be_hidden()
    # The server refuses a participant's edit while locked, whatever the page does.
    refused = httpx.post(
        f"{live_server.url}/api/boards/{board['id']}/ops",
        json={"ops": [{"op": "create", "element": {"id": "sneak", "kind": "step"}}]},
        headers={"Authorization": f"Bearer {board['tokens']['participant']}"},
    ).json()
    assert "paused" in refused["results"][0]["error"]

    fay.get_by_role("button", name="Let participants edit again").click()
    expect(ada.get_by_role("button", name="Add step")).to_be_visible()
    expect(ada.locator("[data-session-item=locked]")).to_have_count(0)

    fay.get_by_role("button", name="Timer").click()
    fay.get_by_label("Minutes").fill("5")
    fay.get_by_role("textbox", name="For").fill("Add the wait times")
    fay.get_by_role("button", name="Start", exact=True).click()
    timer = ada.locator("[data-session-item=timer]")
    expect(timer).to_contain_text("Add the wait times")
    expect(timer.locator("[data-timer]")).to_contain_text("4:5")
    fay.screenshot(path=str(ARTIFACTS / "workshop-timer.png"))


def test_everyone_follows_the_presenter_and_anyone_can_follow_anyone(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay, ada, bob = workshop_of_three(live_server, board, open_page)

    fay.get_by_role("button", name="Present: everyone follows your view").click()
    expect(ada.locator("[data-session-item=following]")).to_contain_text("Following Fay")
    fay.get_by_role("button", name="Zoom in").click()
    fay.get_by_role("button", name="Zoom in").click()
    wait_view_settled(fay)  # the zoom animates: its end, however long a busy machine takes
    target = fay.evaluate("window.flowmap.seen()")
    ada.wait_for_function(
        "([t]) => { const v = window.flowmap.seen(); "
        "return Math.abs(v.x + v.w / 2 - (t.x + t.w / 2)) < 5 && Math.abs(v.w - t.w) < 5; }",
        arg=[target],
    )
    # Ada leaves presenter mode; Bob keeps following.
    ada.get_by_role("button", name="Stop following", exact=True).click()
    expect(ada.locator("[data-session-item=following]")).to_have_count(0)
    expect(bob.locator("[data-session-item=following]")).to_contain_text("Following Fay")
    fay.get_by_role("button", name="Stop presenting").first.click()
    expect(bob.locator("[data-session-item=following]")).to_have_count(0)

    # Anyone can follow anyone: Bob follows Ada from the people list.
    bob.get_by_role("button", name="Ada, participant. Follow their view").click()
    expect(bob.locator("[data-session-item=following]")).to_contain_text("Following Ada")
    ada.get_by_role("button", name="Zoom out").click()
    wait_view_settled(ada)
    seen = ada.evaluate("window.flowmap.seen()")
    bob.wait_for_function(
        "([t]) => Math.abs(window.flowmap.seen().w - t.w) < 5", arg=[seen]
    )


def test_a_follower_on_half_a_screen_sees_the_presenters_focus_clear_of_its_own_panels(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # The follower was shown the presenter's whole window, centred on its own whole window:
    # on half a laptop screen the step the presenter zoomed onto sat under the Flow panel.
    two_steps(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay", viewport={"width": 1366, "height": 768})
    ada = open_page(board_url(board, "participant"), name="Ada", viewport={"width": 683, "height": 768})
    for page in (fay, ada):
        wait_connected(page)
    fay.get_by_role("button", name="Present: everyone follows your view").click()
    expect(ada.locator("[data-session-item=following]")).to_contain_text("Following Fay")
    select_step(fay, "Ship")
    fay.keyboard.press("Escape")
    for _ in range(3):
        fay.get_by_role("button", name="Zoom in").click()
    wait_view_settled(fay)
    shown = fay.evaluate("window.flowmap.seen()")
    centre = {"x": shown["x"] + shown["w"] / 2, "y": shown["y"] + shown["h"] / 2}
    # Ada's free part of the screen is centred where Fay's is, and holds what Fay sees.
    ada.wait_for_function(
        """([t, c]) => { const v = window.flowmap.seen();
          return Math.abs(v.x + v.w / 2 - c.x) < 5 && Math.abs(v.y + v.h / 2 - c.y) < 5
            && (Math.abs(v.w - t.w) < 5 || Math.abs(v.h - t.h) < 5) && v.w >= t.w - 5 && v.h >= t.h - 5; }""",
        arg=[shown, centre],
    )
    # Whatever Fay has in the middle of her view is on Ada's screen, not under a panel.
    point = ada.evaluate(
        """(c) => { const svg = document.querySelector('svg.canvas');
          const m = svg.querySelector('.world').getScreenCTM();
          const p = new DOMPoint(c.x, c.y).matrixTransform(m);
          const top = document.elementFromPoint(p.x, p.y);
          return top && (top.closest('svg.canvas') ? 'canvas' : top.className || top.tagName); }""",
        centre,
    )
    assert point == "canvas", point
    ada.screenshot(path=str(ARTIFACTS / "follow-half-screen.png"))


def test_a_dot_vote_hides_dots_until_the_facilitator_closes_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay, ada, bob = workshop_of_three(live_server, board, open_page)

    fay.get_by_role("button", name="Start a dot vote").click()
    fay.get_by_label("Question").fill("Which first?")
    fay.get_by_label("Dots each").fill("2")
    fay.get_by_role("button", name="Start the vote").click()
    expect(ada.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "2")

    ada.get_by_label("Note: Smaller batches").click()
    ada.get_by_label("Step: Ship").click()
    expect(ada.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "0")
    expect(ada.locator(".vote-dot.is-mine")).to_have_count(2)
    bob.get_by_label("Note: Smaller batches").click()
    expect(bob.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "1")
    expect(bob.locator(".vote-dot.is-mine")).to_have_count(1)  # Bob sees only his own dot
    # A click on his own dot takes it back (it went through to the note: another dot).
    bob.locator(".vote-dot.is-mine").click()
    expect(bob.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "2")
    expect(bob.locator(".vote-dot.is-mine")).to_have_count(0)
    bob.get_by_label("Note: Smaller batches").click()
    expect(bob.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "1")
    # Everyone sees how far the vote has got: Ada is done, Bob part-way, Fay not started.
    expect(fay.locator("[data-vote-progress]")).to_have_attribute("data-vote-progress", "1/3")
    expect(fay.locator("[data-vote-progress]")).to_contain_text("1 of 3 people have placed all their dots, 1 part-way")
    bob.get_by_label("Step: Ship").click()
    expect(fay.locator("[data-vote-progress]")).to_have_attribute("data-vote-progress", "2/3")

    fay.get_by_role("button", name="Close the vote").click()
    # Smaller batches and Ship have two dots each: a tie, both ranked first.
    for page in (ada, bob, fay):
        rows = page.locator(".vote-results li")
        expect(rows).to_have_count(2)
        for i, name in ((0, "Smaller batches"), (1, "Ship")):
            expect(rows.nth(i)).to_contain_text(name)
            expect(rows.nth(i)).to_have_attribute("data-rank", "1")
            expect(rows.nth(i)).to_contain_text("tie")
    expect(bob.locator('[data-votes-on="idea"]')).to_contain_text("2")
    fay.screenshot(path=str(ARTIFACTS / "workshop-vote.png"))
    # Anyone may put the results away on their own screen (on a phone the card covered the
    # Flow panel, and only the facilitator had a button); a vote reopened shows again.
    bob.get_by_role("button", name="Hide the results").click()
    expect(bob.locator(".vote-results")).to_be_hidden()
    expect(ada.locator(".vote-results li")).to_have_count(2)
    # Hidden is folded to a line: the facilitator keeps Reopen and Remove on it.
    fay.get_by_role("button", name="Hide the results").click()
    expect(fay.locator(".vote-results")).to_be_hidden()
    expect(fay.get_by_role("button", name="Show the results")).to_be_visible()
    fay.get_by_role("button", name="Reopen").click()
    expect(bob.locator("[data-vote-progress]")).to_be_visible()


def test_a_step_deleted_during_a_vote_keeps_every_count_until_the_close_drops_its_dots(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # The delete took Ada's dot with the step: her count and, on reload, everyone's dropped
    # by one, which told where she had voted. The server holds it now, sealed and counted,
    # until the close drops the dots left on nothing.
    fay, ada, bob = workshop_of_three(live_server, board, open_page)
    fay.get_by_role("button", name="Start a dot vote").click()
    fay.get_by_label("Question").fill("Which first?")
    fay.get_by_label("Dots each").fill("2")
    fay.get_by_role("button", name="Start the vote").click()
    expect(ada.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "2")
    ada.get_by_label("Step: Plan").click()
    ada.get_by_label("Step: Ship").click()
    expect(ada.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "0")
    bob.get_by_label("Step: Ship").click()
    expect(bob.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "1")
    expect(fay.locator("[data-vote-progress]")).to_have_attribute("data-vote-progress", "1/3")

    live_server.post_ops(board, [{"op": "delete", "id": "plan"}])
    expect(ada.get_by_label("Step: Plan")).to_have_count(0)
    expect(ada.locator("[data-vote-stranded]")).to_have_attribute("data-vote-stranded", "1")
    expect(ada.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "0")
    for page in (fay, bob):
        page.reload()
        wait_connected(page)
        expect(page.locator("[data-vote-progress]")).to_have_attribute("data-vote-progress", "1/3")
        expect(page.locator("[data-vote-stranded]")).to_have_count(0)
    fay.get_by_role("button", name="Close the vote").click()
    for page in (ada, bob, fay):
        rows = page.locator(".vote-results li")
        expect(rows).to_have_count(1)
        expect(rows.nth(0)).to_contain_text("Ship")
        expect(rows.nth(0).locator("strong")).to_have_text("2")
    bob.screenshot(path=str(ARTIFACTS / "workshop-vote-step-deleted.png"))
    # Reopened, the count is the vote's: Ada has one dot left on the map, as Bob has.
    fay.get_by_role("button", name="Reopen").click()
    for page in (bob, fay):
        expect(page.locator("[data-vote-progress]")).to_have_attribute("data-vote-progress", "0/3")
        expect(page.locator("[data-vote-progress]")).to_contain_text("2 part-way")


def test_a_dot_left_on_a_deleted_step_is_its_authors_to_take_back_and_place_again(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    two_steps(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    ada = open_page(board_url(board, "participant"), name="Ada")
    for page in (fay, ada):
        wait_connected(page)
    select_step(fay, "Plan")  # during the vote her clicks place her dots
    fay.get_by_role("button", name="Start a dot vote").click()
    fay.get_by_label("Question").fill("Which first?")
    fay.get_by_label("Dots each").fill("2")
    fay.get_by_role("button", name="Start the vote").click()
    ada.get_by_label("Step: Plan").click()
    ada.get_by_label("Step: Ship").click()
    expect(fay.locator("[data-vote-progress]")).to_have_attribute("data-vote-progress", "1/2")

    fay.get_by_label("Step: Plan").focus()
    fay.keyboard.press("Delete")
    expect(ada.get_by_label("Step: Plan")).to_have_count(0)
    stranded = ada.locator("[data-vote-stranded]")
    expect(stranded).to_contain_text("One of your dots was on a step or note since deleted")
    expect(fay.locator("[data-vote-progress]")).to_have_attribute("data-vote-progress", "1/2")
    ada.screenshot(path=str(ARTIFACTS / "workshop-vote-dot-stranded.png"))
    ada.set_viewport_size({"width": 683, "height": 768})  # half a laptop screen
    expect(stranded.get_by_role("button", name="Take it back")).to_be_in_viewport()
    ada.screenshot(path=str(ARTIFACTS / "workshop-vote-dot-stranded-narrow.png"))
    stranded.get_by_role("button", name="Take it back").click()
    expect(stranded).to_have_count(0)
    expect(ada.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "1")
    expect(fay.locator("[data-vote-progress]")).to_have_attribute("data-vote-progress", "0/2")
    ada.get_by_label("Note: Smaller batches").click()
    expect(ada.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "0")
    fay.get_by_role("button", name="Close the vote").click()
    for page in (ada, fay):
        expect(page.locator(".vote-results li")).to_have_count(2)


def test_comments_and_estimates_with_their_authors_and_a_settled_median(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay, ada, bob = workshop_of_three(live_server, board, open_page)

    select_step(ada, "Ship")
    ada.get_by_label("Add a comment").fill("Why does release wait a week?")
    ada.get_by_role("button", name="Comment", exact=True).click()
    expect(bob.locator('[data-comments-on="ship"]')).to_contain_text("1")
    select_step(bob, "Ship")
    thread = bob.locator(".comment-thread").first
    expect(thread).to_contain_text("Ada")
    expect(thread).to_contain_text("Why does release wait a week?")
    thread.get_by_role("button", name="Reply").click()
    bob.get_by_label("Your reply").fill("Change board meets on Fridays")
    bob.get_by_role("button", name="Reply", exact=True).click()
    expect(ada.locator(".comment.is-reply")).to_contain_text("Bob")
    # Whose comment is the browser's own identity: Bob cannot delete Ada's; after a reload
    # (a new connection, the same browser) Ada still can.
    expect(thread.get_by_role("button", name="Delete Ada comment")).to_have_count(0)
    ada.reload()
    select_step(ada, "Ship")
    own = ada.locator(".comment-thread").first.get_by_role("button", name="Delete Ada comment")
    expect(own).to_be_visible()

    # Everyone estimates Ship's wait; nobody has settled it.
    for page, guess in ((ada, "1d"), (bob, "3d"), (fay, "2d")):
        select_step(page, "Ship")
        mine = page.locator('[data-estimate="wait_minutes"]')
        mine.fill(guess)
        mine.press("Enter")
    expect(fay.locator('[data-spread="wait_minutes"]')).to_have_text(
        "3 estimates: 1d–3d, median 2d"
    )
    expect(bob.get_by_label("Step: Ship").locator('[data-field="wait_minutes"] .data-value')).to_have_text("~2d")
    fay.locator('[data-settle="wait_minutes"]').click()
    expect(ada.get_by_label("Step: Ship").locator('[data-field="wait_minutes"] .data-value')).to_have_text("2d")
    expect(ada.locator('[data-prov="wait_minutes"]')).to_contain_text("Set by Fay")
    expect(ada.locator('[data-prov="wait_minutes"]')).to_contain_text("settled from the estimates")
    fay.screenshot(path=str(ARTIFACTS / "workshop-estimates.png"))


def test_a_new_link_shuts_out_the_old_one_within_seconds(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(fay)
    wait_connected(ada)
    fay.get_by_role("button", name="Links").click()
    fay.locator('[data-renew="participant"]').click()
    fresh = fay.get_by_label("participant link")
    expect(fresh).not_to_have_value("")
    new_link = fresh.input_value()
    expect(ada.get_by_text("This link does not open this board")).to_be_visible(timeout=10_000)
    again = open_page(new_link, name="Ada")
    wait_connected(again)


def test_a_double_click_on_new_link_makes_one_link_and_shows_the_one_that_works(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Two presses made two links, each revoking the one before: whichever answer came back
    # last was shown and kept, perhaps the revoked one, the link the facilitator then sent.
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    made: list[str] = []
    fay.on("request", lambda r: r.method == "POST" and "/links/" in r.url and made.append(r.url))
    fay.get_by_role("button", name="Links").click()
    fay.locator('[data-renew="participant"]').evaluate("button => { button.click(); button.click(); }")
    fresh = fay.get_by_label("participant link")
    expect(fresh).not_to_have_value("")
    expect(fay.locator('[data-renew="participant"]')).to_be_enabled()
    assert len(made) == 1, made
    ada = open_page(fresh.input_value(), name="Ada")
    wait_connected(ada)


def test_during_a_vote_a_participants_delete_takes_what_it_may_and_keeps_the_flow_joined(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """Ada selected a queue and the step after it, the vote started, she pressed Delete:
    the queue went, the step (the facilitator's to delete during a vote) stayed, and the
    flow was cut between them, so Plan dropped off the path."""
    seed(live_server, board, [
        {"id": "plan", "kind": "step", "x": 60, "y": 120, "text": "Plan"},
        {"id": "q", "kind": "inventory", "x": 260, "y": 140, "count": 4},
        {"id": "ship", "kind": "step", "x": 400, "y": 120, "text": "Ship"},
        {"id": "a1", "kind": "connector", "source": "plan", "target": "q"},
        {"id": "a2", "kind": "connector", "source": "q", "target": "ship"},
    ])  # fmt: skip
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    ada = open_page(board_url(board, "participant"), name="Ada")
    for page in (fay, ada):
        wait_connected(page)
    ada.get_by_label("Inventory: 4").click()
    ada.get_by_label("Step: Ship").click(modifiers=["Shift"])
    expect(ada.locator(".el.is-selected")).to_have_count(2)

    fay.get_by_role("button", name="Start a dot vote").click()
    fay.get_by_label("Question").fill("Which first?")
    fay.get_by_role("button", name="Start the vote").click()
    expect(ada.locator("[data-dots-left]")).to_be_visible()
    ada.keyboard.press("Delete")

    expect(ada.get_by_text("Not deleted: a dot vote is open")).to_be_visible()
    for page in (ada, fay):
        expect(page.get_by_label("Inventory: 4")).to_have_count(0)
        expect(page.get_by_label("Step: Ship")).to_have_count(1)
    auth = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    read = httpx.get(f"{live_server.url}/api/boards/{board['id']}", headers=auth).json()
    flow = {(e["source"], e["target"]) for e in read["elements"] if e["kind"] == "connector"}
    assert flow == {("plan", "ship")}
    metrics = httpx.get(f"{live_server.url}/api/boards/{board['id']}/metrics", headers=auth)
    assert metrics.json()["path"] == ["plan", "ship"]


def test_undoing_a_step_delete_after_its_team_went_and_the_day_changed_brings_it_back(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """Ada deletes Ship (Ops', waiting "1d"); Fay removes Ops and makes the day 7.5 hours; Ada's
    undo was refused ("1d" is 450 minutes now, and Ops no team) and Ship was lost for good."""
    live_server.post_ops(board, [{"op": "team", "id": "t-ops", "set": {"name": "Ops", "color": "blue"}}])
    seed(live_server, board, [
        {"id": "ship", "kind": "step", "x": 400, "y": 120, "text": "Ship", "owner": "t-ops",
         "wait_minutes": DAY, "wait_text": "1d"},
    ])  # fmt: skip
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(fay)
    wait_connected(ada)
    select_step(ada, "Ship")
    ada.keyboard.press("Delete")
    fay.wait_for_function("() => !window.flowmap.elements().some((e) => e.id === 'ship')")
    seq = live_server.post_ops(board, [
        {"op": "team", "id": "t-ops", "remove": True},
        {"op": "board", "set": {"hours_per_day": 7.5}},
    ])["seq"]  # fmt: skip
    ada.wait_for_function("(seq) => window.flowmap.seq >= seq", arg=seq)
    ada.keyboard.press("Control+z")
    fay.wait_for_function("() => window.flowmap.elements().some((e) => e.id === 'ship')")
    ship = fay.evaluate("() => window.flowmap.elements().find((e) => e.id === 'ship')")
    assert (ship["text"], ship["wait_minutes"], ship["owner"], ship["wait_text"]) == ("Ship", DAY, None, None)
    expect(ada.locator(".toast", has_text="Not saved")).to_have_count(0)
