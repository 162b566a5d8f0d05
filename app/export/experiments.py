"""An experiment card in words, as the canvas writes it (frontend/js/model/experiment.js).

"We believe that by <change> we will reduce lead time from 24.9d to 15d by
2027-03-01." The picture prints this on the card and the PDF lists it with the
card's status and result. Figures go through `format_duration`, the one rule
for durations, so a card reads as the rest of the map does.

    >>> from app.domain.elements import Calendar, Experiment
    >>> card = Experiment(id="x", text="pairing on reviews", baseline=960, target=480)
    >>> sentence(card, Calendar())
    'We believe that by pairing on reviews we will reduce lead time from 2d to 1d.'
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.durations import format_duration
from app.domain.elements import Calendar, Experiment

# The metrics' names as people say them (protocol.js EXPERIMENT_METRICS).
METRIC_NAMES: Mapping[str, str] = {
    "lead_time": "lead time",
    "process_time": "process time",
    "activity_ratio": "activity ratio",
    "rolled_pca": "rolled %C/A",
    "work_content": "work content",
    "expected_lead_time": "expected lead time",
}
# Metrics that are better when higher: a card aims to raise them.
HIGHER_IS_BETTER = frozenset({"activity_ratio", "rolled_pca"})
STATUS_NAMES: Mapping[str, str] = {
    "planned": "Planned",
    "running": "Running",
    "achieved": "Achieved",
    "missed": "Missed",
}


def metric_value(metric: str, value: float, calendar: Calendar) -> str:
    """A figure of `metric` as people read it: times with their unit, ratios as percents."""
    if metric == "activity_ratio":
        return f"{round(value * 1000) / 10:g}%"
    if metric == "rolled_pca":
        return f"{round(value * 10) / 10:g}%"
    return format_duration(value, calendar)


def sentence(card: Experiment, calendar: Calendar) -> str:
    """The card's hypothesis as one sentence."""
    name = METRIC_NAMES.get(card.metric, card.metric)
    change = card.text.strip() or "…"  # an empty card, as the canvas shows it
    verb = "raise" if card.metric in HIGHER_IS_BETTER else "reduce"
    if card.baseline is not None and card.target is not None:
        verb = "raise" if card.target > card.baseline else "reduce"
    start = (
        ""
        if card.baseline is None
        else f" from {metric_value(card.metric, card.baseline, calendar)}"
    )
    end = "" if card.target is None else f" to {metric_value(card.metric, card.target, calendar)}"
    by = f" by {card.review}" if card.review else ""
    return f"We believe that by {change} we will {verb} {name}{start}{end}{by}."


def card_text(card: Experiment, calendar: Calendar) -> str:
    """What the card says: the sentence, and the result once there is one."""
    said = sentence(card, calendar)
    return f"{said} Result: {card.result.strip()}" if card.result.strip() else said


def status_name(card: Experiment) -> str:
    return STATUS_NAMES.get(card.status, card.status)
