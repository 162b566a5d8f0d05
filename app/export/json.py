"""The map as JSON, with full fidelity, and a JSON export back into a new board.

The export holds everything a board is: its frame and calendar, every element
(steps, inventory, notes, arrows, and the comments, estimates and dot votes
hanging off them), plus the metrics as computed, under a format name and
version so later versions can read older files.

Importing goes through the domain like any edit: the elements become create
operations applied to an empty board, so a hand-edited or hostile file meets
exactly the validation a live edit meets. What the server stamps itself (who
set a figure, who wrote a comment, and when) is not taken from the file; the
numbers, and so the metrics, are.

    >>> from app.domain.demo import demo_board
    >>> from app.domain.metrics import compute_metrics
    >>> board = demo_board()
    >>> exported = export_document(board, compute_metrics(board))
    >>> imported = plan_import(exported)
    >>> compute_metrics(imported.board).to_json() == exported["metrics"]
    True
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from app.domain.echo import excerpt
from app.domain.elements import FRAME_FIELDS, FRAME_NUMBERS, Board
from app.domain.metrics import Metrics
from app.domain.operations import (
    MAX_ELEMENTS,
    Create,
    Entry,
    Operation,
    Rejection,
    SetBoard,
    Update,
    apply_many,
)
from app.domain.ranges import with_ranges
from app.domain.serialize import element_to_json, frame_to_json, teams_to_json

FORMAT = "flowmap-board"
# Bump when the shape changes in a way older readers would misread.
VERSION = 1
# Fields the server stamps from the connection: never taken from a file.
SERVER_STAMPED = ("provenance", "author", "author_id", "at")
# What a board made from a file without a title is called.
UNTITLED = "Imported map"
# Where in the file a problem is: keys and list indices, outermost first.
Location = tuple[str | int, ...]
# Create in this order, so that whatever an element refers to exists before it.
_KIND_ORDER = (
    "step", "inventory", "note", "experiment", "connector", "vote", "comment", "estimate", "dot",
)  # fmt: skip


def export_document(
    board: Board, metrics: Metrics, forecast: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The export as a JSON-able dict; `forecast`: the lead-time forecast's JSON, or null."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "board": frame_to_json(board),
        "elements": with_ranges([element_to_json(e) for e in board.elements.values()], board),
        "metrics": metrics.to_json(),
        "forecast": forecast,
    }


def board_json(board: Board, metrics: Metrics, forecast: Mapping[str, Any] | None = None) -> bytes:
    """The export as UTF-8 JSON, indented for people who read it."""
    document = export_document(board, metrics, forecast)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    # A lone surrogate (possible in text that arrived as JSON) cannot be UTF-8; written as
    # its \\uXXXX escape it is still valid JSON and reads back as the same text.
    return text.encode("utf-8", "backslashreplace")


class ImportRefused(ValueError):
    """A file that cannot become a board; the message says what is wrong with it.

    `loc` says where in the file, as a path of keys and indices (("elements", 3)).
    """

    def __init__(self, reason: str, loc: Location = ()) -> None:
        super().__init__(reason)
        self.loc = loc


class Imported(NamedTuple):
    """A validated import: the board's frame and calendar, and the entries to store."""

    frame: dict[str, Any]
    entries: list[Entry]
    board: Board


def plan_import(data: Mapping[str, Any]) -> Imported:
    """Validate an export and turn it into a board; raises ImportRefused with the reason."""
    if data.get("format") != FORMAT:
        raise ImportRefused(
            f"this is not a Flowmap board export (format must be {FORMAT!r})", ("format",)
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise ImportRefused(
            f"unsupported export version {version!r}; this Flowmap reads 1", ("version",)
        )
    frame_in = data.get("board")
    elements = data.get("elements")
    if not isinstance(frame_in, Mapping):
        raise ImportRefused(
            "'board' must be an object with the map's title, scope, ...", ("board",)
        )
    if not isinstance(elements, list):
        raise ImportRefused("'elements' must be a list", ("elements",))
    if len(elements) > MAX_ELEMENTS:
        raise ImportRefused(
            f"too many elements ({len(elements)}; at most {MAX_ELEMENTS})", ("elements",)
        )
    frame = _frame(frame_in)
    creates, closes, names = _creates(elements)
    ops: list[Operation] = [SetBoard(frame), *creates, *closes]
    board, results = apply_many(Board(id="import"), ops)
    for (name, loc), result in zip(
        [("the board's frame", ("board",)), *names], results, strict=True
    ):
        if isinstance(result, Rejection):
            raise ImportRefused(f"{name}: {result.reason}", loc)
    entries = [r for r in results[1:] if not isinstance(r, Rejection)]
    stored = {name: getattr(board, name) for name in FRAME_FIELDS}
    stored |= {
        "hours_per_day": board.calendar.hours_per_day,
        "days_per_week": board.calendar.days_per_week,
    }
    stored |= {name: getattr(board, name) for name in FRAME_NUMBERS}
    stored |= {name: getattr(board, name) for name in _MEASURED}
    stored |= {"teams": teams_to_json(board.teams), "swimlanes": board.swimlanes}
    return Imported(stored, entries, board)


# An exported map keeps its measurements, checked like any board op's (measured_shape.py).
_MEASURED = ("measured", "figures_from")
# And its teams (which its steps' owners name) and whether it is drawn in lanes.
_TEAMS = ("teams", "swimlanes")


def _frame(frame: Mapping[str, Any]) -> dict[str, Any]:
    """The frame fields and calendar to set; the session (lock, timer) starts afresh."""
    wanted = (*FRAME_FIELDS, "hours_per_day", "days_per_week", *FRAME_NUMBERS, *_MEASURED, *_TEAMS)
    out = {name: frame[name] for name in wanted if name in frame}
    title = out.get("title", "")
    if isinstance(title, str) and not title.strip():
        out["title"] = UNTITLED  # anything else but text is refused like any bad title
    return out


def _creates(
    elements: Sequence[Any],
) -> tuple[list[Create], list[Update], list[tuple[str, Location]]]:
    """Create operations in an order that satisfies references, the votes to close after,
    and a name for each create's element to say which one a refusal is about."""
    ready: list[tuple[int, int, int, dict[str, Any]]] = []
    closes: list[Update] = []
    closed: list[int] = []
    for i, raw in enumerate(elements):
        if not isinstance(raw, Mapping):
            raise ImportRefused(f"elements[{i}] must be an object", ("elements", i))
        element = {k: v for k, v in raw.items() if k not in SERVER_STAMPED}
        kind = element.get("kind")
        rank = _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)
        # A reply comes after the comment it answers.
        reply = 1 if kind == "comment" and element.get("parent") is not None else 0
        if kind == "vote" and element.get("open") is False:
            # Dots go into an open vote; it is closed again once they are in.
            element["open"] = True
            closes.append(Update(str(element.get("id")), {"open": False}))
            closed.append(i)
        ready.append((rank, reply, i, element))
    ready.sort(key=lambda item: item[:3])
    names: list[tuple[str, Location]] = [
        (f"element {excerpt(e.get('id'))} ({e.get('kind')}, elements[{i}])", ("elements", i))
        for _, _, i, e in ready
    ]
    names += [
        (f"closing vote {excerpt(u.id)}", ("elements", i))
        for u, i in zip(closes, closed, strict=True)
    ]
    return [Create(e) for *_, e in ready], closes, names
