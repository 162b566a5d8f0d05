"""The golden duration cases that the browser's frontend/js/model/durations.js is
held to (frontend/tests/durations.test.js) still say what app/domain/durations.py
says, and the file is what tests/fixtures/durations/generate.py writes today, so a
change on either side shows up as a failing test rather than as drift."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.domain.durations import DurationError, format_duration, parse_duration, shown_duration
from app.domain.elements import Calendar
from tests.fixtures.durations.generate import FIXTURE, build, render

# At least this many of each, so an accidentally emptied list cannot pass.
MIN_PARSE_CASES = 150
MIN_FORMAT_CASES = 150
MIN_TYPED_CASES = 40


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


def _calendar(cases: dict[str, Any], name: str) -> Calendar:
    return Calendar(**cases["calendars"][name])


def _parsed(text: str, calendar: Calendar) -> dict[str, Any]:
    try:
        return {"minutes": parse_duration(text, calendar)}
    except DurationError as e:
        return {"error": str(e)}


def _formatted(minutes: float, calendar: Calendar) -> dict[str, Any]:
    try:
        return {"text": format_duration(minutes, calendar)}
    except ValueError:
        return {"error": True}


def test_the_python_parser_still_gives_every_fixture_answer(cases: dict[str, Any]) -> None:
    assert len(cases["parse"]) >= MIN_PARSE_CASES
    wrong = []
    for case in cases["parse"]:
        expected = {k: case[k] for k in ("minutes", "error") if k in case}
        got = _parsed(case["text"], _calendar(cases, case["calendar"]))
        # Exact float equality: the browser is held to the last bit, so is the fixture.
        if got != expected:
            wrong.append((case["text"], case["calendar"], expected, got))
    assert wrong == []


def test_the_python_formatter_still_gives_every_fixture_answer(cases: dict[str, Any]) -> None:
    assert len(cases["format"]) >= MIN_FORMAT_CASES
    wrong = []
    for case in cases["format"]:
        expected = {k: case[k] for k in ("text", "error") if k in case}
        got = _formatted(float(case["minutes"]), _calendar(cases, case["calendar"]))
        if got != expected:
            wrong.append((case["minutes"], case["calendar"], expected, got))
    assert wrong == []


def test_the_python_shows_every_typed_figure_as_the_fixture_says(cases: dict[str, Any]) -> None:
    assert len(cases["typed"]) >= MIN_TYPED_CASES
    wrong = [
        (case, got)
        for case in cases["typed"]
        if (got := shown_duration(case["minutes"], case["text"], _calendar(cases, case["calendar"])))
        != case["shown"]
    ]
    assert wrong == []


def test_the_fixture_file_is_what_the_generator_writes_today() -> None:
    assert FIXTURE.read_text(encoding="utf-8") == render(build()), (
        "tests/fixtures/durations/cases.json is stale: run "
        ".venv/bin/python tests/fixtures/durations/generate.py"
    )
