"""An experiment card: written by one person, read as a hypothesis by everyone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server


def test_an_experiment_card_reads_as_its_hypothesis_on_every_page(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)
    ada.get_by_role("button", name="Add experiment").click()
    change = ada.get_by_label("The change we try")
    expect(change).to_be_focused()
    change.fill("a test environment per team")
    change.press("Enter")
    ada.get_by_role("button", name="Lead time", exact=True).click()
    ada.get_by_label("Baseline (the map today)").fill("4w")
    ada.get_by_label("Baseline (the map today)").press("Enter")
    target = ada.get_by_label("Target")
    target.fill("2 weeks")
    target.press("Enter")
    ada.get_by_label("Review on").fill("2027-03-01")
    ada.get_by_label("Review on").press("Enter")
    ada.get_by_role("button", name="Running").click()
    card = bob.get_by_label("Experiment: a test environment per team")
    expect(card).to_contain_text(
        "We believe that by a test environment per team we will reduce lead time from 20d to 10d by 2027-03-01."
    )
    expect(card).to_contain_text("Experiment · Running")
    ada.get_by_label("Target").fill("soon")
    ada.get_by_label("Target").press("Enter")
    expect(ada.get_by_role("alert").filter(has_text="soon")).to_be_visible()
