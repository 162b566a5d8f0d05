"""What the PDF report says, as plain text: totals, the step table, the rules used.

Kept apart from the PDF drawing so the wording is easy to read, review and
test; pdf.py lays it out. All of it is derived from the board and its metrics.

    >>> from app.domain.demo import demo_board
    >>> from app.domain.metrics import compute_metrics
    >>> board = demo_board()
    >>> dict(totals(board, compute_metrics(board)))["Lead time"]
    '24.9d (11940 min)'
"""

from __future__ import annotations

from app.domain.demand import flag_sentence
from app.domain.durations import format_duration, shown_duration
from app.domain.elements import WASTE_LABELS, Board, Step
from app.domain.flow_path import off_path, step_place
from app.domain.handoffs import handoffs_json
from app.domain.metrics import MEASURED, NO_COUNT, NOT_KNOWN, Metrics
from app.domain.settled import settled_times
from app.domain.wording import whole_percent

# What the report says while the board has no validation yet (issue 5's Validate part).
NOT_VALIDATED = "Not validated: participants have not yet agreed or disputed this map's steps."
_BY_STATE = {
    "validated": "Validated: every invited participant signed off the latest published version.",
    "published": "Published, not yet validated: waiting for every invited participant to sign off.",
}


def validation_words(state: str) -> str:
    """The board's validation status in words, for the report."""
    return _BY_STATE.get(state, NOT_VALIDATED)


STEP_HEADINGS = (
    "#", "Step", "Wait", "Process", "Lead", "Share", "%C/A", "People", "Queue", "Waste",
    "Actual\nwait", "Actual\nprocess",
)  # fmt: skip
# The example walk's columns (the last two): shown only when an item was walked.
ACTUAL_COLUMNS = 2
_FIGURE_NAMES = {
    "wait_minutes": "wait",
    "process_minutes": "process time",
    "pca": "%C/A",
    "connection": "a flow arrow",
    NO_COUNT: "item count",
}


def totals(board: Board, metrics: Metrics) -> list[tuple[str, str]]:
    """(name, value) rows of the totals table, minutes beside the working-time figure."""
    shown = metrics.display()

    def both(key: str, minutes: float) -> str:
        return shown[key] if shown[key] == NOT_KNOWN else f"{shown[key]} ({minutes:.0f} min)"

    rows = [
        ("Lead time", both("lead_time", metrics.lead_time_minutes)),
        ("Process time", both("process_time", metrics.process_time_minutes)),
        ("Work content", both("work_content", metrics.work_content_minutes)),
        ("Activity ratio", shown["activity_ratio"]),
        ("Rolled %C/A", shown["rolled_pca"]),
    ]
    if metrics.expected_lead_time_minutes > metrics.lead_time_minutes:
        rows.insert(
            1,
            ("Expected lead time", both("expected_lead_time", metrics.expected_lead_time_minutes)),
        )
        rows.insert(5, ("Activity ratio with rework", shown["expected_activity_ratio"]))
    rows.append(("Constraint", metrics.constraint.reason if metrics.constraint else "none yet"))
    if metrics.example is not None:
        rows.append(
            (
                "Example item",
                f"{shown['example_lead_time']} lead time, {shown['example_process_time']} "
                f"process time ({shown['example_activity_ratio']} activity ratio)",
            )
        )
    rows += _demand_rows(metrics) + _measured_rows(metrics)
    rows.append(("Steps on the path", f"{len(metrics.path)} of {len(board.steps())}"))
    return rows


def _demand_rows(metrics: Metrics) -> list[tuple[str, str]]:
    """Takt time and the queues that disagree with their steps' waits, with a demand."""
    takt, demand = metrics.demand.takt_minutes, metrics.demand_per_day
    if takt is None or demand is None:
        return []
    cal = metrics.calendar
    rows = [("Takt time", f"{format_duration(takt, cal)} (customer demand {demand:g} a day)")]
    for flag in metrics.demand.flags:
        rows.append(("Queue to discuss", flag_sentence(flag, demand, cal)))
    return rows


def _measured_rows(metrics: Metrics) -> list[tuple[str, str]]:
    """Where an event log's measurements came from, their lead time, a hidden queue."""
    summary = metrics.measured
    if not summary:
        return []
    source = summary.get("source") or {}
    lead = metrics.display().get("measured_lead_time")
    said = f"from {source.get('file') or 'an event log'}, {source.get('items', 0)} items"
    if source.get("from") and source.get("to"):
        said += f", {source['from']} to {source['to']}"
    if lead:
        said += f"; lead time {lead} (median)"
    used = "measured" if metrics.figures_from == "measured" else "the map's estimates"
    rows = [("Measured", f"{said}. The figures above use {used}.")]
    hidden = summary.get("hidden_queue") or {}
    if hidden.get("flag") and hidden.get("text"):
        rows.append(("Hidden queue", str(hidden["text"])))
    return rows


def step_table(board: Board, metrics: Metrics) -> tuple[list[str], list[list[str]]]:
    """The step table's headings and rows; the actual times only when an item was walked."""
    rows = step_rows(board, metrics)
    if metrics.example is not None:
        return list(STEP_HEADINGS), rows
    return list(STEP_HEADINGS[:-ACTUAL_COLUMNS]), [row[:-ACTUAL_COLUMNS] for row in rows]


def step_rows(board: Board, metrics: Metrics) -> list[list[str]]:
    """One row per step on the path, in flow order, then the steps off it."""
    cal = board.calendar

    def duration(minutes: float | None, typed: str | None = None) -> str:
        return "—" if minutes is None else shown_duration(minutes, typed, cal)

    walks = {w.id: w for w in metrics.example.steps} if metrics.example else {}
    constraint = metrics.constraint.id if metrics.constraint else None
    steps = {s.id: s for s in board.steps()}
    rows = []
    for i, p in enumerate(metrics.steps, start=1):
        s = steps[p.id]
        walk = walks.get(p.id)
        name = (s.text.strip() or p.id) + ("  [constraint]" if p.id == constraint else "")
        estimated = metrics.estimated.get(p.id, ())
        rows.append(
            [
                str(i),
                name,
                ("~" if "wait_minutes" in estimated else "")
                + duration(p.wait_minutes, s.wait_text),
                ("~" if "process_minutes" in estimated else "")
                + duration(p.process_minutes, s.process_text),
                duration(p.lead_minutes) if p.timed else "—",
                whole_percent(p.lead_share) if p.timed else "—",
                "—" if p.pca is None else f"{p.pca:g}%",
                "—" if s.people is None else str(s.people),
                "—" if p.inventory is None else str(p.inventory),
                ", ".join(WASTE_LABELS.get(w, w) for w in s.waste),
                duration(walk.wait_minutes) if walk else "",
                duration(walk.process_minutes) if walk else "",
            ]
        )
    for s in off_path(steps.values(), metrics.path, step_place):
        wait, process = settled_figures(s, metrics)
        estimated = metrics.estimated.get(s.id, ())
        rows.append(
            [
                "off",
                (s.text.strip() or s.id) + "  [off the path]",
                ("~" if "wait_minutes" in estimated else "") + duration(wait, s.wait_text),
                ("~" if "process_minutes" in estimated else "") + duration(process, s.process_text),
                ""
                if wait is None and process is None
                else duration((wait or 0.0) + (process or 0.0)),
                "",
                "—" if s.pca is None else f"{s.pca:g}%",
                "—" if s.people is None else str(s.people),
                "",
                ", ".join(WASTE_LABELS.get(w, w) for w in s.waste),
                "",
                "",
            ]
        )
    return rows


def missing_lines(metrics: Metrics) -> list[str]:
    """What data the map still lacks, one line per step."""
    lines = []
    for m in metrics.missing:
        lacks = ", ".join(_FIGURE_NAMES.get(f, f) for f in m.lacks)
        # An inventory seldom has a name: its kind says more than its id.
        name = " ".join(m.text.split()) or ("Inventory" if NO_COUNT in m.lacks else m.id)
        lines.append(f"{name}: no {lacks} yet")
    return lines


def rules(board: Board, metrics: Metrics) -> list[str]:
    """The calculation rules this map's numbers were worked out with."""
    cal = board.calendar
    out = [
        f"Durations are working time: 1d is a working day of {cal.hours_per_day:g} hours, "
        f"1w a working week of {cal.days_per_week:g} days.",
        (
            "The path follows the flow arrows. Where flow branches, the longest route by lead "
            "time is the path (the critical path); a step no flow arrow joins to that flow is "
            "left off it and listed."
            if metrics.ordered_by == "connectors"
            else "No flow arrows join the steps, so the path reads the steps left to right."
        ),
        "A step's lead time is its wait plus its process time. Lead time is the sum of the "
        "lead times along the path; process time is the process time on the path; work "
        "content is the process time of every step, on the path or not.",
        "Activity ratio (flow efficiency) = process time ÷ lead time.",
        "Rolled %C/A = the product of the %C/A of the steps on the path; a step without "
        "a %C/A counts as 100%.",
        "Rework: an arrow from step B back to step A with rate r sends a share r of the items "
        "round A..B again, so the expected lead time adds LT(A..B) × r ÷ (1 − r) and the "
        "expected work content PT(A..B) × r ÷ (1 − r); a loop inside another is repeated "
        "with each trip round the outer one.",
        "Constraint: the step on the path with the longest wait before it; ties go to the "
        "larger inventory queued before it, then the longer process time.",
        f"Missing figures never stop the map: a missing {_FIGURE_NAMES['wait_minutes']} or "
        "process time counts as 0 and a missing %C/A as 100%; an inventory without a count "
        "is unknown, not 0; what lacks data is listed.",
    ]
    if metrics.estimated:
        out.append(
            "Figures marked ~ are not settled yet: they are the median of the participants' "
            "estimates."
        )
    if metrics.example is not None:
        out.append(
            "Actual times come from one real item walked through the map, counted in working "
            "time of the calendar above."
        )
    return out


TEAM_HEADINGS = ("Team", "Its steps, in flow order", "Process", "Wait", "%C/A")


def team_rows(board: Board, metrics: Metrics) -> list[list[str]]:
    """Each team that owns steps, in the board's order: its steps by name (so each team
    can check its own part) and its figures over its steps on the path. [] without teams."""
    names = {s.id: s.text.strip() or "Untitled step" for s in board.steps()}
    cal = board.calendar
    return [
        [
            t.name,
            ", ".join(names.get(s, s) for s in t.steps),
            format_duration(t.process_minutes, cal),
            format_duration(t.wait_minutes, cal),
            whole_percent(t.rolled_pca, scale=1),
        ]
        for t in metrics.teams
    ]


def handoff_line(board: Board, metrics: Metrics) -> str:
    """The handoffs on the path in a sentence, as the Flow panel says them; '' without teams."""
    if not metrics.teams:
        return ""
    found = metrics.handoffs
    if not found.count:
        return "Handoffs: none on the path."
    shown = handoffs_json(found, board.calendar)["display"]
    plural = "" if found.count == 1 else "s"
    return (
        f"Handoffs: {found.count} on the path, where the work passes to another team; "
        f"{shown['wait']} of waiting at handoff{plural} ({shown['share']} of lead time)."
    )


def settled_figures(step: Step, metrics: Metrics) -> tuple[float | None, float | None]:
    """An off-path step's wait and process time as the metrics read them (compute_metrics
    settles every step, on the path or off it; domain/settled.py says how). The CSV and the
    PDF's table show these, and the validation review the same from the metrics' JSON."""
    return settled_times(
        step.id,
        step.wait_minutes,
        step.process_minutes,
        measured=metrics.measured if metrics.figures_from == MEASURED else None,
        medians={field: sp.median for field, sp in metrics.spreads.get(step.id, {}).items()},
    )
