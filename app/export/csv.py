"""The map's data as CSV: one row per step with every figure, safe to open in a spreadsheet.

Steps on the path come first, in flow order; steps off the path follow, left
to right. Minutes are plain numbers (for sums and charts) and also shown as
people write them ("1d 4h", in the board's calendar).

Spreadsheet formula injection: a cell that begins with = + - @, a tab or a
carriage return would be run as a formula by Excel, LibreOffice or Google
Sheets. Every such cell gets a leading apostrophe, and so does any cell that
itself begins with an apostrophe, so reading back is exact: **drop one
leading apostrophe from every cell that starts with one** (`unescape_cell`).
A spreadsheet that splits lines on semicolons or tabs (Excel in much of Europe)
ignores the file's commas and quotes, and starts a cell after every ; tab or
line break inside ours: each such part of a cell is escaped the same way (and
read back the same way: drop one apostrophe after each ; tab or line break too).

    >>> escape_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> escape_cell("Pack;=cmd")
    "Pack;'=cmd"
    >>> unescape_cell(escape_cell("'quoted;'too")) == "'quoted;'too"
    True
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

from app.domain import measured
from app.domain.durations import format_duration, shown_duration
from app.domain.elements import Board, Calendar, Step
from app.domain.flow_path import off_path, step_place
from app.domain.metrics import Metrics
from app.domain.walk import StepWalk
from app.export.report import settled_figures

# Cells starting with these run as formulas in spreadsheets (OWASP's list), plus the
# apostrophe this escaping adds, so that escaping can always be undone.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# Where a cell starts for some spreadsheet: the cell's own start, and after each ; tab or
# line break in it (a spreadsheet splitting on those ignores our quotes). A part there
# that begins with a formula start or the escape (behind any quotes) is escaped.
_PART_START = r"(?:^|(?<=[;\t\r\n]))"
_NEEDS_ESCAPE = re.compile(_PART_START + f'(?="*[{re.escape("".join(FORMULA_STARTS))}{ESCAPE}])')
_ESCAPED = re.compile(_PART_START + ESCAPE)
# Excel reads a CSV as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"

COLUMNS = (
    "order",
    "id",
    "text",
    "on_path",
    "constraint",
    "wait_minutes",
    "wait",
    "process_minutes",
    "process",
    "lead_minutes",
    "lead",
    "lead_share_percent",
    "pca_percent",
    "people",
    "waste",
    "inventory_before",
    "estimated",
    "missing",
    "actual_wait_minutes",
    "actual_wait",
    "actual_process_minutes",
    "actual_process",
    # The forecast's spread (domain/forecast.py): a figure's low and high, where they came
    # from, and how much knowing the step exactly would pull in the 85th percentile.
    "wait_low_minutes",
    "wait_high_minutes",
    "process_low_minutes",
    "process_high_minutes",
    "spread_from",
    "p85_cut_minutes",
    # An event log's measurements (domain/measured.py): medians and how many items.
    "measured_wait_minutes",
    "measured_process_minutes",
    "measured_n",
    # Teams (domain/handoffs.py): the step's owning team, and the team that hands the
    # work to it when a flow arrow into it is a handoff.
    "owner",
    "handoff_from",
)


def escape_cell(value: str) -> str:
    """`value` made inert for spreadsheets (see the module's note)."""
    return _NEEDS_ESCAPE.sub(ESCAPE, value)


def unescape_cell(value: str) -> str:
    """The original text of a cell `escape_cell` wrote."""
    return _ESCAPED.sub("", value)


def board_csv(board: Board, metrics: Metrics, forecast: Mapping[str, Any] | None = None) -> str:
    """The CSV text (with a BOM, CRLF line ends as RFC 4180 says); `forecast`, the
    forecast's JSON, fills the spread columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    spread = _spread(forecast)
    for row in _rows(board, metrics):
        row |= spread.get(row["id"], {}) | _measured(board, row["id"])
        writer.writerow([escape_cell(row.get(column, "")) for column in COLUMNS])
    return BOM + out.getvalue()


def _rows(board: Board, metrics: Metrics) -> list[dict[str, str]]:
    cal = board.calendar
    walks: Mapping[str, StepWalk] = (
        {w.id: w for w in metrics.example.steps} if metrics.example else {}
    )
    missing = {m.id: m.lacks for m in metrics.missing}
    constraint = metrics.constraint.id if metrics.constraint else None
    steps = {s.id: s for s in board.steps()}
    rows = []
    for order, p in enumerate(metrics.steps, start=1):
        row = _figures(steps[p.id], p.wait_minutes, p.process_minutes, cal)
        row |= {
            "order": str(order),
            "on_path": "yes",
            "constraint": "yes" if p.id == constraint else "no",
            # A step without a wait or a work time has no lead time yet (not 0m, 0 %).
            **({
                "lead_minutes": _number(p.lead_minutes),
                "lead": format_duration(p.lead_minutes, cal),
                "lead_share_percent": _number(round(p.lead_share * 100, 2)),
            } if p.timed else {}),
            "inventory_before": "" if p.inventory is None else str(p.inventory),
        }
        walk = walks.get(p.id)
        if walk is not None:
            row |= _actuals(walk, cal)
        rows.append(row)
    for s in off_path(steps.values(), metrics.path, step_place):
        wait, process = settled_figures(s, metrics)
        row = _figures(s, wait, process, cal) | {"on_path": "no", "constraint": "no"}
        if wait is not None or process is not None:  # its share of the path's: none
            lead = (wait or 0.0) + (process or 0.0)
            row |= {"lead_minutes": _number(lead), "lead": format_duration(lead, cal)}
        rows.append(row)
    teams = _teams(board, metrics)
    for row in rows:
        row["estimated"] = ";".join(metrics.estimated.get(row["id"], ()))
        row["missing"] = ";".join(missing.get(row["id"], ()))
        row |= teams.get(row["id"], {})
    return rows


def _teams(board: Board, metrics: Metrics) -> dict[str, dict[str, str]]:
    """Per step id, its owner's name and, for a step that receives a handoff, the giver's."""
    names = {t.id: t.name for t in board.teams}
    steps = {s.id: s for s in board.steps()}
    out = {s.id: {"owner": names[s.owner]} for s in steps.values() if s.owner in names}
    for source, target in metrics.handoffs.edges:
        giver = names[steps[source].owner or ""]
        row = out.setdefault(target, {})
        row["handoff_from"] = _joined(row.get("handoff_from", ""), giver)
    return out


def _joined(listed: str, name: str) -> str:
    """`name` added to a ;-separated list unless it is there already."""
    names = [n for n in listed.split(";") if n]
    return ";".join(names if name in names else [*names, name])


def _figures(
    step: Step, wait: float | None, process: float | None, cal: Calendar
) -> dict[str, str]:
    """The columns every step has, whether on the path or not."""
    return {
        "id": step.id,
        "text": step.text,
        "wait_minutes": _number(wait),
        "wait": _duration(wait, cal, step.wait_text),
        "process_minutes": _number(process),
        "process": _duration(process, cal, step.process_text),
        "pca_percent": _number(step.pca),
        "people": "" if step.people is None else str(step.people),
        "waste": ";".join(step.waste),
    }


def _spread(forecast: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """Per step id, the spread columns from the forecast's `ranged` and `measure_next`."""
    out: dict[str, dict[str, str]] = {}
    if not forecast:
        return out
    for r in forecast.get("ranged", ()):
        figure = "wait" if r["field"] == "wait_minutes" else "process"
        row = out.setdefault(r["id"], {})
        row[f"{figure}_low_minutes"] = _number(r["low"])
        row[f"{figure}_high_minutes"] = _number(r["high"])
        sources = [s for s in row.get("spread_from", "").split(";") if s]
        row["spread_from"] = ";".join(dict.fromkeys([*sources, r["source"]]))
    for r in forecast.get("measure_next", ()):
        out.setdefault(r["id"], {})["p85_cut_minutes"] = _number(r["p85_cut_minutes"])
    return out


def _measured(board: Board, step_id: str) -> dict[str, str]:
    """The measured columns of a step the board's event log measured."""
    if board.measured is None:
        return {}
    wait, process, n = measured.step_figures(board.measured, step_id)
    if n is None:
        return {}
    return {
        "measured_wait_minutes": _number(wait),
        "measured_process_minutes": _number(process),
        "measured_n": str(n),
    }


def _actuals(walk: StepWalk, cal: Calendar) -> dict[str, str]:
    return {
        "actual_wait_minutes": _number(walk.wait_minutes),
        "actual_wait": _duration(walk.wait_minutes, cal),
        "actual_process_minutes": _number(walk.process_minutes),
        "actual_process": _duration(walk.process_minutes, cal),
    }


def _number(value: float | None) -> str:
    """A figure as a plain number: no trailing ".0", at most three decimals."""
    if value is None:
        return ""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _duration(minutes: float | None, cal: Calendar, typed: str | None = None) -> str:
    return "" if minutes is None else shown_duration(minutes, typed, cal)
