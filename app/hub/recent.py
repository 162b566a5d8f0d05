"""A room's last operations, kept encoded: what a returning peer missed, out of the GC's way.

Each open board keeps its last 1,000 entries so a peer that comes back says
its last seq and gets only what it missed. As dicts, that is two or three
objects the garbage collector tracks per entry: with fifty open boards, some
150,000 objects that a full collection scans (about 70 ms on a slow core,
every board stalled meanwhile). Kept as their JSON bytes, with their seqs in
a deque of ints, they are invisible to it, and smaller. The bytes are the
entries' encoding in the `ops` frame too, so encoding them here costs nothing
extra: the frame is joined from them.

    recent = RecentLog(1000)
    blobs = recent.extend(entries)           # the entries' JSON, oldest first
    recent.ops_frame(blobs)                  # b'{"type":"ops","ops":[...]}'
    recent.since(41)                         # entries after seq 41, for a welcome
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

_OPS_HEAD, _OPS_TAIL = b'{"type":"ops","ops":[', b"]}"


class RecentLog:
    __slots__ = ("_blobs", "_seqs")

    def __init__(self, limit: int, entries: Iterable[Mapping[str, Any]] = ()) -> None:
        self._seqs: deque[int] = deque(maxlen=limit)
        self._blobs: deque[bytes] = deque(maxlen=limit)
        self.extend(entries)

    def extend(self, entries: Iterable[Mapping[str, Any]]) -> list[bytes]:
        """Keep these entries (in seq order, after what is kept); returns their JSON."""
        blobs = []
        for entry in entries:
            blob = orjson.dumps(entry)
            self._seqs.append(entry["seq"])
            self._blobs.append(blob)
            blobs.append(blob)
        return blobs

    @staticmethod
    def ops_frame(blobs: list[bytes]) -> bytes:
        """The `ops` message of these entries, byte for byte what encoding it whole gives."""
        return _OPS_HEAD + b",".join(blobs) + _OPS_TAIL

    @property
    def oldest(self) -> int | None:
        return self._seqs[0] if self._seqs else None

    def since(self, seq: int) -> list[orjson.Fragment]:
        """The kept entries after `seq`, ready to go into a message as they are."""
        return [
            orjson.Fragment(blob)
            for kept, blob in zip(self._seqs, self._blobs, strict=True)
            if kept > seq
        ]

    def cid_at(self, seq: int) -> tuple[bool, str | None]:
        """Whether the entry at `seq` is kept, and its cid (None: it has none)."""
        oldest = self.oldest
        if oldest is None or not oldest <= seq < oldest + len(self._seqs):
            return False, None
        cid = orjson.loads(self._blobs[seq - oldest]).get("cid")  # seqs run on without a gap
        return True, cid if isinstance(cid, str) else None

    def __len__(self) -> int:
        return len(self._seqs)
