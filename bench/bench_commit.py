"""W3's commits without the rest: the SQLite store's CPU per commit on 50 boards.

bench/bench_hub.py leaves SQLite out; this is the other half. One process commits
one op at a time to 50 boards in turn through SqlBoardStore.commit_now (on the event
loop, as a room does; on the database thread when that cannot), letting the loop turn
every few commits so the checkpoints run beside them on the database thread, as in
the server. It prints the process's CPU time per commit (every thread, user and
system: the kernel's work on the log counts) and the size the write-ahead log was
left at.

    python bench/bench_commit.py [COMMITS]

On 2026-12-04 (30,000 commits, alternating, on a machine shared with other work):
before the checkpoint changes of issue 20, 37.9, 41.0, 37.4 µs a commit with the log
at 500, 502, 356 MB; after them 33.2, 35.5, 32.9 µs with the log at 70-94 MB.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import Settings  # noqa: E402
from app.hub.ports import StoredOp  # noqa: E402
from app.store import repository  # noqa: E402
from app.store.db import Database, migrate  # noqa: E402

BOARDS, COMMITS, WARMUP = 50, 30_000, 3_000
TEXT = "x" * 60  # about the size of W3's edits


async def run(commits: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / "bench.db"
        db = Database(Settings(database_url=f"sqlite:///{path}"))
        migrate(db.engine)
        boards = [repository.create_board(db.engine, {"title": "b"})[0] for _ in range(BOARDS)]
        store = repository.SqlBoardStore(db)
        await store.open()
        seqs = dict.fromkeys(boards, 0)

        async def commit(n: int) -> None:
            board = boards[(n * 7919) % BOARDS]  # the boards in a scattered order
            seq = seqs[board] + 1
            cid = f"{board}.{seq}"
            entry = {"seq": seq, "cid": cid, "op": "update", "id": "s1", "set": {"text": TEXT}}
            ops = [StoredOp(seq, cid, "Ana", entry)]
            if not store.commit_now(board, seq - 1, ops, None):
                await store.commit(board, seq - 1, ops, None)
            seqs[board] = seq

        for n in range(WARMUP):
            await commit(n)
        cpu = time.process_time()
        for n in range(WARMUP, WARMUP + commits):
            await commit(n)
            if n % 4 == 0:
                await asyncio.sleep(0)  # the loop turns: a checkpoint may start meanwhile
        await asyncio.sleep(0.2)  # the last checkpoint's work counts too
        cpu = time.process_time() - cpu
        wal = Path(f"{path}-wal").stat().st_size  # noqa: ASYNC240 (after the measure)
        await store.close()
        db.close()
    return 1e6 * cpu / commits, wal


def main() -> None:
    commits = int(sys.argv[1]) if len(sys.argv) > 1 else COMMITS
    per_commit, wal = asyncio.run(run(commits))
    print(f"{per_commit:.1f} µs CPU per commit  write-ahead log {wal / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
