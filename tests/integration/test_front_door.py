"""The README's start command on a machine that has run nothing else: runtime dependencies only.

The test virtualenv holds pytest, httpx and the rest, so a module of `app/` that
imports one of them would pass every other test and still crash `make run` on a
fresh clone. These tests build virtualenvs of their own from the runtime lock
(requirements/runtime.txt) and nothing else:

- `make run PORT=…` (the README's command, its virtualenv elsewhere) starts Flowmap,
  prints a new board's three links and opens the facilitator's in the browser;
- without a browser it says so and still prints the links;
- every import in `app/`, however deep in a function, resolves there;
- the built wheel (what the Dockerfile installs) serves the pages, the scripts and
  the migrations it carries inside the package.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.live import free_port

ROOT = Path(__file__).resolve().parents[2]
# Installing ~40 locked packages from pip's cache on a busy 2-core machine.
INSTALL_SECONDS = 600
UP_SECONDS = 60
LINK = re.compile(r"^\s+(facilitator|participant|viewer)\s+(http\S+)$", re.M)
# The packages only the test extra installs: none may be importable at run time.
TEST_ONLY = ("httpx", "pytest", "playwright", "hypothesis", "schemathesis")


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without anything that points into the test virtualenv."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != bin_dir)
    return env | extra


class Started:
    """A command that serves Flowmap in its own process group, its output in a file."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = self.output()
            if re.search(pattern, text, re.M):
                return text
            assert "Traceback" not in text, text
            assert self.proc.poll() is None, f"it stopped:\n{text}"
            time.sleep(0.2)
        raise AssertionError(f"no {pattern!r} within {seconds} s:\n{self.output()}")

    def links(self, seconds: float) -> dict[str, str]:
        text = self.wait_for(r"^\s+viewer\s+http", seconds)
        return dict(LINK.findall(text))

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _stub_browser(folder: Path) -> tuple[Path, Path]:
    opened = folder / "opened.txt"
    browser = folder / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    browser.chmod(0o755)
    return browser, opened


def _assert_board_links(links: dict[str, str]) -> None:
    assert set(links) == {"facilitator", "participant", "viewer"}, links
    page = httpx.get(links["facilitator"], timeout=10)
    assert page.status_code == 200 and 'data-role="facilitator"' in page.text
    assert httpx.get(links["viewer"], timeout=10).status_code == 200


@pytest.fixture(scope="module")
def make_run_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`make run`'s virtualenv, made by `make run` itself (its first test)."""
    folder = tmp_path_factory.mktemp("front-door")
    yield folder / "venv"


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
@pytest.mark.timeout(INSTALL_SECONDS + UP_SECONDS)
def test_make_run_on_a_fresh_virtualenv_prints_three_links_and_opens_the_board(
    make_run_venv: Path, tmp_path: Path
) -> None:
    browser, opened = _stub_browser(tmp_path)
    port = free_port()
    env = _clean_env(BROWSER=str(browser), FLOWMAP_DATABASE_URL=f"sqlite:///{tmp_path / 'f.db'}")
    run = Started(["make", "run", f"VENV={make_run_venv}", f"PORT={port}"], ROOT, env,
                  tmp_path / "make-run.log")  # fmt: skip
    try:
        links = run.links(INSTALL_SECONDS)
        assert links["facilitator"].startswith(f"http://127.0.0.1:{port}/b/")
        _assert_board_links(links)
        run.wait_for("Opened it in your browser", UP_SECONDS)
        assert opened.read_text().split() == [links["facilitator"]]
        assert "Traceback" not in run.output()
    finally:
        run.stop()
    for module in TEST_ONLY:
        probe = subprocess.run([make_run_venv / "bin" / "python", "-c", f"import {module}"],
                               capture_output=True, check=False)  # fmt: skip
        assert probe.returncode != 0, f"{module} is in make run's virtualenv: not runtime-only"


def test_serve_open_without_a_browser_says_so_and_still_prints_the_links(
    make_run_venv: Path, tmp_path: Path
) -> None:
    flowmap = make_run_venv / "bin" / "flowmap"
    if not flowmap.exists():
        pytest.fail("make run's virtualenv was not made (its test failed first)")
    env = _clean_env(BROWSER="false", FLOWMAP_PORT=str(free_port()))
    run = Started([str(flowmap), "serve", "--open"], tmp_path, env, tmp_path / "serve.log")
    try:
        links = run.links(UP_SECONDS)
        _assert_board_links(links)
        run.wait_for("No browser could be opened here", UP_SECONDS)
        assert "Opened it" not in run.output() and "Traceback" not in run.output()
    finally:
        run.stop()


def _third_party_imports() -> dict[str, str]:
    """Every top-level module `app/` imports anywhere (in functions too), but its own."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "app" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_import_in_app_resolves_with_the_runtime_dependencies_alone(
    make_run_venv: Path,
) -> None:
    python = make_run_venv / "bin" / "python"
    if not python.exists():
        pytest.fail("make run's virtualenv was not made (its test failed first)")
    imports = _third_party_imports()
    assert {"fastapi", "uvicorn", "sqlmodel"} <= set(imports)  # the scan sees imports at all
    probe = "import importlib.util, sys\n" + "\n".join(
        f"print({name!r}) if importlib.util.find_spec({name!r}) is None else None"
        for name in sorted(imports)
    )
    result = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True,
                            env=_clean_env())  # fmt: skip
    missing = result.stdout.split()
    assert not missing, {name: imports[name] for name in missing}


@pytest.mark.timeout(2 * INSTALL_SECONDS + UP_SECONDS)
def test_the_wheel_alone_serves_the_board_page_its_scripts_and_migrations(tmp_path: Path) -> None:
    """The Dockerfile's route: the locked runtime and the built package, no source tree."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--quiet", "--disable-pip-version-check"]
    env = _clean_env()
    subprocess.run([*pip, "install", "--require-hashes", "-r", ROOT / "requirements/runtime.txt"],
                   check=True, env=env, timeout=INSTALL_SECONDS)  # fmt: skip
    subprocess.run([*pip, "install", "--no-deps", str(ROOT)], check=True, env=env,
                   timeout=INSTALL_SECONDS)  # fmt: skip
    elsewhere = tmp_path / "elsewhere"  # nothing of the source tree beside it
    elsewhere.mkdir()
    port = free_port()
    run = Started([str(venv / "bin" / "flowmap"), "serve", "--port", str(port)], elsewhere,
                  env | {"FLOWMAP_LOG_LEVEL": "warning"}, tmp_path / "wheel.log")  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + UP_SECONDS
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        made = httpx.post(f"{base}/api/boards", json={"title": "From the wheel"}, timeout=10)
        assert made.status_code == 201, made.text
        _assert_board_links(made.json()["links"])
        for asset in ("/", "/static/js/main.js", "/static/js/protocol.js"):
            answer = httpx.get(base + asset, timeout=10)
            assert answer.status_code == 200, asset
    finally:
        run.stop()
    assert (elsewhere / "flowmap.db").exists(), "it migrated its own database where it ran"
    assert "Traceback" not in run.output()
