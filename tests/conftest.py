"""Fixtures for every test in this process.

The transient pace is process-wide (app/hub/pacing.py): a test that keeps the
event loop busy may stretch it, and the next test, waiting a tick or two for its
pointers, would wait in vain. Each test starts at ease.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.hub import transient


@pytest.fixture(autouse=True)
def transient_pace_at_ease() -> Iterator[None]:
    transient.PACE.reset()
    yield
