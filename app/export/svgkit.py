"""The small tools the SVG writer is built with: safe nodes, numbers, colours, bounds.

Every node is an `xml.etree.ElementTree` element, so the serializer escapes all
text and attribute values; user text additionally loses the characters XML
cannot carry at all (control characters, lone surrogates), which would make
the file unreadable rather than unsafe.

    >>> root = ET.Element("svg")
    >>> _ = add(root, "text", {"x": 1.5}, text="<script>\\x00")
    >>> ET.tostring(root, encoding="unicode")
    '<svg><text x="1.5">&lt;script&gt;\ufffd</text></svg>'
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.export.fonts import text_width, wrap
from app.export.layout import Rect

# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"

Attrs = Mapping[str, str | float | int | None]


def clean(text: str) -> str:
    """`text` with every character XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def num(value: float) -> str:
    """A coordinate for an attribute: at most two decimals, no trailing zeros."""
    if not math.isfinite(value):
        return "0"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def add(
    parent: ET.Element, tag: str, attrs: Attrs | None = None, text: str | None = None
) -> ET.Element:
    """A child node; numbers become `num`, None attributes are left out, text is cleaned."""
    node = ET.SubElement(parent, tag)
    for name, value in (attrs or {}).items():
        if value is None:
            continue
        node.set(name, num(value) if isinstance(value, float | int) else clean(value))
    if text is not None:
        node.text = clean(text)
    return node


# A box stands on its shade, as on the canvas (frontend/css/canvas.css .shade, tokens.css
# --shade and --shade-edge, canvas/shapes.js SHADE_DY): a copy of its outline this much
# lower, its soft edge a wide faint stroke. Not a drop-shadow filter: resvg works a filter
# out over the whole region it covers, box by box, and a page of a big map's PDF took
# five times as long to render with them.
SHADE_DY = 2.0
SHADE = "rgba(16,24,40,0.08)"
SHADE_EDGE = "rgba(16,24,40,0.04)"
SHADE_STROKE = 5.0


def shaded(g: ET.Element, tag: str, body: Attrs, geometry: Attrs) -> ET.Element:
    """A box's body (`geometry` with `body`'s paint) on its shade; returns the body."""
    add(
        g,
        tag,
        {
            **geometry,
            "transform": f"translate(0 {num(SHADE_DY)})",
            "class": "shade",
            "fill": SHADE,
            "stroke": SHADE_EDGE,
            "stroke-width": SHADE_STROKE,
            "stroke-linejoin": "round",
        },
    )
    return add(g, tag, {**geometry, **body})


@dataclass(frozen=True, slots=True)
class Swatch:
    fill: str
    border: str


# The canvas's sticky colours (frontend/js/canvas/colors.js).
SWATCHES: Mapping[str, Swatch] = {
    "yellow": Swatch("#fff1a8", "#d9bb3f"),
    "orange": Swatch("#ffdcb5", "#e0964d"),
    "pink": Swatch("#fbd3e3", "#d77aa0"),
    "red": Swatch("#f9cbc5", "#d1665b"),
    "green": Swatch("#d2ecc9", "#6fae63"),
    "teal": Swatch("#c8ebe6", "#4ea99d"),
    "blue": Swatch("#d3e3fb", "#5f8fd6"),
    "purple": Swatch("#e2d8f7", "#9478d0"),
    "grey": Swatch("#e6e8eb", "#9ba2ad"),
    "white": Swatch("#ffffff", "#c6cbd2"),
}
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
# A custom colour's border: this much darker than its fill, as the canvas does.
_BORDER_DARKEN = 0.25


def swatch(color: str, fallback: str) -> Swatch:
    """The fill and border for a palette name or "#rrggbb" (anything else: the fallback)."""
    if color in SWATCHES:
        return SWATCHES[color]
    if _HEX.fullmatch(color):
        n = int(color[1:], 16)
        channels = [round(((n >> shift) & 255) * (1 - _BORDER_DARKEN)) for shift in (16, 8, 0)]
        return Swatch(color.lower(), "#" + "".join(f"{c:02x}" for c in channels))
    return SWATCHES[fallback]


@dataclass(slots=True)
class Bounds:
    """The box around everything drawn so far."""

    x0: float = math.inf
    y0: float = math.inf
    x1: float = -math.inf
    y1: float = -math.inf
    _empty: bool = field(default=True, repr=False)

    def add(self, r: Rect) -> None:
        self.x0, self.y0 = min(self.x0, r.x), min(self.y0, r.y)
        self.x1, self.y1 = max(self.x1, r.right), max(self.y1, r.bottom)
        self._empty = False

    @property
    def empty(self) -> bool:
        return self._empty

    def rect(self, margin: float) -> Rect:
        """The box grown by `margin` on every side; a small default box when nothing was drawn."""
        if self._empty:
            return Rect(0, 0, 2 * margin + 480, 2 * margin + 160)
        return Rect(
            self.x0 - margin,
            self.y0 - margin,
            self.x1 - self.x0 + 2 * margin,
            self.y1 - self.y0 + 2 * margin,
        )


# The canvas's inks (frontend/css/tokens.css).
INK = "#1f2328"
INK_MUTED = "#5c636e"
INK_FAINT = "#686f79"
PAPER = "#f7f7f5"
SURFACE = "#ffffff"
CONSTRAINT = "#dc2626"
ACTUAL = "#0f766e"
PROCESS = "#1d4ed8"
# Text in a box: 14 px on 1.3 lines, padded 10 by 12 (frontend/css/canvas.css .label).
LABEL_SIZE, PAD_Y, PAD_X = 14.0, 10.0, 12.0
LINE_SPACING = 1.3


def text_lines(
    parent: ET.Element,
    lines: list[str],
    x: float,
    top: float,
    size: float,
    line_height: float,
    attrs: Attrs | None = None,
) -> None:
    """Lines of text, the first line's box starting at `top` (baselines as CSS places them)."""
    # CSS puts the glyphs in the middle of the line box; Vera's ascent is about 0.76 em.
    first = top + (line_height - size) / 2 + size * 0.8
    for i, line in enumerate(lines):
        add(
            parent,
            "text",
            {"x": x, "y": first + i * line_height, "font-size": size, **(attrs or {})},
            text=line,
        )


def group(parent: ET.Element, kind: str, x: float, y: float, el_id: str) -> ET.Element:
    """An element's own group, moved to where it is; drawing inside uses its local units."""
    return add(
        parent, "g", {"class": kind, "data-id": el_id, "transform": f"translate({num(x)} {num(y)})"}
    )


def box_label(
    g: ET.Element,
    text: str,
    box: Rect,
    *,
    size: float = LABEL_SIZE,
    weight: int = 500,
    center: bool = True,
    placeholder: str = "",
    mark: str | None = None,
) -> None:
    """Wrapped text inside `box` (local coordinates), every line of it.

    Centred like a step's name, or from the top left like a note's text; an empty
    text shows `placeholder` faintly (as the canvas does). The box is made tall
    enough beforehand (`label_height`, fit.py): nothing is left out. With a `mark`,
    the box may be shorter (a note stopped by what is under it, as on the canvas):
    the last line that fits ends in "…" and the mark, which says where it is whole.
    """
    line_h = size * LINE_SPACING
    shown, faint = (text, False) if text.strip() else (placeholder, True)
    if not shown:
        return
    lines = wrap(shown, box.w - 2 * PAD_X, size, weight)
    fits = _lines_that_fit(box.h, line_h)
    if mark is not None and len(lines) > fits:
        lines = [
            *lines[: fits - 1],
            _ended(lines[fits - 1], f"…{mark}", box.w - 2 * PAD_X, size, weight),
        ]
    block = len(lines) * line_h
    top = box.y + (box.h - block) / 2 if center else box.y + PAD_Y
    attrs: dict[str, str | float] = {"fill": INK, "font-weight": weight}
    if center:
        attrs["text-anchor"] = "middle"
    if faint:
        attrs |= {"fill": INK_FAINT, "font-style": "italic", "font-weight": 400}
    x = box.x + box.w / 2 if center else box.x + PAD_X
    text_lines(g, lines, x, top, size, line_h, attrs)


def _ended(line: str, tail: str, width: float, size: float, weight: int) -> str:
    """`line` with `tail` after it, words dropped from its end until both fit `width`."""
    words = line.split()
    while words and text_width(" ".join(words) + tail, size, weight) > width:
        words.pop()
    return " ".join(words) + tail if words else tail.strip()


def _lines_that_fit(height: float, line_h: float) -> int:
    """How many lines a `box_label` box `height` tall shows (one at least, as the canvas)."""
    return max(1, math.floor((height - 2 * PAD_Y) / line_h + 1e-6))


def label_cut(text: str, box: Rect, *, size: float = LABEL_SIZE, weight: int = 500) -> bool:
    """Whether `box_label` with a mark ends `text` in "…" in `box` (more lines than fit)."""
    if not text.strip():
        return False
    lines = wrap(text, box.w - 2 * PAD_X, size, weight)
    return len(lines) > _lines_that_fit(box.h, size * LINE_SPACING)


def label_height(text: str, width: float, *, size: float = LABEL_SIZE, weight: int = 500) -> float:
    """How tall a `box_label` box `width` wide must be to hold all of `text`, padding included."""
    lines = wrap(text, width - 2 * PAD_X, size, weight) if text.strip() else [""]
    return len(lines) * size * LINE_SPACING + 2 * PAD_Y
