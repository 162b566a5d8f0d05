"""Liveness and readiness, and what an operator watches: per process, so that behind a
load balancer each answer says which process gave it (docs/deploy.md)."""

from __future__ import annotations

import os
import socket
import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text

from app.api.deps import Services, ServicesDep
from app.api.renders import Renders
from app.api.strict import StrictJsonRoute

router = APIRouter(tags=["operations"], route_class=StrictJsonRoute)

# When this process started, as near as Python can tell: the time its server module was
# imported, a fraction of a second after exec. Tells a restarted process from its predecessor.
STARTED_AT = time.time()


def _ping(engine: Any) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def process_identity() -> dict[str, Any]:
    """Who answered: host (a container's name under compose) and pid; the pid also names
    the process's Redis connections (`flowmap:<pid>:pub|sub` in CLIENT LIST)."""
    host, pid = socket.gethostname(), os.getpid()
    return {
        "name": f"{host}:{pid}",
        "host": host,
        "pid": pid,
        "started_at": datetime.fromtimestamp(STARTED_AT, UTC).isoformat(timespec="seconds"),
        "uptime_seconds": round(time.time() - STARTED_AT, 1),
    }


def broker_state(services: Services) -> dict[str, Any]:
    """The fan-out between processes as this one sees it (`shared: false` with one process)."""
    broker, stats = services.rooms.broker, services.rooms.stats
    if broker is None or not broker.shared:
        return {"shared": False}
    lag = stats.fanout_lag.summary()
    return {
        "shared": True,
        "connected": broker.healthy,  # both Redis connections work
        "reconnects": stats.broker_reconnects,
        "published": stats.broker_published,
        "received": stats.broker_received,
        "dropped": stats.broker_dropped,
        "gap_fills": stats.gap_fills,
        "seq_conflicts": stats.seq_conflicts,
        # Publish on another process to arrival here, over the last minute; null when
        # nothing came (a board whose peers are all on one process never crosses Redis).
        "fanout_lag": None if lag is None else lag.to_json(),
    }


@router.get("/healthz")
async def healthz(services: ServicesDep) -> JSONResponse:
    """200 when the database answers (503 otherwise); says whether Redis does, if configured.

    Redis being away is `degraded`, not down: edits still commit and reach every
    peer, those on other processes a couple of seconds late, through the op log.
    Every answer also says which process gave it (`process`), how many websocket
    sessions it holds (`peers`) and how its fan-out is doing (`broker`).
    """
    try:
        await services.db.run(_ping, services.db.engine)
    except Exception as err:
        return JSONResponse(
            {"status": "unavailable", "database": str(err)[:200], "process": process_identity()},
            status_code=503,
        )
    body: dict[str, Any] = {"status": "ok", "database": "ok", "boards_open": len(services.rooms)}
    broker = services.rooms.broker
    if services.settings.redis_url and broker is not None:
        problem = await broker.check()
        body["redis"] = problem or "ok"
        if problem:
            body["status"] = "degraded"
    body |= {
        "process": process_identity(),
        "peers": services.rooms.stats.connections,
        "broker": broker_state(services),
    }
    return JSONResponse(body)


@router.get("/metrics", response_class=PlainTextResponse)
async def prometheus(services: ServicesDep) -> PlainTextResponse:
    """Prometheus exposition: connections, boards open, operations, errors, broadcast latency,
    fan-out between processes and its lag, and which process this is."""
    text_format = "text/plain; version=0.0.4; charset=utf-8"
    broker = services.rooms.broker
    stats = services.rooms.stats
    healthy = broker.healthy if broker is not None and broker.shared else None
    body = stats.render(boards_open=len(services.rooms), broker_healthy=healthy)
    extra = _process_lines() + _export_lines(services.renders)
    if healthy is not None:
        extra += stats.fanout_lag.prometheus()
    return PlainTextResponse(body + "\n".join(extra) + "\n", media_type=text_format)


def _export_lines(renders: Renders) -> list[str]:
    """Exports rendered, answered with a file rendered for someone else, and stopped (past
    their time, or with nobody waiting) (api/renders.py)."""
    return [
        "# TYPE flowmap_exports_rendered_total counter",
        f"flowmap_exports_rendered_total {renders.made}",
        "# TYPE flowmap_exports_shared_total counter",
        f"flowmap_exports_shared_total {renders.shared}",
        "# TYPE flowmap_exports_stopped_total counter",
        f"flowmap_exports_stopped_total {renders.stopped}",
    ]


def _process_lines() -> list[str]:
    """The process as Prometheus names one: an info gauge, and its start time."""
    me = process_identity()
    return [
        "# TYPE flowmap_process_info gauge",
        f'flowmap_process_info{{name="{me["name"]}",host="{me["host"]}",pid="{me["pid"]}"}} 1',
        "# TYPE flowmap_process_start_time_seconds gauge",
        f"flowmap_process_start_time_seconds {STARTED_AT:.3f}",
    ]
