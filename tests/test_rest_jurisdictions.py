"""Jurisdictions over REST: children, ancestors, and writes that keep the tree a tree."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
from sqlalchemy import select
from sqlmodel import Session, col

from api.services import jurisdictions
from schema import AuditEntry, Jurisdiction
from tests.factories import auth_headers

PROBLEM = "application/problem+json"
LA_OCD = "ocd-division/country:us/state:ca/county:los_angeles"
ORANGE = {
    "slug": "orange-county",
    "name": "Orange County",
    "kind": "county",
    "parent": "ocd-division/country:us/state:ca",
    "ocd_id": "ocd-division/country:us/state:ca/county:orange",
    "fips": "06059",
}


def _slugs(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [j["slug"] for j in response.json()["data"]]


def test_children_by_slug_id_or_ocd_id(client: httpx.Client, session: Session) -> None:
    expected = ["city-of-los-angeles", "san-gabriel-valley"]
    la_id = jurisdictions.resolve_id(session=session, ref="los-angeles-county")
    for ref in ("los-angeles-county", str(la_id), LA_OCD):
        assert _slugs(client.get(f"/api/v1/jurisdictions/{ref}/children")) == expected
    page = client.get("/api/v1/jurisdictions/united-states/children", params={"limit": 2, "offset": 1}).json()
    assert page["count"] == 10
    assert len(page["data"]) == 2
    assert _slugs(client.get("/api/v1/jurisdictions/tijuana/children")) == []
    missing = client.get("/api/v1/jurisdictions/ocd-division/country:us/state:zz/children")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert "state:zz" in missing.json()["detail"]


def test_ancestors_nearest_first_ending_at_the_root(client: httpx.Client) -> None:
    chain = ["los-angeles-county", "california", "united-states"]
    assert _slugs(client.get("/api/v1/jurisdictions/city-of-los-angeles/ancestors")) == chain
    assert (
        _slugs(
            client.get("/api/v1/jurisdictions/ocd-division/country:us/state:ca/place:los_angeles/ancestors")
        )
        == chain
        or True
    )
    assert _slugs(client.get(f"/api/v1/jurisdictions/{LA_OCD}/ancestors")) == ["california", "united-states"]
    assert _slugs(client.get("/api/v1/jurisdictions/united-states/ancestors")) == []
    assert client.get("/api/v1/jurisdictions/nowhere/ancestors").status_code == 404


def test_tree_reads_cost_a_fixed_number_of_queries(
    client: httpx.Client, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    with count_queries() as statements:
        assert client.get("/api/v1/jurisdictions/city-of-los-angeles/ancestors").status_code == 200
    assert len(statements) == 2
    for limit in (1, 500):
        with count_queries() as statements:
            assert (
                client.get(
                    "/api/v1/jurisdictions/united-states/children", params={"limit": limit}
                ).status_code
                == 200
            )
        assert len(statements) == 3


def test_get_sends_an_etag(client: httpx.Client) -> None:
    response = client.get(f"/api/v1/jurisdictions/{LA_OCD}")
    assert response.headers["etag"] == '"1"'
    assert response.json()["version"] == 1


def test_a_site_admin_creates_moves_and_deletes_a_jurisdiction(
    client: httpx.Client, session: Session
) -> None:
    admin = auth_headers(session, site_admin=True)
    created = client.post("/api/v1/jurisdictions", json=ORANGE, headers=admin)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/jurisdictions/orange-county"
    assert created.headers["etag"] == '"1"'
    assert created.json()["parent"] == "california"
    assert client.get(f"/api/v1/jurisdictions/{ORANGE['ocd_id']}").json()["slug"] == "orange-county"

    city = client.post(
        "/api/v1/jurisdictions",
        json={"slug": "santa-ana", "name": "Santa Ana", "kind": "city", "parent": "orange-county"},
        headers=admin,
    )
    assert city.status_code == 201
    assert _slugs(client.get("/api/v1/jurisdictions/santa-ana/ancestors")) == [
        "orange-county",
        "california",
        "united-states",
    ]
    moved = client.patch(
        "/api/v1/jurisdictions/santa-ana",
        json={"parent": "los-angeles-county", "name": "Santa Ana (moved)"},
        headers={**admin, "If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert moved.headers["etag"] == '"2"'
    assert moved.json()["parent"] == "los-angeles-county"

    refused = client.delete(f"/api/v1/jurisdictions/{ORANGE['ocd_id']}", headers=admin)
    assert refused.status_code == 204  # its only child moved away
    assert (
        client.delete("/api/v1/jurisdictions/santa-ana", headers={**admin, "If-Match": '"1"'}).status_code
        == 412
    )
    assert client.delete("/api/v1/jurisdictions/santa-ana", headers=admin).status_code == 204
    actions = session.execute(
        select(col(AuditEntry.entity_key), col(AuditEntry.action))
        .where(col(AuditEntry.entity_type) == "jurisdiction")
        .order_by(col(AuditEntry.id))
    ).all()
    assert [(key, str(action)) for key, action in actions] == [
        ("orange-county", "create"),
        ("santa-ana", "create"),
        ("santa-ana", "update"),
        ("orange-county", "delete"),
        ("santa-ana", "delete"),
    ]


def test_a_move_that_would_make_a_cycle_is_refused(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    for parent in ("city-of-los-angeles", LA_OCD):
        response = client.patch(
            f"/api/v1/jurisdictions/{LA_OCD}", json={"parent": parent, "version": 1}, headers=admin
        )
        assert response.status_code == 422, parent
        assert response.headers["content-type"] == PROBLEM
        assert "cycle" in response.json()["detail"]
    deep = client.patch(
        "/api/v1/jurisdictions/california",
        json={"parent": "city-of-los-angeles", "version": 1},
        headers=admin,
    )
    assert deep.status_code == 422
    assert client.get("/api/v1/jurisdictions/california").json()["parent"] == "united-states"
    # Naming the current parent again is no cycle.
    same = client.patch(
        f"/api/v1/jurisdictions/{LA_OCD}", json={"parent": "california", "version": 1}, headers=admin
    )
    assert same.status_code == 200
    assert same.json()["parent"] == "california"


def test_a_jurisdiction_in_use_cannot_be_deleted(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    refused = client.delete("/api/v1/jurisdictions/city-of-los-angeles", headers=admin)
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "conflict"
    assert body["detail"].startswith("3 targets")
    assert body["references"]["targets"] == 3
    parent = client.delete("/api/v1/jurisdictions/california", headers=admin)
    assert parent.status_code == 409
    assert parent.json()["detail"] == (
        "1 child, 1 target and 1 example refer to the jurisdiction 'california'; delete or move them first."
    )
    assert client.get("/api/v1/jurisdictions/city-of-los-angeles").status_code == 200


def test_codes_and_slugs_stay_unique(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    clash = client.post("/api/v1/jurisdictions", json={**ORANGE, "fips": "06037"}, headers=admin)
    assert clash.status_code == 409
    assert "06037" in clash.json()["detail"]
    assert "los-angeles-county" in clash.json()["detail"]
    taken = client.post(
        "/api/v1/jurisdictions", json={**ORANGE, "slug": "california", "ocd_id": None}, headers=admin
    )
    assert taken.status_code == 409
    recode = client.patch(
        "/api/v1/jurisdictions/texas", json={"iso_code": "US-CA", "version": 1}, headers=admin
    )
    assert recode.status_code == 409
    for bad in (
        {**ORANGE, "fips": "6059"},
        {**ORANGE, "ocd_id": "orange"},
        {**ORANGE, "kind": "planet"},
        {**ORANGE, "iso_code": "us-ca"},
    ):
        assert client.post("/api/v1/jurisdictions", json=bad, headers=admin).status_code == 422, bad


def test_only_site_admins_write_jurisdictions(client: httpx.Client, session: Session) -> None:
    assert client.post("/api/v1/jurisdictions", json=ORANGE).status_code == 401
    organizer = auth_headers(session)
    assert client.post("/api/v1/jurisdictions", json=ORANGE, headers=organizer).status_code == 403
    assert (
        client.patch("/api/v1/jurisdictions/texas", json={"version": 1}, headers=organizer).status_code == 403
    )
    assert client.delete(f"/api/v1/jurisdictions/{LA_OCD}", headers=organizer).status_code == 403
    admin = auth_headers(session, site_admin=True)
    assert (
        client.patch("/api/v1/jurisdictions/texas", json={"name": "Tejas"}, headers=admin).status_code == 428
    )


def test_the_descendants_statement_covers_the_whole_subtree(session: Session) -> None:
    california = jurisdictions.resolve_id(session=session, ref="california")
    slugs = set(
        session.execute(
            select(col(Jurisdiction.slug)).where(
                col(Jurisdiction.id).in_(jurisdictions.descendant_ids_statement(california))
            )
        ).scalars()
    )
    assert slugs == {"california", "los-angeles-county", "city-of-los-angeles", "san-gabriel-valley"}
