"""The browser's DOM-free modules (frontend/js/model, net/session, ...) have
their own tests under frontend/tests/, run with node's built-in test runner.
This runs them as part of the Python suite so CI sees one result."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Generous: the suite takes a couple of seconds; a hang should fail, not stall CI.
TIMEOUT_SECONDS = 120


def test_frontend_unit_tests_pass() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip(
            "node is not on PATH: the frontend unit tests (node --test frontend/tests/) were not run"
        )
    result = subprocess.run(
        [node, "--test", "frontend/tests/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        print(result.stdout)
        print(result.stderr)
    assert result.returncode == 0, "node --test frontend/tests/ failed; its output is above"
    # A test that skips itself (a missing fixture, say) checks nothing: none may.
    assert "# skipped 0" in result.stdout and "# todo 0" in result.stdout, result.stdout[-400:]
