"""The lock files: complete for what pyproject.toml asks, within its ranges, used by every route."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", re.M)


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / f"{name}.txt").read_text()
    return {canonicalize_name(n): v for n, v in PIN.findall(text)}


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("runtime", PROJECT["dependencies"]),
        ("test", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]),
    ],
)
def test_the_lock_pins_every_dependency_within_its_range(lock: str, requirements: list[str]) -> None:
    pins = _pins(lock)
    for spec in map(Requirement, requirements):
        name = canonicalize_name(spec.name)
        assert name in pins, f"{spec.name} is not in requirements/{lock}.txt: run make lock"
        assert spec.specifier.contains(pins[name], prereleases=True), (
            f"requirements/{lock}.txt pins {spec.name} {pins[name]} outside {spec.specifier}: "
            "run make lock"
        )


def test_every_pin_carries_its_hashes() -> None:
    for lock in ("runtime", "test"):
        text = (ROOT / "requirements" / f"{lock}.txt").read_text()
        for block in re.split(r"\n(?=[A-Za-z0-9])", text.strip()):
            if PIN.match(block):
                assert "--hash=sha256:" in block, block.splitlines()[0]


def test_the_runtime_lock_holds_nothing_only_the_tests_need() -> None:
    runtime, test = _pins("runtime"), _pins("test")
    assert set(runtime) <= set(test)
    for name in ("pytest", "httpx", "playwright", "hypothesis", "ruff", "mypy"):
        assert name not in runtime, name


def test_make_run_make_test_and_the_dockerfile_install_from_the_locks() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements/runtime.txt" in makefile
    assert "--require-hashes -r requirements/test.txt" in makefile
    docker = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements/runtime.txt" in docker
    assert re.search(r"pip install --no-deps \.", docker), "the image's own package, no resolving"
