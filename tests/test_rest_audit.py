"""The audit log over REST: site admins read everything, coalition admins their coalitions."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.factories import OTHER, OWN, auth_headers

PROBLEM = "application/problem+json"
URL = "/api/v1/audit"


def _write_in_both_coalitions(client: httpx.Client, session: Session) -> dict[str, str]:
    admin = auth_headers(session, site_admin=True, username="audit-site-admin")
    client.put(f"/api/v1/coalitions/{OWN}/focus/california", headers=admin)
    client.put(f"/api/v1/coalitions/{OTHER}/focus/california", headers=admin)
    client.post(
        "/api/v1/organizations", headers=admin, json={"slug": "audit-org", "name": "Org", "kind": "other"}
    )
    return admin


def test_site_admins_read_everything_newest_first(client: httpx.Client, session: Session) -> None:
    admin = _write_in_both_coalitions(client, session)
    body = client.get(URL, headers=admin, params={"actor": "audit-site-admin"}).json()
    assert body["count"] == 3
    assert [e["entity_type"] for e in body["data"]] == ["organization", "coalition_focus", "coalition_focus"]
    ids = [e["id"] for e in body["data"]]
    assert ids == sorted(ids, reverse=True)
    first = body["data"][0]
    assert set(first) == {
        "id",
        "occurred_at",
        "actor",
        "action",
        "entity_type",
        "entity_key",
        "coalition",
        "before",
        "after",
    }
    assert first["actor"] == "audit-site-admin"
    assert first["coalition"] is None
    assert first["after"]["slug"] == "audit-org"
    focus = body["data"][1]
    assert focus["coalition"] == OTHER
    assert focus["entity_key"] == f"{OTHER}/california"


def test_coalition_admins_read_only_their_coalitions(client: httpx.Client, session: Session) -> None:
    _write_in_both_coalitions(client, session)
    own_admin = auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN})
    body = client.get(URL, headers=own_admin, params={"entity_type": "coalition_focus"}).json()
    assert body["count"] >= 1
    assert {e["coalition"] for e in body["data"]} == {OWN}
    assert client.get(URL, headers=own_admin, params={"entity_type": "organization"}).json()["count"] == 0
    assert client.get(URL, headers=own_admin, params={"coalition": OWN}).status_code == 200
    refused = client.get(URL, headers=own_admin, params={"coalition": OTHER})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM


def test_others_may_not_read_the_log(client: httpx.Client, session: Session) -> None:
    moderator = auth_headers(session, roles={OWN: CoalitionRole.MODERATOR})
    assert client.get(URL, headers=moderator).status_code == 403
    assert client.get(URL).status_code == 401


def test_filters_are_checked(client: httpx.Client, session: Session) -> None:
    admin = _write_in_both_coalitions(client, session)
    assert client.get(URL, headers=admin, params={"actor": "ghost"}).status_code == 404
    assert client.get(URL, headers=admin, params={"coalition": "nope"}).status_code == 404
    assert client.get(URL, headers=admin, params={"since": "2020-01-01T00:00:00"}).status_code == 422
    assert client.get(URL, headers=admin, params={"since": "2100-01-01T00:00:00Z"}).json()["count"] == 0
    recent = client.get(
        URL, headers=admin, params={"since": "2000-01-01T00:00:00Z", "entity_key": "audit-org"}
    )
    assert recent.json()["count"] == 1


def test_the_log_costs_the_same_whatever_the_page(
    client: httpx.Client, session: Session, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    admin = _write_in_both_coalitions(client, session)
    costs = []
    for limit in (1, 500):
        with count_queries() as statements:
            assert client.get(URL, headers=admin, params={"limit": limit}).status_code == 200
        costs.append(len(statements))
    # Token and roles, the page, the total.
    assert costs == [4, 4]
