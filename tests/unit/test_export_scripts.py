"""Names in other scripts than Latin in the PNG and PDF exports: drawn, not empty boxes.

Vera, the export's face, has Latin letters only. A step named "Проверка" or
"مراجعة الكود" came out of the PNG as a row of empty boxes; the PNG now takes
letters Vera lacks from the system's DejaVu (fonts.py FALLBACK_NAMES).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from pypdf import PageObject, PdfReader
from reportlab.pdfbase import pdfmetrics

from app.domain.elements import Board, Connector, Step
from app.domain.metrics import compute_metrics
from app.export.fonts import FALLBACK_NAMES, FAMILY, FONT_FILES, fallback_files, pdf_font_files
from app.export.pdf import board_pdf
from app.export.pdf_style import FONT, register_fonts
from app.export.png import svg_to_png


def picture(words: str) -> Image.Image:
    document = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="48" viewBox="0 0 360 48">'
        '<rect width="360" height="48" fill="#ffffff"/>'
        f'<text x="8" y="32" font-family="{FAMILY}" font-size="24">{words}</text></svg>'
    )
    return Image.open(io.BytesIO(svg_to_png(document))).convert("L")


def ink(image: Image.Image) -> int:
    return sum(image.histogram()[:128])


# Private-use letters no face has: what a word without its letters looks like (boxes).
def boxes(count: int) -> Image.Image:
    return picture("\ue000" * count)


@pytest.mark.skipif(not Path("/etc/debian_version").exists(), reason="DejaVu's path is Debian's")
def test_debian_has_the_fallback_face() -> None:
    # CI and the Docker image install fonts-dejavu-core: the fallback must be found there.
    assert fallback_files()[0].name == "DejaVuSans.ttf"


# Cyrillic, Greek, Hebrew, Arabic: none of their letters is in Vera.
@pytest.mark.parametrize("words", ["Проверка", "Ζητήματα", "בדיקה", "مراجعة"])
def test_a_name_in_another_script_is_drawn_not_boxed(words: str) -> None:
    drawn = picture(words)
    assert ink(drawn) > 50
    assert ImageChops.difference(drawn, boxes(len(words))).getbbox() is not None, words


def test_latin_is_drawn_in_vera_as_before() -> None:
    # The fallback changes nothing Vera can draw: the layout measured these widths.
    assert ink(picture("Build")) > 50


def test_the_fallback_faces_are_found_in_their_order(tmp_path: Path) -> None:
    for name in reversed(FALLBACK_NAMES[:2]):
        folder = tmp_path / name.split(".")[0].lower()
        folder.mkdir()
        (folder / name).write_bytes(b"")
    (tmp_path / "Other.ttf").write_bytes(b"")
    found = fallback_files.__wrapped__((tmp_path,))
    assert [path.name for path in found] == list(FALLBACK_NAMES[:2])


# The PDF's text (title, steps table, lists) is set by reportlab in one face, with no
# letter-by-letter fallback: in Vera, a Polish, Greek or Cyrillic name was a row of boxes.
PDF_NAMES = ("Zażółć gęślą jaźń", "Проверка кода", "Ζητήματα")


def pdf_with_names() -> bytes:
    steps = [
        Step(id=f"s{i}", x=300.0 * i, y=100, text=name, process_minutes=30.0)
        for i, name in enumerate(PDF_NAMES)
    ]
    links = [Connector(id="c1", source="s0", target="s1"), Connector(id="c2", source="s1", target="s2")]
    board = Board(
        id="scripts", title="Przegląd — Обзор", elements={e.id: e for e in [*steps, *links]}
    )
    return board_pdf(board, compute_metrics(board), created=datetime(2026, 12, 5, tzinfo=UTC))


def faces_shown(page: PageObject) -> set[str]:
    """The faces text is shown in on `page` (reportlab also names Helvetica, unused)."""
    fonts = {key: str(font["/BaseFont"]) for key, font in page["/Resources"]["/Font"].items()}
    current: list[str] = [""]
    shown: set[str] = set()

    def visit(op: bytes, args: list[Any], _cm: Any, _tm: Any) -> None:
        if op == b"Tf":
            current[0] = fonts[str(args[0])]
        elif op in (b"Tj", b"TJ", b"'", b'"'):
            shown.add(current[0])

    page.extract_text(visitor_operand_before=visit)
    return shown


@pytest.mark.skipif(not Path("/etc/debian_version").exists(), reason="DejaVu's path is Debian's")
def test_the_pdf_sets_names_in_other_scripts_in_a_face_that_has_their_letters() -> None:
    reader = PdfReader(io.BytesIO(pdf_with_names()))
    faces = {face for page in reader.pages for face in faces_shown(page)}
    assert faces and all("DejaVuSans" in face for face in faces), faces
    register_fonts()
    face = pdfmetrics.getFont(FONT).face
    for name in PDF_NAMES:
        missing = [ch for ch in name if ch != " " and ord(ch) not in face.charToGlyph]
        assert not missing, (name, missing)
    text = " ".join(page.extract_text() for page in reader.pages)
    for name in PDF_NAMES:
        assert name in text


def test_without_dejavu_the_pdf_keeps_to_vera(tmp_path: Path) -> None:
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")  # one face of four is not the family
    assert pdf_font_files((tmp_path,)) == FONT_FILES
