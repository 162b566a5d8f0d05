"""The typeface of the exports, and how wide text set in it is.

Pictures and PDFs must look the same on every machine, so they do not depend on
the fonts a system happens to have: they use Bitstream Vera Sans, which ships
inside the `reportlab` wheel (regular, bold, italic, bold italic). The SVG names
it in its font stack; the PNG renderer and the PDF load these very files; and
the layout measures text with their advance widths, so wrapped lines fit their
boxes. Browsers that show the SVG with a narrower system font still fit.

    >>> round(text_width("Build", 14), 1)
    35.1
    >>> wrap("Test environments are shared and booked up", 144, 14)
    ['Test environments', 'are shared and', 'booked up']
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
# (bold, italic) -> the Vera file for it.
FONT_FILES: dict[tuple[bool, bool], Path] = {
    (False, False): FONT_DIR / "Vera.ttf",
    (True, False): FONT_DIR / "VeraBd.ttf",
    (False, True): FONT_DIR / "VeraIt.ttf",
    (True, True): FONT_DIR / "VeraBI.ttf",
}
# The family the SVG asks for: the canvas's system stack first (the SVG opened in a
# browser looks like the board), then Vera and its extended twin DejaVu, which the
# PNG renderer and any Linux box have.
FAMILY = "Bitstream Vera Sans"
FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    f'"{FAMILY}", "DejaVu Sans", sans-serif'
)
# Vera has Latin letters only. Words in other scripts (Cyrillic, Greek, Arabic, Hebrew,
# Polish ę, ł) the PNG draws in the first of these faces the system has (Debian's
# fonts-dejavu-core, which the Dockerfile and CI install; CJK with fonts-noto-cjk): resvg
# falls back to them letter by letter, and shapes and orders right-to-left script. Without
# them such words are empty boxes.
FALLBACK_NAMES = (
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc",
)  # fmt: skip
# The PDF's text (its tables and lists) cannot fall back letter by letter: it is set in
# DejaVu Sans where the system has all four of its faces. DejaVu is Vera extended (the same
# letters at the same widths, and Latin Extended, Greek, Cyrillic, Hebrew, Arabic on top);
# without it, in Vera. (CJK is not in DejaVu, and reportlab embeds TrueType outlines only,
# which Noto CJK's are not: README, Exports.)
PDF_FACE_NAMES: dict[tuple[bool, bool], str] = {
    (False, False): "DejaVuSans.ttf",
    (True, False): "DejaVuSans-Bold.ttf",
    (False, True): "DejaVuSans-Oblique.ttf",
    (True, True): "DejaVuSans-BoldOblique.ttf",
}
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path("/Library/Fonts"))
# From this weight on a font-weight renders bold (CSS picks the nearest face: 600 -> 700).
BOLD_FROM = 600
# Whether a line of text fits the width being wrapped to.
_Fits = Callable[[str], bool]


@cache
def system_faces(dirs: tuple[Path, ...] = FONT_DIRS) -> dict[str, Path]:
    """Every TrueType face under `dirs` by its file name, the first found of each name
    (looked for once per process)."""
    found: dict[str, Path] = {}
    for folder in dirs:
        if folder.is_dir():
            for path in sorted(folder.rglob("*.tt[fc]")):
                found.setdefault(path.name, path)
    return found


@cache
def fallback_files(dirs: tuple[Path, ...] = FONT_DIRS) -> tuple[Path, ...]:
    """The system's faces of FALLBACK_NAMES, in that order."""
    found = system_faces(dirs)
    return tuple(found[name] for name in FALLBACK_NAMES if name in found)


def pdf_font_files(dirs: tuple[Path, ...] = FONT_DIRS) -> dict[tuple[bool, bool], Path]:
    """(bold, italic) -> the face the PDF's text is set in: DejaVu Sans's four where the
    system has them all, else Vera's."""
    found = system_faces(dirs)
    if all(name in found for name in PDF_FACE_NAMES.values()):
        return {key: found[name] for key, name in PDF_FACE_NAMES.items()}
    return dict(FONT_FILES)


@cache
def _font(bold: bool, italic: bool) -> TTFont:
    """The parsed face, loaded once per process (a few milliseconds)."""
    name = f"{FAMILY}-{'B' if bold else ''}{'I' if italic else ''}"
    return TTFont(name, str(FONT_FILES[bold, italic]))


def text_width(text: str, size: float, weight: int = 400, italic: bool = False) -> float:
    """How wide `text` is at `size` pixels, in the export's typeface."""
    width: float = _font(weight >= BOLD_FROM, italic).stringWidth(text, size)
    return width


def wrap(
    text: str, width: float, size: float, weight: int = 400, italic: bool = False
) -> list[str]:
    """`text` broken into lines no wider than `width`, as the canvas wraps a sticky's text.

    Words break at spaces; a word longer than a line is cut between letters (as
    CSS `overflow-wrap: anywhere`); line breaks people typed are kept. Nothing is
    ever left out: a box that holds the lines grows to fit them (fit.py), so an
    export never cuts text with an ellipsis.

        >>> wrap("one\\ntwo three", 1000, 12)
        ['one', 'two three']
        >>> "".join(wrap("unbreakable" * 3, 40, 12)) == "unbreakable" * 3
        True
    """

    def measure(line: str) -> float:
        return text_width(line, size, weight, italic)

    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, measure, width))
    return lines


# How far a line's running width may be from the limit and still be trusted without
# measuring the line whole (float sums in another order differ by far less).
_NEAR = 1e-6


def _wrap_paragraph(paragraph: str, measure: Callable[[str], float], width: float) -> list[str]:
    """The paragraph's lines. A line is as wide as its letters together (the face has no
    kerning), so each word adds its own width to the line's running width; only a line
    within _NEAR of the limit is measured whole. Measuring every candidate line whole was
    quadratic in a line's length: a header across a wide map naming a thousand tied steps
    took minutes of CPU to draw."""

    def fits(line: str) -> bool:
        return measure(line) <= width

    words = paragraph.split()
    if not words:
        return [""]
    space = measure(" ")
    lines: list[str] = []
    line: list[str] = []  # the words on the line so far (joined once, when it is full)
    used = 0.0
    for word in words:
        wide = measure(word)
        guess = used + space + wide if line else wide
        if guess < width - _NEAR or (guess <= width + _NEAR and fits(" ".join([*line, word]))):
            line.append(word)
            used = guess
            continue
        if line:
            lines.append(" ".join(line))
        *full, rest = _cut(word, measure, width, fits) if wide > width else [word]
        lines.extend(full)
        line, used = [rest], measure(rest)
    lines.append(" ".join(line))
    return lines


def _cut(word: str, measure: Callable[[str], float], width: float, fits: _Fits) -> list[str]:
    """`word` cut between letters into the longest pieces that fit a line (at least one
    letter each); the last piece is what is left for the next line. A piece is as wide
    as its letters, so each letter adds its width to the piece's running width, and only
    a piece within _NEAR of the limit is measured whole: searching for the longest prefix
    that fits measured prefix after prefix whole, quadratic in the word's length (a step
    named with 2,000 letters and no space took a tenth of a second to draw)."""
    widths: dict[str, float] = {}
    pieces: list[str] = []
    start, used = 0, 0.0
    for i, letter in enumerate(word):
        wide = widths.get(letter)
        if wide is None:
            wide = widths[letter] = measure(letter)
        guess = used + wide
        if i > start and (
            guess > width + _NEAR or (guess >= width - _NEAR and not fits(word[start : i + 1]))
        ):
            pieces.append(word[start:i])
            start, guess = i, wide
        used = guess
    pieces.append(word[start:])
    return pieces


def one_line(text: str) -> str:
    """`text` with its line breaks and runs of spaces made single spaces (headers, labels)."""
    return " ".join(text.split())
