"""One connection to Redis: commands written the moment they are given, replies handed on.

The broker's two connections (broker/redis.py) each do one simple thing, and
on the path of every edit that crosses processes: publish what was committed,
and hear what others published. A general client's request/response layers
put a task switch and a few hundred microseconds of Python between the commit
and the write, and as much again between the socket and the room. This is the
least that can do it: an asyncio Protocol that writes commands on the spot
(packed by hiredis) and parses what comes back with hiredis's reader, handing
each reply to the owner in order. Order is the whole contract: Redis answers a
connection's commands in the order it sent them.

    async with asyncio.timeout(5):
        connection = await RespConnection.open(address, on_reply=handle, on_lost=gone)
    connection.send("PUBLISH", channel, payload)   # never waits
    connection.close()
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import hiredis
from redis.asyncio.connection import SSLConnection, UnixDomainSocketConnection, parse_url

OnReply = Callable[[Any], None]
OnLost = Callable[[Exception | None], None]
# A reply that is an error ("-ERR ..."): handed on like any other reply.
ReplyError = hiredis.ReplyError


@dataclass(frozen=True)
class Address:
    """Where a `redis://`, `rediss://` or `unix://` URL points, and how to log in there."""

    host: str = "127.0.0.1"
    port: int = 6379
    path: str | None = None  # a unix socket
    tls: bool = False
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> Address:
        parts = parse_url(url)  # redis-py's own reading of the URL: the same URLs work
        kind = parts.get("connection_class")
        return cls(
            host=parts.get("host", "127.0.0.1"),
            port=int(parts.get("port", 6379)),
            path=parts.get("path") if kind is UnixDomainSocketConnection else None,
            tls=kind is SSLConnection,
            username=parts.get("username"),
            password=parts.get("password"),
        )

    def login(self, name: str) -> list[tuple[Any, ...]]:
        """The commands that open a session: AUTH if there is a password, then a name."""
        commands: list[tuple[Any, ...]] = []
        if self.password is not None:
            user = (self.username,) if self.username else ()
            commands.append(("AUTH", *user, self.password))
        commands.append(("CLIENT", "SETNAME", name))
        return commands


class RespConnection(asyncio.Protocol):
    def __init__(self, on_reply: OnReply, on_lost: OnLost) -> None:
        self._on_reply = on_reply
        self._on_lost: OnLost | None = on_lost
        self._reader = hiredis.Reader()
        self._transport: asyncio.Transport | None = None

    @classmethod
    async def open(cls, address: Address, on_reply: OnReply, on_lost: OnLost) -> RespConnection:
        loop = asyncio.get_running_loop()
        connection = cls(on_reply, on_lost)
        if address.path is not None:
            await loop.create_unix_connection(lambda: connection, address.path)
        else:
            tls = ssl.create_default_context() if address.tls else None
            await loop.create_connection(
                lambda: connection, address.host, address.port, ssl=tls,
                server_hostname=address.host if tls else None,
            )  # fmt: skip
        return connection

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        self._reader.feed(data)
        while (reply := self._reader.gets()) is not False:
            self._on_reply(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
        on_lost, self._on_lost = self._on_lost, None
        if on_lost is not None:
            on_lost(exc)

    def send(self, *args: Any) -> None:
        """Write one command now (dropped if the connection is gone: its owner resends)."""
        transport = self._transport
        if transport is not None and not transport.is_closing():
            transport.write(hiredis.pack_command(args))

    def close(self) -> None:
        """Close now; `on_lost` follows."""
        if self._transport is not None:
            self._transport.close()
