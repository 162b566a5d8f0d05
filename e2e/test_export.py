"""Export from the board page: the Export dialog downloads every format, named after the board."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.utils.board import board_url, wait_connected
from e2e.utils.seed import apply_ops
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
DAY = 480
# A PNG or PDF takes about a second to render on a loaded 2-core machine; allow plenty.
DOWNLOAD_TIMEOUT_MS = 60_000
# (format, the start of its link's name in the dialog, what the file starts with)
FORMATS = [
    ("svg", "SVG picture", b"<?xml"),
    ("png", "PNG picture", b"\x89PNG\r\n\x1a\n"),
    ("pdf", "PDF report", b"%PDF-"),
    ("csv", "CSV data", "\ufefforder,id".encode()),
    ("json", "JSON file", b"{"),
]


def seed(server: Server, board: dict[str, Any]) -> None:
    steps = [
        {"id": "intake", "text": "Intake", "wait_minutes": DAY, "process_minutes": 60, "pca": 90},
        {"id": "build", "text": "Build", "wait_minutes": 3 * DAY, "process_minutes": 2 * DAY},
    ]
    ops: list[dict[str, Any]] = [
        {"op": "create", "element": {"kind": "step", "x": 60 + 320 * i, "y": 120, **s}}
        for i, s in enumerate(steps)
    ]
    ops.append(
        {
            "op": "create",
            "element": {"kind": "connector", "id": "c1", "source": "intake", "target": "build"},
        }
    )
    apply_ops(server, board, *ops)


def test_the_export_dialog_downloads_each_format(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], tmp_path: Path
) -> None:
    seed(live_server, board)
    # A viewer may export too: exporting changes nothing.
    page = open_page(board_url(board, "viewer"), name="Vic")
    wait_connected(page)
    page.get_by_role("button", name="Export").click()
    dialog = page.get_by_role("dialog", name="Export the map")
    expect(dialog).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "export-dialog.png"))

    files: dict[str, bytes] = {}
    for fmt, name, magic in FORMATS:
        if not dialog.is_visible():
            page.get_by_role("button", name="Export").click()
        with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
            dialog.get_by_role("link", name=re.compile(f"^{name}")).click()
        expect(dialog).to_be_hidden()  # a download chosen closes the dialog
        download = info.value
        assert download.failure() is None
        assert download.suggested_filename == f"E2E board.{fmt}"
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        files[fmt] = saved.read_bytes()
        assert files[fmt].startswith(magic), (fmt, files[fmt][:16])

    # What came down is this board, not just any file of the right type.
    assert ET.fromstring(files["svg"]).find(".//{http://www.w3.org/2000/svg}title") is not None
    assert b"Intake" in files["svg"] and b"Build" in files["svg"]
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert [r["text"] for r in rows] == ["Intake", "Build"]
    exported = json.loads(files["json"])
    assert exported["metrics"]["constraint"]["id"] == "build"

    # The dialog also closes without a download, and the board is still live behind it.
    page.get_by_role("button", name="Export").click()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    wait_connected(page)


# The facilitator's note that ended in "…" on the picture and in the PDF (issue 17).
LONG_NOTE = (
    "Releases queue for the shared staging slot; the database migration waits for the "
    "weekly change board, so most of the wait is approval, not work. Book the slot per "
    "team and the queue should drop by half"
)
# An experiment card's band, in the green the canvas paints it (colors.js).
CARD_BAND = (0xD2, 0xEC, 0xC9)


def test_the_downloaded_picture_and_report_hold_every_note_and_card_whole(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], tmp_path: Path
) -> None:
    seed(live_server, board)
    live_server.post_ops(
        board,
        [
            {"op": "create", "element": {"kind": "note", "id": "n", "x": 380, "y": -160,
                                         "text": LONG_NOTE, "variant": "hypothesis"}},
            {"op": "create", "element": {"kind": "experiment", "id": "x", "x": 60, "y": 520,
                                         "text": "booking staging per team",
                                         "status": "running"}},
        ],
    )  # fmt: skip
    page = open_page(board_url(board, "viewer"), name="Vic")
    wait_connected(page)
    dialog = page.get_by_role("dialog", name="Export the map")
    files: dict[str, bytes] = {}
    for fmt, name in (("png", "PNG picture"), ("pdf", "PDF report")):
        page.get_by_role("button", name="Export").click()  # a download closes the dialog
        with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
            dialog.get_by_role("link", name=re.compile(f"^{name}")).click()
        saved = tmp_path / f"export.{fmt}"
        info.value.save_as(saved)
        files[fmt] = saved.read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "export-map.png").write_bytes(files["png"])
    picture = Image.open(io.BytesIO(files["png"])).convert("RGB")
    colours = {colour: count for count, colour in picture.getcolors(maxcolors=1 << 24) or []}
    band = colours.get(CARD_BAND, 0)
    assert band > 1000  # the card is on the picture, not only in the data
    reader = PdfReader(io.BytesIO(files["pdf"]))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert LONG_NOTE in text and "…" not in text
    assert "We believe that by booking staging per team" in text
