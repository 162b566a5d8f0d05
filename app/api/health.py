"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text

from app.api.deps import ServicesDep
from app.api.strict import StrictJsonRoute

router = APIRouter(tags=["operations"], route_class=StrictJsonRoute)


def _ping(engine: Any) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


@router.get("/healthz")
async def healthz(services: ServicesDep) -> JSONResponse:
    """200 when the database answers (503 otherwise); says whether Redis does, if configured.

    Redis being away is `degraded`, not down: edits still commit and reach every
    peer, those on other processes a couple of seconds late, through the op log.
    """
    try:
        await services.db.run(_ping, services.db.engine)
    except Exception as err:
        return JSONResponse({"status": "unavailable", "database": str(err)[:200]}, status_code=503)
    body: dict[str, Any] = {"status": "ok", "database": "ok", "boards_open": len(services.rooms)}
    broker = services.rooms.broker
    if services.settings.redis_url and broker is not None:
        problem = await broker.check()
        body["redis"] = problem or "ok"
        if problem:
            body["status"] = "degraded"
    return JSONResponse(body)


@router.get("/metrics", response_class=PlainTextResponse)
async def prometheus(services: ServicesDep) -> PlainTextResponse:
    """Prometheus exposition: connections, boards open, operations, errors, broadcast latency."""
    text_format = "text/plain; version=0.0.4; charset=utf-8"
    broker = services.rooms.broker
    healthy = broker.healthy if broker is not None and broker.shared else None
    body = services.rooms.stats.render(boards_open=len(services.rooms), broker_healthy=healthy)
    return PlainTextResponse(body, media_type=text_format)
