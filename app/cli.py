"""The `flowmap` command: serve the app, or create the demo board.

flowmap serve [--host H] [--port P] [--database-url URL] [--redis-url URL] [--open]
flowmap demo  [--database-url URL] [--port P | --base-url http://127.0.0.1:8000]
"""

from __future__ import annotations

import argparse
import errno
import json
import socket
import sys
import threading
import time
import urllib.request
import webbrowser
from collections.abc import Sequence
from typing import Any

from app.api.deadlines import request_deadlines
from app.config import Settings
from app.domain.demo import demo_board
from app.protocol import MAX_FRAME_BYTES
from app.store.db import Database, migrate
from app.store.seeding import seed_board

# How long --open waits for the server to answer before giving up on opening a board.
OPEN_TIMEOUT = 30.0
OPEN_POLL = 0.2
# How long `flowmap demo` waits for the server its links point at before saying nothing answers.
DEMO_PROBE_TIMEOUT = 2.0
NEW_BOARD_TITLE = "My value stream"


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for name in ("host", "port", "database_url", "redis_url"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    return Settings(**overrides)


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from app.main import create_app

    settings = _settings(args)
    address = f"http://{settings.host}:{settings.port}"
    # Said before anything starts: uvicorn's own "[Errno 98] error while attempting to bind"
    # came after --open had made a board on whatever held the port.
    if _port_taken(settings.host, settings.port):
        print(f"Port {settings.port} is taken: is Flowmap already running at {address}/? "
              "Stop it, or serve on another port: `make run PORT=8765` "
              "(or `flowmap serve --port 8765`).", file=sys.stderr, flush=True)  # fmt: skip
        raise SystemExit(1)
    print(f"Flowmap is starting at {address}  (database: {settings.database_url})", flush=True)
    if args.open:
        print("Stop it with Ctrl+C.", flush=True)
        threading.Thread(
            target=open_new_board, args=(address, settings.create_key), daemon=True
        ).start()
    else:
        print(f"Open {address}/ and press 'Create board'. Stop it with Ctrl+C.", flush=True)
    uvicorn.run(
        create_app(settings, freeze_heap=True),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        http=request_deadlines(settings),
        ws=_websocket_protocol(settings),
        ws_max_size=MAX_FRAME_BYTES,
        ws_per_message_deflate=False,  # compression costs CPU per peer and opens zip-bomb doors
        # Keepalive: a peer that stops answering pings is dropped (SECURITY.md, dead peers).
        ws_ping_interval=settings.ws_ping_interval,
        ws_ping_timeout=settings.ws_ping_timeout,
        # X-Forwarded-* only from the proxies the operator lists (FLOWMAP_TRUSTED_PROXIES).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
    )


def _port_taken(host: str, port: int) -> bool:
    """Whether something already listens where the server is to (a name that does not
    resolve, or any other trouble, is left for the server to report)."""
    try:
        family, kind, proto, _, where = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            # As uvicorn binds: a port whose last connections are closing is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(where)
    except OSError as err:
        return err.errno == errno.EADDRINUSE
    return False


def _websocket_protocol(settings: Settings) -> Any:
    """Uvicorn's websocket protocol, with the direct line (app/transport/uvicorn_line.py)."""
    if not settings.direct_websockets:
        return "websockets-sansio"
    try:
        from app.transport.uvicorn_line import DirectWebSockets, reviewed_uvicorn
    except ImportError:  # a uvicorn without the sans-I/O protocol this builds on
        print("This uvicorn has no websockets-sansio protocol: sessions go through ASGI.")
        return "auto"
    unreviewed = reviewed_uvicorn()
    if unreviewed is not None:  # only outside the pinned range (pyproject.toml)
        print(f"uvicorn {unreviewed} is not a version the direct websocket line was reviewed "
              "against: sessions go through ASGI, at a higher CPU cost.", flush=True)  # fmt: skip
        return "websockets-sansio"
    return DirectWebSockets


def open_new_board(address: str, create_key: str | None = None) -> None:
    """Once the server answers, make a board, print its links and open it (`serve --open`).

    Standard library only: `flowmap serve` runs with the runtime dependencies alone.
    """
    if not _wait_until_up(address):
        print(f"Flowmap did not answer within {OPEN_TIMEOUT:.0f} s; open {address}/ yourself.",
              flush=True)  # fmt: skip
        return
    try:
        headers = {"X-Flowmap-Create-Key": create_key} if create_key else {}
        links = _post_json(f"{address}/api/boards", {"title": NEW_BOARD_TITLE}, headers)["links"]
        target = links["facilitator"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(f"Could not create a board ({err}); open {address}/ and press 'Create board'.",
              flush=True)  # fmt: skip
        _open_in_browser(address + "/")
        return
    print("A new board is ready. Its links (keep the facilitator one for yourself):", flush=True)
    for role in ("facilitator", "participant", "viewer"):
        print(f"  {role:<12} {links[role]}", flush=True)
    _open_in_browser(target)


def _wait_until_up(address: str) -> bool:
    deadline = time.monotonic() + OPEN_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{address}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except OSError:  # refused while starting, or a 503 (HTTPError) until it is ready
            pass
        time.sleep(OPEN_POLL)
    return False


def _post_json(url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def _open_in_browser(url: str) -> None:
    """Open `url` in a browser, and say plainly when there is none to open it in."""
    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if opened:
        print("Opened it in your browser.", flush=True)
    else:
        print(f"No browser could be opened here: open {url} yourself.", flush=True)


def demo(args: argparse.Namespace) -> None:
    """Create the software-delivery example board and print its three links."""
    settings = _settings(args)
    db = Database(settings)
    try:
        migrate(db.engine)
        sample = demo_board()
        frame = {k: getattr(sample, k) for k in ("title", "scope", "customer", "trigger")}
        frame |= {"delivery": sample.delivery, "owner": sample.owner}
        board_id, tokens = seed_board(db.engine, frame, sample.elements.values(), author="demo")
    finally:
        db.close()
    root = (args.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    print(f"Demo board '{sample.title}' created ({board_id}):")
    for role in ("facilitator", "participant", "viewer"):
        print(f"  {role:<12} {root}/b/{board_id}?token={tokens[role]}")
    # `make run PORT=8765` then `flowmap demo` printed links to port 8000, which went nowhere.
    if not _answers(root):
        print(f"Nothing answers at {root} yet: the links work once Flowmap serves there on "
              "this database (`make run`). Serving on another port? Give it here too: "
              "`flowmap demo --port 8765`.")  # fmt: skip
    # `make run` in one folder and `flowmap demo` in another: the board went into a database
    # of its own, and the server at the links answered "This link does not open a board".
    elif not _opens(f"{root}/api/boards/{board_id}?token={tokens['viewer']}"):
        print(f"Flowmap at {root} does not know this board: it serves another database than "
              f"this one ({settings.database_url}). Run `flowmap demo` in the folder Flowmap "
              "was started from, or give it the server's database with "
              "`--database-url`.")  # fmt: skip


def _answers(root: str) -> bool:
    return _opens(f"{root}/healthz")


def _opens(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=DEMO_PROBE_TIMEOUT) as answer:
            return bool(answer.status == 200)
    except (OSError, ValueError):  # refused, timed out, a 4xx or 503, or no URL at all
        return False


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="flowmap", description="Live value-stream mapping.")
    sub = top.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the server (SQLite in this folder by default)")
    s.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default 8000)")
    s.add_argument("--database-url", help="SQLAlchemy URL (default sqlite:///./flowmap.db)")
    s.add_argument("--redis-url", help="redis://... to fan out between server processes")
    s.add_argument("--open", action="store_true", help="create a board and open it in a browser")
    s.set_defaults(run=serve)
    d = sub.add_parser("demo", help="create the sample board and print its links")
    d.add_argument("--database-url", help="SQLAlchemy URL (default sqlite:///./flowmap.db)")
    d.add_argument("--port", type=int, help="the port Flowmap serves on (default 8000)")
    d.add_argument("--base-url", help="where the server is reached (default http://127.0.0.1:8000)")
    d.add_argument("--host", help=argparse.SUPPRESS)
    d.set_defaults(run=demo)
    return top


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
