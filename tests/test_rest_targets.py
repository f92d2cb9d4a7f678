"""Targets over REST: filters, writes for site admins, versions and refusals."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
from sqlalchemy import select
from sqlmodel import Session, col

from schema import AuditEntry, Campaign, Demand, Target
from tests.factories import OWN, auth_headers, coalition_id

PROBLEM = "application/problem+json"
NEW = {
    "slug": "los-angeles-county-board-of-supervisors",
    "name": "Los Angeles County Board of Supervisors",
    "category": "elected-officials",
    "jurisdiction": "ocd-division/country:us/state:ca/county:los_angeles",
    "website": "https://bos.lacounty.gov/",
}


def _slugs(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [t["slug"] for t in response.json()["data"]]


def test_seeded_targets_are_listed_by_name_with_public_fields(client: httpx.Client) -> None:
    body = client.get("/api/v1/targets").json()
    assert body["count"] == 7
    names = [t["name"] for t in body["data"]]
    assert names == sorted(names)
    council = client.get("/api/v1/targets/los-angeles-city-council")
    assert council.status_code == 200
    assert council.headers["etag"] == '"1"'
    shown = council.json()
    assert shown["category"] == "elected-officials"
    assert shown["jurisdiction"] == "city-of-los-angeles"
    assert set(shown) == {
        "slug",
        "name",
        "category",
        "jurisdiction",
        "description",
        "website",
        "version",
        "created_at",
        "updated_at",
    }


def test_filters_by_category_place_descendants_words_and_age(client: httpx.Client) -> None:
    assert _slugs(client.get("/api/v1/targets", params={"category": "consulates"})) == [
        "consulate-general-of-mexico-los-angeles"
    ]
    assert _slugs(client.get("/api/v1/targets", params={"jurisdiction": "california"})) == [
        "california-legislature"
    ]
    within = _slugs(
        client.get(
            "/api/v1/targets",
            params={"jurisdiction": "ocd-division/country:us/state:ca", "include_descendants": "true"},
        )
    )
    assert set(within) == {
        "california-legislature",
        "consulate-general-of-mexico-los-angeles",
        "los-angeles-city-council",
        "los-angeles-world-airports",
    }
    assert (
        len(
            _slugs(
                client.get(
                    "/api/v1/targets", params={"jurisdiction": "united-states", "include_descendants": "1"}
                )
            )
        )
        == 7
    )
    assert _slugs(client.get("/api/v1/targets", params={"q": "NEW JERSEY"})) == [
        "new-jersey-legislature",
        "new-jersey-attorney-general",
    ]
    assert _slugs(client.get("/api/v1/targets", params={"q": "%"})) == []
    assert _slugs(client.get("/api/v1/targets", params={"updated_since": "2999-01-01T00:00:00Z"})) == []
    assert (
        len(_slugs(client.get("/api/v1/targets", params={"updated_since": "2000-01-01T00:00:00+02:00"}))) == 7
    )


def test_bad_filters_are_problems(client: httpx.Client) -> None:
    naive = client.get("/api/v1/targets", params={"updated_since": "2025-01-01T00:00:00"})
    assert naive.status_code == 422
    assert naive.headers["content-type"] == PROBLEM
    assert naive.json()["errors"][0]["location"] == ["query", "updated_since"]
    for key, value in (("category", "astrology"), ("jurisdiction", "atlantis")):
        missing = client.get("/api/v1/targets", params={key: value})
        assert missing.status_code == 404
        assert value in missing.json()["detail"]
    assert client.get("/api/v1/targets", params={"updated_since": "soon"}).status_code == 422
    assert client.get("/api/v1/targets/nobody").status_code == 404


def test_target_list_costs_a_fixed_number_of_queries(
    client: httpx.Client, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    for params in ({"limit": 1}, {"limit": 500}):
        with count_queries() as statements:
            assert client.get("/api/v1/targets", params=params).status_code == 200
        assert len(statements) == 2
    with count_queries() as statements:
        response = client.get(
            "/api/v1/targets",
            params={"jurisdiction": "california", "include_descendants": True, "category": "consulates"},
        )
        assert response.status_code == 200
    # The two lookups, the page and the total.
    assert len(statements) == 4


def test_a_site_admin_creates_updates_and_deletes_a_target(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    created = client.post("/api/v1/targets", json=NEW, headers=admin)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/api/v1/targets/{NEW['slug']}"
    assert created.headers["etag"] == '"1"'
    assert created.json()["jurisdiction"] == "los-angeles-county"
    assert client.get(created.headers["location"]).json() == created.json()

    stale = client.patch(
        f"/api/v1/targets/{NEW['slug']}", json={"name": "Board"}, headers={**admin, "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 1
    unversioned = client.patch(f"/api/v1/targets/{NEW['slug']}", json={"name": "Board"}, headers=admin)
    assert unversioned.status_code == 428
    updated = client.patch(
        f"/api/v1/targets/{NEW['slug']}",
        json={"name": "LA County Board of Supervisors", "category": "labor", "version": 1},
        headers=admin,
    )
    assert updated.status_code == 200, updated.text
    assert updated.headers["etag"] == '"2"'
    assert updated.json()["category"] == "labor"
    assert updated.json()["version"] == 2

    deleted = client.delete(f"/api/v1/targets/{NEW['slug']}", headers={**admin, "If-Match": '"2"'})
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/targets/{NEW['slug']}").status_code == 404
    entries = session.execute(
        select(col(AuditEntry.action), col(AuditEntry.coalition_id))
        .where(col(AuditEntry.entity_type) == "target", col(AuditEntry.entity_key) == NEW["slug"])
        .order_by(col(AuditEntry.id))
    ).all()
    assert [(str(a), c) for a, c in entries] == [("create", None), ("update", None), ("delete", None)]


def test_only_site_admins_write_targets(client: httpx.Client, session: Session) -> None:
    assert client.post("/api/v1/targets", json=NEW).status_code == 401
    organizer = auth_headers(session)
    refused = client.post("/api/v1/targets", json=NEW, headers=organizer)
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert (
        client.patch(
            "/api/v1/targets/los-angeles-city-council", json={"version": 1}, headers=organizer
        ).status_code
        == 403
    )
    assert client.delete("/api/v1/targets/los-angeles-city-council", headers=organizer).status_code == 403


def test_bad_target_payloads_are_refused_clearly(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    duplicate = client.post(
        "/api/v1/targets", json={**NEW, "slug": "los-angeles-city-council"}, headers=admin
    )
    assert duplicate.status_code == 409
    assert "los-angeles-city-council" in duplicate.json()["detail"]
    unknown = client.post("/api/v1/targets", json={**NEW, "jurisdiction": "atlantis"}, headers=admin)
    assert unknown.status_code == 404
    assert "atlantis" in unknown.json()["detail"]
    for bad in (
        {**NEW, "slug": "Not A Slug"},
        {**NEW, "website": "javascript:alert(1)"},
        {**NEW, "extra": 1},
        {**NEW, "description": "Detained: A123456789"},
        {k: v for k, v in NEW.items() if k != "name"},
    ):
        response = client.post("/api/v1/targets", json=bad, headers=admin)
        assert response.status_code == 422, bad
        assert response.headers["content-type"] == PROBLEM
    nulled = client.patch(
        "/api/v1/targets/los-angeles-city-council", json={"name": None, "version": 1}, headers=admin
    )
    assert nulled.status_code == 422


def test_a_target_with_campaigns_cannot_be_deleted(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    target_id = session.execute(
        select(col(Target.id)).where(col(Target.slug) == "los-angeles-city-council")
    ).scalar_one()
    leaf_id = session.execute(
        select(col(Demand.id)).where(col(Demand.slug) == "rapid-response-network")
    ).scalar_one()
    session.add(Campaign(coalition_id=coalition_id(session, OWN), demand_id=leaf_id, target_id=target_id))
    session.flush()
    refused = client.delete("/api/v1/targets/los-angeles-city-council", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("1 campaign refers to the target 'los-angeles-city-council'")
    assert refused.json()["references"] == {"campaigns": 1}
    assert client.get("/api/v1/targets/los-angeles-city-council").status_code == 200
