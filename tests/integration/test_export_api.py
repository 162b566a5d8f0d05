"""Exports and import through the real stack: `flowmap serve` on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from PIL import Image
from pypdf import PdfReader

from app.export.pdf import restamped
from tests.support.live import LiveClient, Server
from tests.unit.test_export_routes import (
    LANE_GAP,
    connector_paths,
    data_boxes,
    ladder_top_in,
    path_points,
)

DAY = 480
# PNG and PDF take about a second of CPU each; a loaded 2-core machine may take several.
RENDER_TIMEOUT = 60


def seed(server: Server, board: dict[str, Any]) -> None:
    """Three steps in a flow, a queue, a rework loop, a comment and an estimate."""
    ops: list[dict[str, Any]] = [
        {
            "op": "board",
            "set": {"scope": "From idea to live", "trigger": "Idea", "hours_per_day": 7},
        },
        {
            "op": "create",
            "element": {
                "kind": "step",
                "id": "plan",
                "x": 0,
                "y": 100,
                "text": "Plan",
                "wait_minutes": DAY,
                "process_minutes": 120,
                "pca": 90,
            },
        },
        {
            "op": "create",
            "element": {
                "kind": "step",
                "id": "build",
                "x": 320,
                "y": 100,
                "text": "=Build",
                "process_minutes": 3 * DAY,
                "waste": ["defects"],
            },
        },
        {
            "op": "create",
            "element": {
                "kind": "step",
                "id": "ship",
                "x": 640,
                "y": 100,
                "text": "Ship <now>",
                "wait_minutes": 5 * DAY,
                "process_minutes": 60,
            },
        },
        {
            "op": "create",
            "element": {"kind": "inventory", "id": "q", "x": 540, "y": 160, "count": 9},
        },
        {
            "op": "create",
            "element": {"kind": "connector", "id": "c1", "source": "plan", "target": "build"},
        },
        {
            "op": "create",
            "element": {"kind": "connector", "id": "c2", "source": "build", "target": "ship"},
        },
        {
            "op": "create",
            "element": {
                "kind": "connector",
                "id": "r",
                "source": "ship",
                "target": "build",
                "connector": "rework",
                "rework_rate": 0.2,
            },
        },
        {
            "op": "create",
            "element": {"kind": "comment", "id": "m", "target": "build", "text": "Why so long?"},
        },
        {
            "op": "create",
            "element": {
                "kind": "estimate",
                "id": "e",
                "target": "build",
                "field": "wait_minutes",
                "minutes": 2 * DAY,
            },
        },
    ]
    server.post_ops(board, ops)


def export(server: Server, board: dict[str, Any], fmt: str, role: str = "viewer") -> httpx.Response:
    return httpx.get(
        f"{server.url}/api/boards/{board['id']}/export",
        params={"format": fmt, "token": board["tokens"][role]},
        timeout=RENDER_TIMEOUT,
    )


def metrics_of(server: Server, board_id: str, token: str) -> dict[str, Any]:
    answer = httpx.get(
        f"{server.url}/api/boards/{board_id}/metrics", params={"token": token}, timeout=10
    )
    answer.raise_for_status()
    result: dict[str, Any] = answer.json()
    return result


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("json", "application/json"),
        ("csv", "text/csv; charset=utf-8"),
        ("svg", "image/svg+xml"),
        ("png", "image/png"),
        ("pdf", "application/pdf"),
    ],
)
def test_each_format_downloads_as_an_attachment(
    server: Server, board: dict[str, Any], fmt: str, media_type: str
) -> None:
    seed(server, board)
    answer = export(server, board, fmt)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == media_type
    assert answer.headers["content-disposition"].startswith(
        f'attachment; filename="Test board.{fmt}"'
    )
    assert answer.headers["cache-control"] == "no-store"
    body = answer.content
    if fmt == "json":
        exported = answer.json()
        # The metrics and the forecast, as the live board gives them (the forecast is seeded).
        assert exported["metrics"] | {"forecast": exported["forecast"]} == metrics_of(
            server, board["id"], board["tokens"]["viewer"]
        )
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert [r["id"] for r in rows] == ["plan", "build", "ship"]
        assert rows[1]["text"] == "'=Build" and rows[1]["estimated"] == "wait_minutes"
    elif fmt == "svg":
        root = ET.fromstring(body)
        assert "Ship <now>" in "".join(root.itertext())
        assert b"<now>" not in body
    elif fmt == "png":
        image = Image.open(io.BytesIO(body))
        image.load()
        assert image.size[0] > 1000 and image.size[1] > 300
    else:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
        assert "Ship <now>" in text and "=Build" in text and "Not validated" in text


def test_every_role_may_export_and_nobody_else(server: Server, board: dict[str, Any]) -> None:
    for role in ("facilitator", "participant", "viewer"):
        assert export(server, board, "svg", role).status_code == 200
    url = f"{server.url}/api/boards/{board['id']}/export"
    assert httpx.get(url, params={"format": "svg"}, timeout=10).status_code == 401
    assert (
        httpx.get(url, params={"format": "svg", "token": "x" * 32}, timeout=10).status_code == 403
    )
    other = server.create_board("Other")
    wrong_board = {"format": "svg", "token": other["tokens"]["viewer"]}
    assert httpx.get(url, params=wrong_board, timeout=10).status_code == 403
    bad_format = {"format": "docx", "token": board["tokens"]["viewer"]}
    assert httpx.get(url, params=bad_format, timeout=10).status_code == 422


async def test_an_imported_export_is_a_new_live_board_with_identical_metrics(
    server: Server, board: dict[str, Any]
) -> None:
    seed(server, board)
    exported = export(server, board, "json").json()
    answer = httpx.post(f"{server.url}/api/boards/import", json=exported, timeout=30)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["id"] != board["id"]
    tokens = {role: link.split("token=")[1] for role, link in created["links"].items()}
    assert set(tokens.values()).isdisjoint(board["tokens"].values())
    # The same map: the same metrics, and the same (seeded) forecast.
    live = metrics_of(server, created["id"], tokens["viewer"])
    assert live == exported["metrics"] | {"forecast": exported["forecast"]}
    state = httpx.get(
        f"{server.url}/api/boards/{created['id']}", params={"token": tokens["viewer"]}, timeout=10
    ).json()
    assert state["board"]["scope"] == "From idea to live" and state["board"]["hours_per_day"] == 7
    assert {e["id"] for e in state["elements"]} == {e["id"] for e in exported["elements"]}
    # It is a board like any other: people join it and edit it, after the imported history.
    imported = {"id": created["id"], "tokens": tokens}
    client = await LiveClient.join(server, imported, role="participant", name="ada")
    assert client.seq == state["seq"] == len(exported["elements"])
    cids = await client.ops({"op": "update", "id": "plan", "set": {"text": "Plan it"}})
    assert (await client.acked(cids))[cids[0]] == state["seq"] + 1
    await client.close()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            {
                "format": "flowmap-board",
                "version": 1,
                "board": {"title": "x"},
                "elements": [{"kind": "step", "id": "s", "pca": 140}],
            },
            "pca must be between 0 and 100",
        ),
        (
            {
                "format": "flowmap-board",
                "version": 1,
                "board": {"title": "x"},
                "elements": [{"kind": "connector", "id": "c", "source": "a", "target": "b"}],
            },
            "no such element",
        ),
        (
            {"format": "something-else", "version": 1, "board": {}, "elements": []},
            "not a Flowmap board export",
        ),
        (
            {"format": "flowmap-board", "version": 7, "board": {}, "elements": []},
            "unsupported export version",
        ),
    ],
)
def test_a_bad_import_is_refused_with_a_reason(
    server: Server, body: dict[str, Any], reason: str
) -> None:
    answer = httpx.post(f"{server.url}/api/boards/import", json=body, timeout=10)
    assert answer.status_code == 422
    (problem,) = answer.json()["detail"]  # FastAPI's shape for a bad body
    assert reason in problem["msg"] and problem["loc"][0] == "body"


def test_an_import_that_is_not_an_export_is_a_422(server: Server) -> None:
    for body in ([1, 2], {"format": "flowmap-board"}, "not json"):
        answer = httpx.post(f"{server.url}/api/boards/import", json=body, timeout=10)
        assert answer.status_code == 422, body


def test_a_published_version_exports_as_it_was_frozen(
    server: Server, board: dict[str, Any]
) -> None:
    """Exporting version 1 after the map moved on gives version 1's map, not today's."""
    server.post_ops(
        board, [{"op": "create", "element": {"id": "s1", "kind": "step", "text": "Before"}}]
    )
    auth = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    published = httpx.post(f"{server.url}/api/boards/{board['id']}/versions", json={"label": "v1"},
                           headers=auth)  # fmt: skip
    assert published.status_code == 201
    server.post_ops(board, [{"op": "update", "id": "s1", "set": {"text": "After"}}])
    url = f"{server.url}/api/boards/{board['id']}/versions/1/export"
    frozen = httpx.get(url, params={"format": "csv", "token": board["tokens"]["viewer"]})
    assert frozen.status_code == 200
    assert "Before" in frozen.text and "After" not in frozen.text
    assert 'v1.csv"' in frozen.headers["content-disposition"]
    missing = httpx.get(f"{server.url}/api/boards/{board['id']}/versions/9/export",
                        params={"token": board["tokens"]["viewer"]})  # fmt: skip
    assert missing.status_code == 404


def creation_date(pdf: bytes) -> datetime:
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None and info.creation_date is not None
    return info.creation_date


def test_a_pdf_is_dated_when_it_was_exported_and_a_version_when_it_was_published(
    server: Server, board: dict[str, Any]
) -> None:
    seed(server, board)
    answer = export(server, board, "pdf")
    assert answer.status_code == 200
    assert abs(creation_date(answer.content) - datetime.now(UTC)) < timedelta(minutes=1)
    auth = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    published = httpx.post(f"{server.url}/api/boards/{board['id']}/versions", json={"label": "v1"},
                           headers=auth)  # fmt: skip
    assert published.status_code == 201
    frozen = httpx.get(
        f"{server.url}/api/boards/{board['id']}/versions/1/export",
        params={"format": "pdf", "token": board["tokens"]["viewer"]},
        timeout=RENDER_TIMEOUT,
    )
    assert frozen.status_code == 200
    stamp = datetime.fromisoformat(published.json()["created_at"])
    assert creation_date(frozen.content) == stamp


def test_a_shared_pdf_is_dated_when_each_asker_exported_it(
    server: Server, board: dict[str, Any]
) -> None:
    """The last files are kept ten minutes and shared (api/renders.py): a PDF fetched from
    them said when the first asker exported it, up to ten minutes before."""
    seed(server, board)
    first = export(server, board, "pdf")
    time.sleep(2.1)  # PDF dates count whole seconds
    before = _exports_counted(server)
    asked = datetime.now(UTC).replace(microsecond=0)
    again = export(server, board, "pdf")
    after = _exports_counted(server)
    assert after["flowmap_exports_shared_total"] == before["flowmap_exports_shared_total"] + 1
    assert creation_date(again.content) >= asked > creation_date(first.content)
    assert len(again.content) == len(first.content)  # the same file, stamped anew
    assert len(PdfReader(io.BytesIO(again.content)).pages) == len(
        PdfReader(io.BytesIO(first.content)).pages
    )


# A facilitator's note past the old ~45-character cut, word for word (issue 17).
LONG_NOTE = (
    "Releases queue for the shared staging slot; the database migration waits for the "
    "weekly change board, so most of the wait is approval, not work. Book the slot per "
    "team and the queue should drop by half"
)


def test_every_note_and_experiment_card_is_exported_whole(
    server: Server, board: dict[str, Any]
) -> None:
    seed(server, board)
    server.post_ops(
        board,
        [
            {"op": "create", "element": {"kind": "note", "id": "n", "x": 0, "y": -300,
                                         "text": LONG_NOTE, "variant": "hypothesis"}},
            {"op": "create", "element": {"kind": "experiment", "id": "x", "x": 0, "y": 500,
                                         "text": "pairing on reviews", "status": "running"}},
        ],
    )  # fmt: skip
    picture = export(server, board, "svg")
    assert picture.status_code == 200
    root = ET.fromstring(picture.content)
    groups = {g.get("data-id"): g for g in root.iter("{http://www.w3.org/2000/svg}g")}
    said = {
        key: " ".join(" ".join(t.itertext()) for t in groups[key].iter()).split()
        for key in ("n", "x")
    }
    assert " ".join(said["n"]).endswith(LONG_NOTE) and "…" not in picture.text
    assert "We believe that by pairing on reviews" in " ".join(said["x"])
    report = export(server, board, "pdf")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages).split()
    )
    assert LONG_NOTE in text and "We believe that by pairing on reviews" in text
    assert "On =Build" in text and "Why so long?" in text  # the comment thread


def test_the_downloaded_picture_routes_a_rework_loop_under_the_data_boxes_and_a_back_arrow_apart(
    server: Server, board: dict[str, Any]
) -> None:
    seed(server, board)
    back = {"kind": "connector", "id": "c3", "source": "build", "target": "plan", "text": "asks"}
    server.post_ops(board, [{"op": "create", "element": back}])
    picture = export(server, board, "svg")
    assert picture.status_code == 200
    root = ET.fromstring(picture.content)
    [loop] = connector_paths(root, "rework")
    lowest = max(p.y for p in path_points(loop))
    boxes = data_boxes(root)
    assert len(boxes) == 3 and all(lowest > box.bottom for box in boxes)
    assert ladder_top_in(root) > lowest + LANE_GAP
    forward, _, backward = connector_paths(root, "flow")  # c1, c2, c3 in drawing order
    # Each in its own lane, LANE_GAP apart (which side is whose follows the ids, as on the canvas).
    assert abs(path_points(forward)[0].y - path_points(backward)[-1].y) == pytest.approx(LANE_GAP)


def _exports_counted(server: Server) -> dict[str, int]:
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    return {
        name: int(float(line.split()[1]))
        for line in text.splitlines()
        for name in ("flowmap_exports_rendered_total", "flowmap_exports_shared_total")
        if line.startswith(name + " ")
    }


def test_everyone_exporting_one_board_at_once_waits_for_one_render(
    server: Server, board: dict[str, Any]
) -> None:
    """Twelve people pressing Export PDF after the workshop queued twelve renders of the
    same board, two at a time; now they share one, and an edit makes the next a new one."""
    from concurrent.futures import ThreadPoolExecutor

    seed(server, board)
    before = _exports_counted(server)
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda _: export(server, board, "pdf"), range(12)))
    assert {a.status_code for a in answers} == {200}
    # The one file, to everyone: each dated when its asker exported it (the seconds may differ).
    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert len({restamped(a.content, at) for a in answers}) == 1
    after = _exports_counted(server)
    assert after["flowmap_exports_rendered_total"] - before["flowmap_exports_rendered_total"] == 1
    assert after["flowmap_exports_shared_total"] - before["flowmap_exports_shared_total"] == 11
    server.post_ops(board, [{"op": "update", "id": "build", "set": {"text": "Build it"}}])
    changed = export(server, board, "pdf")
    assert "Build it" in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(changed.content)).pages
    )
    assert (
        _exports_counted(server)["flowmap_exports_rendered_total"]
        == after["flowmap_exports_rendered_total"] + 1
    )


def pdf_words(pdf: bytes) -> str:
    """A PDF's text, its pages' words joined by single spaces."""
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_a_whole_percent_reads_alike_in_the_metrics_the_pdf_and_the_picture(
    server: Server, board: dict[str, Any]
) -> None:
    # Stage: 7h of wait and 1h of work in 3,840 minutes, exactly 12.5 % of the lead time;
    # one item in eight goes back. Halves round up, as people (and the canvas) round them.
    server.post_ops(board, [
        {"op": "create", "element": {"kind": "step", "id": "stage", "x": 0, "y": 100,
                                     "text": "Stage", "wait_minutes": 420, "process_minutes": 60}},
        {"op": "create", "element": {"kind": "step", "id": "build", "x": 320, "y": 100,
                                     "text": "Build", "wait_minutes": 60, "process_minutes": 3300}},
        {"op": "create", "element": {"kind": "connector", "id": "f", "source": "stage",
                                     "target": "build"}},
        {"op": "create", "element": {"kind": "connector", "id": "r", "source": "build",
                                     "target": "stage", "connector": "rework",
                                     "rework_rate": 0.125}},
    ])  # fmt: skip
    url = f"{server.url}/api/boards/{board['id']}"
    token = {"token": board["tokens"]["viewer"]}
    metrics = httpx.get(f"{url}/metrics", params=token).json()
    assert (
        metrics["constraint"]["reason"] == "Stage: work waits 7h for 1h of work — 13% of lead time"
    )
    pdf = httpx.get(f"{url}/export", params=token | {"format": "pdf"}, timeout=RENDER_TIMEOUT)
    words = pdf_words(pdf.content)
    assert "Stage [constraint] 7h 1h 1d 13%" in words
    assert "Build back to Stage: 13% go round again" in words
    picture = httpx.get(f"{url}/export", params=token | {"format": "svg"}).text
    assert ">13%<" in picture and ">12%<" not in picture


def test_a_step_off_the_path_with_only_estimates_reads_alike_in_the_csv_and_the_pdf(
    server: Server, board: dict[str, Any]
) -> None:
    # Hotfix has no arrow and no figure of its own, only two estimates of its wait: the
    # CSV gave their median (1d), the PDF's table "—".
    server.post_ops(board, [
        {"op": "create", "element": {"kind": "step", "id": "a", "x": 0, "y": 100, "text": "Build",
                                     "wait_minutes": 60, "process_minutes": 60}},
        {"op": "create", "element": {"kind": "step", "id": "b", "x": 320, "y": 100, "text": "Test",
                                     "wait_minutes": 60, "process_minutes": 60}},
        {"op": "create", "element": {"kind": "connector", "id": "f", "source": "a", "target": "b"}},
        {"op": "create", "element": {"kind": "step", "id": "c", "x": 640, "y": 400,
                                     "text": "Hotfix"}},
    ])  # fmt: skip
    for who, minutes in (("participant", 240), ("facilitator", 720)):
        server.post_ops(board, [{"op": "create", "element": {
            "kind": "estimate", "id": f"e-{who}", "target": "c", "field": "wait_minutes",
            "minutes": minutes}}], role=who)  # fmt: skip
    url = f"{server.url}/api/boards/{board['id']}/export"
    token = {"token": board["tokens"]["viewer"]}
    text = httpx.get(url, params=token | {"format": "csv"}).content.decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (rows["c"]["on_path"], rows["c"]["wait"], rows["c"]["estimated"]) == (
        "no", "1d", "wait_minutes",
    )  # fmt: skip
    pdf = httpx.get(url, params=token | {"format": "pdf"}, timeout=RENDER_TIMEOUT)
    words = pdf_words(pdf.content)
    assert "Hotfix [off the path] ~1d — 1d" in words


def test_a_measured_step_off_the_path_reads_its_median_in_the_csv_and_the_pdf(
    server: Server, board: dict[str, Any]
) -> None:
    # Hotfix stands off the path; the event log measured it waiting a working day, and the
    # map uses the log's figures: so do its CSV row and its PDF row, as the metrics do.
    server.post_ops(board, [
        {"op": "create", "element": {"kind": "step", "id": "a", "x": 0, "y": 100, "text": "Build",
                                     "wait_minutes": 60, "process_minutes": 60}},
        {"op": "create", "element": {"kind": "step", "id": "b", "x": 320, "y": 100, "text": "Test",
                                     "wait_minutes": 60, "process_minutes": 60}},
        {"op": "create", "element": {"kind": "connector", "id": "f", "source": "a", "target": "b"}},
        {"op": "create", "element": {"kind": "step", "id": "c", "x": 640, "y": 400,
                                     "text": "Hotfix", "wait_minutes": 30, "process_minutes": 30}},
    ])  # fmt: skip
    log = (
        "item,step,arrived,started,finished\n"
        "1,Hotfix,2026-01-05T09:00:00,2026-01-06T09:00:00,2026-01-06T09:30:00\n"
    )
    auth = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    events = httpx.post(f"{server.url}/api/boards/{board['id']}/events", content=log,
                        headers=auth | {"content-type": "text/csv"})  # fmt: skip
    assert events.json()["matched"] == {"Hotfix": "c"}
    server.post_ops(board, [{"op": "board", "set": {"figures_from": "measured"}}])
    url = f"{server.url}/api/boards/{board['id']}/export"
    token = {"token": board["tokens"]["viewer"]}
    text = httpx.get(url, params=token | {"format": "csv"}).content.decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (rows["c"]["on_path"], rows["c"]["wait"], rows["c"]["process"]) == ("no", "1d", "30m")
    pdf = httpx.get(url, params=token | {"format": "pdf"}, timeout=RENDER_TIMEOUT)
    words = pdf_words(pdf.content)
    assert "Hotfix [off the path] 1d 30m 1.1d" in words


def test_a_measured_step_reads_alike_on_the_exported_picture_and_in_the_metrics(
    server: Server, board: dict[str, Any]
) -> None:
    # Test was estimated at 1h of wait; the event log measured a working day, and the map
    # uses the log: the picture shows both, as the canvas does, and the metrics' figure.
    server.post_ops(board, [
        {"op": "create", "element": {"kind": "step", "id": "a", "x": 0, "y": 100, "text": "Build",
                                     "wait_minutes": 60, "process_minutes": 60}},
        {"op": "create", "element": {"kind": "step", "id": "b", "x": 320, "y": 100, "text": "Test",
                                     "wait_minutes": 60, "process_minutes": 60}},
        {"op": "create", "element": {"kind": "connector", "id": "f", "source": "a", "target": "b"}},
    ])  # fmt: skip
    log = (
        "item,step,arrived,started,finished\n"
        "1,Test,2026-01-05T09:00:00,2026-01-06T09:00:00,2026-01-06T10:00:00\n"
    )
    auth = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    httpx.post(f"{server.url}/api/boards/{board['id']}/events", content=log,
               headers=auth | {"content-type": "text/csv"}).raise_for_status()  # fmt: skip
    server.post_ops(board, [{"op": "board", "set": {"figures_from": "measured"}}])
    url = f"{server.url}/api/boards/{board['id']}"
    token = {"token": board["tokens"]["viewer"]}
    metrics = httpx.get(f"{url}/metrics", params=token).json()
    row = next(s for s in metrics["steps"] if s["id"] == "b")
    assert (row["basis"], row["wait_minutes"]) == ("measured", 480.0)
    picture = httpx.get(f"{url}/export", params=token | {"format": "svg"}).text
    assert ">est. 1h<" in picture and ">measured 1d, n=1<" in picture
