"""The board page's module list (app/frontend.py): read from the import statements."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.frontend import frontend_dir, imports_of, module_graph


def test_static_imports_are_found_in_every_form_and_comments_are_not() -> None:
    source = """
/** A doc example: import { x } from './in-a-comment.js'; type {import('./type.js').T} */
// import { y } from './commented-out.js';
import { a } from './a.js';
import {
  b,
  c,
} from '../b.js';
import * as d from "./d.js";
import './side-effect.js';
export { e } from './e.js';
export * from './f.js';
const url = 'http://example.com/not-a-module.js';
"""
    assert imports_of(source) == [
        "./a.js", "../b.js", "./d.js", "./side-effect.js", "./e.js", "./f.js",
    ]  # fmt: skip


def write(root: Path, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text)


def test_the_graph_holds_every_module_once_in_the_order_first_met(tmp_path: Path) -> None:
    write(tmp_path, "js/main.js", "import { a } from './a.js';\nimport { b } from './ui/b.js';\n")
    write(tmp_path, "js/a.js", "import { c } from './util/c.js';\n")
    write(
        tmp_path, "js/ui/b.js", "import { a } from '../a.js';\nimport { c } from '../util/c.js';\n"
    )
    write(tmp_path, "js/util/c.js", "export const c = 1;\n")
    write(tmp_path, "js/unused.js", "export const u = 1;\n")
    assert module_graph(tmp_path, "js/main.js") == ("js/a.js", "js/ui/b.js", "js/util/c.js")


def test_a_module_importing_a_missing_file_fails_loudly(tmp_path: Path) -> None:
    write(tmp_path, "js/main.js", "import { a } from './gone.js';\n")
    with pytest.raises(FileNotFoundError, match="gone.js"):
        module_graph(tmp_path, "js/main.js")


def test_an_edited_module_is_read_again(tmp_path: Path) -> None:
    write(tmp_path, "js/main.js", "import { a } from './a.js';\n")
    write(tmp_path, "js/a.js", "export const a = 1;\n")
    assert module_graph(tmp_path, "js/main.js") == ("js/a.js",)
    write(tmp_path, "js/a.js", "import { b } from './b.js';\nexport const a = 1;\n")
    write(tmp_path, "js/b.js", "export const b = 1;\n")
    main = tmp_path / "js/a.js"
    stamp = main.stat().st_mtime + 5
    os.utime(main, (stamp, stamp))
    assert module_graph(tmp_path, "js/main.js") == ("js/a.js", "js/b.js")


def test_the_board_pages_modules_are_all_there() -> None:
    root = frontend_dir()
    modules = module_graph(root, "js/main.js")
    assert len(modules) > 50 and len(set(modules)) == len(modules)
    assert all((root / m).is_file() for m in modules)
    assert {"js/editor.js", "js/canvas/render.js", "js/util/dom.js"} <= set(modules)
