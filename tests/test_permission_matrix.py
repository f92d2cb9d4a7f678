"""Walk the permission matrix: every role, against every write, in its own coalition and in another.

The expectations are written out here by hand (not read from the code's matrix), so a change of
policy in the code shows up as a failing test and a change to docs/permissions.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.campaign_helpers import record_campaign
from tests.factories import OTHER, OWN, auth_headers

Headers = dict[str, str]
ROLE_ORDER = ["viewer", "organizer", "moderator", "coalition_admin"]


@dataclass(frozen=True)
class Write:
    """One write of the API, aimed at a record of the OWN coalition (or at the shared catalog)."""

    name: str
    # "organizer" / "moderator" / "coalition_admin": that role or above in the coalition; "site_admin": only them.
    minimum: str
    perform: Callable[[httpx.Client, Session, Headers], httpx.Response]


def _organizer(session: Session) -> Headers:
    return auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})


def _public_campaign(client: httpx.Client, session: Session, **fields: Any) -> dict[str, Any]:
    """Public, so outsiders see it and their refusal is about permission (403), not visibility (404)."""
    return record_campaign(client, _organizer(session), visibility="public", **fields)


def _public_activity(client: httpx.Client, session: Session) -> int:
    organizer = _organizer(session)
    campaign = record_campaign(client, organizer, visibility="public")
    created = client.post(
        f"/api/v1/campaigns/{campaign['id']}/activities",
        json={"kind": "call", "occurred_on": "2026-11-01", "title": "Call", "visibility": "public"},
        headers=organizer,
    )
    return int(created.json()["id"])


def _create_campaign(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    return client.post(
        "/api/v1/campaigns",
        json={"coalition": OWN, "demand": "kyr-messaging", "target": "los-angeles-city-council"},
        headers=headers,
    )


def _update_campaign(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    campaign = _public_campaign(client, session)
    return client.patch(
        f"/api/v1/campaigns/{campaign['id']}",
        json={"summary": "Edited"},
        headers={**headers, "If-Match": '"1"'},
    )


def _change_status(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    campaign = _public_campaign(client, session)
    return client.post(f"/api/v1/campaigns/{campaign['id']}/status", json={"status": "made"}, headers=headers)


def _delete_campaign(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    campaign = _public_campaign(client, session)
    return client.delete(f"/api/v1/campaigns/{campaign['id']}", headers=headers)


def _log_activity(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    campaign = _public_campaign(client, session)
    return client.post(
        f"/api/v1/campaigns/{campaign['id']}/activities",
        json={"kind": "letter", "occurred_on": "2026-11-02", "title": "Letter sent"},
        headers=headers,
    )


def _update_activity(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    activity = _public_activity(client, session)
    return client.patch(
        f"/api/v1/activities/{activity}", json={"title": "Edited"}, headers={**headers, "If-Match": '"1"'}
    )


def _delete_activity(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    activity = _public_activity(client, session)
    return client.delete(f"/api/v1/activities/{activity}", headers=headers)


WRITES = [
    Write("create campaign", "organizer", _create_campaign),
    Write("update campaign", "organizer", _update_campaign),
    Write("change campaign status", "organizer", _change_status),
    Write("delete campaign", "organizer", _delete_campaign),
    Write("log activity", "organizer", _log_activity),
    Write("update activity", "organizer", _update_activity),
    Write("delete activity", "organizer", _delete_activity),
]

CALLERS = [
    ("anonymous", None),
    *[(role, scope) for role in ROLE_ORDER for scope in ("own", "other")],
    ("site_admin", None),
]


def _expected_allowed(write: Write, role: str, scope: str | None) -> bool:
    if role == "site_admin":
        return True
    if role == "anonymous" or write.minimum == "site_admin" or scope != "own":
        return False
    return ROLE_ORDER.index(role) >= ROLE_ORDER.index(write.minimum)


def _headers(session: Session, role: str, scope: str | None) -> Headers:
    if role == "anonymous":
        return {}
    if role == "site_admin":
        return auth_headers(session, site_admin=True)
    coalition = OWN if scope == "own" else OTHER
    return auth_headers(session, roles={coalition: CoalitionRole(role)})


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
@pytest.mark.parametrize(("role", "scope"), CALLERS, ids=[f"{r}-{s or 'any'}" for r, s in CALLERS])
def test_the_matrix(
    client: httpx.Client, session: Session, write: Write, role: str, scope: str | None
) -> None:
    headers = _headers(session, role, scope)
    response = write.perform(client, session, headers)
    if _expected_allowed(write, role, scope):
        assert response.status_code < 300, f"{role} ({scope}) should {write.name}: {response.text}"
    else:
        expected = 401 if role == "anonymous" else 403
        assert response.status_code == expected, f"{role} ({scope}) must not {write.name}: {response.text}"
        assert response.headers["content-type"] == "application/problem+json"
