"""Every JSON body is checked once, at the door, for text we can store and encode.

Starlette reads request bodies with the standard library's `json.loads`, which
accepts a lone surrogate (`"x\\ud800"`): such a string has no UTF-8 form, so it
passed every model and then failed deep inside, as a 500 or as a commit that
failed for everyone on the board. Every route here reads its body with orjson
instead, which refuses lone surrogates and invalid UTF-8, and this module also
refuses NUL (PostgreSQL cannot store it; no keyboard types it), in keys and
values alike. FastAPI turns the refusal into a 422 that says where.

    router = APIRouter(route_class=StrictJsonRoute)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute

from app.domain.echo import json_fault


class UnstorableText(orjson.JSONDecodeError):
    """A NUL in a JSON body: reported like any other undecodable body."""


def _check(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise UnstorableText("text cannot contain the NUL character", "", 0)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def strict_json(body: bytes) -> Any:
    """The body decoded, or JSONDecodeError for lone surrogates, invalid UTF-8 or NUL: its
    message says what is wrong in the sender's terms (domain/echo.py), and it carries no
    copy of the body, which FastAPI would otherwise keep with the refusal."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as err:
        raise json.JSONDecodeError(json_fault(body, str(err)), "", err.pos) from None
    _check(value)
    return value


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_json(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """A route whose JSON body is decoded by `strict_json`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict
