"""One entry point for every export format: the bytes, their media type, a file name.

>>> from datetime import UTC
>>> from app.domain.demo import demo_board
>>> done = render(demo_board(), "csv", at=datetime(2026, 12, 3, tzinfo=UTC))
>>> done.media_type, done.filename
('text/csv; charset=utf-8', 'Feature delivery.csv')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Literal, NamedTuple, get_args
from urllib.parse import quote

from app.domain.elements import Board
from app.domain.forecast import forecast_json
from app.domain.metrics import Metrics, compute_metrics
from app.export.csv import board_csv
from app.export.json import board_json
from app.export.pdf import board_pdf
from app.export.png import board_png
from app.export.report import validation_words
from app.export.svg import board_svg

ExportFormat = Literal["json", "csv", "svg", "png", "pdf"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

MEDIA_TYPES: Mapping[ExportFormat, str] = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
}
# A file name's stem: long enough for any real title, short for every file system.
MAX_STEM = 80
FALLBACK_STEM = "flowmap-board"
# Characters a file name may keep: letters, digits, space and . _ - ( ), in ASCII;
# and for browsers that read RFC 6266's filename*, the same in any script.
_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")
_UNSAFE_UNICODE = re.compile(r"[^\w ._()-]+")


# A writer: the board, its metrics, the moment of the export (dated formats use it) and
# where its validation stands in words (the PDF says it; None: the board's state in words).
Writer = Callable[[Board, Metrics, datetime, str | None], bytes]


def _timeless(writer: Callable[[Board, Metrics], bytes]) -> Writer:
    return lambda board, metrics, _at, _validation: writer(board, metrics)


def _text(writer: Callable[[Board, Metrics], str]) -> Writer:
    # A lone surrogate (text that came in as JSON) has no UTF-8 form: it becomes "?".
    return lambda board, metrics, _at, _validation: writer(board, metrics).encode(
        "utf-8", "replace"
    )


def _pdf(board: Board, metrics: Metrics, at: datetime, validation: str | None) -> bytes:
    words = validation or validation_words(board.state)
    return board_pdf(board, metrics, words, created=at, forecast=forecast_json(board))


def _json(board: Board, metrics: Metrics, _at: datetime, _validation: str | None) -> bytes:
    return board_json(board, metrics, forecast_json(board))


def _csv(board: Board, metrics: Metrics) -> str:
    return board_csv(board, metrics, forecast_json(board))


WRITERS: Mapping[ExportFormat, Writer] = {
    "json": _json,
    "csv": _text(_csv),
    "svg": _text(board_svg),
    "png": _timeless(board_png),
    "pdf": _pdf,
}


class Rendered(NamedTuple):
    content: bytes
    media_type: str
    filename: str
    disposition: str


def render(
    board: Board, fmt: ExportFormat, *, at: datetime, validation: str | None = None
) -> Rendered:
    """The board exported as `fmt` at the moment `at` (the PDF's creation date); the PDF
    says `validation` (export/validation_words.py), or else the board's state in words.

    CPU-bound: PNG and PDF take about a second.
    """
    content = WRITERS[fmt](board, compute_metrics(board), at, validation)
    return Rendered(
        content, MEDIA_TYPES[fmt], filename(board.title, fmt), content_disposition(board.title, fmt)
    )


def filename(title: str, fmt: str) -> str:
    """A file name from the board's title that is safe in a Content-Disposition header.

    Accents fold to ASCII, anything but letters, digits and . _ - ( ) becomes a
    space, and dots cannot lead (no hidden files, no "..").

        >>> filename('Café: "release" / ops', "svg")
        'Cafe release ops.svg'
        >>> filename("../../etc/passwd", "png")
        'etc passwd.png'
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return f"{_stem(_UNSAFE.sub(' ', folded))}.{fmt}"


def _stem(name: str) -> str:
    name = " ".join(name.split()).strip(" .-")
    return name[:MAX_STEM].strip(" .-") or FALLBACK_STEM


def content_disposition(title: str, fmt: str) -> str:
    """`attachment` with the ASCII file name, and the title in its own script for browsers
    that read `filename*` (RFC 6266), so "Lieferkette Köln" keeps its ö.

        >>> print(content_disposition("Köln", "pdf"))
        attachment; filename="Koln.pdf"; filename*=UTF-8''K%C3%B6ln.pdf
    """
    wide = f"{_stem(_UNSAFE_UNICODE.sub(' ', unicodedata.normalize('NFC', title)))}.{fmt}"
    return f"attachment; filename=\"{filename(title, fmt)}\"; filename*=UTF-8''{quote(wide)}"
