"""After the workshop: publish, two participants validate (one disputes), a new version, all sign off.

Real Chromium pages through the real server: the facilitator's board page with
its "Publish and validate" dialog, and two participants on the validation link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from e2e.utils.board import board_url, wait_connected
from e2e.utils.seed import apply_ops
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
DAY = 480
STEPS = ("Refine request", "Build", "Staging test")
# The facilitator's dialog looks for new answers every few seconds (POLL_MS): wait longer.
STATUS_TIMEOUT = 15000


def seed(server: Server, board: dict[str, Any]) -> None:
    steps = [("plan", 0, 3 * DAY, 240, 70), ("build", 320, DAY, 3 * DAY, 90),
             ("stage", 640, 8 * DAY, DAY, 95)]  # fmt: skip
    ops: list[dict[str, Any]] = [
        {"op": "create", "element": {"id": i, "kind": "step", "x": x, "y": 120, "text": text,
                                     "wait_minutes": w, "process_minutes": p, "pca": c}}
        for (i, x, w, p, c), text in zip(steps, STEPS, strict=True)
    ]  # fmt: skip
    ops += [
        {"op": "create", "element": {"id": "f1", "kind": "connector", "source": "plan", "target": "build"}},
        {"op": "create", "element": {"id": "f2", "kind": "connector", "source": "build", "target": "stage"}},
    ]  # fmt: skip
    apply_ops(server, board, *ops)


def publish_and_ask(fay: Page, label: str, names: str | None) -> dict[str, str]:
    """In the facilitator's dialog: publish a version, ask people to validate it; each
    person's own link, by name, and the shared one (it only shows the version) as ''."""
    fay.get_by_role("button", name="Publish and validate").click()
    dialog = fay.get_by_role("dialog", name="Publish and validate")
    dialog.get_by_label("Version label").fill(label)
    dialog.get_by_role("button", name="Publish version").click()
    expect(dialog.locator(".validation-state")).to_contain_text(f"“{label}”")
    if names is not None:
        dialog.get_by_label("Invite").fill(names)
    dialog.get_by_role("button", name="Ask them to validate").click()
    shared = dialog.get_by_label("Read-only validation link")
    expect(shared).to_have_value(re.compile(r"/v/[A-Za-z0-9_-]{22,}$"))
    links = {"": shared.input_value()}
    for name in ("Ada", "Bob"):
        field = dialog.get_by_label(f"Validation link for {name}")
        expect(field).to_have_value(re.compile(r"/v/[A-Za-z0-9_-]{22,}$"))
        links[name] = field.input_value()
    return links


def agree(page: Page, step: str) -> None:
    page.get_by_role("button", name=f"Agree: {step}").click()
    expect(page.get_by_role("button", name=f"Agree: {step}")).to_have_attribute(
        "aria-pressed", "true"
    )


def agree_all_and_sign_off(page: Page, version: int) -> None:
    for step in STEPS:
        agree(page, step)
    page.get_by_role("button", name="Sign off this version").click()
    expect(page.locator("#progress")).to_have_text(f"You signed version {version} off. Thank you!")


def person(dialog: Locator, name: str) -> Locator:
    return dialog.locator(f'.validation-people li[data-name="{name}"]')


def test_two_participants_validate_through_a_dispute_and_a_second_version(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    pam = open_page(board_url(board, "participant"), name="Pam")
    wait_connected(fay)
    wait_connected(pam)
    expect(fay.locator("#state-badge")).to_be_hidden()
    expect(pam.get_by_role("button", name="Publish and validate")).to_be_hidden()

    links = publish_and_ask(fay, "After the workshop", "Ada\nBob")
    expect(fay.locator("#state-badge")).to_have_text("Published")
    expect(pam.locator("#state-badge")).to_have_text("Published")
    assert len(set(links.values())) == 3

    # The shared link shows the map and who is asked, and answers as nobody.
    looker = open_page(links[""], name=None)
    expect(looker.get_by_role("heading", name="This link shows the map")).to_be_visible()
    # A big map is unreadable at the page's width: the picture opens whole in a tab.
    full = looker.get_by_role("link", name="Open the map full size")
    expect(full).to_have_attribute("href", re.compile(r"/map\.svg$"))
    expect(looker.locator("#map-link")).to_have_attribute("target", "_blank")
    expect(looker.get_by_role("button", name="Agree: Build")).to_be_disabled()
    expect(looker.get_by_role("button", name="Sign off this version")).to_be_hidden()

    # Ada and Bob each open their own link: it knows who they are.
    ada = open_page(links["Ada"], name=None)
    bob = open_page(links["Bob"], name=None)
    expect(ada.locator("#me")).to_have_text("Ada")
    expect(bob.locator("#me")).to_have_text("Bob")
    expect(ada.get_by_role("img", name=re.compile("version 1"))).to_be_visible()
    expect(ada.locator(".step h3")).to_have_text(list(STEPS))

    # Ada disputes Build: a comment is needed, and she gives the wait she believes.
    ada.get_by_role("button", name="Dispute: Build").click()
    ada.get_by_role("button", name="Save dispute").click()
    expect(ada.locator(".form-error")).to_contain_text("A dispute needs a comment")
    ada.get_by_label("What is wrong with Build?").fill("It waits for the test rig, not a day")
    # No figure chosen, nothing to type (a typed figure was refused in the fields' names).
    expect(ada.get_by_label("The figure you believe for Build")).to_be_disabled()
    ada.get_by_label("Which figure of Build").select_option("wait_minutes")
    ada.get_by_label("The figure you believe for Build").fill("3d")
    ada.get_by_role("button", name="Save dispute").click()
    expect(ada.locator('.step[data-step="build"] .dispute-note')).to_contain_text(
        "You believe wait: 3d"
    )
    agree(ada, "Refine request")
    agree(ada, "Staging test")
    expect(ada.get_by_role("button", name="Sign off this version")).to_be_disabled()
    expect(ada.locator("#progress")).to_contain_text("You dispute 1 step")
    ada.screenshot(path=str(ARTIFACTS / "validation-dispute.png"), full_page=True)

    agree_all_and_sign_off(bob, 1)

    # The facilitator sees who signed off, and the dispute with its reason and figure.
    dialog = fay.get_by_role("dialog", name="Publish and validate")
    expect(person(dialog, "Bob")).to_contain_text("signed off", timeout=STATUS_TIMEOUT)
    expect(person(dialog, "Ada")).to_contain_text("2 agreed, 1 disputed", timeout=STATUS_TIMEOUT)
    dispute = dialog.locator('.dispute[data-step="build"]')
    expect(dispute).to_contain_text(
        "Ada: “It waits for the test rig, not a day” — believes wait 3d"
    )
    expect(fay.locator("#state-badge")).to_have_text("Published")
    fay.screenshot(path=str(ARTIFACTS / "validation-status.png"))

    # Resolving it: the facilitator edits Build's wait on the map and publishes again.
    dialog.get_by_role("button", name="Close").click()
    fay.get_by_label("Step: Build").locator('[data-field="wait_minutes"]').dblclick()
    wait = fay.get_by_label("Wait before it")
    wait.fill("3d")
    wait.press("Enter")
    value = fay.get_by_label("Step: Build").locator('[data-field="wait_minutes"] .data-value')
    expect(value).to_have_text("3d")
    wait_connected(fay)  # the edit is saved before the version is frozen
    second = publish_and_ask(fay, "Rig wait fixed", None)  # the same people, asked again
    assert not set(second.values()) & set(links.values())

    # The old link now says a newer version exists; the new one starts afresh.
    bob.reload()
    expect(bob.locator("#notice")).to_contain_text("A newer version (2)")
    expect(bob.get_by_role("button", name="Agree: Build")).to_be_disabled()
    for page, name in ((ada, "Ada"), (bob, "Bob")):
        page.goto(second[name])
        expect(page.locator("#me")).to_have_text(name)
        expect(page.locator('.step[data-step="build"] .figures')).to_contain_text("Waits 3d")
    agree_all_and_sign_off(ada, 2)
    expect(fay.locator("#state-badge")).to_have_text("Published")
    agree_all_and_sign_off(bob, 2)

    expect(fay.locator("#state-badge")).to_have_text("Validated")
    expect(pam.locator("#state-badge")).to_have_text("Validated")
    # The dialog, still open from publishing, follows the state.
    expect(dialog.locator(".validation-state")).to_contain_text("Validated")
    expect(dialog.locator(".dispute")).to_have_count(0)
    fay.screenshot(path=str(ARTIFACTS / "validation-validated.png"))


def test_on_a_phone_a_long_name_wraps_clear_of_the_hint(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board)
    api, fay = (
        f"{live_server.url}/api/boards/{board['id']}",
        {"Authorization": f"Bearer {board['tokens']['facilitator']}"},
    )
    httpx.post(f"{api}/versions", json={"label": "v1"}, headers=fay).raise_for_status()
    name = "Maximiliane Oberhauser-Lindqvist"
    asked = httpx.post(f"{api}/versions/1/validation", json={"invite": [name]}, headers=fay)
    asked.raise_for_status()
    page = open_page(asked.json()["links"][name], name=None, viewport={"width": 390, "height": 844})
    expect(page.locator("#me")).to_have_text(name)
    checking, hint = (page.locator(s).bounding_box() for s in ("#checking", "#review > .hint"))
    assert checking and hint
    assert hint["y"] - (checking["y"] + checking["height"]) >= 6, (checking, hint)


def test_a_name_written_right_to_left_keeps_the_figures_after_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # "مريم — 0 agreed, 0 disputed" read "0 — مريم agreed": set into the sentence as it
    # was, the name pulled the dash and the count to its own side.
    seed(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    publish_and_ask(fay, "After the workshop", "Ada\nBob\nمريم")
    dialog = fay.get_by_role("dialog", name="Publish and validate")
    expect(person(dialog, "مريم")).to_contain_text("0 agreed", timeout=STATUS_TIMEOUT)
    order = fay.evaluate(
        """() => {
          const row = document.querySelector('li[data-name="مريم"]');
          const name = row.querySelector('strong').getBoundingClientRect();
          const text = [...row.childNodes].find((n) => n.nodeType === 3 && n.data.includes('agreed'));
          const range = document.createRange();
          range.setStart(text, 0);
          range.setEnd(text, 1);
          return { name: name.right, count: range.getBoundingClientRect().left, top: name.top };
        }"""
    )
    assert order["count"] > order["name"], order


def test_a_facilitator_on_another_browser_makes_the_view_link_again(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # The server keeps only a hash of the view link: on another browser the field said
    # "Shown when you ask people to validate", and asking again replaced everyone's links.
    seed(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    links = publish_and_ask(fay, "After the workshop", "Ada\nBob")
    elsewhere = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(elsewhere)
    elsewhere.get_by_role("button", name="Publish and validate").click()
    dialog = elsewhere.get_by_role("dialog", name="Publish and validate")
    shared = dialog.get_by_label("Read-only validation link")
    expect(shared).to_have_value("")
    expect(dialog.get_by_role("button", name="Copy link", exact=True)).to_be_hidden()
    elsewhere.screenshot(path="e2e/artifacts/validation-new-view-link.png")
    dialog.get_by_role("button", name="New read-only link (the old one stops working)").click()
    expect(shared).to_have_value(re.compile(r"/v/[A-Za-z0-9_-]{22,}$"))
    assert shared.input_value() != links[""]
    # Still offered: another browser may make it again, and this one's would then be dead.
    expect(dialog.get_by_role("button", name="New read-only link (the old one stops working)")).to_be_visible()
    looker = open_page(shared.input_value(), name=None)
    expect(looker.get_by_role("heading", name="This link shows the map")).to_be_visible()
    ada = open_page(links["Ada"], name=None)  # her own link still works
    expect(ada.get_by_role("button", name="Sign off this version")).to_be_visible()


def test_the_validation_page_reports_the_lead_time_with_rework_beside_the_happy_path(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # DESIGN 2: with a rework loop both lead times are reported; the board, the picture and
    # the PDF give both, and the page people validate the map on gave only the happy path.
    seed(live_server, board)
    apply_ops(live_server, board, {"op": "create", "element": {
        "id": "back", "kind": "connector", "source": "stage", "target": "build",
        "connector": "rework", "rework_rate": 0.5}})  # fmt: skip
    url = f"{live_server.url}/api/boards/{board['id']}"
    auth = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    httpx.post(f"{url}/versions", json={"label": "With the loop"}, headers=auth).raise_for_status()
    asked = httpx.post(f"{url}/versions/1/validation", json={"invite": ["Ada"]}, headers=auth)
    shown = httpx.get(f"{url}/metrics", headers=auth).json()["display"]
    # Build and Staging test (1d + 3d + 8d + 1d) again for half the items: 13d more.
    assert (shown["lead_time"], shown["expected_lead_time"]) == ("16.5d", "29.5d")

    ada = open_page(asked.json()["links"]["Ada"], name=None)
    totals = ada.locator("#totals")
    expect(totals).to_contain_text("Lead time 16.5d")
    expect(totals.locator(".total", has_text="With rework")).to_have_text("With rework 29.5d")


def test_the_keyboard_publishes_a_version_and_asks_people(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Enter in the version's label did nothing: the facilitator typed "After the workshop",
    # pressed Enter as in any form, and nothing was published. The names' box takes one name
    # a line, so there Ctrl+Enter asks (Enter is a new line).
    seed(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    fay.get_by_role("button", name="Publish and validate").click()
    dialog = fay.get_by_role("dialog", name="Publish and validate")
    label = dialog.get_by_label("Version label")
    label.fill("After the workshop")
    # Twice, as an impatient hand does: one version, not two.
    label.evaluate(
        "field => { for (const n of [1, 2]) field.dispatchEvent("
        "new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true})); }"
    )
    expect(dialog.locator(".validation-state")).to_contain_text("“After the workshop”")
    expect(dialog.locator(".version-list li")).to_have_count(1)
    invite = dialog.get_by_label("Invite")
    invite.fill("Ada")
    invite.press("Enter")
    invite.type("Bob")
    expect(invite).to_have_value("Ada\nBob")
    invite.press("Control+Enter")
    for name in ("Ada", "Bob"):
        expect(dialog.get_by_label(f"Validation link for {name}")).to_have_value(
            re.compile(r"/v/[A-Za-z0-9_-]{22,}$")
        )
