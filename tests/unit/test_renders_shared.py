"""One render per file of a board state, shared by everyone who asks (api/renders.py).

After a workshop a dozen people export the same PDF at once: each waited for all the
renders queued before theirs, two at a time, and a viewer asking again and again held
the render slots every board's exports wait on."""

from __future__ import annotations

import asyncio
import threading

from app.api import renders
from app.api.renders import Renders
from app.export.formats import Rendered


class Maker:
    """A render that counts its calls and finishes when the test says so."""

    def __init__(self) -> None:
        self.calls = 0
        self.go = threading.Event()

    def __call__(self) -> Rendered:
        self.calls += 1
        self.go.wait(5)
        return Rendered(b"%PDF " + str(self.calls).encode(), "application/pdf", "m.pdf", "x")


async def test_everyone_asking_at_once_shares_one_render_and_later_askers_get_it_kept() -> None:
    shared, make = Renders(), Maker()
    askers = [asyncio.create_task(shared.get(("b", 7, "pdf", None), make)) for _ in range(12)]
    await asyncio.sleep(0.05)
    make.go.set()
    files = await asyncio.gather(*askers)
    assert make.calls == 1 and {f.content for f in files} == {b"%PDF 1"}
    assert (await shared.get(("b", 7, "pdf", None), make)).content == b"%PDF 1"
    assert make.calls == 1
    # Another state of the board is another file.
    assert (await shared.get(("b", 8, "pdf", None), make)).content == b"%PDF 2"


async def test_one_asker_leaving_does_not_stop_the_others_file() -> None:
    shared, make = Renders(), Maker()
    first = asyncio.create_task(shared.get(("b", 1, "png", None), make))
    second = asyncio.create_task(shared.get(("b", 1, "png", None), make))
    await asyncio.sleep(0.05)
    first.cancel()  # a tab closed
    make.go.set()
    assert (await second).content == b"%PDF 1" and make.calls == 1


async def test_a_failed_render_is_not_kept_and_the_next_ask_tries_again() -> None:
    shared, calls = Renders(), []

    def broken() -> Rendered:
        calls.append(1)
        raise RuntimeError("resvg gave up")

    for _ in range(2):
        try:
            await shared.get(("b", 1, "pdf", None), broken)
        except RuntimeError:
            pass
    assert len(calls) == 2


async def test_kept_files_expire_and_are_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    now = [0.0]
    shared, make = Renders(clock=lambda: now[0]), Maker()
    make.go.set()
    await shared.get(("b", 1, "pdf", None), make)
    now[0] = renders.KEEP_SECONDS + 1
    await shared.get(("b", 1, "pdf", None), make)
    assert make.calls == 2
    for seq in range(renders.KEEP_FILES + 5):
        await shared.get(("c", seq, "pdf", None), make)
    assert len(shared._kept) == renders.KEEP_FILES


async def test_a_failed_render_nobody_waits_for_is_not_logged_as_never_retrieved(
    caplog,  # type: ignore[no-untyped-def]
) -> None:
    import gc
    import logging

    shared = Renders()
    go = threading.Event()

    def broken() -> Rendered:
        go.wait(5)
        raise RuntimeError("resvg gave up")

    asker = asyncio.create_task(shared.get(("b", 9, "pdf", None), broken))
    await asyncio.sleep(0.05)
    asker.cancel()  # the only caller left
    go.set()
    for _ in range(500):  # the render thread finishing, then its task
        if not shared._making:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.01)
    del asker
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        for _ in range(3):
            gc.collect()
            await asyncio.sleep(0.01)
    assert "never retrieved" not in caplog.text
