"""Member organizations over REST."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
from sqlmodel import Session, col, select

from schema import Campaign, Coalition, Demand, Organization, Target
from schema.enums import CoalitionRole
from tests.factories import OWN, auth_headers

PROBLEM = "application/problem+json"
BASE = "/api/v1/organizations"
NEW = {
    "slug": "pomona-day-labor-center",
    "name": "Pomona Day Labor Center",
    "kind": "worker_center",
    "website": "https://example.org/pomona",
    "jurisdiction": "los-angeles-county",
}


def test_organizations_list_by_name_with_filters(client: httpx.Client) -> None:
    body = client.get(BASE).json()
    assert body["count"] == 13
    names = [o["name"] for o in body["data"]]
    assert names == sorted(names)
    kiwa = next(o for o in body["data"] if o["slug"] == "kiwa")
    assert kiwa["jurisdiction"] == "city-of-los-angeles"
    assert set(kiwa) == {
        "slug",
        "name",
        "kind",
        "description",
        "website",
        "jurisdiction",
        "version",
        "created_at",
        "updated_at",
    }
    assert {o["kind"] for o in client.get(BASE, params={"kind": "union"}).json()["data"]} <= {"union"}
    in_coalition = client.get(BASE, params={"coalition": OWN}).json()
    assert in_coalition["count"] == 9
    assert (
        client.get(BASE, params={"jurisdiction": "city-of-chicago"}).json()["data"][0]["slug"]
        == "arise-chicago"
    )
    assert client.get(BASE, params={"q": "CHICAGO"}).json()["count"] == 1
    assert client.get(BASE, params={"q": "_"}).json()["count"] == 0
    assert client.get(BASE, params={"coalition": "nope"}).status_code == 404
    assert client.get(BASE, params={"jurisdiction": "atlantis"}).status_code == 404
    assert client.get(BASE, params={"kind": "guild"}).status_code == 422
    assert client.get(BASE, params={"updated_since": "2020-01-01T00:00:00"}).status_code == 422
    assert client.get(BASE, params={"updated_since": "2100-01-01T00:00:00+00:00"}).json()["count"] == 0


def test_organization_lists_cost_the_same_whatever_the_page(
    client: httpx.Client, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    costs = []
    for limit in (1, 500):
        with count_queries() as statements:
            assert client.get(BASE, params={"limit": limit}).status_code == 200
        costs.append(len(statements))
    assert costs == [2, 2]
    with count_queries() as statements:
        assert (
            client.get(BASE, params={"coalition": OWN, "jurisdiction": "los-angeles-county"}).status_code
            == 200
        )
    # Two slug lookups, the page and the total.
    assert len(statements) == 4


def test_get_one_with_etag(client: httpx.Client) -> None:
    response = client.get(f"{BASE}/kiwa")
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    missing = client.get(f"{BASE}/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM


def test_site_admins_create_update_and_delete(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    created = client.post(BASE, headers=admin, json=NEW)
    assert created.status_code == 201
    assert created.headers["location"] == f"{BASE}/pomona-day-labor-center"
    assert created.headers["etag"] == '"1"'
    assert created.json()["jurisdiction"] == "los-angeles-county"
    assert client.post(BASE, headers=admin, json=NEW).status_code == 409

    url = f"{BASE}/pomona-day-labor-center"
    assert client.patch(url, headers=admin, json={"name": "Pomona DLC"}).status_code == 428
    updated = client.patch(
        url, headers={**admin, "If-Match": '"1"'}, json={"name": "Pomona DLC", "jurisdiction": None}
    )
    assert updated.status_code == 200
    assert updated.json()["name"] == "Pomona DLC"
    assert updated.json()["jurisdiction"] is None
    assert updated.headers["etag"] == '"2"'
    stale = client.patch(url, headers=admin, json={"name": "x", "version": 1})
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert client.patch(url, headers=admin, json={"name": None, "version": 2}).status_code == 422
    assert (
        client.patch(url, headers=admin, json={"jurisdiction": "atlantis", "version": 2}).status_code == 404
    )

    assert client.delete(url, headers={**admin, "If-Match": '"1"'}).status_code == 412
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url).status_code == 404


def test_only_site_admins_write(client: httpx.Client, session: Session) -> None:
    coalition_admin = auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN})
    assert client.post(BASE, headers=coalition_admin, json=NEW).status_code == 403
    assert client.post(BASE, json=NEW).status_code == 401
    assert (
        client.patch(f"{BASE}/kiwa", headers=coalition_admin, json={"name": "x", "version": 1}).status_code
        == 403
    )
    assert client.delete(f"{BASE}/kiwa", headers=coalition_admin).status_code == 403


def test_payloads_are_checked(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    for change in (
        {"slug": "Not A Slug"},
        {"kind": "guild"},
        {"name": ""},
        {"extra": 1},
        {"description": "A12345678"},
    ):
        response = client.post(BASE, headers=admin, json={**NEW, **change})
        assert response.status_code == 422, change
        assert response.headers["content-type"] == PROBLEM
    unknown = client.post(BASE, headers=admin, json={**NEW, "jurisdiction": "atlantis"})
    assert unknown.status_code == 404
    assert "atlantis" in unknown.json()["detail"]


def test_referenced_organizations_are_not_deleted(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    # Seeded resources name Advancing Justice-LA as their publisher.
    refused = client.delete(f"{BASE}/advancing-justice-la", headers=admin)
    assert refused.status_code == 409
    assert "resource" in refused.json()["detail"]

    demand = session.exec(select(Demand).where(col(Demand.parent_id).is_not(None))).first()
    target = session.exec(select(Target)).first()
    coalition = session.exec(select(Coalition)).first()
    kiwa = session.exec(select(Organization).where(Organization.slug == "kiwa")).one()
    assert demand
    assert target
    assert coalition
    session.add(
        Campaign(
            coalition_id=coalition.id, demand_id=demand.id, target_id=target.id, lead_organization_id=kiwa.id
        )
    )
    session.flush()
    led = client.delete(f"{BASE}/kiwa", headers=admin)
    assert led.status_code == 409
    assert led.json()["detail"].startswith("1 campaign")


def test_deleting_an_organization_drops_its_memberships(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    assert "kiwa" in client.get(f"/api/v1/coalitions/{OWN}").json()["organizations"]
    assert client.delete(f"{BASE}/kiwa", headers=admin).status_code == 204
    assert "kiwa" not in client.get(f"/api/v1/coalitions/{OWN}").json()["organizations"]
    entry = client.get(
        "/api/v1/audit", headers=admin, params={"entity_type": "organization", "entity_key": "kiwa"}
    )
    assert entry.json()["data"][0]["action"] == "delete"
    assert entry.json()["data"][0]["before"]["name"]
