"""Writes on the checklist: categories, demands and examples, for site admins only."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
from sqlalchemy import select
from sqlmodel import Session, col

from schema import AuditEntry, Campaign, Demand, Target
from tests.factories import OWN, auth_headers, coalition_id

PROBLEM = "application/problem+json"


def _admin(session: Session) -> dict[str, str]:
    return auth_headers(session, site_admin=True)


def _audited(session: Session, entity_type: str, key: str) -> list[str]:
    return [
        str(action)
        for action in session.execute(
            select(col(AuditEntry.action))
            .where(col(AuditEntry.entity_type) == entity_type, col(AuditEntry.entity_key) == key)
            .order_by(col(AuditEntry.id))
        ).scalars()
    ]


def test_category_lifecycle(client: httpx.Client, session: Session) -> None:
    admin = _admin(session)
    created = client.post("/api/v1/categories", json={"slug": "schools", "name": "Schools"}, headers=admin)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/categories/schools"
    assert created.headers["etag"] == '"1"'
    assert created.json() == {
        "slug": "schools",
        "name": "Schools",
        "description": None,
        "position": 6,
        "demand_count": 0,
        "version": 1,
        "language": "en",
        "translation_needs_review": False,
    }
    assert client.get("/api/v1/categories").json()["data"][-1]["slug"] == "schools"
    assert client.get("/api/v1/categories/schools").headers["etag"] == '"1"'
    assert client.patch("/api/v1/categories/schools", json={"name": "K-12"}, headers=admin).status_code == 428
    stale = client.patch("/api/v1/categories/schools", json={"name": "K-12", "version": 3}, headers=admin)
    assert stale.status_code == 412
    assert stale.json()["code"] == "version_mismatch"
    renamed = client.patch(
        "/api/v1/categories/schools",
        json={"name": "Schools and universities"},
        headers={**admin, "If-Match": '"1"'},
    )
    assert renamed.status_code == 200
    assert renamed.headers["etag"] == '"2"'
    assert renamed.json()["name"] == "Schools and universities"
    assert client.delete("/api/v1/categories/schools", headers=admin).status_code == 204
    assert client.get("/api/v1/categories/schools").status_code == 404
    assert _audited(session, "category", "schools") == ["create", "update", "delete"]


def test_a_category_in_use_cannot_be_deleted(client: httpx.Client, session: Session) -> None:
    refused = client.delete("/api/v1/categories/consulates", headers=_admin(session))
    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["detail"].startswith(
        "5 demands and 1 target refer to the target category 'consulates'"
    )
    assert refused.json()["references"] == {"demands": 5, "targets": 1}


def test_catalog_writes_are_for_site_admins(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session)
    for method, path, body in (
        ("POST", "/api/v1/categories", {"slug": "schools", "name": "Schools"}),
        ("PATCH", "/api/v1/categories/labor", {"version": 1}),
        ("DELETE", "/api/v1/categories/labor", None),
        ("POST", "/api/v1/demands", {"slug": "x", "category": "labor", "title": "X"}),
        ("PATCH", "/api/v1/demands/rapid-response-network", {"version": 1}),
        ("DELETE", "/api/v1/demands/rapid-response-network", None),
        (
            "POST",
            "/api/v1/demands/rapid-response-network/examples",
            {"slug": "x", "title": "X", "kind": "program"},
        ),
        ("PATCH", "/api/v1/examples/direct-defense-dallas", {"version": 1}),
        ("DELETE", "/api/v1/examples/direct-defense-dallas", None),
    ):
        assert client.request(method, path, json=body).status_code == 401, path
        refused = client.request(method, path, json=body, headers=organizer)
        assert refused.status_code == 403, path
        assert refused.json()["code"] == "forbidden"


def test_duplicate_and_invalid_catalog_payloads(client: httpx.Client, session: Session) -> None:
    admin = _admin(session)
    duplicate = client.post(
        "/api/v1/categories", json={"slug": "labor", "name": "Labor again"}, headers=admin
    )
    assert duplicate.status_code == 409
    assert "'labor'" in duplicate.json()["detail"]
    for body in (
        {"slug": "Labor", "name": "x"},
        {"slug": "x", "name": ""},
        {"slug": "x", "name": "x", "position": -1},
        {"slug": "x", "name": "x", "position": 2**31},
        {"slug": "x", "name": "x", "colour": "red"},
    ):
        assert client.post("/api/v1/categories", json=body, headers=admin).status_code == 422, body
    assert (
        client.patch("/api/v1/categories/labor", json={"name": None, "version": 1}, headers=admin).status_code
        == 422
    )


def test_demands_append_among_their_siblings(client: httpx.Client, session: Session) -> None:
    admin = _admin(session)
    top = client.post(
        "/api/v1/demands",
        json={"slug": "fund-worker-trainings", "category": "labor", "title": "Fund worker trainings."},
        headers=admin,
    )
    assert top.status_code == 201, top.text
    assert top.headers["location"] == "/api/v1/demands/fund-worker-trainings"
    assert top.json()["provenance"] == "editorial"
    assert top.json()["parent"] is None
    labor = client.get("/api/v1/demands", params={"category": "labor"}).json()["data"]
    assert labor[-1]["slug"] == "fund-worker-trainings"

    item = client.post(
        "/api/v1/demands",
        json={"slug": "film-raids", "parent": "be-present-at-raids", "title": "Film what you see."},
        headers=admin,
    )
    assert item.status_code == 201, item.text
    assert item.json()["category"] == "elected-officials"
    group = client.get("/api/v1/demands/be-present-at-raids").json()
    assert group["children"][-1] == "film-raids"
    assert item.json()["position"] == 3


def test_demands_nest_one_level_and_groups_have_no_campaigns(client: httpx.Client, session: Session) -> None:
    admin = _admin(session)
    too_deep = client.post(
        "/api/v1/demands",
        json={"slug": "deeper", "parent": "rapid-response-network", "title": "Deeper."},
        headers=admin,
    )
    assert too_deep.status_code == 422
    assert "one level" in too_deep.json()["detail"]
    mismatch = client.post(
        "/api/v1/demands",
        json={"slug": "odd", "category": "labor", "parent": "be-present-at-raids", "title": "Odd."},
        headers=admin,
    )
    assert mismatch.status_code == 422
    no_category = client.post("/api/v1/demands", json={"slug": "odd", "title": "Odd."}, headers=admin)
    assert no_category.status_code == 422
    unknown = client.post(
        "/api/v1/demands", json={"slug": "odd", "category": "astrology", "title": "Odd."}, headers=admin
    )
    assert unknown.status_code == 404
    assert "astrology" in unknown.json()["detail"]

    leaf_id = session.execute(
        select(col(Demand.id)).where(col(Demand.slug) == "rapid-response-network")
    ).scalar_one()
    target_id = session.execute(
        select(col(Target.id)).where(col(Target.slug) == "california-legislature")
    ).scalar_one()
    session.add(Campaign(coalition_id=coalition_id(session, OWN), demand_id=leaf_id, target_id=target_id))
    session.flush()
    # rapid-response-network is an item; moving it top-level first, then giving it an item, is refused.
    freed = client.patch(
        "/api/v1/demands/rapid-response-network", json={"parent": None, "version": 1}, headers=admin
    )
    assert freed.status_code == 200, freed.text
    assert freed.json()["parent"] is None
    under_leaf = client.post(
        "/api/v1/demands",
        json={"slug": "under", "parent": "rapid-response-network", "title": "Under."},
        headers=admin,
    )
    assert under_leaf.status_code == 409
    assert "campaign" in under_leaf.json()["detail"]

    group_into_group = client.patch(
        "/api/v1/demands/be-present-at-raids",
        json={"parent": "strong-messenger", "version": 1},
        headers=admin,
    )
    assert group_into_group.status_code == 422


def test_moving_a_group_brings_its_items(client: httpx.Client, session: Session) -> None:
    admin = _admin(session)
    moved = client.patch(
        "/api/v1/demands/be-present-at-raids",
        json={"category": "labor"},
        headers={**admin, "If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert moved.headers["etag"] == '"2"'
    labor = client.get("/api/v1/demands", params={"category": "labor"}).json()["data"]
    slugs = [d["slug"] for d in labor]
    assert slugs[-4:] == [
        "be-present-at-raids",
        "rapid-response-network",
        "raid-scene-presence",
        "document-raids",
    ]
    item = client.get("/api/v1/demands/raid-scene-presence")
    assert item.json()["category"] == "labor"
    assert item.headers["etag"] == '"2"'
    stray = client.patch(
        "/api/v1/demands/raid-scene-presence", json={"category": "business", "version": 2}, headers=admin
    )
    assert stray.status_code == 422


def test_deleting_demands(client: httpx.Client, session: Session) -> None:
    admin = _admin(session)
    group = client.delete("/api/v1/demands/be-present-at-raids", headers=admin)
    assert group.status_code == 409
    assert group.json()["detail"].startswith("3 items refer to the demand 'be-present-at-raids'")
    with_examples = client.delete("/api/v1/demands/consulate-direct-defense", headers=admin)
    assert with_examples.status_code == 409
    assert with_examples.json()["references"] == {"items": 3, "examples": 5}
    assert (
        client.delete("/api/v1/demands/document-raids", headers={**admin, "If-Match": '"9"'}).status_code
        == 412
    )
    assert client.delete("/api/v1/demands/document-raids", headers=admin).status_code == 204
    assert client.get("/api/v1/demands/be-present-at-raids").json()["children"] == [
        "rapid-response-network",
        "raid-scene-presence",
    ]
    assert _audited(session, "demand", "document-raids") == ["delete"]


def test_example_lifecycle(
    client: httpx.Client, session: Session, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    admin = _admin(session)
    listed = client.get("/api/v1/demands/consulate-direct-defense/examples").json()
    assert listed["count"] == 5
    assert listed["data"][1]["slug"] == "direct-defense-dallas"
    assert listed["data"][1]["demand"] == "consulate-direct-defense"
    with count_queries() as statements:
        assert (
            client.get("/api/v1/demands/consulate-direct-defense/examples", params={"limit": 2}).status_code
            == 200
        )
    # The languages on offer, then the page and the total.
    assert len(statements) == 4
    assert client.get("/api/v1/demands/nothing/examples").status_code == 404

    created = client.post(
        "/api/v1/demands/consulate-direct-defense/examples",
        json={
            "slug": "direct-defense-omaha",
            "title": "Consulate direct defense in Omaha",
            "kind": "practice",
            "jurisdiction": "omaha",
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/examples/direct-defense-omaha"
    assert created.json()["position"] == 5
    assert created.json()["jurisdiction"] == "omaha"
    assert (
        client.get("/api/v1/demands/consulate-direct-defense").json()["examples"][-1]["slug"]
        == "direct-defense-omaha"
    )
    fetched = client.get("/api/v1/examples/direct-defense-omaha")
    assert fetched.headers["etag"] == '"1"'

    moved = client.patch(
        "/api/v1/examples/direct-defense-omaha",
        json={"demand": "rapid-response-network", "jurisdiction": None, "version": 1},
        headers=admin,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["demand"] == "rapid-response-network"
    assert moved.json()["jurisdiction"] is None
    assert moved.json()["position"] == 0
    busy = client.delete("/api/v1/demands/rapid-response-network", headers=admin)
    assert busy.status_code == 409
    assert busy.json()["detail"].startswith("1 example refers to the demand")
    assert client.delete("/api/v1/examples/direct-defense-omaha", headers=admin).status_code == 204
    assert client.get("/api/v1/examples/direct-defense-omaha").status_code == 404
    assert _audited(session, "example", "direct-defense-omaha") == ["create", "update", "delete"]
    bad = client.post(
        "/api/v1/demands/consulate-direct-defense/examples",
        json={"slug": "direct-defense-dallas", "title": "Again", "kind": "practice"},
        headers=admin,
    )
    assert bad.status_code == 409
    wrong_kind = client.post(
        "/api/v1/demands/consulate-direct-defense/examples",
        json={"slug": "x", "title": "X", "kind": "rumour"},
        headers=admin,
    )
    assert wrong_kind.status_code == 422
