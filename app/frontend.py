"""The frontend's files as the server hands them out: where they are, how they may be
cached, and which ES modules a page will import.

A page learns of a module only when the module importing it has arrived, so
without help the browser fetches the ~120 modules of the board page one import
level after another (issue 20: ~0.8 s of a cold load). `module_graph` reads the
import statements themselves, so the page can list every module up front as
`<link rel="modulepreload">` and the browser fetches them all at once; the list
follows the code as it is, never a hand-kept copy.

    module_graph(frontend_dir(), "js/main.js")   # ("js/editor.js", "js/canvas/render.js", ...)

The files themselves are held in memory once read (`FrontendFiles`), with their
gzip: a board page asks for ~110 of them at once, and Starlette's StaticFiles
hands each one to a worker thread four times (a stat, an open, a read, a close).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re
import stat
from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import NotModifiedResponse, PathLike, StaticFiles
from starlette.types import Scope

# Static imports and re-exports of relative modules (`import {a} from './a.js'`,
# `import './b.js'`, `export * from '../c.js'`): what the browser fetches before running.
_FROM = re.compile(r"""\b(?:import|export)\b[^;'"]*?\bfrom\s*(['"])(\.{1,2}/[^'"]+)\1""")
_BARE = re.compile(r"""\bimport\s*(['"])(\.{1,2}/[^'"]+)\1""")
# Comments may show imports in examples (or JSDoc's import('...') types): not fetched.
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_LINE_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)


def frontend_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "frontend", here.parent / "frontend"):
        if (candidate / "js").is_dir():
            return candidate
    raise RuntimeError("cannot find the frontend folder next to the app package")


def imports_of(source: str) -> list[str]:
    """The relative module specifiers a module's source imports statically, in order."""
    code = _LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", source))
    found = [(m.start(), m.group(2)) for pattern in (_FROM, _BARE) for m in pattern.finditer(code)]
    return [spec for _, spec in sorted(found)]


def module_graph(root: Path, entry: str) -> tuple[str, ...]:
    """Every module `entry` imports, directly or not, as paths under `root`, in the
    order they are first met (entry excluded). A module importing a file that is not
    there raises FileNotFoundError: the page would fail to load as well.
    """
    return _graph(root.resolve(), entry, _newest_change(root / Path(entry).parts[0]))


def preload_order(root: Path, entry: str, first: str) -> tuple[str, ...]:
    """Every module `entry` imports, with `first` (one of them) and its own imports ahead
    of the rest: the page runs `first` on its own as soon as it is there, and the
    browser asks for preloads in the order they are listed."""
    ahead = (first, *module_graph(root, first))
    return (*ahead, *(m for m in module_graph(root, entry) if m not in ahead))


@lru_cache(maxsize=8)
def _graph(root: Path, entry: str, _changed: float) -> tuple[str, ...]:
    # Keyed on the newest change under the entry's folder: an edited module is read again.
    seen = {entry}
    order: list[str] = []
    todo = [entry]
    while todo:
        current = todo.pop(0)
        path = root / current
        for spec in imports_of(path.read_text(encoding="utf-8")):
            target = (path.parent / spec).resolve()
            name = target.relative_to(root).as_posix()
            if name in seen:
                continue
            if not target.is_file():
                raise FileNotFoundError(f"{current} imports {spec}, which is not there")
            seen.add(name)
            order.append(name)
            todo.append(name)
    return tuple(order)


# Files up to this size are held in memory (the whole frontend is ~0.7 MB); larger ones
# are streamed from disk by StaticFiles.
HELD_BYTES = 1 << 20
# Text worth compressing: gzip makes the board page's ~630 KB of modules ~230 KB.
_PACKED_TYPES = ("text/", "application/json", "image/svg+xml")


@dataclass(frozen=True, slots=True)
class HeldFile:
    """One frontend file in memory: its bytes, its gzip when that is smaller, its headers."""

    stamp: tuple[int, int]  # (mtime_ns, size) of the file as read: a change reads it again
    plain: bytes
    packed: bytes | None
    headers: dict[str, str]
    packed_headers: dict[str, str]

    @classmethod
    def read(cls, path: str, stat_result: os.stat_result) -> HeldFile:
        with open(path, "rb") as file:
            plain = file.read()
        media = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if media.startswith("text/"):
            media += "; charset=utf-8"
        # The ETag names the content, not the file's time: a deploy that keeps the times
        # still changes it, and copies with new times do not.
        tag = hashlib.blake2b(plain, digest_size=12).hexdigest()
        headers = {
            "content-type": media,
            "etag": f'"{tag}"',
            "last-modified": formatdate(stat_result.st_mtime, usegmt=True),
            "cache-control": "no-cache",
        }
        packed = None
        if media.startswith(_PACKED_TYPES):
            headers["vary"] = "Accept-Encoding"
            squeezed = gzip.compress(plain, compresslevel=6, mtime=0)
            packed = squeezed if len(squeezed) < len(plain) else None
        packed_headers = {**headers, "etag": f'"{tag}-gz"', "content-encoding": "gzip"}
        return cls((stat_result.st_mtime_ns, len(plain)), plain, packed, headers, packed_headers)

    def variant(self, request_headers: Headers) -> tuple[bytes, dict[str, str]]:
        """The body and headers for this request: gzipped if the client takes it."""
        if self.packed is not None and takes_gzip(request_headers.get("accept-encoding", "")):
            return self.packed, self.packed_headers
        return self.plain, self.headers


def takes_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (`gzip;q=0` or `*;q=0` refuse it).

    >>> takes_gzip("gzip, deflate, br"), takes_gzip("br;q=1, gzip;q=0"), takes_gzip("*")
    (True, False, True)
    """
    quality: dict[str, float] = {}
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        quality[name.strip()] = q
    return quality.get("gzip", quality.get("*", 0.0)) > 0


def _newest_change(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*.js")), default=0.0)


class FrontendFiles(StaticFiles):
    """The frontend's files, held in memory and each asked about again before it is
    used from a browser's cache.

    Module URLs carry no version (they import each other by relative path), so a
    cached copy is used only after the server says it is still current: Starlette's
    ETag and Last-Modified answer that with a 304, and a new deploy is never run
    from stale code. With the page preloading its whole module graph, those checks
    go out together rather than one import level after another.
    """

    def __init__(self, *, directory: PathLike) -> None:
        super().__init__(directory=directory)
        self._root = os.path.realpath(directory)
        self._held: dict[str, HeldFile] = {}

    async def get_response(self, path: str, scope: Scope) -> Response:
        held = self._hold(path) if scope["method"] in ("GET", "HEAD") else None
        if held is None:  # not there, too big, or not a GET: StaticFiles answers
            return await super().get_response(path, scope)
        asked = Headers(scope=scope)
        body, headers = held.variant(asked)
        if self.is_not_modified(Headers(headers), asked):
            return NotModifiedResponse(Headers(headers))
        return Response(body, headers=headers)

    def _hold(self, path: str) -> HeldFile | None:
        """The file at `path` (normalised by StaticFiles.get_path), read again only if
        it changed; None for anything StaticFiles must answer.

        On the event loop, deliberately: a stat is microseconds, and a file is read
        once per change (small files, of the package itself), where a worker thread's
        hand-off costs more than either."""
        if path.startswith(("/", "\\")):
            return None
        try:  # a NUL in the path (%00) is a ValueError from realpath as from stat
            full = os.path.realpath(os.path.join(self._root, path))
            if os.path.commonpath([full, self._root]) != self._root:
                return None  # out of the folder (a symlink): refused as StaticFiles does
            found = os.stat(full)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(found.st_mode) or found.st_size > HELD_BYTES:
            return None
        held = self._held.get(full)
        if held is None or held.stamp != (found.st_mtime_ns, found.st_size):
            try:
                held = self._held[full] = HeldFile.read(full, found)
            except OSError:
                return None
        return held

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        return response
