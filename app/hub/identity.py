"""Who a client is, as the server can check it: an id derived from a secret only it holds.

Links are shared by a whole workshop, so the link cannot tell people apart, and
anything a client merely declares (an id in its hello) can be copied from the
presence list by anyone on the board. Instead each browser holds a random key
(128 bits, kept in its storage, never broadcast) and presents it in its hello;
its client id is a one-way function of that key. Claiming someone's client id
would take a SHA-256 preimage, so their comments, estimates, dots and operation
ids (whose cids must begin with the client id) stay theirs.

    >>> client, key = mint()
    >>> client_of(key) == client and client.startswith("c-")
    True

No state is kept: the same key gives the same id on every process and after a
restart. A client without a key (a script, an old page) gets a fresh id for the
connection, which nobody, itself included, can present again.
"""

from __future__ import annotations

import hashlib
import secrets
from base64 import urlsafe_b64encode

# Key bytes minted for a browser (22 base64url characters).
KEY_BYTES = 16
# Characters of the digest kept in an id: 96 bits, short enough to prefix every cid.
ID_CHARS = 16


def _digest(domain: bytes, value: str) -> str:
    raw = hashlib.sha256(domain + b"\0" + value.encode()).digest()
    return urlsafe_b64encode(raw).decode()[:ID_CHARS]


def client_of(key: str) -> str:
    """The client id a key proves: 'c-' and 16 base64url characters."""
    return "c-" + _digest(b"flowmap-client", key)


def mint() -> tuple[str, str]:
    """A new identity for a browser: (client id, key)."""
    key = secrets.token_urlsafe(KEY_BYTES)
    return client_of(key), key


def ephemeral() -> str:
    """An id for one connection that presented no key: nobody can claim it later."""
    return "e-" + secrets.token_urlsafe(12)[:ID_CHARS]


def link_author(token_hash: str) -> str:
    """An HTTP caller's id without a key of its own: one per link, unlike every other link's."""
    return "h-" + _digest(b"flowmap-link", token_hash)


def cid_prefix(client: str) -> str:
    """What every operation id of this client begins with."""
    return client + ":"
