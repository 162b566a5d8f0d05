"""`flowmap demo` through the real command line and server: the worked example, live."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.domain.demo import demo_board
from tests.support.live import Server, free_port


def test_the_demo_board_opens_with_every_element_and_the_designs_numbers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    server = Server(url, tmp_path / "server.log")
    printed = subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--database-url", url, "--base-url", server.url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    links = dict(re.findall(r"(facilitator|participant|viewer)\s+(\S+)", printed))
    assert set(links) == {"facilitator", "participant", "viewer"}
    board_id = re.search(r"/b/([^?]+)\?", links["viewer"]).group(1)  # type: ignore[union-attr]
    token = links["viewer"].split("token=")[1]
    server.start()
    try:
        state = httpx.get(f"{server.url}/api/boards/{board_id}", params={"token": token}).json()
        assert len(state["elements"]) == len(demo_board().elements)
        metrics = httpx.get(
            f"{server.url}/api/boards/{board_id}/metrics", params={"token": token}
        ).json()
        assert metrics["lead_time_minutes"] == 11_940
        assert metrics["display"]["activity_ratio"] == "23.6%"
        assert metrics["constraint"]["reason"] == (
            "Staging test: work waits 8d for 1d of work — 36% of lead time"
        )
    finally:
        server.stop()


def _demo(url: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--database-url", url, *args],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def test_the_demo_says_when_nothing_answers_at_its_links(tmp_path: Path) -> None:
    """`make run PORT=8765`, then `flowmap demo`: links to port 8000, where nothing answers.
    The demo says so, and how to give it the server's port."""
    port = free_port()  # nothing listens on it
    printed = _demo(f"sqlite:///{tmp_path / 'demo.db'}", "--port", str(port))
    assert f"http://127.0.0.1:{port}/b/" in printed
    assert f"Nothing answers at http://127.0.0.1:{port}" in printed
    assert "--port" in printed


def test_the_demo_says_nothing_more_when_its_server_answers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    server = Server(url, tmp_path / "server.log")
    server.start()
    try:
        printed = _demo(url, "--port", str(server.port))
    finally:
        server.stop()
    assert f"{server.url}/b/" in printed and "Nothing answers" not in printed


def test_the_demo_says_when_the_server_at_its_links_serves_another_database(
    tmp_path: Path,
) -> None:
    """`make run` in one folder, `flowmap demo` in another: the demo wrote its board to a
    `flowmap.db` of its own, and printed links the server answered with "This link does
    not open a board". It says so, and how to reach the server's database."""
    server = Server(f"sqlite:///{tmp_path / 'served.db'}", tmp_path / "server.log")
    server.start()
    try:
        printed = _demo(f"sqlite:///{tmp_path / 'other.db'}", "--port", str(server.port))
    finally:
        server.stop()
    assert f"{server.url}/b/" in printed
    assert "does not know this board" in printed
    assert "--database-url" in printed and "other.db" in printed


def test_serve_open_makes_a_board_and_opens_it_as_its_facilitator(tmp_path: Path) -> None:
    """What `make run` does: the browser it opens lands on a fresh board's facilitator link."""
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    server = Server(f"sqlite:///{tmp_path / 'run.db'}", tmp_path / "server.log",
                    env={"BROWSER": str(browser)}, extra_args=["--open"])  # fmt: skip
    server.start()
    try:
        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        link = opened.read_text().strip()
        assert "/b/" in link and "token=" in link
        page = httpx.get(link)
        assert page.status_code == 200 and 'data-role="facilitator"' in page.text
    finally:
        server.stop()


def test_the_access_log_never_holds_a_link_token(tmp_path: Path) -> None:
    server = Server(f"sqlite:///{tmp_path / 'log.db'}", tmp_path / "server.log",
                    env={"FLOWMAP_LOG_LEVEL": "info"})  # fmt: skip
    server.start()
    try:
        board = server.create_board()
        token = board["tokens"]["viewer"]
        assert httpx.get(board["links"]["viewer"]).status_code == 200
        assert httpx.get(
            f"{server.url}/api/boards/{board['id']}", params={"token": token}
        ).is_success
        # A validation link holds its token in the path.
        fay = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
        base = f"{server.url}/api/boards/{board['id']}"
        assert httpx.post(f"{base}/versions", json={"label": "v1"}, headers=fay).is_success
        link = httpx.post(f"{base}/versions/1/validation", json={"invite": ["Ada"]},
                          headers=fay).json()["link"]  # fmt: skip
        check = link.rstrip("/").rsplit("/", 1)[1]
        assert httpx.get(link).status_code == 200
        assert httpx.get(f"{server.url}/api/validation/{check}", params={"name": "Ada"}).is_success
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text()
    assert f"/api/boards/{board['id']}" in log and "/api/validation/" in log  # logged ...
    assert token not in log and check not in log  # ... without the keys


def test_serve_on_a_taken_port_says_so_in_words_and_makes_no_board(tmp_path: Path) -> None:
    """A second `make run` (or another program on 8000) got uvicorn's "[Errno 98] error while
    attempting to bind", after `--open` had made a board on whatever held the port."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = subprocess.run(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--open",
             "--database-url", f"sqlite:///{tmp_path / 'taken.db'}"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    said = ran.stdout + ran.stderr
    assert ran.returncode != 0
    assert f"Port {port} is taken" in said and "PORT=" in said, said
    assert "Errno" not in said and "A new board is ready" not in said, said
