"""The frontend's files as the server hands them out: where they are, how they may be
cached, and which ES modules a page will import.

A page learns of a module only when the module importing it has arrived, so
without help the browser fetches the ~120 modules of the board page one import
level after another (issue 20: ~0.8 s of a cold load). `module_graph` reads the
import statements themselves, so the page can list every module up front as
`<link rel="modulepreload">` and the browser fetches them all at once; the list
follows the code as it is, never a hand-kept copy.

    module_graph(frontend_dir(), "js/main.js")   # ("js/editor.js", "js/canvas/render.js", ...)
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import PathLike, StaticFiles
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


def _newest_change(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*.js")), default=0.0)


class FrontendFiles(StaticFiles):
    """The frontend's files, each asked about again before it is used from a cache.

    Module URLs carry no version (they import each other by relative path), so a
    cached copy is used only after the server says it is still current: Starlette's
    ETag and Last-Modified answer that with a 304, and a new deploy is never run
    from stale code. With the page preloading its whole module graph, those checks
    go out together rather than one import level after another.
    """

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
