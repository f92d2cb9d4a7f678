"""Campaign lists: filters organizers ask for, staleness, and `include=` without N+1 queries."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.campaign_helpers import LEAVES, move, record_campaign
from tests.factories import OWN, auth_headers


def _ids(client: httpx.Client, headers: dict[str, str], **params: str) -> set[int]:
    response = client.get("/api/v1/campaigns", params={"coalition": OWN, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return {c["id"] for c in response.json()["data"]}


def test_filters_by_place_target_demand_category_and_status(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    city = record_campaign(client, organizer, status="made")
    state = record_campaign(client, organizer, target="california-legislature", status="in_progress")
    consulate = record_campaign(
        client, organizer, demand="consulate-raid-presence", target="consulate-general-of-mexico-los-angeles"
    )
    assert _ids(client, organizer, jurisdiction="city-of-los-angeles") == {city["id"], consulate["id"]}
    assert _ids(client, organizer, jurisdiction="california") == {state["id"]}
    assert _ids(client, organizer, jurisdiction="california", include_descendants="true") == {
        city["id"],
        state["id"],
        consulate["id"],
    }
    assert _ids(client, organizer, jurisdiction="ocd-division/country:us/state:ca") == {state["id"]}
    assert _ids(client, organizer, target="california-legislature") == {state["id"]}
    assert _ids(client, organizer, category="consulates") == {consulate["id"]}
    assert _ids(client, organizer, demand="consulate-direct-defense") == {consulate["id"]}
    assert _ids(client, organizer, status="made") == {city["id"]}
    both = client.get(
        "/api/v1/campaigns",
        params=[("coalition", OWN), ("status", "made"), ("status", "in_progress")],
        headers=organizer,
    )
    assert {c["id"] for c in both.json()["data"]} == {city["id"], state["id"]}
    assert _ids(client, organizer, q="california legis") == {state["id"]}
    unknown = client.get("/api/v1/campaigns", params={"jurisdiction": "atlantis"}, headers=organizer)
    assert unknown.status_code == 404
    bad_status = client.get("/api/v1/campaigns", params={"status": "finished"}, headers=organizer)
    assert bad_status.status_code == 422


def test_stale_means_open_and_quiet_for_the_stale_period(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    long_ago = (datetime.now(UTC) - timedelta(days=90)).isoformat()
    quiet = record_campaign(client, organizer, status="made", occurred_at=long_ago)
    active = record_campaign(
        client, organizer, demand="raid-scene-presence", status="made", occurred_at=long_ago
    )
    client.post(
        f"/api/v1/campaigns/{active['id']}/activities",
        json={"kind": "call", "occurred_on": datetime.now(UTC).date().isoformat(), "title": "Follow-up call"},
        headers=organizer,
    )
    closed = record_campaign(client, organizer, demand="document-raids", status="won", occurred_at=long_ago)
    fresh = record_campaign(client, organizer, demand="kyr-messaging", status="made")
    assert _ids(client, organizer, stale="true") == {quiet["id"]}
    assert _ids(client, organizer, stale="false") == {active["id"], closed["id"], fresh["id"]}
    body = client.get(f"/api/v1/campaigns/{quiet['id']}", headers=organizer).json()
    assert body["is_stale"] is True
    assert body["last_activity_at"].startswith(long_ago[:10])
    # Moving it along makes it current again.
    assert move(client, organizer, quiet["id"], "in_progress").status_code == 200
    assert _ids(client, organizer, stale="true") == set()


def test_updated_since_returns_what_changed(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    old = record_campaign(client, organizer)
    mark = client.get(f"/api/v1/campaigns/{old['id']}", headers=organizer).json()["updated_at"]
    new = record_campaign(client, organizer, demand="raid-scene-presence")
    changed = _ids(client, organizer, updated_since=mark)
    assert new["id"] in changed
    assert client.get("/api/v1/campaigns", params={"updated_since": "2026-01-01T00:00:00"}).status_code == 422


def test_include_costs_the_same_queries_for_one_campaign_or_many(
    client: httpx.Client, session: Session, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    params = {"coalition": OWN, "include": "target,demand,coalition,jurisdiction,events,activities"}

    def statements_for_page() -> int:
        with count_queries() as statements:
            response = client.get("/api/v1/campaigns", params=params, headers=organizer)
        assert response.status_code == 200
        return len(statements)

    first = record_campaign(client, organizer, status="made")
    client.post(
        f"/api/v1/campaigns/{first['id']}/activities",
        json={"kind": "call", "occurred_on": "2026-11-01", "title": "Call"},
        headers=organizer,
    )
    one = statements_for_page()
    for demand in LEAVES[1:]:
        created = record_campaign(client, organizer, demand=demand, status="made")
        move(client, organizer, created["id"], "in_progress")
    many = statements_for_page()
    # token + roles, coalition filter, page, total, events, activities
    assert one == many == 7
    body = client.get("/api/v1/campaigns", params=params, headers=organizer).json()
    assert body["count"] == 10
    sample = body["data"][-1]["included"]
    assert sample["target"]["name"] == "Los Angeles City Council"
    assert sample["jurisdiction"]["ocd_id"] == "ocd-division/country:us/state:ca/place:los_angeles"
    assert [e["to_status"] for e in sample["events"]] == ["made", "in_progress"]
    unknown = client.get("/api/v1/campaigns", params={"include": "everything"})
    assert unknown.status_code == 422
    assert "everything" in unknown.json()["detail"]
