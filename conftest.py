"""Suite-wide rule: under CI nothing is skipped.

Tests skip, saying why, when this machine lacks something they need (PostgreSQL,
Redis, redis-server, node). On a developer's laptop that is a convenience; in CI
(`CI` set, as .ci/run runs) a skip would leave exactly the op log on PostgreSQL,
the Redis fan-out or the JS protocol mirror untested while the run looks green,
so every skip is turned into a failure that keeps its reason.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

UNDER_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[Any]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if UNDER_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, where every test must run: {reason}"
