"""What used to be possible only through the API: import on the home page, download any
published version, delete a board (issue 17, "Only through the API")."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
# A PNG or PDF takes about a second to render on a loaded 2-core machine; allow plenty.
DOWNLOAD_TIMEOUT_MS = 60_000
DELETED = "The facilitator deleted this board"


def facilitator(board: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {board['tokens']['facilitator']}"}


def add_step(server: Server, board: dict[str, Any], text: str) -> None:
    step = {"op": "create", "element": {"kind": "step", "id": text.lower(), "text": text,
                                        "x": 80, "y": 120, "wait_minutes": 960}}  # fmt: skip
    answer = httpx.post(f"{server.url}/api/boards/{board['id']}/ops", json={"ops": [step]},
                        headers=facilitator(board), timeout=10)  # fmt: skip
    answer.raise_for_status()
    assert all(r["error"] is None for r in answer.json()["results"]), answer.json()


def test_a_facilitator_deletes_the_board_and_a_participant_is_told(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    bob = open_page(board_url(board, "participant"), name="Bob")
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(bob)
    wait_connected(fay)
    fay.get_by_role("button", name="Map settings").click()
    fay.get_by_role("button", name="Delete this board…").click()
    dialog = fay.get_by_role("dialog", name="Delete “E2E board”?")
    expect(dialog).to_be_visible()
    confirm = dialog.get_by_role("button", name="Delete for good")
    expect(confirm).to_be_disabled()
    dialog.get_by_label("To confirm, type").fill("E2E")
    expect(confirm).to_be_disabled()
    dialog.get_by_label("To confirm, type").press("Enter")
    expect(dialog).to_be_visible()  # Enter with the wrong name deletes nothing
    dialog.get_by_label("To confirm, type").fill("e2e board")
    fay.screenshot(path=str(ARTIFACTS / "delete-board-dialog.png"))
    confirm.click()

    told = bob.get_by_role("alert").filter(has_text=DELETED)
    expect(told).to_be_visible()
    expect(told).to_contain_text("nothing of it is kept")
    bob.screenshot(path=str(ARTIFACTS / "delete-board-participant.png"))
    expect(fay.get_by_role("alert").filter(has_text="deleted this board")).to_be_visible()
    again = bob.goto(board_url(board, "participant"))
    assert again is not None and again.status == 404
    expect(bob.get_by_role("heading", name="This board was deleted")).to_be_visible()


def test_keeping_the_board_deletes_nothing(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    fay.get_by_role("button", name="Map settings").click()
    fay.get_by_role("button", name="Delete this board…").click()
    fay.get_by_role("button", name="Keep the board").click()
    expect(fay.get_by_role("dialog", name="Delete “E2E board”?")).to_be_hidden()
    still = httpx.get(f"{live_server.url}/api/boards/{board['id']}", headers=facilitator(board))
    assert still.status_code == 200


def test_the_participant_sees_no_delete_button(
    board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(bob)
    bob.get_by_role("button", name="Map settings").click()
    expect(bob.get_by_role("complementary", name="Map settings")).to_be_visible()
    expect(bob.get_by_role("button", name="Delete this board…")).to_have_count(0)


def publish(server: Server, board: dict[str, Any], label: str) -> None:
    answer = httpx.post(f"{server.url}/api/boards/{board['id']}/versions", json={"label": label},
                        headers=facilitator(board), timeout=10)  # fmt: skip
    assert answer.status_code == 201, answer.text


def test_each_published_version_downloads_as_svg_and_pdf_from_the_version_list(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], tmp_path: Path
) -> None:
    add_step(live_server, board, "Intake")
    publish(live_server, board, "First pass")
    add_step(live_server, board, "Deploy")
    publish(live_server, board, "After the workshop")
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    fay.get_by_role("button", name="Publish and validate").click()
    dialog = fay.get_by_role("dialog", name="Publish and validate")
    for number in (1, 2):
        for fmt in ("SVG picture", "PNG picture", "PDF report", "CSV data", "JSON file"):
            expect(dialog.get_by_role("link", name=f"Download v{number} as {fmt}")).to_be_visible()
    dialog.screenshot(path=str(ARTIFACTS / "version-downloads.png"))

    with fay.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as svg_download:
        dialog.get_by_role("link", name="Download v1 as SVG picture").click()
    assert svg_download.value.suggested_filename.endswith("v1.svg")
    picture = Path(svg_download.value.path()).read_text()
    assert picture.startswith("<?xml") and "Intake" in picture
    assert "Deploy" not in picture, "v1 is the map as it was frozen, not as it is now"

    with fay.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as pdf_download:
        dialog.get_by_role("link", name="Download v2 as PDF report").click()
    assert pdf_download.value.suggested_filename.endswith("v2.pdf")
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF-")


def exported_json(server: Server, board: dict[str, Any]) -> bytes:
    answer = httpx.get(f"{server.url}/api/boards/{board['id']}/export",
                       params={"format": "json"}, headers=facilitator(board), timeout=10)  # fmt: skip
    answer.raise_for_status()
    return answer.content


def test_a_json_export_imported_on_the_home_page_opens_as_a_new_board(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], tmp_path: Path
) -> None:
    add_step(live_server, board, "Intake")
    export = tmp_path / "E2E board.json"
    export.write_bytes(exported_json(live_server, board))
    home = open_page(live_server.url + "/", name="Fay")
    with home.expect_file_chooser() as chooser:
        home.get_by_role("button", name="Choose a JSON export…").click()
    chooser.value.set_files(str(export))

    home.wait_for_url(f"{live_server.url}/b/**")
    assert f"/b/{board['id']}" not in home.url, "a new board, not the exported one"
    wait_connected(home)
    expect(home.locator("#role-badge")).to_have_text("Facilitator")
    expect(home.get_by_role("button", name="Step: Intake")).to_be_visible()
    home.screenshot(path=str(ARTIFACTS / "import-opened.png"))
    home.goto(live_server.url + "/")
    recent = home.get_by_role("list").filter(has_text="E2E board")
    expect(recent.get_by_role("link", name="E2E board facilitator")).to_be_visible()


def test_a_bad_file_is_refused_in_the_page_with_a_reason(
    live_server: Server, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    home = open_page(live_server.url + "/", name="Fay")
    error = home.get_by_role("alert").filter(has_text="import")
    not_json = tmp_path / "notes.json"
    not_json.write_text("these are my notes, not a board")
    home.locator("#import-file").set_input_files(str(not_json))
    expect(home.get_by_role("alert")).to_have_text(
        "This file is not a Flowmap export: it is not JSON. Choose the .json file that "
        "Export › JSON file saved."
    )
    broken = tmp_path / "broken.json"
    export = {"format": "flowmap-board", "version": 1, "board": {"title": "Broken"},
              "elements": [{"id": "s1", "kind": "spaceship"}]}  # fmt: skip
    broken.write_text(json.dumps(export))
    home.locator("#import-file").set_input_files(str(broken))
    expect(error).to_have_text(
        "This export cannot be imported: element 's1' (spaceship, elements[0]): element kind "
        "must be one of step, inventory, note, connector, comment, estimate, vote, dot, experiment."
    )
    expect(error).not_to_contain_text("Traceback")
    home.screenshot(path=str(ARTIFACTS / "import-refused.png"))
    assert home.url == live_server.url + "/", "a refused file opens nothing"


def test_a_file_dropped_on_the_home_page_is_imported(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    add_step(live_server, board, "Review")
    home = open_page(live_server.url + "/", name="Fay")
    content = exported_json(live_server, board).decode()
    drop = home.evaluate_handle(
        "(text) => { const data = new DataTransfer();"
        " data.items.add(new File([text], 'board.json', {type: 'application/json'}));"
        " return data; }",
        content,
    )
    home.dispatch_event("main", "dragover", {"dataTransfer": drop})
    expect(home.locator("body")).to_have_class("home-page is-dropping")
    home.screenshot(path=str(ARTIFACTS / "import-drop.png"))
    home.dispatch_event("main", "drop", {"dataTransfer": drop})
    home.wait_for_url(f"{live_server.url}/b/**")
    wait_connected(home)
    expect(home.get_by_role("button", name="Step: Review")).to_be_visible()


def test_a_private_flowmap_imports_only_with_its_creation_key(
    board: dict[str, Any], live_server: Server, open_page: Callable[..., Page],
    tmp_path: Path,
) -> None:  # fmt: skip
    export = tmp_path / "board.json"
    export.write_bytes(exported_json(live_server, board))
    private = Server(live_server.database_url, tmp_path / "private.log",
                     env={"FLOWMAP_CREATE_KEY": "open-sesame"})  # fmt: skip
    private.start()
    try:
        home = open_page(private.url + "/", name="Fay")
        home.locator("#import-file").set_input_files(str(export))
        expect(home.get_by_role("alert").filter(has_text="creation key")).to_have_text(
            "This Flowmap is private: type its creation key under New board first."
        )
        expect(home.get_by_label("Creation key")).to_be_focused()
        home.get_by_label("Creation key").fill("wrong")
        home.locator("#import-file").set_input_files(str(export))
        expect(home.get_by_role("alert").filter(has_text="creation key")).to_have_text(
            "Could not import: this Flowmap needs its creation key to make boards "
            "(X-Flowmap-Create-Key)."
        )
        home.get_by_label("Creation key").fill("open-sesame")
        home.locator("#import-file").set_input_files(str(export))
        home.wait_for_url(f"{private.url}/b/**")
        wait_connected(home)
    finally:
        private.stop()
