"""HAProxy (Debian's package) running deploy/haproxy.cfg itself on loopback, in front of
three live `flowmap serve` processes; skipped, saying why, when haproxy is not installed.

    proxy = HAProxy({"flowmap-1": a, "flowmap-2": b, "flowmap-3": c}, folder / "haproxy.log")
    proxy.start()                      # returns once every process is UP in HAProxy's eyes
    proxy.served_by(httpx.get(...))    # "flowmap-2": which process answered
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.live import LoopbackProcess, Server, free_port

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "haproxy.cfg"
# The names deploy/haproxy.cfg gives its servers, FLOWMAP_SERVER_1..3 their addresses.
NAMES = ("flowmap-1", "flowmap-2", "flowmap-3")
# The response header the proxy adds: the name of the server that answered.
SERVED_BY = "x-flowmap-server"
# Seconds for HAProxy to start and see every process up (checks: inter 1 s, rise 2).
STARTUP_SECONDS = 60  # a bound on a failure (a loaded machine is slow), not a timing


def haproxy_binary() -> str:
    # Debian installs it in /usr/sbin, which is not on an ordinary user's PATH.
    binary = shutil.which("haproxy", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/usr/local/sbin")
    if binary is None:
        pytest.skip("haproxy is not installed (apt-get install haproxy; .ci/run does)")
    return binary


class HAProxy(LoopbackProcess):
    """deploy/haproxy.cfg with its addresses set through the environment, as compose sets them."""

    def __init__(self, servers: dict[str, Server], log_path: Path) -> None:
        assert tuple(servers) == NAMES, f"deploy/haproxy.cfg routes to {NAMES}"
        super().__init__()
        self.binary = haproxy_binary()
        self.servers = servers
        self.log_path = log_path
        self.stats_port = free_port()

    def start(self) -> None:
        env = {
            **os.environ,
            "FLOWMAP_PROXY_BIND": f"127.0.0.1:{self.port}",
            "FLOWMAP_PROXY_STATS": f"127.0.0.1:{self.stats_port}",
        }
        for number, server in enumerate(self.servers.values(), start=1):
            env[f"FLOWMAP_SERVER_{number}"] = f"127.0.0.1:{server.port}"
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [self.binary, "-db", "-f", str(CONFIG)], stdout=log, stderr=subprocess.STDOUT, env=env
        )
        self.wait_for(dict.fromkeys(NAMES, "UP"), STARTUP_SECONDS)

    def states(self) -> dict[str, str]:
        """Each process's state as HAProxy's checks see it: UP, DOWN, "DOWN 1/2"..."""
        answer = httpx.get(f"http://127.0.0.1:{self.stats_port}/stats;csv", timeout=5)
        rows = csv.DictReader(io.StringIO(answer.text.removeprefix("# ")))
        return {r["svname"]: r["status"] for r in rows if r["pxname"] == "flowmap"}

    def wait_for(self, wanted: dict[str, str], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"haproxy exited: {self.log_path.read_text()[-2000:]}")
            try:
                states = self.states()
            except httpx.HTTPError:
                states = {}
            if all(states.get(name) == state for name, state in wanted.items()):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"haproxy: wanted {wanted}, has {states}")
            time.sleep(0.1)

    @staticmethod
    def served_by(response: httpx.Response) -> str:
        return response.headers[SERVED_BY]

    def route_of(self, board: dict[str, Any]) -> str:
        """Which process the proxy sends this board's calls to now."""
        params = {"token": board["tokens"]["viewer"]}
        answer = httpx.get(f"{self.url}/api/boards/{board['id']}", params=params, timeout=10)
        answer.raise_for_status()
        return self.served_by(answer)

    def create_board(self, title: str) -> dict[str, Any]:
        """POST /api/boards through the proxy (any process takes it); the links' tokens too."""
        answer = httpx.post(self.url + "/api/boards", json={"title": title}, timeout=10)
        answer.raise_for_status()
        created: dict[str, Any] = answer.json()
        created["tokens"] = {
            role: link.split("token=")[1] for role, link in created["links"].items()
        }
        return created
