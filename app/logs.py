"""Logging that never writes a capability link: tokens in URLs are cut out of the access log.

A board's links are its only keys, so a token in a log file is a key left on a
desk. uvicorn logs each request line with its query string and path; this filter
keeps the line and replaces the token, wherever the route puts it.

    >>> redact("GET /b/abc?token=s3cr3t&x=1 HTTP/1.1")
    'GET /b/abc?token=…&x=1 HTTP/1.1'
    >>> redact("GET /b/abc?tok%65n=s3cr3t HTTP/1.1")
    'GET /b/abc?tok%65n=… HTTP/1.1'
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

# A query's key and value; the server decodes a key's escapes (tok%65n is token), so the
# log reads it decoded too.
_QUERY_PAIR = re.compile(r"([?&;])([^=&;\s\"'?#]+)=([^&;\s\"'#]*)")
QUERY_KEY = "token"
# A validation link carries its token in the path: /v/<token>, /api/validation/<token>/...
_PATH_TOKEN = re.compile(r"(/v/|/api/validation/)[^/?\s\"']+")


def redact(text: str) -> str:
    """The text with every link token cut out (query `token=` and validation paths).

    >>> redact('"GET /api/validation/Zk3x_9/sign-off HTTP/1.1" 200')
    '"GET /api/validation/…/sign-off HTTP/1.1" 200'
    """
    return _PATH_TOKEN.sub(r"\1…", _QUERY_PAIR.sub(_cut, text))


def _cut(pair: re.Match[str]) -> str:
    """A query pair with its value cut out when its key, decoded, is the token's."""
    start, key, _value = pair.groups()
    return f"{start}{key}=…" if unquote_plus(key) == QUERY_KEY else pair.group(0)


class RedactTokens(logging.Filter):
    """Rewrites a record's message and arguments with the tokens cut out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    """Put the filter on the loggers that see request lines."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(RedactTokens())
