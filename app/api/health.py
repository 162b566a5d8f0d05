"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text

from app.api.deps import ServicesDep

router = APIRouter(tags=["operations"])


def _ping(engine: Any) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


@router.get("/healthz")
async def healthz(services: ServicesDep) -> JSONResponse:
    """200 when the database answers; 503 (with the reason) when it does not."""
    try:
        await services.db.run(_ping, services.db.engine)
    except Exception as err:
        return JSONResponse({"status": "unavailable", "database": str(err)[:200]}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "boards_open": len(services.rooms)})


@router.get("/metrics", response_class=PlainTextResponse)
async def prometheus(services: ServicesDep) -> PlainTextResponse:
    """Prometheus exposition: connections, boards open, operations, errors, broadcast latency."""
    text_format = "text/plain; version=0.0.4; charset=utf-8"
    body = services.rooms.stats.render(boards_open=len(services.rooms))
    return PlainTextResponse(body, media_type=text_format)
