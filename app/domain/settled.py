"""A step's wait and process time as the metrics read them, told once for every reader.

`compute_metrics` settles every step, on the path or off it: the event log's
median where the map uses its measurements (figures_from "measured") and the log
measured that figure, else the step's own figure, and for a figure it lacks the
median of the participants' estimates. The metrics' `steps` carry this for the
path; the CSV, the PDF's steps table (app/export/report.py, on the metrics object)
and the validation review (validation.py, on the metrics' JSON) show it for the
steps off the path too, from this one function, so the three never differ.

    >>> log = {"steps": {"s1": {"wait": {"n": 3, "median": 90}, "process": None}}}
    >>> settled_times("s1", 60.0, None, measured=log, medians={"process_minutes": 30.0})
    (90.0, 30.0)
    >>> settled_times("s1", 60.0, None, measured=None, medians={})
    (60.0, None)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# A step's time fields and the parts of its measurement that read them.
TIMES: tuple[tuple[str, str], ...] = (("wait_minutes", "wait"), ("process_minutes", "process"))


def settled_times(
    step_id: str,
    wait: float | None,
    process: float | None,
    *,
    measured: Mapping[str, Any] | None,
    medians: Mapping[str, float],
) -> tuple[float | None, float | None]:
    """(wait, process) of a step as the metrics settle them.

    `measured` is the board's measurement summary when the metrics use it (None when they
    use the map's own figures); `medians` the median of participants' estimates per field
    ("wait_minutes", "process_minutes") for this step.
    """
    found = ((measured or {}).get("steps") or {}).get(step_id) or {}
    times: dict[str, float | None] = {"wait_minutes": wait, "process_minutes": process}
    for field, part in TIMES:
        if found.get(part):
            times[field] = float(found[part]["median"])
        elif times[field] is None and field in medians:
            times[field] = float(medians[field])
    return times["wait_minutes"], times["process_minutes"]
