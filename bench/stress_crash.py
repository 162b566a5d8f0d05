"""The crash test, long: many SIGKILLs on SQLite and PostgreSQL (tests/integration/test_crash.py).

    .venv/bin/python bench/stress_crash.py --kills 50 [--database sqlite|postgresql|both] [--seed N]

Each kill checks, against the database, that every acknowledged edit is stored
at its seq, that nothing unsent appeared, and (SQLite) the integrity check;
the run ends by comparing every client with the server and the op log.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.integration.test_crash import crash_rounds  # noqa: E402
from tests.support.databases import postgres_database  # noqa: E402
from tests.support.live import Server  # noqa: E402


def run(database: str, kills: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        if database == "sqlite":
            _run(Server(f"sqlite:///{Path(folder) / 'crash.db'}", log), kills, seed)
        else:
            with postgres_database() as url:
                _run(Server(url, log), kills, seed)


def _run(server: Server, kills: int, seed: int) -> None:
    started = time.monotonic()
    server.start()
    try:
        counts = asyncio.run(crash_rounds(server, kills=kills, seed=seed))
    finally:
        server.stop()
    took = time.monotonic() - started
    kind = server.database_url.split(":")[0]
    print(f"{kind:<20} seed {seed}: {counts} in {took:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    for database in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        run(database, args.kills, seed)


if __name__ == "__main__":
    main()
