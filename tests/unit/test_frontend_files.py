"""The frontend's files as served (app/frontend.py FrontendFiles): held in memory, gzipped
for a client that takes it, revalidated by ETag, and refused outside their folder."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from app import frontend
from app.frontend import FrontendFiles, HeldFile

MODULE = "export const greeting = 'hello';\n" * 200  # text that gzip shrinks


def client(root: Path) -> httpx.AsyncClient:
    """The files mounted at /static in an app of their own, called in process."""
    app = Starlette(routes=[Mount("/static", FrontendFiles(directory=root))])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://flowmap.test")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "main.js").write_text(MODULE)
    return tmp_path


async def test_a_module_goes_gzipped_to_a_client_that_takes_it_and_plain_to_one_that_does_not(
    root: Path,
) -> None:
    async with client(root) as c:
        packed = await c.get("/static/js/main.js", headers={"Accept-Encoding": "gzip"})
        plain = await c.get("/static/js/main.js", headers={"Accept-Encoding": "identity"})
    assert packed.status_code == plain.status_code == 200
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(MODULE.encode()) / 10
    assert packed.text == plain.text == MODULE  # the client undoes the gzip
    assert "content-encoding" not in plain.headers
    for response in (packed, plain):
        assert response.headers["content-type"] == "text/javascript; charset=utf-8"
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.headers["cache-control"] == "no-cache"
    assert packed.headers["etag"] != plain.headers["etag"]  # two representations, two tags


async def test_each_representation_is_revalidated_by_its_own_etag(root: Path) -> None:
    async with client(root) as c:
        for encoding in ("gzip", "identity"):
            first = await c.get("/static/js/main.js", headers={"Accept-Encoding": encoding})
            again = await c.get(
                "/static/js/main.js",
                headers={"Accept-Encoding": encoding, "If-None-Match": first.headers["etag"]},
            )
            assert again.status_code == 304 and again.content == b""
            assert again.headers["etag"] == first.headers["etag"]
        plain = await c.get("/static/js/main.js", headers={"Accept-Encoding": "identity"})
        plain_tag = plain.headers["etag"]
        other = await c.get(
            "/static/js/main.js", headers={"Accept-Encoding": "gzip", "If-None-Match": plain_tag}
        )
        assert other.status_code == 200 and other.headers["content-encoding"] == "gzip"


async def test_a_file_is_read_once_and_again_only_when_it_changes(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real = HeldFile.read.__func__  # type: ignore[attr-defined]

    def counted(cls: type[HeldFile], path: str, found: os.stat_result) -> HeldFile:
        reads.append(path)
        return real(cls, path, found)  # type: ignore[no-any-return]

    monkeypatch.setattr(HeldFile, "read", classmethod(counted))
    async with client(root) as c:
        first = await c.get("/static/js/main.js")
        assert (await c.get("/static/js/main.js")).text == MODULE
        assert len(reads) == 1
        path = root / "js" / "main.js"
        path.write_text("export const greeting = 'hi';\n")
        stamp = path.stat().st_mtime_ns + 1_000_000_000  # a new deploy, a later time
        os.utime(path, ns=(stamp, stamp))
        changed = await c.get(
            "/static/js/main.js", headers={"If-None-Match": first.headers["etag"]}
        )
    assert changed.status_code == 200 and changed.text == "export const greeting = 'hi';\n"
    assert changed.headers["etag"] != first.headers["etag"]
    assert len(reads) == 2


async def test_nothing_outside_the_folder_is_served(
    root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"
    secret.write_text("not for the web")
    (root / "js" / "link.txt").symlink_to(secret)
    async with client(root) as c:
        assert (await c.get("/static/js/link.txt")).status_code == 404
        assert (await c.get("/static/../outside/secret.txt")).status_code == 404
        assert (await c.get("/static/js/missing.js")).status_code == 404
        assert (await c.get("/static/js")).status_code == 404
        assert (await c.post("/static/js/main.js")).status_code == 405


async def test_a_file_too_big_to_hold_is_still_served_from_disk(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(frontend, "HELD_BYTES", 100)
    async with client(root) as c:
        response = await c.get("/static/js/main.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.text == MODULE
    assert "content-encoding" not in response.headers  # StaticFiles' plain file
    assert response.headers["cache-control"] == "no-cache"


async def test_every_module_of_the_board_page_is_served_as_javascript() -> None:
    """A browser refuses a module script of any other type: the page would not start."""
    async with client(frontend.frontend_dir()) as c:
        for module in ("js/main.js", *frontend.module_graph(frontend.frontend_dir(), "js/main.js")):
            response = await c.get(f"/static/{module}", headers={"Accept-Encoding": "gzip"})
            assert response.status_code == 200, module
            assert response.headers["content-type"] == "text/javascript; charset=utf-8", module


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip, deflate, br, zstd", True),  # Chromium's
        ("GZIP", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("br, gzip;q=0", False),
        ("gzip; q=0.0", False),
        ("*", True),
        ("*;q=0", False),
        ("br, *;q=0, gzip", True),  # named beats the wildcard
        ("identity", False),
        ("", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_gzip_only_for_a_client_that_takes_it(header: str, takes: bool) -> None:
    assert frontend.takes_gzip(header) is takes


async def test_a_client_refusing_gzip_gets_the_plain_file(root: Path) -> None:
    async with client(root) as c:
        response = await c.get("/static/js/main.js", headers={"Accept-Encoding": "br, gzip;q=0"})
    assert "content-encoding" not in response.headers and response.text == MODULE
