"""The map as a PDF report: the picture, the totals, every step's data, the rules used.

Laid out with reportlab (a wheel from PyPI, no system libraries) on landscape
A4 pages, in the export's own typeface (fonts.py) so any text a board holds in
Latin, Greek or Cyrillic prints. The map is the PNG export at full resolution,
scaled to the page, so it stays sharp when zoomed. The output is byte-for-byte
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
from datetime import UTC, datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
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
from app.export import report
from app.export.fonts import FONT_FILES
from app.export.png import svg_to_png
from app.export.svg import board_svg, svg_size
from app.export.svgkit import clean

FONT = "FlowmapSans"
PAGE = landscape(A4)
MARGIN = 1.4 * cm
# The map takes at most this share of a page's height: the page under the head is its own.
MAP_SHARE = 0.8
INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#5c636e")
RED = colors.HexColor("#dc2626")
RULE = colors.HexColor("#d6d8dc")
HEAD_FILL = colors.HexColor("#f1f2f4")
# The step table's column widths (cm), matching report.STEP_HEADINGS; the name takes the rest.
STEP_COLUMNS_CM = (1.0, None, 1.7, 1.7, 1.7, 1.4, 1.4, 1.4, 1.4, 4.0, 1.8, 1.8)
# A fixed moment for examples and for tests that compare bytes.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@cache
def _register_fonts() -> None:
    """Register the export's typeface with reportlab once (its font registry is global)."""
    names = {
        (False, False): FONT,
        (True, False): f"{FONT}-Bold",
        (False, True): f"{FONT}-Italic",
        (True, True): f"{FONT}-BoldItalic",
    }
    for key, name in names.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_FILES[key])))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )


def _style(
    name: str, size: float, ink: colors.Color = INK, before: float = 0, after: float = 0
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT,
        fontSize=size,
        leading=size * 1.3,
        textColor=ink,
        spaceBefore=before,
        spaceAfter=after,
        # A heading never ends a page alone.
        keepWithNext=1 if name == "h2" else 0,
    )


def _text(value: str) -> str:
    """User text made safe for reportlab's paragraph markup."""
    return escape(" ".join(clean(value).split()))


def pdf_date(moment: datetime) -> str:
    """A PDF date string (ISO 32000 7.9.4) in UTC: D:YYYYMMDDHHmmSS+00'00'.

    >>> pdf_date(datetime(2026, 12, 3, 16, 5, 9, tzinfo=UTC))
    "D:20261203160509+00'00'"
    """
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def board_pdf(
    board: Board,
    metrics: Metrics,
    validation: str = report.NOT_VALIDATED,
    *,
    created: datetime,
) -> bytes:
    """The report as PDF bytes; `validation` is the sign-off status in words, `created` the
    document's creation date (an aware datetime)."""
    _register_fonts()
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

    story = _head(board, validation) + [_map(board, metrics, doc.width, doc.height), Spacer(1, 10)]
    story += (
        _totals(board, metrics)
        + _steps(board, metrics, doc.width)
        + _rules(board, metrics, validation)
    )
    doc.build(story, onFirstPage=first, onLaterPages=footer)
    return out.getvalue()


def _head(board: Board, validation: str) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(_text(board.title) or "Value-stream map", _style("h1", 20))]
    if board.scope.strip():
        out.append(Paragraph(f"<i>{_text(board.scope)}</i>", _style("scope", 11, ink=MUTED)))
    who = [
        f"{label}: {_text(value)}"
        for label, value in (
            ("Customer", board.customer),
            ("Value-stream owner", board.owner),
            ("Trigger", board.trigger),
            ("Value delivered", board.delivery),
        )
        if value.strip()
    ]
    status = [f"State: {escape(board.state)}", f"Validation: {_text(validation)}"]
    for line in (who, status):
        if line:
            out.append(Paragraph(" · ".join(line), _style("who", 9, ink=MUTED)))
    out.append(Spacer(1, 6))
    return out


def _map(board: Board, metrics: Metrics, width: float, height: float) -> Flowable:
    """The map picture, as wide as the page allows and no taller than MAP_SHARE of it."""
    document = board_svg(board, metrics, header=False)  # the report's own head says it
    w, h = svg_size(document)
    scale = min(width / w, height * MAP_SHARE / h)
    return Image(io.BytesIO(svg_to_png(document)), width=w * scale, height=h * scale)


def _heading(text: str) -> Paragraph:
    return Paragraph(text, _style("h2", 13, before=10, after=4))


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
    cell = _style("cell", 9)
    rows = [
        [Paragraph(f"<b>{escape(name)}</b>", cell), Paragraph(_text(value), cell)]
        for name, value in report.totals(board, metrics)
    ]
    table = Table(rows, colWidths=[4.5 * cm, 15 * cm], hAlign="LEFT")
    table.setStyle(_grid(header=False))
    return [KeepTogether([_heading("Totals"), table])]


def _steps(board: Board, metrics: Metrics, width: float) -> list[Flowable]:
    cell = _style("cell", 8.5)
    headings, body = report.step_table(board, metrics)
    columns = STEP_COLUMNS_CM[: len(headings)]
    fixed = sum(c for c in columns if c is not None) * cm
    widths = [width - fixed if c is None else c * cm for c in columns]
    rows: list[list[object]] = [list(headings)]
    for row in body:
        rows.append(
            [Paragraph(_text(value), cell) if i in (1, 9) else value for i, value in enumerate(row)]
        )
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = _grid(header=True)
    constraint = metrics.constraint.id if metrics.constraint else None
    for i, step_id in enumerate(metrics.path, start=1):
        if step_id == constraint:
            style.add("TEXTCOLOR", (0, i), (-1, i), RED)
    table.setStyle(style)
    out: list[Flowable] = [_heading("Steps"), table]
    missing = report.missing_lines(metrics)
    if missing:
        out.append(_heading("Data still missing"))
        out += [Paragraph("• " + _text(line), _style("li", 9)) for line in missing]
    return out


def _rules(board: Board, metrics: Metrics, validation: str) -> list[Flowable]:
    item = _style("rule", 9, after=3)
    out: list[Flowable] = [_heading("How the numbers are worked out")]
    out += [Paragraph("• " + escape(rule), item) for rule in report.rules(board, metrics)]
    if metrics.rework:
        out.append(_heading("Rework loops"))
        names = {s.id: label(s.text, s.id) for s in board.steps()}
        for loop in metrics.rework:
            added = format_duration(loop.added_minutes, board.calendar)
            source, target = names.get(loop.source, loop.source), names.get(loop.target, "?")
            line = (
                f"{source} back to {target}: {loop.rate * 100:.0f}% go round again, adding {added}"
            )
            out.append(Paragraph("• " + _text(line), item))
    out += [_heading("Validation"), Paragraph(_text(validation), item)]
    return out
