"""The FastAPI application: lifespan wiring, routers, the frontend's static files.

app = create_app(Settings(database_url="sqlite:///./flowmap.db"))
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from app import __version__, logs
from app.api import (
    boards,
    events,
    exports,
    future,
    health,
    pages,
    refusals,
    validation,
    versions,
    what_if,
    ws,
)
from app.api.deps import Services
from app.api.limits import BodyLimit
from app.api.ratelimit import GuessLimiter
from app.api.security import SecurityHeaders
from app.broker import make_broker
from app.config import Settings
from app.domain.elements import Board
from app.domain.forecast import certain_forecast_json, forecast_json
from app.domain.metrics import compute_metrics
from app.export import raster
from app.frontend import FrontendFiles, frontend_dir
from app.hub.forecast_feed import Forecasts
from app.hub.rooms import Rooms
from app.hub.stats import Stats
from app.store.db import Database, migrate
from app.store.repository import SqlBoardStore

log = logging.getLogger("flowmap")


def metrics_json(board: Board) -> dict[str, Any]:
    return compute_metrics(board).to_json()


def freeze_startup_heap() -> int:
    """Take everything alive after start-up out of the garbage collector's sight.

    A full collection scans every tracked object, and after start-up there are
    ~140,000 (modules, FastAPI's routes, SQLAlchemy's and Pydantic's structures):
    120-140 ms on a slow core, during which no board in the process moves. None
    of them ever becomes garbage. Frozen (gc.freeze), they are never scanned
    again; a full collection then costs what the boards' own objects cost.
    Returns how many objects were frozen.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def create_app(settings: Settings | None = None, *, freeze_heap: bool = False) -> FastAPI:
    """The application; `freeze_heap`: freeze_startup_heap() once it has started (a
    server process does; a test process, which makes many apps, must not)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logs.install()  # uvicorn's loggers exist by now: keep link tokens out of them
        db = Database(settings)
        await db.run(migrate, db.engine)
        store = SqlBoardStore(db)
        await store.open()
        stats = Stats()
        broker = make_broker(settings.redis_url, stats)
        rooms = Rooms(
            store,
            metrics=metrics_json,
            forecast=Forecasts(full=forecast_json, quick=certain_forecast_json),
            idle_seconds=settings.room_idle_seconds,
            stats=stats,
            broker=broker,
            resync_seconds=settings.resync_seconds,
        )
        await rooms.start()  # never waits for Redis: without it, commits still work
        guesses = GuessLimiter(per_second=settings.guess_per_second)
        app.state.services = Services(
            settings=settings, db=db, store=store, rooms=rooms, guesses=guesses
        )
        if freeze_heap:
            freeze_startup_heap()
        try:
            yield
        finally:
            await rooms.close()
            await broker.close()
            await store.close()
            db.close()
            await asyncio.to_thread(raster.shut_down)  # the export renderers, if any started

    app = FastAPI(
        title="Flowmap",
        version=__version__,
        summary="Live value-stream mapping: boards, operations, metrics.",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(SecurityHeaders)
    app.include_router(boards.router)
    app.include_router(future.router)
    app.include_router(what_if.router)
    app.include_router(events.router)
    app.include_router(exports.router)
    app.include_router(versions.router)
    app.include_router(validation.router)
    app.include_router(validation.pages)
    app.include_router(health.router)
    app.include_router(ws.router)
    app.include_router(pages.router)
    app.add_exception_handler(HTTPException, pages.not_found)
    app.add_exception_handler(RequestValidationError, refusals.invalid_request)
    app.mount("/static", FrontendFiles(directory=frontend_dir()), name="static")
    return app
