"""Dependencies declared once: the services, and who a request's token says it is.

Every token lookup from outside goes through `checked_link`, which refuses a
client that has sent too many wrong tokens (link guessing, SECURITY.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Query, Request
from starlette.requests import HTTPConnection

from app.api.ratelimit import GuessLimiter, client_key, retry_seconds
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
    guesses: GuessLimiter = field(default_factory=GuessLimiter)


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


class TooManyGuesses(Exception):
    """This client sent too many wrong link tokens; `retry_after` seconds until the next try."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_seconds(retry_after)
        super().__init__(
            f"too many wrong link tokens from your address; try again in {self.retry_after} s"
        )


async def checked_link(
    conn: HTTPConnection, services: Services, token: str | None, board_id: str
) -> Link | None:
    """`lookup_link` for a request from outside; raises TooManyGuesses for a guesser.

    A blocked client's tokens are not even looked up, right or wrong, so guessing
    faster tells it nothing. A missing token is no guess and is not counted.
    """
    client = client_key(conn.client.host if conn.client else None)
    wait = services.guesses.retry_after(client)
    if wait > 0:
        raise TooManyGuesses(wait)
    link = await lookup_link(services, token, board_id)
    if link is None and token:
        services.guesses.failed(client)
    return link


async def board_link(
    board_id: str,
    request: Request,
    services: ServicesDep,
    authorization: Annotated[str | None, Header()] = None,
    token: Annotated[
        str | None, Query(description="the link's token, if not in Authorization")
    ] = None,
) -> Link:
    given = token_from(authorization, token)
    if given is None:
        raise HTTPException(401, "this board needs a link token (Authorization: Bearer or ?token=)")
    try:
        link = await checked_link(request, services, given, board_id)
    except TooManyGuesses as slow:
        raise HTTPException(
            429, str(slow), headers={"Retry-After": str(slow.retry_after)}
        ) from None
    if link is None:
        raise HTTPException(403, "this link does not open this board (wrong, revoked or expired)")
    return link


LinkDep = Annotated[Link, Depends(board_link)]


def base_url(request: Request, settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")
