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
