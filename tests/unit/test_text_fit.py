"""The note heights the server lays out with are the ones the page draws (golden cases shared with node)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.elements import Experiment, Note
from app.domain.text_fit import STYLES, card_height, card_text, line_count, note_height, text_height

CASES: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "text-fit" / "cases.json").read_text()
)


@pytest.mark.parametrize("case", CASES["lines"], ids=lambda c: f"{c['style']}-{c['width']}")
def test_text_wraps_to_the_lines_the_page_draws(case: dict[str, Any]) -> None:
    style = STYLES[case["style"]]
    assert line_count(case["text"], case["width"], style) == case["lines"]
    assert text_height(case["text"], case["width"], style) == case["height"]


@pytest.mark.parametrize("case", CASES["notes"], ids=lambda c: f"{c['variant']}-{c['w']}")
def test_a_note_is_as_tall_as_the_page_draws_it(case: dict[str, Any]) -> None:
    note = Note(id="n", text=case["text"], w=case["w"], h=case["h"], variant=case["variant"])
    assert note_height(note) == case["drawn_h"]


def test_a_short_note_keeps_its_stored_height_and_a_long_one_grows() -> None:
    assert note_height(Note(id="n", text="Who signs this off?")) == 120.0
    assert note_height(Note(id="n", text="word " * 80)) > 300


@pytest.mark.parametrize("case", CASES["cards"], ids=lambda c: f"{c['metric']}-{c['w']}")
def test_an_experiment_card_says_and_measures_what_the_page_draws(case: dict[str, Any]) -> None:
    fields = {
        k: case[k] for k in ("metric", "w", "h", "text", "baseline", "target", "review", "result")
    }
    card = Experiment(id="e", **fields)
    assert card_text(card) == case["card_text"]
    assert card_height(card) == case["drawn_h"]
