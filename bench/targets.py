"""The servers under test, each started fresh as a subprocess pinned to the server core.

- B0: bench/relay_b0.py, the websockets library's `broadcast()` doing no work.
- B1: bench/relay_b1.py, a FastAPI/uvicorn relay doing no work.
- Flowmap: `python -m app.cli serve`, on SQLite (or PostgreSQL, and Redis
  between several processes for W6).

    async with started(flowmap(workdir)) as target:
        board = await target.create_board()
        url = target.ws_url(board, endpoint=0)
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.procstat import cpu_seconds, pin, rss_kib, run_delay_seconds

ROOT = Path(__file__).resolve().parent.parent
# A Flowmap start imports FastAPI, SQLAlchemy and runs the migrations: seconds on a busy box.
STARTUP_SECONDS = 30
POLL_SECONDS = 0.05


class StartFailed(RuntimeError):
    """The server did not come up; the message ends with its log."""


@dataclass(frozen=True)
class Board:
    id: str
    tokens: dict[str, str]


# The deployment limits (app/api/limits.py) guard a workshop against one hostile link or
# address; every bench client comes from loopback through one link, so they are lifted
# (their checks still run and are measured; they never refuse).
CAPACITY_LIMITS = {
    "FLOWMAP_LINK_OPS_PER_SECOND": "1e9", "FLOWMAP_LINK_OPS_BURST": "1e9",
    "FLOWMAP_CONNECTIONS_PER_ADDRESS": "1000000", "FLOWMAP_PEERS_PER_BOARD": "1000000",
    "FLOWMAP_JOINS_PER_SECOND": "1e9", "FLOWMAP_JOINS_BURST": "1e9",
    "FLOWMAP_BOARDS_PER_SECOND": "1e9", "FLOWMAP_BOARDS_BURST": "1e9",
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerProcess:
    """One server subprocess; `health` is an HTTP path to poll, or None to wait for the port."""

    argv: list[str]
    log_path: Path
    cores: set[int] | None
    health: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), **self.env}
        cores = self.cores
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, *self.argv, "--port", str(self.port)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=lambda: pin(cores),
            )  # fmt: skip
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise StartFailed(f"exited {self.proc.returncode}: {self.log_tail()}")
            if self._ready():
                return
            time.sleep(POLL_SECONDS)
        self.stop()
        raise StartFailed(f"not up after {STARTUP_SECONDS}s: {self.log_tail()}")

    def _ready(self) -> bool:
        try:
            if self.health is None:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            return httpx.get(f"http://127.0.0.1:{self.port}{self.health}", timeout=2).is_success
        except (OSError, httpx.HTTPError):
            return False

    def log_tail(self, chars: int = 1500) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid


@dataclass
class Target:
    """A named system under test: one or more server processes serving the same boards."""

    name: str
    servers: list[ServerProcess]
    makes_boards: bool  # Flowmap creates boards over HTTP; a relay takes any id and token

    def ws_url(self, board: Board, endpoint: int = 0, role: str = "participant") -> str:
        server = self.servers[endpoint % len(self.servers)]
        return f"ws://127.0.0.1:{server.port}/ws/boards/{board.id}?token={board.tokens[role]}"

    @property
    def http_base(self) -> str:
        """Where HTTP calls go (the first process; a proxy in bench/proxied.py)."""
        return f"http://127.0.0.1:{self.servers[0].port}"

    async def create_board(self, title: str = "Bench board") -> Board:
        if not self.makes_boards:
            return Board(secrets.token_hex(6), {"participant": "x", "facilitator": "x"})
        url = f"{self.http_base}/api/boards"
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(url, json={"title": title})
        response.raise_for_status()
        created = response.json()
        tokens = {role: link.split("token=", 1)[1] for role, link in created["links"].items()}
        return Board(created["id"], tokens)

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(s.pid) for s in self.servers)

    def run_delay_seconds(self) -> float:
        return sum(run_delay_seconds(s.pid) for s in self.servers)

    def rss_kib(self) -> int:
        return sum(rss_kib(s.pid) for s in self.servers)

    def start(self) -> None:
        try:
            for server in self.servers:
                server.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def relay(
    name: str, workdir: Path, cores: set[int] | None, *, processes: int = 1, label: str = ""
) -> Target:
    """B0 or B1; several processes of B0 answer `/healthz` for a proxy's checks."""
    module = {"B0": "bench.relay_b0", "B1": "bench.relay_b1"}[name]
    health = "/healthz" if processes > 1 else None
    servers = [
        ServerProcess(["-m", module], workdir / f"{name}-{i}.log", cores, health=health)
        for i in range(processes)
    ]
    return Target(label or name, servers, makes_boards=False)


def flowmap(
    workdir: Path,
    cores: set[int] | None,
    *,
    database_url: str | None = None,
    redis_url: str | None = None,
    processes: int = 1,
    name: str = "Flowmap",
    module: str = "app.cli",
    env: dict[str, str] | None = None,
) -> Target:
    """Flowmap on a fresh SQLite file, or on `database_url` (and Redis) with several processes."""
    url = database_url or f"sqlite:///{workdir / (name + '.db')}"
    argv = ["-m", module, "serve", "--database-url", url]
    if redis_url:
        argv += ["--redis-url", redis_url]
    base_env = {"FLOWMAP_LOG_LEVEL": "warning", **CAPACITY_LIMITS, **(env or {})}
    servers = [
        ServerProcess(argv, workdir / f"{name}-{i}.log", cores, health="/healthz", env=base_env)
        for i in range(processes)
    ]
    return Target(name, servers, makes_boards=True)


@asynccontextmanager
async def started(target: Target) -> AsyncIterator[Target]:
    """Start the target (off the event loop: it polls), stop it however the block ends."""
    await asyncio.to_thread(target.start)
    try:
        yield target
    finally:
        await asyncio.to_thread(target.stop)
