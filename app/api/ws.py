"""The live session's door: `WS /ws/boards/{id}`. Admits the handshake, then serves it.

The handshake checks the page's origin and the link token (a client that keeps
sending wrong tokens gets 429), the board's and the address's limits. An
admitted connection becomes a Session (transport/session.py: hello, join, each
message, leave), served on the direct line under `flowmap serve`
(transport/uvicorn_line.py) or through plain ASGI under another server
(transport/asgi.py). Either way a peer that stops reading is cut off and leaves
the board at once; its client reconnects and catches up from its last seq.
"""

from __future__ import annotations

import logging
from functools import partial
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket
from fastapi.responses import PlainTextResponse

from app.api.deps import (
    BoardDeleted,
    Services,
    TooManyGuesses,
    address_of,
    checked_link,
    get_services,
    token_from,
)
from app.api.limits import TooMany
from app.api.strict import StrictJsonRoute
from app.store.repository import Link
from app.transport.asgi import serve_asgi
from app.transport.session import REFUSED, Session
from app.transport.uvicorn_line import DIRECT_LINE, DirectLine, serve_direct

log = logging.getLogger(__name__)
router = APIRouter(route_class=StrictJsonRoute)
# ASGI's extension for answering a refused handshake with an HTTP status and body.
DENIAL_EXTENSION = "websocket.http.response"


def origin_allowed(websocket: WebSocket, services: Services) -> bool:
    """Refuse cross-site websocket hijacking: the page must come from us or an allowed origin.

    Origins are compared whole (scheme, host and port): `https://` or `file://` pages
    claiming our host are other origins. Ours is FLOWMAP_PUBLIC_URL's when it is set,
    else the one this request was made to.
    """
    origin = websocket.headers.get("origin")
    if origin is None:  # not a browser (scripts, tests): the token alone decides
        return True
    settings = services.settings
    allowed = {_origin(o) for o in settings.allowed_origins}
    if settings.public_url:
        allowed.add(_origin(settings.public_url))
    else:
        scheme = "https" if websocket.url.scheme == "wss" else "http"
        allowed.add(_origin(f"{scheme}://{websocket.headers.get('host', '')}"))
    return _origin(origin) in allowed - {None}


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin or URL, default ports filled in; None if it has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


async def _refuse(websocket: WebSocket, status: int, reason: str, retry_after: int = 0) -> None:
    """Refuse the handshake with an HTTP status and a reason a developer can read."""
    if DENIAL_EXTENSION not in websocket.scope.get("extensions", {}):
        await websocket.close(REFUSED, reason)
        return
    headers = {"retry-after": str(retry_after)} if retry_after else None
    await websocket.send_denial_response(PlainTextResponse(reason, status, headers))


async def _admit(websocket: WebSocket, services: Services, board_id: str) -> Link | None:
    """The link this handshake opens, or None once it has been refused."""
    if not origin_allowed(websocket, services):
        await _refuse(websocket, 403, "this page's origin may not open Flowmap boards")
        return None
    token = token_from(websocket.headers.get("authorization"), websocket.query_params.get("token"))
    try:
        link = await checked_link(websocket, services, token, board_id)
    except TooManyGuesses as slow:
        await _refuse(websocket, 429, str(slow), retry_after=slow.retry_after)
        return None
    except BoardDeleted as gone:
        await _refuse(websocket, 404, str(gone))
        return None
    if link is None:
        await _refuse(websocket, 403, "this link does not open this board (wrong or revoked)")
        return None
    full = services.settings.peers_per_board
    if services.rooms.peers_on(board_id) >= full:
        await _refuse(websocket, 503, f"this board is full ({full} people)", retry_after=30)
        return None
    try:
        services.admission.may_connect(address_of(websocket))
    except TooMany as busy:
        await _refuse(websocket, 429, str(busy.detail), retry_after=busy.retry_after)
        return None
    return link


@router.websocket("/ws/boards/{board_id}")
async def board_socket(websocket: WebSocket, board_id: str) -> None:
    services = get_services(websocket)
    link = await _admit(websocket, services, board_id)
    if link is None:
        return
    closed = services.admission.opened(address_of(websocket))  # once, however it ends
    make_session = partial(
        Session, rooms=services.rooms, admission=services.admission, board_id=board_id,
        link=link, on_end=closed, hello_seconds=services.settings.hello_timeout,
    )  # fmt: skip
    try:
        await websocket.accept()
        line = websocket.scope.get("extensions", {}).get(DIRECT_LINE)
        if isinstance(line, DirectLine):
            await serve_direct(websocket, line, make_session)
        else:
            await serve_asgi(websocket, make_session)
    except BaseException:
        closed()
        raise
