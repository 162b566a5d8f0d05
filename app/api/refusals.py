"""The 422 for a request FastAPI could not validate, without echoing the request back.

FastAPI's own handler returns each pydantic error with its `input`: the whole value
refused (a 3,000-character title), or the whole body when a field is missing, and a
key the sender made up in `loc`. This one keeps the same shape (`detail`: a list of
`{type, loc, msg, input, ...}`) with what is echoed cut by domain/echo.py's rule, and
says an unreadable JSON body in words (`msg`) rather than "JSON decode error".

    app.add_exception_handler(RequestValidationError, refusals.invalid_request)
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.domain.echo import EXCERPT_CHARS, excerpt


async def invalid_request(request: Request, exc: Exception) -> Response:
    """422 with each error's echo of the request cut short."""
    assert isinstance(exc, RequestValidationError)
    detail = [_bounded_error(error) for error in jsonable_encoder(exc.errors())]
    return JSONResponse({"detail": detail}, status_code=422)


def _bounded_error(error: Any) -> Any:
    if not isinstance(error, dict):
        return error
    error = dict(error)
    if error.get("type") == "json_invalid" and isinstance(error.get("ctx"), dict):
        error["msg"] = f"not JSON we can read: {error['ctx'].get('error', '')}"
    if "loc" in error:
        error["loc"] = [_bounded_place(part) for part in error["loc"]]
    if "input" in error:
        error["input"] = _bounded_value(error["input"])
    return error


def _bounded_place(part: Any) -> Any:
    return excerpt(part) if isinstance(part, str) and len(part) > EXCERPT_CHARS else part


def _bounded_value(value: Any) -> Any:
    """`value` itself when short; else an excerpt of its text (of its JSON, for a body)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return value if len(text) <= EXCERPT_CHARS else excerpt(text)
