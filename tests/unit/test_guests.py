"""People who look on without a name are named by the server: distinct on the board, the
same for a browser that comes back (app/domain/names.py guest_name, app/hub/guests.py)."""

from __future__ import annotations

from app.domain.elements import Board
from app.domain.names import guest_name
from app.hub.guests import MAX_REMEMBERED, GuestNames
from app.hub.room import Peer, Room
from app.protocol import Hello
from app.store.memory import MemoryBoardStore
from tests.support.fake_socket import FakeSocket


def test_a_guest_is_named_by_the_first_guest_name_nobody_goes_by() -> None:
    assert guest_name(set()) == "Guest"
    assert guest_name({"Guest"}) == "Guest 2"
    assert guest_name({"Guest", "Guest 2", "Ada"}) == "Guest 3"
    assert guest_name({"Guest 2"}) == "Guest"
    # Someone who typed "Guest 4" as their name is not taken for a guest.
    assert guest_name({"Guest", "Guest 2", "Guest 3", "Guest 4"}) == "Guest 5"


def test_each_guest_gets_their_own_name_and_keeps_it_when_they_come_back() -> None:
    guests = GuestNames()
    present: list[dict[str, str]] = [{"client": "c-ada", "name": "Ada"}]
    for client in ("c-1", "c-2", "c-3"):
        present.append({"client": client, "name": guests.name(client, present)})
    assert [p["name"] for p in present] == ["Ada", "Guest", "Guest 2", "Guest 3"]
    # The second reloads: its old connection may still be listed, or already gone.
    assert guests.name("c-2", present) == "Guest 2"
    assert guests.name("c-2", [p for p in present if p["client"] != "c-2"]) == "Guest 2"
    # A newcomer while the second is away does not take its name.
    away = [p for p in present if p["client"] != "c-2"]
    assert guests.name("c-4", away) == "Guest 4"


def test_a_kept_name_someone_else_now_goes_by_is_given_up_for_a_free_one() -> None:
    guests = GuestNames()
    assert guests.name("c-1", []) == "Guest"
    # Someone typed "Guest" on another process, or the memory was full: never two alike.
    assert guests.name("c-1", [{"client": "c-x", "name": "Guest"}]) == "Guest 2"


def test_the_memory_of_names_is_bounded() -> None:
    guests = GuestNames()
    for i in range(MAX_REMEMBERED + 10):
        guests.name(f"c-{i}", [])
    assert len(guests._given) == MAX_REMEMBERED


def peer(name: str, client: str, guest: bool = False) -> tuple[Peer, FakeSocket]:
    socket = FakeSocket(closable=True)
    return Peer(id="", name=name, role="viewer", socket=socket, client=client, guest=guest), socket


async def test_three_people_who_just_look_are_three_names_in_welcome_and_presence() -> None:
    store = MemoryBoardStore()
    store.add(Board(id="b"))
    loaded = await store.load("b")
    assert loaded is not None
    room = Room("b", loaded, store, lambda board: {})
    ada, _ = peer("Ada", "c-ada")
    room.join(ada, since=None)
    sockets = []
    for client in ("c-1", "c-2", "c-3"):
        # Each hello said "Guest": the client's word is not the name.
        guest, socket = peer("Guest", client, guest=True)
        room.join(guest, since=None)
        sockets.append((guest, socket))
    welcomes = [socket.of("welcome")[0] for _, socket in sockets]
    assert [w["you"]["name"] for w in welcomes] == ["Guest", "Guest 2", "Guest 3"]
    assert sorted(p["name"] for p in welcomes[-1]["peers"]) == [
        "Ada",
        "Guest",
        "Guest 2",
        "Guest 3",
    ]
    # The second reconnects (the same browser: the same client id).
    room.leave(sockets[1][0])
    again, socket = peer("Guest", "c-2", guest=True)
    room.join(again, since=None)
    assert socket.of("welcome")[0]["you"]["name"] == "Guest 2"
    await room.close()


def test_a_hello_may_say_the_person_joins_as_a_guest() -> None:
    hello = Hello.model_validate({"type": "hello", "name": "Guest", "since": None, "guest": True})
    assert hello.guest
    assert not Hello.model_validate({"type": "hello", "name": "Ada", "since": None}).guest
