"""Names in other scripts than Latin in the PNG export: drawn, not empty boxes.

Vera, the export's face, has Latin letters only. A step named "Проверка" or
"مراجعة الكود" came out of the PNG as a row of empty boxes; the PNG now takes
letters Vera lacks from the system's DejaVu (fonts.py FALLBACK_NAMES).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from app.export.fonts import FALLBACK_NAMES, FAMILY, fallback_files
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
