"""The whole path after the workshop, in one go: tidy, publish, validate through a dispute,
publish again, everyone signs off, export every format.

Each part has its own detailed test (test_tidy, test_validation, test_export); this one
checks they work one after another on the same board, as a facilitator would use them.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.test_export import DOWNLOAD_TIMEOUT_MS, FORMATS
from e2e.test_validation import STEPS, agree, agree_all_and_sign_off, publish_and_ask, seed
from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server


def test_tidy_publish_validate_republish_sign_off_and_export(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], tmp_path: Path
) -> None:
    seed(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)

    fay.get_by_role("button", name="Tidy up the map").click()
    tidy_bar = fay.get_by_role("region", name="Tidy up preview")
    if tidy_bar.is_visible():  # a seed already in line has nothing to tidy
        tidy_bar.get_by_role("button", name="Apply").click()
    wait_connected(fay)

    links = publish_and_ask(fay, "Workshop map", "Ada\nBob")
    ada = open_page(links["Ada"], name=None)  # each through their own link
    bob = open_page(links["Bob"], name=None)
    ada.get_by_role("button", name="Dispute: Build").click()
    ada.get_by_label("What is wrong with Build?").fill("Build waits for the rig")
    ada.get_by_role("button", name="Save dispute").click()
    agree(ada, STEPS[0])
    agree_all_and_sign_off(bob, 1)

    dialog = fay.get_by_role("dialog", name="Publish and validate")
    dialog.get_by_role("button", name="Close").click()
    fay.get_by_label("Step: Build").locator('[data-field="wait_minutes"]').dblclick()
    fay.get_by_label("Wait before it").fill("3d")
    fay.get_by_label("Wait before it").press("Enter")
    wait_connected(fay)
    second = publish_and_ask(fay, "Rig wait fixed", None)
    for page, name in ((ada, "Ada"), (bob, "Bob")):
        page.goto(second[name])
    agree_all_and_sign_off(ada, 2)
    agree_all_and_sign_off(bob, 2)
    expect(fay.locator("#state-badge")).to_have_text("Validated")

    dialog.get_by_role("button", name="Close").click()
    export = fay.get_by_role("dialog", name="Export the map")
    for fmt, label, magic in FORMATS:
        fay.get_by_role("button", name="Export").click()  # a download closes the dialog
        with fay.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as got:
            export.get_by_role("link", name=label).click()
        saved = tmp_path / f"map.{fmt}"
        got.value.save_as(saved)
        data = saved.read_bytes()
        assert data.startswith(magic), fmt
        if fmt == "pdf":
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
            assert all(step in text for step in STEPS)
            # Who signed off, by name (app/export/validation_words.py), and the state.
            assert "Validated: Ada and Bob signed version 2 off." in text
            assert "State: validated" in text
