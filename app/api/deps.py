"""Dependencies declared once: the services, and who a request's token says it is.

Every token lookup from outside goes through `checked_link`, which refuses a
client that has sent too many wrong tokens (link guessing, SECURITY.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Query, Request
from starlette.requests import HTTPConnection

from app.api.limits import Admission
from app.api.ratelimit import GuessLimiter, client_key, retry_seconds
from app.api.renders import Renders
from app.config import Settings
from app.hub.rooms import DELETED_REASON, Rooms
from app.store.db import Database
from app.store.deletion import was_deleted
from app.store.repository import Link, SqlBoardStore, find_link


@dataclass
class Services:
    """What the routes need, made once by the app's lifespan."""

    settings: Settings
    db: Database
    store: SqlBoardStore
    rooms: Rooms
    guesses: GuessLimiter = field(default_factory=GuessLimiter)
    admission: Admission = field(init=False)
    renders: Renders = field(init=False)
    # A version's picture on the validation page: a tenth of a second, kept apart from the
    # exports so that it never waits in its address's turn behind a colleague's long PDF.
    pictures: Renders = field(init=False)

    def __post_init__(self) -> None:
        self.admission = Admission(self.settings)
        self.renders = Renders(self.settings.render_seconds)
        self.pictures = Renders(self.settings.render_seconds)


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


class BoardDeleted(Exception):
    """The token was a link of a board its facilitator deleted: 404, and no guess."""

    def __init__(self) -> None:
        super().__init__(DELETED_REASON)


async def is_deleted_link(services: Services, token: str) -> bool:
    """Whether the token was a link (board or validation) of a since deleted board."""
    return await services.db.run(was_deleted, services.db.engine, token)


async def checked_link(
    conn: HTTPConnection, services: Services, token: str | None, board_id: str
) -> Link | None:
    """`lookup_link` for a request from outside; raises TooManyGuesses for a guesser.

    A right token always opens its board: in a workshop behind one corporate NAT,
    one stale link or one prankster must not lock everybody out. It is the wrong
    guesses that are throttled: once an address has spent its budget, each wrong
    token is answered 429 with Retry-After. (The 192 bits of a token are what make
    guessing hopeless; the throttle keeps a scanner's answers and noise down.)
    A missing token is no guess and is not counted, nor is a link of a deleted board
    (BoardDeleted): its workshop reloading it must not lock its address out.
    """
    link = await lookup_link(services, token, board_id)
    if link is None and token:
        if await is_deleted_link(services, token):
            raise BoardDeleted
        wait = services.guesses.wrong(address_of(conn))
        if wait > 0:
            raise TooManyGuesses(wait)
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
    except BoardDeleted as gone:
        raise HTTPException(404, str(gone)) from None
    if link is None:
        raise HTTPException(403, "this link does not open this board (wrong, revoked or expired)")
    return link


LinkDep = Annotated[Link, Depends(board_link)]


def address_of(conn: HTTPConnection) -> str:
    """Who a per-address limit counts against (the proxy's client, if the proxy is trusted)."""
    return client_key(conn.client.host if conn.client else None)


async def may_create(
    request: Request,
    services: ServicesDep,
    create_key: Annotated[str | None, Header(alias="X-Flowmap-Create-Key")] = None,
) -> None:
    """Creating or importing a board: the deployment's key, if it has one, and a budget."""
    services.admission.may_create(address_of(request), create_key)


CreateAllowed = Annotated[None, Depends(may_create)]


def base_url(request: Request, settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")
