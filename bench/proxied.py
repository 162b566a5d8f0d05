"""Flowmap as operators run it at scale: three processes over PostgreSQL and Redis behind
HAProxy with the shipped deploy/haproxy.cfg (each board to one process by a consistent
hash of its id). Every client connects through the proxy, as browsers would.

    target = behind_proxy(workdir, cores, database_url=url, redis_url=redis)
    async with started(target):
        await run_workload(W8, target)

The proxy's own CPU counts in the target's: it is part of what serves an edit.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from bench.load import Spec, run_workload
from bench.procstat import cpu_seconds, pin, rss_kib, run_delay_seconds
from bench.services import ServiceMissing, postgres_database, redis_reachable
from bench.targets import ROOT, Board, StartFailed, Target, flowmap, free_port, relay, started
from bench.window import QuietGate

CONFIG = ROOT / "deploy" / "haproxy.cfg"
PROCESSES = 3  # deploy/haproxy.cfg names three: flowmap-1..3
SUBJECT = "Flowmap×3+HAProxy"
FLOOR = "B0×3+HAProxy"
STARTUP_SECONDS = 30


def haproxy_binary() -> str | None:
    # Debian installs it in /usr/sbin, which is not on an ordinary user's PATH.
    return shutil.which("haproxy", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/usr/local/sbin")


@dataclass
class ProxiedTarget(Target):
    """Target whose clients and HTTP calls all go through one HAProxy in front of its servers."""

    log_path: Path = Path("haproxy.log")
    cores: set[int] | None = None
    port: int = field(default_factory=free_port)
    stats_port: int = field(default_factory=free_port)
    proxy: subprocess.Popen[bytes] | None = None

    def ws_url(self, board: Board, endpoint: int = 0, role: str = "participant") -> str:
        return f"ws://127.0.0.1:{self.port}/ws/boards/{board.id}?token={board.tokens[role]}"

    @property
    def http_base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        super().start()
        binary = haproxy_binary()
        if binary is None:
            self.stop()
            raise StartFailed("haproxy is not installed (apt-get install haproxy)")
        env = {
            **os.environ,
            "FLOWMAP_PROXY_BIND": f"127.0.0.1:{self.port}",
            "FLOWMAP_PROXY_STATS": f"127.0.0.1:{self.stats_port}",
        }
        for number, server in enumerate(self.servers, start=1):
            env[f"FLOWMAP_SERVER_{number}"] = f"127.0.0.1:{server.port}"
        cores = self.cores
        with self.log_path.open("ab") as log:
            self.proxy = subprocess.Popen(
                [binary, "-db", "-f", str(CONFIG)], stdout=log, stderr=subprocess.STDOUT,
                env=env, preexec_fn=lambda: pin(cores),
            )  # fmt: skip
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.proxy.poll() is not None:
                self.stop()
                raise StartFailed(f"haproxy exited {self.proxy.returncode}")
            if self._all_up():
                return
            time.sleep(0.2)
        self.stop()
        raise StartFailed(f"haproxy did not see every process up after {STARTUP_SECONDS}s")

    def _all_up(self) -> bool:
        try:
            answer = httpx.get(f"http://127.0.0.1:{self.stats_port}/stats;csv", timeout=2)
        except httpx.HTTPError:
            return False
        rows = csv.DictReader(io.StringIO(answer.text.removeprefix("# ")))
        states = [
            r["status"]
            for r in rows
            if r["pxname"] == "flowmap" and r["svname"] not in ("FRONTEND", "BACKEND")
        ]
        return len(states) == len(self.servers) and all(s == "UP" for s in states)

    def stop(self) -> None:
        if self.proxy is not None and self.proxy.poll() is None:
            self.proxy.terminate()
            try:
                self.proxy.wait(10)
            except subprocess.TimeoutExpired:
                self.proxy.kill()
                self.proxy.wait(5)
        super().stop()

    def _pids(self) -> list[int]:
        proxy = [self.proxy.pid] if self.proxy is not None else []
        return [s.pid for s in self.servers] + proxy

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in self._pids())

    def run_delay_seconds(self) -> float:
        return sum(run_delay_seconds(pid) for pid in self._pids())

    def rss_kib(self) -> int:
        return sum(rss_kib(pid) for pid in self._pids())


def behind_proxy(
    workdir: Path, cores: set[int] | None, *, database_url: str, redis_url: str
) -> ProxiedTarget:
    """Three Flowmap processes on `database_url` and Redis, HAProxy in front of them."""
    plain = flowmap(
        workdir, cores, database_url=database_url, redis_url=redis_url,
        processes=PROCESSES, name=SUBJECT,
    )  # fmt: skip
    return _proxied(plain, workdir, cores)


def floor_behind_proxy(workdir: Path, cores: set[int] | None) -> ProxiedTarget:
    """Three B0 relays behind the same HAProxy: the floor of the same run. A relay keeps
    its boards in memory, and the proxy sends all of a board's clients to one process."""
    return _proxied(relay("B0", workdir, cores, processes=PROCESSES, label=FLOOR), workdir, cores)


def _proxied(plain: Target, workdir: Path, cores: set[int] | None) -> ProxiedTarget:
    return ProxiedTarget(
        plain.name, plain.servers, plain.makes_boards,
        log_path=workdir / "haproxy.log", cores=cores,
    )  # fmt: skip


async def run_behind_proxy(
    spec: Spec, workdir: Path, cores: set[int] | None, gate: QuietGate | None = None
) -> dict[str, Any]:
    """`spec` with every client through the proxy; a skipped row, saying why, without
    PostgreSQL, Redis or haproxy."""
    try:
        redis_url = await redis_reachable()
        with postgres_database() as url:
            target = behind_proxy(workdir, cores, database_url=url, redis_url=redis_url)
            async with started(target):
                return await run_workload(replace(spec, name=f"{spec.name}×3"), target, gate=gate)
    except (ServiceMissing, StartFailed) as err:
        return {"workload": f"{spec.name}×3", "target": SUBJECT, "skipped": str(err)}


async def run_floor_behind_proxy(
    spec: Spec, workdir: Path, cores: set[int] | None, gate: QuietGate | None = None
) -> dict[str, Any]:
    """`spec` against three B0 relays through the proxy (no services needed but haproxy)."""
    try:
        async with started(floor_behind_proxy(workdir, cores)) as target:
            return await run_workload(replace(spec, name=f"{spec.name}×3"), target, gate=gate)
    except StartFailed as err:
        return {"workload": f"{spec.name}×3", "target": FLOOR, "skipped": str(err)}
