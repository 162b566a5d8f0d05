"""What changed between two JSON documents, as a short list of paths and values.

A board's metrics are about 5 KB for two dozen steps, and most edits change a
handful of figures in them: a step's text, the lead time and each step's share
of it. Sending everyone the whole document after every edit made the metrics
most of the bytes a busy board sent (and bytes are most of what a broadcast
costs). A patch says only what changed:

    >>> diff({"lt": 10, "steps": [{"id": "a", "w": 1}]}, {"lt": 12, "steps": [{"id": "a", "w": 3}]})
    [['lt', 12], ['steps', 0, 'w', 3]]
    >>> apply({"lt": 10, "steps": [{"id": "a", "w": 1}]}, [['lt', 12], ['steps', 0, 'w', 3]])
    {'lt': 12, 'steps': [{'id': 'a', 'w': 3}]}

Each change is a path (object keys and list indices) followed by the new
value: `[key, ..., value]`. An object whose keys changed, or a list whose
length changed, is set whole at its own path. Two documents whose top-level
keys differ have no patch (`diff` returns None): send the whole document.

`apply` never changes its input; it copies the objects along each path, so a
reader that compares documents by identity sees a new one. The browser's
mirror is frontend/js/model/patch.js; both are held to
tests/fixtures/patch/cases.json.
"""

from __future__ import annotations

from typing import Any

Json = Any
Change = list[Any]  # [key or index, ..., new value]


def diff(before: dict[str, Json], after: dict[str, Json]) -> list[Change] | None:
    """The changes that turn `before` into `after`; None when their top-level keys differ."""
    if before.keys() != after.keys():
        return None
    changes: list[Change] = []
    _diff_in(before, after, [], changes)
    return changes


# The hot loop: most values are unchanged scalars, compared in the loop itself without a
# call. A value whose type changed is a change even when Python finds it equal: 1, 1.0 and
# True are one in Python, not in JSON.
def _diff_in(old: Json, new: Json, path: list[Any], changes: list[Change]) -> None:
    """The changes inside two dicts with the same keys, or two lists of the same length."""
    for key, n in new.items() if type(new) is dict else enumerate(new):
        o = old[key]
        if o is n:
            continue
        kind = type(n)
        if kind is not type(o):
            changes.append([*path, key, n])
        elif kind is dict or kind is list:
            if o.keys() != n.keys() if kind is dict else len(o) != len(n):
                changes.append([*path, key, n])  # set whole: a patch never adds keys
            else:
                _diff_in(o, n, [*path, key], changes)
        elif o != n:
            changes.append([*path, key, n])


def apply(document: dict[str, Json], changes: list[Change]) -> dict[str, Json]:
    """`document` with the changes made, in order; raises PatchError if a path is not there."""
    result: dict[str, Json] = dict(document)
    # The containers this made (by id, kept alive so no id is reused): each is copied once.
    fresh: dict[int, Any] = {id(result): result}
    for change in changes:
        if not isinstance(change, list) or len(change) < 2:
            raise PatchError(f"a change is [path..., value], not {change!r}")
        *path, value = change
        parent: Any = result
        for key in path[:-1]:
            child = _child(parent, key)
            if id(child) not in fresh:
                if not isinstance(child, dict | list):
                    raise PatchError(f"nothing to go into at {key!r}")
                child = dict(child) if isinstance(child, dict) else list(child)
                parent[key] = fresh[id(child)] = child
            parent = child
        _child(parent, path[-1])  # the place must exist: a patch never adds keys
        parent[path[-1]] = value
    return result


def _child(container: Any, key: Any) -> Any:
    if isinstance(container, dict) and isinstance(key, str) and key in container:
        return container[key]
    if (
        isinstance(container, list)
        and isinstance(key, int)
        and not isinstance(key, bool)
        and 0 <= key < len(container)
    ):
        return container[key]
    raise PatchError(f"no {key!r} to change")


class PatchError(ValueError):
    """A patch that does not fit the document it was meant for."""
