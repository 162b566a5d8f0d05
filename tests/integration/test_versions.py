"""Publishing, comparing and validating versions through the real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.support.live import LiveClient, Server

DAY = 480
TIMEOUT = 20


class Api:
    """The board's HTTP API as one of its links sees it."""

    def __init__(self, server: Server, board: dict[str, Any], role: str) -> None:
        self.root = f"{server.url}/api/boards/{board['id']}"
        self.headers = {"Authorization": f"Bearer {board['tokens'][role]}"}

    def get(self, path: str, **params: Any) -> httpx.Response:
        return httpx.get(self.root + path, headers=self.headers, params=params, timeout=TIMEOUT)

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(self.root + path, headers=self.headers, json=body, timeout=TIMEOUT)

    def ops(self, *ops: dict[str, Any]) -> None:
        answer = self.post("/ops", {"ops": list(ops)})
        assert answer.status_code == 200, answer.text
        assert all(r["error"] is None for r in answer.json()["results"]), answer.json()

    def publish(self, label: str) -> dict[str, Any]:
        answer = self.post("/versions", {"label": label})
        assert answer.status_code == 201, answer.text
        published: dict[str, Any] = answer.json()
        return published


class Participant:
    """Someone opening their own validation link: everything goes through its token."""

    def __init__(self, server: Server, link: str, name: str) -> None:
        self.root = f"{server.url}/api/validation/{link.rsplit('/v/', 1)[1]}"
        self.name = name

    def view(self) -> dict[str, Any]:
        answer = httpx.get(self.root, params={"name": self.name}, timeout=TIMEOUT)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    def verdicts(self, *verdicts: dict[str, Any]) -> httpx.Response:
        body = {"name": self.name, "verdicts": list(verdicts)}
        return httpx.post(self.root + "/verdicts", json=body, timeout=TIMEOUT)

    def agree_all(self) -> None:
        steps = [s["id"] for s in self.view()["steps"]]
        answer = self.verdicts(*({"step": s, "verdict": "agree"} for s in steps))
        assert answer.status_code == 200, answer.text

    def sign_off(self) -> httpx.Response:
        return httpx.post(self.root + "/sign-off", json={"name": self.name}, timeout=TIMEOUT)


def step(element_id: str, x: float, text: str, **figures: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": "step", "x": x, "y": 0,
                                        "text": text, **figures}}  # fmt: skip


def three_steps(api: Api) -> None:
    api.ops(
        step("plan", 0, "Plan", wait_minutes=3 * DAY, process_minutes=240, pca=70),
        step("build", 300, "Build", wait_minutes=DAY, process_minutes=3 * DAY, pca=90),
        step("ship", 600, "Ship", wait_minutes=8 * DAY, process_minutes=DAY, pca=95),
    )


def state_of(api: Api) -> str:
    state: str = api.get("").json()["board"]["state"]
    return state


async def test_two_versions_are_published_frozen_and_compared(
    server: Server, board: dict[str, Any]
) -> None:
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    assert state_of(fay) == "mapping"
    first = fay.publish("After the workshop")
    assert (first["number"], first["label"], first["state"]) == (
        1,
        "After the workshop",
        "published",
    )
    assert state_of(fay) == "published"
    fay.ops({"op": "update", "id": "ship", "set": {"wait_minutes": 2 * DAY, "text": "Release"}},
            {"op": "delete", "id": "build"})  # fmt: skip
    second = fay.publish("")
    assert (second["number"], second["label"]) == (2, "Version 2")
    assert second["seq"] > first["seq"]

    listed = Api(server, board, "viewer").get("/versions").json()
    assert [v["number"] for v in listed["versions"]] == [1, 2] and listed["latest"] == 2
    assert listed["changed_since_latest"] is False
    fay.ops({"op": "update", "id": "ship", "set": {"x": 900}})  # moving a box is no change of content
    assert Api(server, board, "viewer").get("/versions").json()["changed_since_latest"] is False
    fay.ops({"op": "update", "id": "ship", "set": {"text": "Release it"}})
    assert Api(server, board, "viewer").get("/versions").json()["changed_since_latest"] is True
    fay.ops({"op": "update", "id": "ship", "set": {"text": "Release"}})
    # A version is frozen: later edits of the board do not reach it.
    one = Api(server, board, "participant").get("/versions/1").json()
    texts = {e["id"]: e["text"] for e in one["board"]["elements"]}
    assert texts == {"plan": "Plan", "build": "Build", "ship": "Ship"}
    assert one["metrics"]["lead_time_minutes"] == 3 * DAY + 240 + 4 * DAY + 9 * DAY

    compared = fay.get("/versions/compare", a=1, b=2).json()
    changes = compared["changes"]
    assert [e["id"] for e in changes["removed"]] == ["build"]
    [ship] = changes["changed"]
    assert ship["fields"]["wait_minutes"] == {"before": 8 * DAY, "after": 2 * DAY}
    assert ship["fields"]["text"] == {"before": "Ship", "after": "Release"}
    lead = compared["metrics"]["lead_time_minutes"]
    assert lead["delta"] == lead["b"] - lead["a"] == -(4 * DAY + 6 * DAY)
    assert compared["metrics"]["rolled_pca"]["a"] == pytest.approx(70 * 0.9 * 0.95, abs=0.01)
    assert fay.get("/versions/9").status_code == 404


async def test_two_participants_validate_with_a_dispute_then_a_new_version_is_signed_off(
    server: Server, board: dict[str, Any]
) -> None:
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    watcher = await LiveClient.join(server, board, role="viewer", name="Vic")
    fay.publish("v1")
    asked = fay.post("/versions/1/validation", {"invite": ["Ada", "Bob"]})
    assert asked.status_code == 201, asked.text
    link, links = asked.json()["link"], asked.json()["links"]
    assert "/v/" in link and board["tokens"]["facilitator"] not in link
    assert set(links) == {"Ada", "Bob"} and len({link, *links.values()}) == 3
    ada, bob = Participant(server, links["Ada"], "Ada"), Participant(server, links["Bob"], "Bob")

    seen = ada.view()
    assert [s["id"] for s in seen["steps"]] == ["plan", "build", "ship"]
    assert [p["name"] for p in seen["invited"]] == ["Ada", "Bob"]
    refused = ada.verdicts({"step": "build", "verdict": "dispute", "comment": " "})
    assert refused.status_code == 422 and "needs a comment" in refused.json()["detail"]
    disputed = ada.verdicts(
        {"step": "plan", "verdict": "agree"},
        {"step": "build", "verdict": "dispute", "comment": "It waits for the test rig",
         "field": "wait_minutes", "figure": "3d"},
        {"step": "ship", "verdict": "agree"},
    )  # fmt: skip
    assert disputed.status_code == 200, disputed.text
    assert ada.sign_off().status_code == 422  # still disputing
    bob.agree_all()
    assert bob.sign_off().status_code == 200
    assert bob.sign_off().status_code == 409  # once is enough
    assert (
        Participant(server, link, "Eve").verdicts({"step": "plan", "verdict": "agree"}).status_code
        == 403
    )

    status = fay.get("/validation").json()
    assert status["state"] == "published" and status["version"]["number"] == 1
    people = {p["name"]: p for p in status["participants"]}
    assert people["Bob"]["signed_off_at"] and not people["Ada"]["signed_off_at"]
    assert people["Ada"]["disputed"] == 1
    [dispute] = status["disputes"]
    assert dispute["step"] == "build"
    assert dispute["by"][0] == {"name": "Ada", "step": "build", "verdict": "dispute",
                                      "comment": "It waits for the test rig",
                                      "field": "wait_minutes", "proposed": 3 * DAY,
                                      "figure": "3d"}  # fmt: skip

    # Resolving: edit the board, publish again, ask again. The old link is for an old version.
    fay.ops({"op": "update", "id": "build", "set": {"wait_minutes": 3 * DAY}})
    fay.publish("v2: rig wait")
    assert ada.verdicts({"step": "plan", "verdict": "agree"}).status_code == 409
    assert ada.view()["superseded"] is True
    again = fay.post("/versions/2/validation", {"invite": ["Ada", "Bob"]}).json()
    ada2, bob2 = (
        Participant(server, again["links"]["Ada"], "Ada"),
        Participant(server, again["links"]["Bob"], "Bob"),
    )
    assert state_of(fay) == "published"
    for person in (ada2, bob2):
        assert person.view()["me"]["verdicts"] == {}  # a new version starts afresh
        person.agree_all()
    assert ada2.sign_off().status_code == 200
    assert state_of(fay) == "published"  # Bob has not signed this one yet
    signed = bob2.sign_off()
    assert signed.status_code == 200 and signed.json()["state"] == "validated"
    assert state_of(fay) == "validated"
    final = fay.get("/validation").json()
    assert final["all_signed_off"] is True and final["disputes"] == []

    # Every open page saw the state move, in the board's own order.
    states: list[str] = []
    async with asyncio.timeout(10):
        while "validated" not in states:
            message = await watcher.receive()
            states += [e["set"]["state"] for e in message.get("ops", [])
                       if e["op"] == "board" and "state" in e["set"]]  # fmt: skip
    assert states[-1] == "validated"
    await watcher.close()

    # A new version after validation needs a new round.
    fay.publish("v3")
    assert state_of(fay) == "published"


async def test_a_validation_link_opens_neither_the_live_board_nor_its_websocket(
    server: Server, board: dict[str, Any]
) -> None:
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    fay.publish("v1")
    link = fay.post("/versions/1/validation", {"invite": ["Ada"]}).json()["link"]
    token = link.rsplit("/v/", 1)[1]
    assert len(token) >= 22  # at least 128 bits of URL-safe base64
    root = f"{server.url}/api/boards/{board['id']}"
    assert httpx.get(root, params={"token": token}, timeout=TIMEOUT).status_code == 403
    assert httpx.post(root + "/ops", params={"token": token}, json={"ops": []},
                      timeout=TIMEOUT).status_code == 403  # fmt: skip
    assert httpx.get(f"{server.url}/b/{board['id']}", params={"token": token},
                     timeout=TIMEOUT).status_code == 403  # fmt: skip
    with pytest.raises(InvalidStatus) as refused:
        await connect(server.ws_url(board["id"], token))
    assert refused.value.response.status_code == 403
    # ... and a board link opens no validation.
    wrong = httpx.get(
        f"{server.url}/api/validation/{board['tokens']['facilitator']}", timeout=TIMEOUT
    )
    assert wrong.status_code == 403
    page = httpx.get(link, timeout=TIMEOUT)
    assert page.status_code == 200 and "Check each step" in page.text
    picture = httpx.get(f"{server.url}/api/validation/{token}/map.svg", timeout=TIMEOUT)
    assert picture.headers["content-type"].startswith("image/svg+xml")
    assert "Build" in picture.text


async def test_only_the_facilitator_publishes_asks_and_sees_the_validation(
    server: Server, board: dict[str, Any]
) -> None:
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    for role in ("participant", "viewer"):
        other = Api(server, board, role)
        assert other.post("/versions", {"label": "mine"}).status_code == 403
    assert Api(server, board, "participant").get("/versions").json()["versions"] == []
    fay.publish("v1")
    ada = Api(server, board, "participant")
    assert ada.post("/versions/1/validation", {"invite": ["Ada"]}).status_code == 403
    assert ada.get("/validation").status_code == 403
    # Nobody sets the state by hand, not even the facilitator.
    answer = fay.post("/ops", {"ops": [{"op": "board", "set": {"state": "validated"}}]}).json()
    assert "state follows its versions" in answer["results"][0]["error"]
    assert state_of(fay) == "published"


async def test_asking_again_replaces_the_link_and_keeps_the_answers_of_those_still_asked(
    server: Server, board: dict[str, Any]
) -> None:
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    fay.publish("v1")
    first = fay.post("/versions/1/validation", {"invite": ["Ada", "Bob"]}).json()["links"]["Ada"]
    Participant(server, first, "Ada").agree_all()
    assert Participant(server, first, "Ada").sign_off().status_code == 200
    second = fay.post("/versions/1/validation", {"invite": ["Ada"]}).json()
    assert httpx.get(first.replace("/v/", "/api/validation/"), timeout=TIMEOUT).status_code == 403
    # Ada had signed off, and she is now the only one asked: the version is validated.
    assert second["state"] == "validated"
    assert Participant(server, second["links"]["Ada"], "Ada").view()["me"]["signed_off_at"]
    bad = fay.post("/versions/1/validation", {"invite": ["Ada", "ada"]})
    assert bad.status_code == 422
    fay.publish("v2")
    stale = fay.post("/versions/1/validation", {"invite": ["Ada"]})
    assert stale.status_code == 409


async def test_sign_offs_arriving_together_still_leave_the_board_validated(
    server: Server, board: dict[str, Any]
) -> None:
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    fay.publish("v1")
    names = ["Ada", "Bob", "Cy", "Dee", "Eve"]
    links = fay.post("/versions/1/validation", {"invite": names}).json()["links"]
    people = [Participant(server, links[n], n) for n in names]
    for p in people:
        p.agree_all()
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        answers = await asyncio.gather(
            *(client.post(p.root + "/sign-off", json={"name": p.name}) for p in people)
        )
    assert [a.status_code for a in answers] == [200] * len(names)
    # Each sign-off settles the state after its own commit: the last one sees everyone.
    assert state_of(fay) == "validated"


async def test_each_person_answers_only_through_their_own_link_and_a_link_can_be_renewed(
    server: Server, board: dict[str, Any]
) -> None:
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    fay.publish("v1")
    asked = fay.post("/versions/1/validation", {"invite": ["Ada", "Bob"]}).json()
    shared, links = asked["link"], asked["links"]
    # Bob, holding Ada's link, cannot answer or sign off as Bob, nor as Ada's name given away.
    as_bob = Participant(server, links["Ada"], "Bob")
    assert as_bob.verdicts({"step": "plan", "verdict": "agree"}).status_code == 403
    assert as_bob.sign_off().status_code == 403
    # The shared link shows the version, and answers as nobody.
    looker = Participant(server, shared, "Ada")
    assert looker.view()["person"] is None and looker.view()["me"] is None
    assert looker.verdicts({"step": "plan", "verdict": "agree"}).status_code == 403
    ada = Participant(server, links["Ada"], "Ada")
    assert ada.view()["person"] == "Ada"
    ada.agree_all()
    # A renewed link replaces Ada's old one; her answers stay hers.
    renewed = fay.post("/versions/1/validation/people/Ada/link", {})
    assert renewed.status_code == 200, renewed.text
    assert httpx.get(links["Ada"].replace("/v/", "/api/validation/"), timeout=TIMEOUT).status_code == 403
    again = Participant(server, renewed.json()["link"], "Ada")
    assert again.sign_off().status_code == 200
    assert fay.post("/versions/1/validation/people/Zed/link", {}).status_code == 404
    assert Api(server, board, "participant").post(
        "/versions/1/validation/people/Ada/link", {}).status_code == 403  # fmt: skip


async def test_the_view_only_link_can_be_made_again_without_touching_the_personal_ones(
    server: Server, board: dict[str, Any]
) -> None:
    # The server keeps only its hash: a facilitator on another browser (or after clearing
    # it) could get it back only by asking again, which replaced everyone's own links.
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    fay.publish("v1")
    asked = fay.post("/versions/1/validation", {"invite": ["Ada"]}).json()
    made = fay.post("/versions/1/validation/link", {})
    assert made.status_code == 200, made.text
    view = made.json()["link"]
    assert view != asked["link"]
    assert httpx.get(asked["link"].replace("/v/", "/api/validation/"), timeout=TIMEOUT).status_code == 403
    assert Participant(server, view, "Ada").view()["person"] is None  # shows, answers as nobody
    assert Participant(server, asked["links"]["Ada"], "Ada").view()["person"] == "Ada"
    assert Api(server, board, "participant").post("/versions/1/validation/link", {}).status_code == 403
    assert fay.post("/versions/2/validation/link", {}).status_code == 404


async def test_the_pdf_report_names_who_signed_off_and_every_dispute(
    server: Server, board: dict[str, Any]
) -> None:
    # A version's PDF said "Not validated: participants have not yet agreed or disputed"
    # after Bob had signed off and Ada disputed; the live board's said only "waiting".
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    fay.publish("v1")
    links = fay.post("/versions/1/validation", {"invite": ["Ada", "Bob"]}).json()["links"]
    ada, bob = Participant(server, links["Ada"], "Ada"), Participant(server, links["Bob"], "Bob")
    bob.agree_all()
    assert bob.sign_off().status_code == 200
    disputed = ada.verdicts({"step": "build", "verdict": "dispute", "comment": "It waits\nfor the rig",
                             "field": "pca", "figure": "60"})  # fmt: skip
    assert disputed.status_code == 200, disputed.text
    for path in ("/versions/1/export", "/export"):
        pdf = fay.get(path, format="pdf")
        assert pdf.status_code == 200, pdf.text
        words = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert ("Version 1 was sent to Ada and Bob to validate: 1 signed off, 1 yet to answer"
                " every step.") in words, path  # fmt: skip
        assert "Signed off: Bob. Yet to answer every step: Ada." in words
        assert "Build, disputed by Ada: “It waits for the rig” (believes %C/A is 60%)." in words
        assert "Not validated" not in words
        # The version's head says its state, not the one its board was frozen in.
        assert "State: published" in words and "State: mapping" not in words


async def test_only_the_facilitators_pdf_names_the_disputes_and_who_stands_where(
    server: Server, board: dict[str, Any]
) -> None:
    # Any link's PDF named each dispute, who made it and what they said: only the
    # facilitator sees them elsewhere (GET .../validation answers the others 403).
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    fay.publish("v1")
    links = fay.post("/versions/1/validation", {"invite": ["Ada", "Bob"]}).json()["links"]
    ada = Participant(server, links["Ada"], "Ada")
    disputed = ada.verdicts({"step": "build", "verdict": "dispute", "comment": "Rig is shared"})
    assert disputed.status_code == 200, disputed.text
    for role in ("participant", "viewer"):
        other = Api(server, board, role)
        assert other.get("/validation").status_code == 403
        for path in ("/versions/1/export", "/export"):
            pdf = other.get(path, format="pdf")
            assert pdf.status_code == 200, pdf.text
            words = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
            for secret in ("Rig is shared", "disputed by", "Ada", "Bob"):
                assert secret not in words, (role, path, secret)
            assert "Published, not yet validated" in words, (role, path)
    words = " ".join(" ".join(p.extract_text().split()) for p in
                     PdfReader(io.BytesIO(fay.get("/export", format="pdf").content)).pages)  # fmt: skip
    assert "Build, disputed by Ada: “Rig is shared”." in words


async def test_compare_says_a_typed_wait_as_typed_wait_4d_to_1w(
    server: Server, board: dict[str, Any]
) -> None:
    # Issue 17: Version Compare showed "wait_minutes 1920 → 2400".
    fay = Api(server, board, "facilitator")
    fay.ops(step("test", 0, "Test", wait_minutes=4 * DAY, process_minutes=DAY, pca=80))
    fay.publish("before")
    # As the side panel sends it: the minutes with the text typed; the server checks they agree.
    fay.ops({"op": "update", "id": "test", "set": {"wait_minutes": 5 * DAY, "wait_text": "1w"}})
    fay.publish("after")
    compared = fay.get("/versions/compare", a=1, b=2).json()
    [test] = compared["changes"]["changed"]
    assert test["said"] == ["Wait 4d → 1w"]
    assert compared["metrics"]["lead_time_minutes"]["shown"]["delta"] == "+1d"
    refused = fay.post("/ops", {"ops": [
        {"op": "update", "id": "test", "set": {"wait_minutes": 6 * DAY, "wait_text": "1w"}},
    ]}).json()  # fmt: skip
    assert "is 5d (2400 minutes) on this board's calendar" in refused["results"][0]["error"]


async def test_publishes_at_the_same_moment_each_get_the_next_number(
    server: Server, board: dict[str, Any]
) -> None:
    # On PostgreSQL two publishes read the same latest number and one lost the unique key;
    # three tries were not enough for a script (or a few tabs) publishing at once: of 40,
    # 22 were a 500 Internal Server Error.
    fay = Api(server, board, "facilitator")
    fay.ops({"op": "create", "element": {"id": "s1", "kind": "step", "text": "Build"}})
    async with httpx.AsyncClient(headers=fay.headers, timeout=60) as client:
        answers = await asyncio.gather(*(
            client.post(f"{fay.root}/versions", json={"label": f"take {i}"}) for i in range(20)
        ))  # fmt: skip
    assert [a.status_code for a in answers] == [201] * 20, [a.text for a in answers][:3]
    assert sorted(a.json()["number"] for a in answers) == list(range(1, 21))


async def test_a_double_click_on_ask_or_on_a_verdict_is_never_a_500(
    server: Server, board: dict[str, Any]
) -> None:
    # On PostgreSQL, requests at one moment both found no row, then both inserted one:
    # asking twice lost the unique (board, version) key, and the same verdict given twice
    # (a double click on Agree) its (request, person, step) key, each a 500.
    fay = Api(server, board, "facilitator")
    fay.ops({"op": "create", "element": {"id": "s1", "kind": "step", "text": "Build"}})
    fay.publish("v1")
    async with httpx.AsyncClient(timeout=60) as client:
        again = await asyncio.gather(*(
            client.post(f"{fay.root}/versions/1/validation", headers=fay.headers,
                        json={"invite": ["Ada", "Bob"]})
            for _ in range(10)
        ))  # fmt: skip
    assert [a.status_code for a in again] == [201] * 10, [a.text for a in again][:3]
    asked = fay.post("/versions/1/validation", {"invite": ["Ada", "Bob"]})
    ada = Participant(server, asked.json()["links"]["Ada"], "Ada")
    verdict = {"name": "Ada", "verdicts": [{"step": "s1", "verdict": "agree"}]}
    async with httpx.AsyncClient(timeout=60) as client:
        twice = await asyncio.gather(*(
            client.post(ada.root + "/verdicts", json=verdict) for _ in range(10)
        ))  # fmt: skip
    assert [t.status_code for t in twice] == [200] * 10, [t.text for t in twice][:3]
    assert ada.view()["me"]["verdicts"]["s1"]["verdict"] == "agree"


def test_two_verdicts_on_one_step_in_one_answer_are_a_422(
    server: Server, board: dict[str, Any]
) -> None:
    # Both were inserted under the same (request, person, step) key: a 500, on SQLite too.
    fay = Api(server, board, "facilitator")
    fay.ops({"op": "create", "element": {"id": "s1", "kind": "step", "text": "Build"}})
    fay.publish("v1")
    asked = fay.post("/versions/1/validation", {"invite": ["Ada"]})
    ada = Participant(server, asked.json()["links"]["Ada"], "Ada")
    answer = ada.verdicts(
        {"step": "s1", "verdict": "agree"},
        {"step": "s1", "verdict": "dispute", "comment": "it waits longer"},
    )
    assert answer.status_code == 422, answer.text
    assert "s1" in answer.json()["detail"]
    assert ada.view()["me"]["verdicts"] == {}


def test_a_person_whose_name_has_a_slash_gets_a_new_link_and_dot_names_are_refused(
    server: Server, board: dict[str, Any]
) -> None:
    # /people/{name}/link took one path segment: "Ops / Dev" (sent as Ops%20%2F%20Dev, as
    # the page's encodeURIComponent does) was a 404, so their link could never be renewed.
    # And ".." is a dot segment every client folds away: /people/../link renewed the
    # view-only link instead, which the page then showed as that person's own.
    fay = Api(server, board, "facilitator")
    fay.ops({"op": "create", "element": {"id": "s1", "kind": "step", "text": "Build"}})
    fay.publish("v1")
    assert fay.post("/versions/1/validation", {"invite": ["Ops / Dev", "Ada"]}).status_code == 201
    renewed = fay.post("/versions/1/validation/people/Ops%20%2F%20Dev/link", {})
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["name"] == "Ops / Dev"
    assert Participant(server, renewed.json()["link"], "Ops / Dev").view()["person"] == "Ops / Dev"
    for dots in (".", ".."):
        refused = fay.post("/versions/1/validation", {"invite": ["Ada", dots]})
        assert refused.status_code == 422, refused.text


async def test_a_persons_own_link_signs_off_with_no_body_as_the_readme_shows_it(
    server: Server, board: dict[str, Any]
) -> None:
    """The link says who answers, so sign-off needs nothing more: a bare POST (the README's
    `POST /api/validation/{token}/sign-off`) was a 422 "Field required" for its body."""
    fay = Api(server, board, "facilitator")
    three_steps(fay)
    fay.publish("v1")
    link = fay.post("/versions/1/validation", {"invite": ["Ada"]}).json()["links"]["Ada"]
    ada = Participant(server, link, "Ada")
    ada.agree_all()
    answer = httpx.post(ada.root + "/sign-off", timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "validated"
