"""Dependencies declared once: the services, and who a request's token says it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Query, Request
from starlette.requests import HTTPConnection

from app.config import Settings
from app.hub.rooms import Rooms
from app.store.db import Database
from app.store.repository import Link, SqlBoardStore, find_link


@dataclass
class Services:
    """What the routes need, made once by the app's lifespan."""

    settings: Settings
    db: Database
    store: SqlBoardStore
    rooms: Rooms


def get_services(conn: HTTPConnection) -> Services:
    services: Services = conn.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def token_from(authorization: str | None, query_token: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return query_token or None


async def lookup_link(services: Services, token: str | None, board_id: str) -> Link | None:
    """The link a token opens on this board, or None (unknown, revoked, other board)."""
    if not token or len(token) > 128:
        return None
    link = await services.db.run(find_link, services.db.engine, token)
    return link if link is not None and link.board_id == board_id else None


async def board_link(
    board_id: str,
    services: ServicesDep,
    authorization: Annotated[str | None, Header()] = None,
    token: Annotated[
        str | None, Query(description="the link's token, if not in Authorization")
    ] = None,
) -> Link:
    given = token_from(authorization, token)
    if given is None:
        raise HTTPException(401, "this board needs a link token (Authorization: Bearer or ?token=)")
    link = await lookup_link(services, given, board_id)
    if link is None:
        raise HTTPException(403, "this link does not open this board (wrong, revoked or expired)")
    return link


LinkDep = Annotated[Link, Depends(board_link)]


def base_url(request: Request, settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")
