"""Resources over REST: filters, link lists loaded in bounded queries, writes for site admins."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
from sqlalchemy import select
from sqlmodel import Session, col

from schema import AuditEntry
from tests.factories import auth_headers

PROBLEM = "application/problem+json"
NEW = {
    "slug": "kyr-card-spanish",
    "title": "Know Your Rights card (Spanish)",
    "kind": "flyer",
    "url": "https://example.org/kyr-es.pdf",
    "languages": ["es", "en"],
    "demands": ["kyr-messaging", "employer-info"],
    "jurisdictions": ["ocd-division/country:us/state:ca/county:los_angeles", "city-of-chicago"],
}


def _slugs(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["slug"] for r in response.json()["data"]]


def test_seeded_resources_with_their_links(client: httpx.Client) -> None:
    body = client.get("/api/v1/resources", params={"limit": 500}).json()
    assert body["count"] == 15
    titles = [r["title"] for r in body["data"]]
    assert titles == sorted(titles)
    toolkit = client.get("/api/v1/resources/arise-chicago-worker-toolkit")
    assert toolkit.headers["etag"] == '"1"'
    shown = toolkit.json()
    assert shown["languages"] == ["en", "es"]
    assert shown["organization"] == "arise-chicago"
    assert shown["jurisdictions"] == ["city-of-chicago"]
    assert shown["demands"] == ["share-worker-center-toolkits"]
    hotline = client.get("/api/v1/resources/advancing-justice-la-helpline-english").json()
    assert hotline["phone"] == "888-349-9695"
    assert hotline["organization"] == "advancing-justice-la"


def test_resource_filters(client: httpx.Client) -> None:
    assert len(_slugs(client.get("/api/v1/resources", params={"kind": "hotline"}))) == 7
    assert _slugs(client.get("/api/v1/resources", params={"language": "es"})) == [
        "arise-chicago-worker-toolkit",
        "wage-justice-center-spanish-line",
    ]
    assert _slugs(client.get("/api/v1/resources", params={"demand": "employer-info"})) == [
        "employer-illegal-search-seizure-info",
        "employer-ice-arrival-guide",
    ]
    assert _slugs(client.get("/api/v1/resources", params={"jurisdiction": "city-of-chicago"})) == [
        "arise-chicago-worker-toolkit"
    ]
    assert _slugs(client.get("/api/v1/resources", params={"q": "SANCTUARY"})) == [
        "arise-sanctuary-union-webinar"
    ]
    assert _slugs(client.get("/api/v1/resources", params={"q": "_"})) == []
    assert _slugs(client.get("/api/v1/resources", params={"updated_since": "2999-01-01T00:00:00Z"})) == []
    assert client.get("/api/v1/resources", params={"updated_since": "2020-01-01T00:00:00"}).status_code == 422
    for key, value in (("demand", "nope"), ("jurisdiction", "atlantis")):
        missing = client.get("/api/v1/resources", params={key: value})
        assert missing.status_code == 404
        assert value in missing.json()["detail"]
    assert client.get("/api/v1/resources", params={"kind": "rumour"}).status_code == 422


def test_resource_lists_load_links_in_a_fixed_number_of_queries(
    client: httpx.Client, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    for limit in (1, 500):
        with count_queries() as statements:
            assert client.get("/api/v1/resources", params={"limit": limit}).status_code == 200
        # Languages on offer, page, total, then languages, demands and jurisdictions of the whole page.
        assert len(statements) == 6


def test_a_site_admin_creates_updates_and_deletes_a_resource(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    created = client.post("/api/v1/resources", json=NEW, headers=admin)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/resources/kyr-card-spanish"
    assert created.headers["etag"] == '"1"'
    body = created.json()
    assert body["languages"] == ["en", "es"]
    assert body["demands"] == ["employer-info", "kyr-messaging"]
    assert body["jurisdictions"] == ["city-of-chicago", "los-angeles-county"]
    assert body["organization"] is None
    assert "kyr-card-spanish" in _slugs(client.get("/api/v1/resources", params={"demand": "kyr-messaging"}))

    assert (
        client.patch(
            "/api/v1/resources/kyr-card-spanish", json={"languages": ["es"]}, headers=admin
        ).status_code
        == 428
    )
    relinked = client.patch(
        "/api/v1/resources/kyr-card-spanish",
        json={"languages": ["es"], "jurisdictions": [], "version": 1},
        headers=admin,
    )
    assert relinked.status_code == 200, relinked.text
    assert relinked.headers["etag"] == '"2"'
    assert relinked.json()["languages"] == ["es"]
    assert relinked.json()["jurisdictions"] == []
    assert relinked.json()["demands"] == ["employer-info", "kyr-messaging"]
    stale = client.patch(
        "/api/v1/resources/kyr-card-spanish", json={"title": "Old", "version": 1}, headers=admin
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2

    assert client.delete("/api/v1/resources/kyr-card-spanish", headers=admin).status_code == 204
    assert client.get("/api/v1/resources/kyr-card-spanish").status_code == 404
    entries = session.execute(
        select(col(AuditEntry.action), col(AuditEntry.after))
        .where(col(AuditEntry.entity_type) == "resource", col(AuditEntry.entity_key) == "kyr-card-spanish")
        .order_by(col(AuditEntry.id))
    ).all()
    assert [str(action) for action, _ in entries] == ["create", "update", "delete"]
    assert entries[1][1] == {"languages": ["es"], "jurisdictions": []}


def test_phone_numbers_only_on_organization_hotlines(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    personal = client.post("/api/v1/resources", json={**NEW, "phone": "213-555-0100"}, headers=admin)
    assert personal.status_code == 422
    assert personal.json()["errors"][0]["location"] == ["body", "phone"]
    hotline = client.post(
        "/api/v1/resources",
        json={**NEW, "kind": "hotline", "phone": "213-555-0100", "organization": "advancing-justice-la"},
        headers=admin,
    )
    assert hotline.status_code == 201, hotline.text
    orphaned = client.patch(
        "/api/v1/resources/kyr-card-spanish", json={"organization": None, "version": 1}, headers=admin
    )
    assert orphaned.status_code == 422
    assert (
        client.post("/api/v1/resources", json={**NEW, "phone": "call me"}, headers=admin).status_code == 422
    )


def test_bad_resource_payloads(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    unknown = client.post(
        "/api/v1/resources", json={**NEW, "demands": ["kyr-messaging", "nope", "nada"]}, headers=admin
    )
    assert unknown.status_code == 404
    assert "'nope'" in unknown.json()["detail"]
    assert "'nada'" in unknown.json()["detail"]
    place = client.post("/api/v1/resources", json={**NEW, "jurisdictions": ["atlantis"]}, headers=admin)
    assert place.status_code == 404
    org = client.post("/api/v1/resources", json={**NEW, "organization": "nobody"}, headers=admin)
    assert org.status_code == 404
    duplicate = client.post(
        "/api/v1/resources", json={**NEW, "slug": "arise-chicago-worker-toolkit"}, headers=admin
    )
    assert duplicate.status_code == 409
    for bad in ({**NEW, "languages": ["Spanish!"]}, {**NEW, "kind": "rumour"}, {**NEW, "url": "ftp://x"}):
        assert client.post("/api/v1/resources", json=bad, headers=admin).status_code == 422, bad


def test_only_site_admins_write_resources(client: httpx.Client, session: Session) -> None:
    assert client.post("/api/v1/resources", json=NEW).status_code == 401
    organizer = auth_headers(session)
    assert client.post("/api/v1/resources", json=NEW, headers=organizer).status_code == 403
    path = "/api/v1/resources/arise-chicago-worker-toolkit"
    assert client.patch(path, json={"version": 1}, headers=organizer).status_code == 403
    assert client.delete(path, headers=organizer).status_code == 403
