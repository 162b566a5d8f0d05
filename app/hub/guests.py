"""Names for the people who look on without one: distinct on the board, and the same
for a browser that comes back.

A viewer may join without typing a name ("Just look"). Everyone used to read
"Guest", so three of them were one name three times in the people list, on
their cursors and in presence. The room names each (domain/names.py
`guest_name`: "Guest", "Guest 2"...) whatever its hello said, and remembers the
name by the browser's client id (hub/identity.py), so a reload or a reconnect
keeps it while the room is loaded. A connection without a key has an id of its
own and gets a new name each time, as it gets a new id.

    guests = GuestNames()
    guests.name("c-abc", [{"client": "c-xyz", "name": "Guest"}])   # 'Guest 2'
    guests.name("c-abc", [])                                        # 'Guest 2' again
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping

from app.domain.names import guest_name

# Browsers whose guest name is kept while the room is loaded. A name is a few bytes; past
# this many the longest gone is forgotten (it gets a name again, perhaps another).
MAX_REMEMBERED = 1024


class GuestNames:
    """One board's guest names by client id; names given stay reserved for their browser."""

    def __init__(self) -> None:
        self._given: OrderedDict[str, str] = OrderedDict()

    def name(self, client: str, present: Iterable[Mapping[str, str]]) -> str:
        """The name of the guest `client`, among `present` (everyone on the board, as the
        presence listing says them: `client` and `name`)."""
        others = {p["name"] for p in present if p.get("client") != client}
        known = self._given.get(client)
        if known is not None and known not in others:
            self._given.move_to_end(client)
            return known
        kept = {n for c, n in self._given.items() if c != client}
        name = guest_name(others | kept)
        self._given[client] = name
        self._given.move_to_end(client)
        while len(self._given) > MAX_REMEMBERED:
            self._given.popitem(last=False)
        return name
