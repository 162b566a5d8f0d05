"""A whole percent reads the same everywhere it is shown: halves round up, as people round.

A share or a rate of exactly an eighth (12.5 %) read "13%" in the constraint's reason, its
badge and on the canvas, but "12%" in the PDF's steps table, on the exported rework arrow
and in the PDF's list of rework loops (Python's round() and "%.0f" round halves to even).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from app.domain.elements import Board, Connector, Element, Step, Team
from app.domain.metrics import compute_metrics
from app.domain.wording import whole_percent
from app.export.pdf import board_pdf
from app.export.report import step_table, team_rows
from app.export.svg import board_svg

MOMENT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def eighth_board() -> Board:
    """Stage waits 7h for 1h of work: 480 of 3,840 minutes, exactly 12.5 % of the lead time;
    one item in eight goes back from Build to Stage; a team's rolled %C/A is 62.5 %."""
    elements: list[Element] = [
        Step(
            id="stage",
            x=0,
            text="Stage",
            wait_minutes=420,
            process_minutes=60,
            owner="qa",
            pca=62.5,
        ),
        Step(id="build", x=300, text="Build", wait_minutes=60, process_minutes=3300),
        Connector(id="f", source="stage", target="build"),
        Connector(id="r", source="build", target="stage", connector="rework", rework_rate=0.125),
    ]
    return Board(
        id="b", title="Eighths", elements={e.id: e for e in elements}, teams=(Team("qa", "QA"),)
    )


def test_halves_round_up_to_a_whole_percent() -> None:
    assert [whole_percent(x) for x in (0.125, 0.625, 0.875, 0.0, 1.0, 0.3618)] == [
        "13%", "63%", "88%", "0%", "100%", "36%",
    ]  # fmt: skip
    assert whole_percent(62.5, scale=1) == "63%"


def test_a_share_of_an_eighth_reads_13_percent_in_every_export() -> None:
    board = eighth_board()
    metrics = compute_metrics(board)
    assert metrics.constraint is not None and metrics.constraint.share == 0.125
    assert metrics.constraint.reason.endswith("— 13% of lead time")
    _, rows = step_table(board, metrics)
    assert rows[0][1].startswith("Stage") and rows[0][5] == "13%"
    assert team_rows(board, metrics)[0][4] == "63%"
    picture = board_svg(board, metrics)
    assert "wait + work 13% of lead time" in picture
    assert re.search(r">13%<", picture)  # the rework arrow's rate
    assert not re.search(r">12%<", picture)
    pdf = PdfReader(io.BytesIO(board_pdf(board, metrics, created=MOMENT)))
    words = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "Build back to Stage: 13% go round again" in words
    assert "12%" not in words
