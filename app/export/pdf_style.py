"""The PDF report's typeface, inks and paragraph styles, shared by its parts.

The typeface is the export's own (fonts.py): DejaVu Sans where the system has it,
so names in Polish, Greek, Cyrillic, Hebrew or Arabic letters are set, not boxed;
else Vera. It is registered with reportlab once;
no text in the report is set smaller than `SMALLEST_PT`, so the paper copy
reads at arm's length (the map's pages keep to the same floor: map_pages.py).
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from app.export.fonts import pdf_font_files
from app.export.map_pages import MIN_TEXT_PT
from app.export.svgkit import clean

FONT = "FlowmapSans"
SMALLEST_PT = MIN_TEXT_PT
INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#5c636e")
RED = colors.HexColor("#dc2626")
RULE = colors.HexColor("#d6d8dc")
HEAD_FILL = colors.HexColor("#f1f2f4")


@cache
def register_fonts() -> None:
    """Register the export's typeface with reportlab once (its font registry is global)."""
    names = {
        (False, False): FONT,
        (True, False): f"{FONT}-Bold",
        (False, True): f"{FONT}-Italic",
        (True, True): f"{FONT}-BoldItalic",
    }
    files = pdf_font_files()
    for key, name in names.items():
        pdfmetrics.registerFont(TTFont(name, str(files[key])))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )


def style(
    name: str,
    size: float,
    ink: colors.Color = INK,
    before: float = 0,
    after: float = 0,
    indent: float = 0,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT,
        fontSize=max(size, SMALLEST_PT),
        leading=max(size, SMALLEST_PT) * 1.3,
        textColor=ink,
        spaceBefore=before,
        spaceAfter=after,
        leftIndent=indent,
        # A heading never ends a page alone.
        keepWithNext=1 if name == "h2" else 0,
    )


def text(value: str) -> str:
    """User text made safe for reportlab's paragraph markup."""
    return escape(" ".join(clean(value).split()))


def heading(words: str) -> Paragraph:
    return Paragraph(words, style("h2", 13, before=10, after=4))
