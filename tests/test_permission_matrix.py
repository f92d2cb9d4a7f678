"""Walk the permission matrix: every role, against every write, in its own coalition and in another.

The expectations are written out here by hand (not read from the code's matrix), so a change of
policy in the code shows up as a failing test and a change to docs/permissions.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
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


def _admin(session: Session) -> Headers:
    return auth_headers(session, site_admin=True)


def _fresh(client: httpx.Client, session: Session, collection: str, body: dict[str, Any]) -> str:
    """A record made by a site admin just for this case, so deleting it trips over nothing."""
    created = client.post(f"/api/v1/{collection}", json=body, headers=_admin(session))
    assert created.status_code == 201, created.text
    return str(body["slug"])


def _post(path: str, body: dict[str, Any]) -> Callable[[httpx.Client, Session, Headers], httpx.Response]:
    return lambda client, session, headers: client.post(path, json=body, headers=headers)


def _patch(path: str, body: dict[str, Any]) -> Callable[[httpx.Client, Session, Headers], httpx.Response]:
    return lambda client, session, headers: client.patch(
        path, json=body, headers={**headers, "If-Match": '"1"'}
    )


def _put(path: str) -> Callable[[httpx.Client, Session, Headers], httpx.Response]:
    return lambda client, session, headers: client.put(path, headers=headers)


def _delete_fresh(
    collection: str, body: dict[str, Any]
) -> Callable[[httpx.Client, Session, Headers], httpx.Response]:
    def perform(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
        slug = _fresh(client, session, collection, body)
        path = collection if collection != "demands/sanctuary-union/examples" else "examples"
        return client.delete(f"/api/v1/{path}/{slug}", headers=headers)

    return perform


def _delete_link(path: str) -> Callable[[httpx.Client, Session, Headers], httpx.Response]:
    def perform(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
        assert client.put(path, headers=_admin(session)).status_code in (201, 204)
        return client.delete(path, headers=headers)

    return perform


_names = count(1)


def _new_username(session: Session, roles: dict[str, CoalitionRole] | None = None) -> str:
    username = f"matrix-{next(_names)}"
    auth_headers(session, roles=roles, username=username)
    return username


def _add_member(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    return client.post(
        f"/api/v1/coalitions/{OWN}/members",
        json={"username": _new_username(session), "role": "viewer"},
        headers=headers,
    )


def _change_member(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    return client.patch(
        f"/api/v1/coalitions/{OWN}/members/{_new_username(session, {OWN: CoalitionRole.VIEWER})}",
        json={"role": "organizer"},
        headers=headers,
    )


def _remove_member(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    return client.delete(
        f"/api/v1/coalitions/{OWN}/members/{_new_username(session, {OWN: CoalitionRole.VIEWER})}",
        headers=headers,
    )


def _edit_user(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    return client.patch(
        f"/api/v1/users/{_new_username(session)}", json={"display_name": "Renamed"}, headers=headers
    )


def _read_audit(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
    return client.get("/api/v1/audit", params={"coalition": OWN}, headers=headers)


CATALOG_WRITES = [
    Write("create category", "site_admin", _post("/api/v1/categories", {"slug": "matrix", "name": "Matrix"})),
    Write("update category", "site_admin", _patch("/api/v1/categories/labor", {"name": "Labor unions"})),
    Write("delete category", "site_admin", _delete_fresh("categories", {"slug": "matrix", "name": "Matrix"})),
    Write(
        "create demand",
        "site_admin",
        _post("/api/v1/demands", {"slug": "matrix", "title": "Matrix", "category": "labor"}),
    ),
    Write(
        "update demand",
        "site_admin",
        _patch("/api/v1/demands/sanctuary-union", {"title": "Sanctuary unions"}),
    ),
    Write(
        "delete demand",
        "site_admin",
        _delete_fresh("demands", {"slug": "matrix", "title": "Matrix", "category": "labor"}),
    ),
    Write(
        "create example",
        "site_admin",
        _post(
            "/api/v1/demands/sanctuary-union/examples",
            {"slug": "matrix", "title": "Matrix", "kind": "practice"},
        ),
    ),
    Write("update example", "site_admin", _patch("/api/v1/examples/california-ab-450", {"title": "AB 450"})),
    Write(
        "delete example",
        "site_admin",
        _delete_fresh(
            "demands/sanctuary-union/examples", {"slug": "matrix", "title": "Matrix", "kind": "practice"}
        ),
    ),
    Write(
        "create jurisdiction",
        "site_admin",
        _post(
            "/api/v1/jurisdictions",
            {"slug": "matrix", "name": "Matrix", "kind": "city", "parent": "california"},
        ),
    ),
    Write(
        "update jurisdiction",
        "site_admin",
        _patch("/api/v1/jurisdictions/san-gabriel-valley", {"name": "SGV"}),
    ),
    Write(
        "delete jurisdiction",
        "site_admin",
        _delete_fresh("jurisdictions", {"slug": "matrix", "name": "Matrix", "kind": "city"}),
    ),
    Write(
        "create target",
        "site_admin",
        _post(
            "/api/v1/targets",
            {"slug": "matrix", "name": "Matrix", "category": "labor", "jurisdiction": "california"},
        ),
    ),
    Write(
        "update target", "site_admin", _patch("/api/v1/targets/los-angeles-world-airports", {"name": "LAWA"})
    ),
    Write(
        "delete target",
        "site_admin",
        _delete_fresh(
            "targets", {"slug": "matrix", "name": "Matrix", "category": "labor", "jurisdiction": "california"}
        ),
    ),
    Write(
        "create organization",
        "site_admin",
        _post("/api/v1/organizations", {"slug": "matrix", "name": "Matrix", "kind": "union"}),
    ),
    Write("update organization", "site_admin", _patch("/api/v1/organizations/kiwa", {"name": "KIWA"})),
    Write(
        "delete organization",
        "site_admin",
        _delete_fresh("organizations", {"slug": "matrix", "name": "Matrix", "kind": "union"}),
    ),
    Write(
        "create resource",
        "site_admin",
        _post("/api/v1/resources", {"slug": "matrix", "title": "Matrix", "kind": "memo"}),
    ),
    Write(
        "update resource",
        "site_admin",
        _patch("/api/v1/resources/manager-training-flyer", {"title": "Manager training"}),
    ),
    Write(
        "delete resource",
        "site_admin",
        _delete_fresh("resources", {"slug": "matrix", "title": "Matrix", "kind": "memo"}),
    ),
    Write("create user", "site_admin", _post("/api/v1/users", {"username": "matrix-user"})),
    Write("edit another user", "site_admin", _edit_user),
    Write(
        "create coalition", "site_admin", _post("/api/v1/coalitions", {"slug": "matrix", "name": "Matrix"})
    ),
    Write(
        "delete coalition", "site_admin", _delete_fresh("coalitions", {"slug": "matrix", "name": "Matrix"})
    ),
]


def _proposal(client: httpx.Client) -> int:
    created = client.post(
        "/api/v1/submissions",
        json={"kind": "strategy", "title": "Matrix proposal", "body": "A proposal for the matrix walk."},
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _moderate(
    action: str, body: dict[str, Any] | None
) -> Callable[[httpx.Client, Session, Headers], httpx.Response]:
    def perform(client: httpx.Client, session: Session, headers: Headers) -> httpx.Response:
        url = f"/api/v1/moderation/submissions/{_proposal(client)}/{action}"
        return (
            client.post(url, json=body, headers=headers)
            if body is not None
            else client.post(url, headers=headers)
        )

    return perform


# The seeded checklist coalition is OWN: its moderators review proposals.
MODERATION_WRITES = [
    Write("claim submission", "moderator", _moderate("claim", None)),
    Write("accept submission", "moderator", _moderate("accept", {"category": "labor"})),
    Write("reject submission", "moderator", _moderate("reject", {"reason": "Not a demand."})),
    Write("merge submission", "moderator", _moderate("merge", {"demand": "sanctuary-union"})),
    Write("purge submission contact", "moderator", _moderate("purge-contact", None)),
]

COALITION_WRITES = [
    Write("edit coalition", "coalition_admin", _patch(f"/api/v1/coalitions/{OWN}", {"name": "IWJC"})),
    Write(
        "add member organization",
        "coalition_admin",
        _put(f"/api/v1/coalitions/{OWN}/organizations/jobs-with-justice"),
    ),
    Write(
        "remove member organization",
        "coalition_admin",
        _delete_link(f"/api/v1/coalitions/{OWN}/organizations/kiwa"),
    ),
    Write("add focus", "coalition_admin", _put(f"/api/v1/coalitions/{OWN}/focus/california")),
    Write("remove focus", "coalition_admin", _delete_link(f"/api/v1/coalitions/{OWN}/focus/california")),
    Write("add member", "coalition_admin", _add_member),
    Write("change member role", "coalition_admin", _change_member),
    Write("remove member", "coalition_admin", _remove_member),
    Write("read audit log", "coalition_admin", _read_audit),
]

WRITES = [
    *CATALOG_WRITES,
    *COALITION_WRITES,
    *MODERATION_WRITES,
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
