"""The map as a PDF report: the picture, the totals, every step's data, every note, card,
comment and vote, the rules used.

Laid out with reportlab (a wheel from PyPI, no system libraries) on landscape
A4 pages, in the export's own typeface (fonts.py) so any text a board holds in
Latin, Greek or Cyrillic prints. The map is the PNG export at full resolution,
at a size where its smallest text is at least 7 pt, split over several pages
when it is long (pdf_map.py); then the totals, the steps, the notes, experiments,
comments and votes in words (pdf_lists.py) and the rules. The output is byte-for-byte
reproducible: its creation date is the moment passed in (the export's time, or
a version's publish time), never the clock's, so the same board at the same
moment gives the same file.

    >>> from app.domain.demo import demo_board
    >>> from app.domain.metrics import compute_metrics
    >>> board_pdf(demo_board(), compute_metrics(demo_board()), created=EPOCH)[:5]
    b'%PDF-'
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.durations import format_duration
from app.domain.elements import Board
from app.domain.metrics import Metrics
from app.domain.rework import label
from app.domain.wording import whole_percent
from app.export import report
from app.export.pdf_forecast import forecast_flowables
from app.export.pdf_lists import list_flowables
from app.export.pdf_map import map_flowables
from app.export.pdf_style import (
    FONT,
    HEAD_FILL,
    INK,
    MUTED,
    RED,
    RULE,
    heading,
    register_fonts,
    style,
    text,
)
from app.export.svg import NOTHING_YET
from app.export.svgkit import clean

PAGE = landscape(A4)
# Wide enough for any printer's unprintable edge and the footer in it; narrow, so the
# map's pages hold as much of the map as they can.
MARGIN = 1.1 * cm
# The step table's column widths (cm), matching report.STEP_HEADINGS; the name takes the rest.
STEP_COLUMNS_CM = (1.0, None, 1.7, 1.7, 1.7, 1.4, 1.4, 1.4, 1.4, 4.0, 1.8, 1.8)
# Space under the map before what follows it, in points.
MAP_GAP = 10.0
# A fixed moment for examples and for tests that compare bytes.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def pdf_date(moment: datetime) -> str:
    """A PDF date string (ISO 32000 7.9.4) in UTC: D:YYYYMMDDHHmmSS+00'00'.

    >>> pdf_date(datetime(2026, 12, 3, 16, 5, 9, tzinfo=UTC))
    "D:20261203160509+00'00'"
    """
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


# The Info dictionary's dates as pdf_date writes them: always the same length, so a file
# can be dated anew without moving a byte of the rest (its cross-reference table). A
# title that spells one is written with its parentheses escaped, and never matches.
_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)")


def restamped(pdf: bytes, created: datetime) -> bytes:
    """`pdf` (from board_pdf) dated `created`: a file made for one asker and shared with
    the next (api/renders.py) says when each exported it.

    >>> from app.domain.demo import demo_board
    >>> from app.domain.metrics import compute_metrics
    >>> first = board_pdf(demo_board(), compute_metrics(demo_board()), created=EPOCH)
    >>> later = datetime(2026, 12, 3, 16, 5, 9, tzinfo=UTC)
    >>> again = board_pdf(demo_board(), compute_metrics(demo_board()), created=later)
    >>> restamped(first, later) == again
    True
    """
    stamp = pdf_date(created).encode()
    return _DATES.sub(lambda m: b"/" + m[1] + b" (" + stamp + b")", pdf, count=2)


def board_pdf(
    board: Board,
    metrics: Metrics,
    validation: str = report.NOT_VALIDATED,
    *,
    created: datetime,
    forecast: Mapping[str, Any] | None = None,
) -> bytes:
    """The report as PDF bytes; `validation` is the sign-off status in words, `created` the
    document's creation date (an aware datetime), `forecast` the lead-time forecast's JSON
    (domain/forecast.py), which gets a page of its own."""
    register_fonts()
    out = io.BytesIO()
    title = clean(board.title) or "Value-stream map"
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="Flowmap",
        subject="Value-stream map",
        invariant=True,
    )

    def first(canvas: Canvas, doc: object) -> None:
        # reportlab's invariant mode keeps the file reproducible and would date it
        # 2000-01-01: its date formatter hook puts the real moment in instead.
        canvas.setDateFormatter(lambda *_: pdf_date(created))
        footer(canvas, doc)

    def footer(canvas: Canvas, _doc: object) -> None:
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN / 2, f"{title} · value-stream map · Flowmap")
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, f"page {canvas.getPageNumber()}")

    story = _story(board, metrics, validation, doc, forecast)
    doc.build(story, onFirstPage=first, onLaterPages=footer)
    return out.getvalue()


def _story(
    board: Board,
    metrics: Metrics,
    validation: str,
    doc: SimpleDocTemplate,
    forecast: Mapping[str, Any] | None,
) -> list[Flowable]:
    """The report from top to bottom: head, map, totals, steps, forecast, lists, rules."""
    head = _head(board, validation)
    used = sum(
        f.wrap(doc.width, doc.height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in head
    )
    caption = style("map-caption", 9, ink=MUTED, after=4)
    on_first, drawn = map_flowables(
        board,
        metrics,
        doc.width,
        (doc.height - used - MAP_GAP, doc.height),
        lambda line: Paragraph(text(line), caption),
    )
    figures = _totals(board, metrics) + _steps(board, metrics, doc.width)
    figures += _teams(board, metrics, doc.width)
    # A map too big for the first page starts on a page of its own; the figures come first.
    # No gap after its last part: that part may fill its page, and the gap would go over
    # to a page of its own, left blank when the forecast's page break follows.
    story = [*head, *drawn, Spacer(1, MAP_GAP), *figures] if on_first else [
        *head, *figures, PageBreak(), *drawn
    ]  # fmt: skip
    story += forecast_flowables(forecast, board.calendar)
    return story + list_flowables(board) + _rules(board, metrics, validation)


def _head(board: Board, validation: str) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(text(board.title) or "Value-stream map", style("h1", 20))]
    if board.scope.strip():
        out.append(Paragraph(f"<i>{text(board.scope)}</i>", style("scope", 11, ink=MUTED)))
    who = [
        f"{label}: {text(value)}"
        for label, value in (
            ("Customer", board.customer),
            ("Value-stream owner", board.owner),
            ("Trigger", board.trigger),
            ("Value delivered", board.delivery),
        )
        if value.strip()
    ]
    # The head says where validation stands; the disputes, a line each, are on the last page.
    summary = validation.splitlines()[0] if validation.strip() else ""
    status = [f"State: {escape(board.state)}", f"Validation: {text(summary)}"]
    for line in (who, status):
        if line:
            out.append(Paragraph(" · ".join(line), style("who", 9, ink=MUTED)))
    out.append(Spacer(1, 6))
    return out


def _grid(header: bool) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), f"{FONT}-Bold", 8.5),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ]
    return TableStyle(commands)


def _totals(board: Board, metrics: Metrics) -> list[Flowable]:
    cell = style("cell", 9)
    rows = [
        [Paragraph(f"<b>{escape(name)}</b>", cell), Paragraph(text(value), cell)]
        for name, value in report.totals(board, metrics)
    ]
    # A row may go on over a page break (so in every table here): the constraint's reason
    # names every step tied with it, and a row taller than a page was a LayoutError (a 500).
    table = Table(rows, colWidths=[4.5 * cm, 15 * cm], hAlign="LEFT", splitInRow=1)
    table.setStyle(_grid(header=False))
    return [KeepTogether([heading("Totals"), table])]


def _steps(board: Board, metrics: Metrics, width: float) -> list[Flowable]:
    cell = style("cell", 8.5)
    headings, body = report.step_table(board, metrics)
    if not body:
        return [heading("Steps"), Paragraph(text(NOTHING_YET + "."), style("li", 9))]
    columns = STEP_COLUMNS_CM[: len(headings)]
    fixed = sum(c for c in columns if c is not None) * cm
    widths = [width - fixed if c is None else c * cm for c in columns]
    rows: list[list[object]] = [list(headings)]
    for row in body:
        rows.append(
            [Paragraph(text(value), cell) if i in (1, 9) else value for i, value in enumerate(row)]
        )
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    grid = _grid(header=True)
    constraint = metrics.constraint.id if metrics.constraint else None
    for i, step_id in enumerate(metrics.path, start=1):
        if step_id == constraint:
            grid.add("TEXTCOLOR", (0, i), (-1, i), RED)
    table.setStyle(grid)
    out: list[Flowable] = [heading("Steps"), table]
    missing = report.missing_lines(metrics)
    if missing:
        out.append(heading("Data still missing"))
        out += [Paragraph("• " + text(line), style("li", 9)) for line in missing]
    return out


# The teams table's columns: the steps' names take what the others leave.
TEAM_COLUMNS_CM = (4.0, None, 2.0, 2.0, 1.6)


def _teams(board: Board, metrics: Metrics, width: float) -> list[Flowable]:
    """Each team's steps and figures, so each team can check its own part; [] without teams."""
    rows = report.team_rows(board, metrics)
    if not rows:
        return []
    cell = style("cell", 8.5)
    fixed = sum(c for c in TEAM_COLUMNS_CM if c is not None) * cm
    widths = [width - fixed if c is None else c * cm for c in TEAM_COLUMNS_CM]
    body = [[Paragraph(text(v), cell) if i < 2 else v for i, v in enumerate(r)] for r in rows]
    table = Table(
        [list(report.TEAM_HEADINGS), *body],
        colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1,
    )  # fmt: skip
    table.setStyle(_grid(header=True))
    line = Paragraph(text(report.handoff_line(board, metrics)), style("li", 9))
    return [KeepTogether([heading("Teams"), line, table])]


def _rules(board: Board, metrics: Metrics, validation: str) -> list[Flowable]:
    item = style("rule", 9, after=3)
    out: list[Flowable] = [heading("How the numbers are worked out")]
    out += [Paragraph("• " + escape(rule), item) for rule in report.rules(board, metrics)]
    if metrics.rework:
        out.append(heading("Rework loops"))
        names = {s.id: label(s.text, s.id) for s in board.steps()}
        for loop in metrics.rework:
            added = format_duration(loop.added_minutes, board.calendar)
            source, target = names.get(loop.source, loop.source), names.get(loop.target, "?")
            rate = whole_percent(loop.rate)
            line = f"{source} back to {target}: {rate} go round again, adding {added}"
            out.append(Paragraph("• " + text(line), item))
    out.append(heading("Validation"))  # its state, then a line per disputed step
    out += [Paragraph(text(line), item) for line in validation.splitlines() if line.strip()]
    return out
