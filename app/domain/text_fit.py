"""How tall a note's or a card's wrapped text makes it: the mirror of frontend/js/model/text-fit.js.

Notes, hypotheses, kaizen bursts and experiment cards grow downwards to fit their text on the
canvas (their stored ``h`` is a minimum), so anything that lays notes out
without a browser (tidying, exports) needs the same estimate the page draws.
Both sides are held to the golden cases in tests/fixtures/text-fit/cases.json
(their expected values come from the page: scripts/text-fit-cases.mjs).

    >>> from app.domain.elements import Note
    >>> note_height(Note(id="n", text="Who signs this off?"))
    120.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.domain.durations import format_duration
from app.domain.elements import Calendar, Experiment, Note
from app.domain.wording import percent


@dataclass(frozen=True, slots=True)
class TextStyle:
    """A label's font size, line height and padding (px), as frontend/css/canvas.css sets them."""

    size: float
    line_height: float
    pad_x: float
    pad_y: float
    bold: bool = False


NOTE_TEXT = TextStyle(14, 18.2, 12, 10)
BURST_TEXT = TextStyle(13, 16.9, 4, 2, bold=True)
CARD_TEXT = TextStyle(13, 17.55, 12, 10)
STYLES = {"note": NOTE_TEXT, "burst": BURST_TEXT, "card": CARD_TEXT}

# Character widths as a share of the font size (text-fit.js says why).
NARROW, SPACE, WIDE, CAPITAL, DIGIT, OTHER = 0.34, 0.33, 0.92, 0.74, 0.64, 0.62
BOLD_FACTOR = 1.07
NARROW_CHARS = frozenset("iljtfrI|!.,:;'\"()[]`")
WIDE_CHARS = frozenset("mwMWQ@%&OGDHNU")
# Shapes of a note (frontend/js/model/boxes.js).
NOTE_FOLD = 18.0
CAPTION_H = 22.0
BURST_INNER = 0.76
BURST_TEXT_W = 0.92
BURST_TEXT_H = 0.74
CARD_BAND = 26.0
# How an experiment's metric reads in its sentence (frontend/js/protocol.js EXPERIMENT_METRICS).
METRIC_NAMES = {
    "lead_time": "lead time", "process_time": "process time", "activity_ratio": "activity ratio",
    "rolled_pca": "rolled %C/A", "work_content": "work content",
    "expected_lead_time": "expected lead time",
}  # fmt: skip
HIGHER_IS_BETTER = frozenset({"activity_ratio", "rolled_pca"})
# The card's height is worked out in the usual calendar, as the page does (model/boxes.js).
CARD_CALENDAR = Calendar()


def _char_width(ch: str, style: TextStyle) -> float:
    share = OTHER
    if ch == " ":
        share = SPACE
    elif ch in NARROW_CHARS:
        share = NARROW
    elif ch in WIDE_CHARS:
        share = WIDE
    elif "A" <= ch <= "Z":
        share = CAPITAL
    elif "0" <= ch <= "9":
        share = DIGIT
    elif ord(ch) > 0x2E80:
        share = 1
    return share * style.size * (BOLD_FACTOR if style.bold else 1)


def _paragraph_lines(paragraph: str, width: float, style: TextStyle) -> int:
    lines, used = 1, 0.0
    space = _char_width(" ", style)
    for word in paragraph.split(" "):
        w = sum((_char_width(ch, style) for ch in word), 0.0)
        needed = used + space + w if used else w
        if needed <= width:
            used = needed
            continue
        if used:
            lines += 1
        while w > width:  # a word longer than the line breaks anywhere
            lines += 1
            w -= width
        used = w
    return lines


def line_count(text: str, box_width: float, style: TextStyle) -> int:
    """How many lines a text wraps to in a label this wide (padding included)."""
    if not text:
        return 0
    width = max(style.size, box_width - 2 * style.pad_x)
    return sum(_paragraph_lines(p, width, style) for p in text.split("\n"))


def text_height(text: str, box_width: float, style: TextStyle) -> float:
    lines = line_count(text, box_width, style)
    return float(math.ceil(lines * style.line_height + 2 * style.pad_y)) if lines else 0.0


def note_height(note: Note) -> float:
    """The note's height as drawn: its stored height, or taller when its text needs it."""
    if note.variant == "kaizen":
        inner = BURST_INNER * BURST_TEXT_H
        fit = text_height(note.text, note.w * BURST_INNER * BURST_TEXT_W, BURST_TEXT) / inner
    else:
        fold = min(NOTE_FOLD, note.w / 3)
        caption = CAPTION_H if note.variant == "hypothesis" else 0.0
        fit = caption + text_height(note.text, note.w - fold / 2, NOTE_TEXT) + fold / 2
    return max(note.h, float(math.ceil(fit)))


def _metric_value(metric: str, value: float) -> str:
    # As the page's experiment.js metricValue says it: the one percent rule (wording.percent).
    if metric == "activity_ratio":
        return percent(value * 100)
    if metric == "rolled_pca":
        return percent(value)
    return format_duration(value, CARD_CALENDAR)


def card_text(card: Experiment) -> str:
    """What an experiment card says: its hypothesis, then its result (model/experiment.js)."""
    metric = card.metric or "lead_time"
    verb = "raise" if metric in HIGHER_IS_BETTER else "reduce"
    if card.baseline is not None and card.target is not None:
        verb = "raise" if card.target > card.baseline else "reduce"
    start = f" from {_metric_value(metric, card.baseline)}" if card.baseline is not None else ""
    end = f" to {_metric_value(metric, card.target)}" if card.target is not None else ""
    by = f" by {card.review}" if card.review else ""
    change = card.text.strip() or "\u2026"
    name = METRIC_NAMES.get(metric, metric)
    sentence = f"We believe that by {change} we will {verb} {name}{start}{end}{by}."
    return f"{sentence} Result: {card.result}" if card.result else sentence


def card_height(card: Experiment) -> float:
    """The card's height as drawn: its stored height, or taller when its sentence needs it."""
    fit = CARD_BAND + text_height(card_text(card), card.w, CARD_TEXT)
    return max(card.h, float(math.ceil(fit)))
