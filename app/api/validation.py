"""Validation over HTTP: the facilitator asks named people to check a version; they answer.

The facilitator's side hangs off the board (its link decides who may):
`POST /api/boards/{id}/versions/{n}/validation` makes the request and its links,
`GET /api/boards/{id}/validation` shows where it stands. The participants' side
is opened by a validation link's own token, which no board route accepts:
`/v/{token}` is the page, `/api/validation/{token}` its API. Each invited person
has a link of their own, which answers as them and nobody else; the request's
shared link only shows the version. Wrong tokens count against the sender like
wrong board tokens (SECURITY.md: link guessing).

Over 300 lines on purpose: both sides of validation, the facilitator's and the
participants', share their refusals and their reading of a version.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.requests import HTTPConnection

from app.api.deps import (
    LinkDep,
    Services,
    ServicesDep,
    TooManyGuesses,
    address_of,
    base_url,
    is_deleted_link,
)
from app.api.exports import rendered
from app.api.pages import DELETED_PAGE, templates
from app.api.strict import StrictJsonRoute
from app.api.versions import (
    VersionNumber,
    board_room,
    facilitator_only,
    stored_version,
    sync_state,
)
from app.domain.echo import excerpt
from app.domain.elements import Calendar
from app.domain.metrics import compute_metrics
from app.domain.serialize import board_from_json
from app.domain.validation import (
    MAX_INVITED,
    MAX_NAME,
    Refused,
    check_verdicts,
    invited_names,
    sign_off_refusal,
    steps_in_order,
    summarize,
    teams_in_review,
)
from app.export.formats import Rendered
from app.export.svg import board_svg
from app.hub.rooms import DELETED_REASON
from app.store.validations import (
    AlreadySignedOff,
    NotInvited,
    Superseded,
    ValidationRef,
    find_validation,
    invite,
    renew_personal_link,
    save_verdicts,
    sign_off,
    validation_for,
    validators,
    verdicts_of,
)
from app.store.validations import renew_view_link as make_view_link
from app.store.versions import StoredVersion, latest_number

router = APIRouter(tags=["validation"], route_class=StrictJsonRoute)
pages = APIRouter(include_in_schema=False, route_class=StrictJsonRoute)

# A board link's token is 32 characters; anything much longer is not a token at all.
MAX_TOKEN = 128
# A version's steps, with room to spare: one request answers the whole map at once.
MAX_VERDICTS = 500
# A version never changes, so its picture may be kept by the participant's browser.
PICTURE_CACHE = "private, max-age=3600"
# The figures the metrics summary on the participants' page shows.
HEADLINE = (
    "lead_time_minutes", "expected_lead_time_minutes", "process_time_minutes",
    "work_content_minutes", "activity_ratio", "rolled_pca", "constraint", "display",
)  # fmt: skip


class InviteBody(BaseModel):
    invite: list[str] = Field(max_length=MAX_INVITED, description='names, e.g. ["Ada", "Bob"]')


class VerdictsBody(BaseModel):
    # Whose verdicts: the person whose own link this is (a name given must be theirs).
    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME)
    verdicts: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=MAX_VERDICTS,
        description='[{step, verdict: "agree"|"dispute", comment?, field?, figure?}]',
    )


class SignOffBody(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME)


# ---- the facilitator's side -------------------------------------------------------------


@router.post("/api/boards/{board_id}/versions/{number}/validation", status_code=201)
async def request_validation(
    board_id: str,
    number: VersionNumber,
    body: InviteBody,
    request: Request,
    link: LinkDep,
    services: ServicesDep,
) -> dict[str, Any]:
    """Ask these people to validate the version; a link for each of them (shown only now).

    `links[name]` answers as that person and nobody else; `link` only shows the
    version. Asking again replaces the list and every link: the old ones stop working.
    """
    facilitator_only(link, "ask for a validation")
    room = await board_room(services, board_id)
    await stored_version(services, board_id, number)
    latest = await services.db.run(latest_number, services.db.engine, board_id)
    if latest != number:
        raise HTTPException(409, f"version {number} is not the latest ({latest}): validate that")
    try:
        names = invited_names(body.invite)
    except Refused as err:
        raise HTTPException(422, str(err)) from None
    made = await services.db.run(invite, services.db.engine, board_id, number, names)
    state = await sync_state(services, room)
    root = base_url(request, services.settings)
    links = {name: f"{root}/v/{token}" for name, token in made.personal.items()}
    return {
        "number": number, "invited": list(names), "link": f"{root}/v/{made.token}",
        "links": links, "state": state,
    }  # fmt: skip


# `path`: a name may hold a slash ("Ops / Dev"), which the page sends as %2F.
@router.post("/api/boards/{board_id}/versions/{number}/validation/people/{name:path}/link")
async def renew_link(
    board_id: str, number: VersionNumber, name: str, request: Request, link: LinkDep,
    services: ServicesDep,
) -> dict[str, str]:  # fmt: skip
    """A new personal link for one invited person: their old one stops working."""
    facilitator_only(link, "renew a validation link")
    ref = await services.db.run(validation_for, services.db.engine, board_id, number)
    token = None
    if ref is not None:
        token = await services.db.run(renew_personal_link, services.db.engine, ref, name)
    if token is None:
        raise HTTPException(404, f"{excerpt(name)} is not asked to validate version {number}")
    return {"name": name, "link": f"{base_url(request, services.settings)}/v/{token}"}


@router.post("/api/boards/{board_id}/versions/{number}/validation/link")
async def renew_view_link(
    board_id: str, number: VersionNumber, request: Request, link: LinkDep, services: ServicesDep
) -> dict[str, str]:
    """A new view-only link for the version (it shows it and answers as nobody): the old
    one stops working, each person's own link stays as it is. The server keeps only a
    hash of it, so a facilitator on another browser gets one again this way."""
    facilitator_only(link, "renew a validation link")
    ref = await services.db.run(validation_for, services.db.engine, board_id, number)
    if ref is None:
        raise HTTPException(404, f"nobody is asked to validate version {number}")
    token = await services.db.run(make_view_link, services.db.engine, ref)
    return {"link": f"{base_url(request, services.settings)}/v/{token}"}


@router.get("/api/boards/{board_id}/validation")
async def validation_status(board_id: str, link: LinkDep, services: ServicesDep) -> dict[str, Any]:
    """Where the latest version's validation stands: who signed off, what is disputed and why."""
    facilitator_only(link, "see the validation")
    room = await board_room(services, board_id)
    latest = await services.db.run(latest_number, services.db.engine, board_id)
    answer: dict[str, Any] = {"state": room.board.state, "version": None, "request": None}
    if latest is None:
        return answer
    version = await stored_version(services, board_id, latest)
    answer["version"] = version.info.to_json()
    ref = await services.db.run(validation_for, services.db.engine, board_id, latest)
    if ref is None:
        return answer
    steps = steps_in_order(version.board, version.metrics)
    people = await services.db.run(validators, services.db.engine, ref.id)
    given = await services.db.run(verdicts_of, services.db.engine, ref.id)
    answer["request"] = {"number": latest, "invited": [n for n, _ in people], "steps": len(steps)}
    return answer | summarize(steps, [n for n, _ in people], given, dict(people))


# ---- the participants' side -------------------------------------------------------------


async def opened_request(conn: HTTPConnection, services: Services, token: str) -> ValidationRef:
    """The request a validation token opens; 403 for a wrong one, 429 for a guesser.

    As for board links (deps.checked_link), a right token always opens it: only the
    wrong guesses of an address past its budget are answered 429.
    """
    ref = None
    if 0 < len(token) <= MAX_TOKEN:
        ref = await services.db.run(find_validation, services.db.engine, token)
    if ref is None and await is_deleted_link(services, token):
        raise HTTPException(404, DELETED_REASON)
    if ref is None:
        wait = services.guesses.wrong(address_of(conn))
        if wait > 0:
            slow = TooManyGuesses(wait)
            raise HTTPException(429, str(slow), headers={"Retry-After": str(slow.retry_after)})
        raise HTTPException(403, "this validation link is wrong, or was replaced by a newer one")
    return ref


async def _opened(token: str, request: Request, services: ServicesDep) -> ValidationRef:
    return await opened_request(request, services, token)


OpenedDep = Annotated[ValidationRef, Depends(_opened)]


def _calendar(version: StoredVersion) -> Calendar:
    frame = version.board["board"]
    return Calendar(float(frame["hours_per_day"]), float(frame["days_per_week"]))


async def participant_view(
    services: Services, ref: ValidationRef, name: str | None
) -> dict[str, Any]:
    """What a participant's page shows: the version, its steps, who is asked, their answers."""
    version = await stored_version(services, ref.board_id, ref.number)
    latest = await services.db.run(latest_number, services.db.engine, ref.board_id)
    people = await services.db.run(validators, services.db.engine, ref.id)
    given = await services.db.run(verdicts_of, services.db.engine, ref.id)
    steps = steps_in_order(version.board, version.metrics)
    frame = version.board["board"]
    signed = dict(people)
    me = None
    if name is not None and name in signed:
        mine = given.get(name, {})
        me = {
            "name": name,
            "verdicts": {step: v.to_json() for step, v in mine.items()},
            "signed_off_at": signed[name],
            "cannot_sign_off": sign_off_refusal([s["id"] for s in steps], mine),
        }
    return {
        "board_id": ref.board_id,
        "frame": {k: frame.get(k, "") for k in ("title", "scope", "customer", "owner")},
        "calendar": {k: frame[k] for k in ("hours_per_day", "days_per_week")},
        "version": version.info.to_json(),
        "latest": latest,
        "superseded": latest != ref.number,
        "steps": steps,
        # Each team's steps, so each team can confirm its own part ([] without teams).
        "teams": teams_in_review(version.board, steps),
        "metrics": {k: version.metrics.get(k) for k in HEADLINE},
        "invited": [{"name": n, "signed_off": at is not None} for n, at in people],
        "me": me,
        "person": ref.person,
    }


def _answerer(ref: ValidationRef, given: str | None) -> str:
    """Who answers through this link: its person, and only them."""
    if ref.person is None:
        raise HTTPException(403, "this link only shows the version: answer through the link "
                            "the facilitator sent you")  # fmt: skip
    if given is not None and given != ref.person:
        raise HTTPException(403, f"this is {excerpt(ref.person)}'s link: it answers only as them")
    return ref.person


def _refusal(err: Exception) -> HTTPException:
    if isinstance(err, NotInvited):
        return HTTPException(403, f"{excerpt(err)} is not on the list for this validation")
    if isinstance(err, AlreadySignedOff):
        return HTTPException(409, f"{excerpt(err)} has signed this version off already")
    if isinstance(err, Superseded):
        return HTTPException(409, f"{err}: ask the facilitator for the new validation link")
    return HTTPException(422, str(err))


@router.get("/api/validation/{token}")
async def read_request(
    ref: OpenedDep,
    services: ServicesDep,
    name: Annotated[str | None, Query(max_length=MAX_NAME, description="whose answers")] = None,
) -> dict[str, Any]:
    """The version to validate, its steps in flow order, who is asked, and the answers of
    the person whose link this is (`name`, from older pages, changes nothing)."""
    return await participant_view(services, ref, ref.person)


@router.post("/api/validation/{token}/verdicts")
async def give_verdicts(
    ref: OpenedDep, body: VerdictsBody, services: ServicesDep
) -> dict[str, Any]:
    """Agree with or dispute steps (a dispute needs a comment; a figure believed is optional)."""
    name = _answerer(ref, body.name)
    version = await stored_version(services, ref.board_id, ref.number)
    step_ids = {s["id"] for s in steps_in_order(version.board, version.metrics)}
    try:
        checked = check_verdicts(step_ids, body.verdicts, _calendar(version))
        await services.db.run(save_verdicts, services.db.engine, ref, name, checked)
    except (Refused, NotInvited, AlreadySignedOff, Superseded) as err:
        raise _refusal(err) from None
    return await participant_view(services, ref, name)


@router.post("/api/validation/{token}/sign-off")
async def sign_off_version(
    ref: OpenedDep, services: ServicesDep, body: SignOffBody | None = None
) -> dict[str, Any]:
    """Sign the version off: every step agreed. The board is validated when everyone has."""
    # The link says who answers: a bare POST signs off, a `name` given must be theirs.
    name = _answerer(ref, body.name if body else None)
    version = await stored_version(services, ref.board_id, ref.number)
    steps = [s["id"] for s in steps_in_order(version.board, version.metrics)]
    try:
        await services.db.run(sign_off, services.db.engine, ref, name, steps)
    except (Refused, NotInvited, AlreadySignedOff, Superseded) as err:
        raise _refusal(err) from None
    room = await board_room(services, ref.board_id)
    state = await sync_state(services, room)
    return await participant_view(services, ref, name) | {"state": state}


def _picture(version: StoredVersion) -> Rendered:
    board = board_from_json(version.board["board"], version.board["elements"])
    picture = board_svg(board, compute_metrics(board)).encode("utf-8", "replace")
    return Rendered(picture, "image/svg+xml", "map.svg", "inline")


@router.get("/api/validation/{token}/map.svg", response_class=Response)
async def version_picture(request: Request, ref: OpenedDep, services: ServicesDep) -> Response:
    """The version's map as a picture (SVG), as the export draws it."""
    version = await stored_version(services, ref.board_id, ref.number)
    # A version never changes: its picture is drawn once and shared, as an export is, in
    # the asking address's turn among the pictures, not behind its exports (anyone with a
    # validation link may ask, as often as they like: each was drawn afresh, and a flood
    # held back every board's pictures).
    key = (ref.board_id, "version", ref.number, "picture")
    done = await rendered(request, services, key, partial(_picture, version), services.pictures)
    return Response(
        done.content, media_type=done.media_type, headers={"Cache-Control": PICTURE_CACHE}
    )


@pages.get("/v/{token}", response_class=HTMLResponse)
async def validation_page(request: Request, token: str, services: ServicesDep) -> HTMLResponse:
    """The participant's page: check each step, sign off (a person's own link)."""
    try:
        ref = await opened_request(request, services, token)
    except HTTPException as refused:
        if refused.status_code == 404:  # the board was deleted
            return templates.TemplateResponse(request, "error.html", DELETED_PAGE, status_code=404)
        return templates.TemplateResponse(
            request,
            "error.html",
            {
                "title": "This link does not open a validation",
                "detail": (
                    "It may be mistyped, or the facilitator may have sent a newer one. "
                    "Ask them for the current link."
                ),
            },
            status_code=refused.status_code,
            headers=refused.headers,
        )
    version = await stored_version(services, ref.board_id, ref.number)
    return templates.TemplateResponse(
        request,
        "validate.html",
        {
            "title": version.board["board"].get("title") or "Untitled map",
            "number": version.info.number,
            "label": version.info.label,
        },
    )
