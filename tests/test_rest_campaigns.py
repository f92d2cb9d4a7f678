"""Campaigns: recording asks, moving them through statuses with history, and editing them safely."""

import httpx
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.campaign_helpers import DEFAULT_CAMPAIGN, move, record_campaign
from tests.factories import OTHER, OWN, auth_headers

PROBLEM = "application/problem+json"


def test_an_organizer_records_three_asks_and_moves_them_along(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER}, username="maria")
    ids = []
    for demand in ("rapid-response-network", "raid-scene-presence", "document-raids"):
        response = client.post(
            "/api/v1/campaigns",
            json={**DEFAULT_CAMPAIGN, "demand": demand, "status": "made"},
            headers=organizer,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert response.headers["location"] == f"/api/v1/campaigns/{body['id']}"
        assert response.headers["etag"] == '"1"'
        assert body["status"] == "made"
        assert body["jurisdiction"] == "city-of-los-angeles"
        assert body["category"] == "elected-officials"
        ids.append(body["id"])

    first = ids[0]
    moved = move(client, organizer, first, "in_progress", note="Hearing scheduled.")
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "in_progress"
    assert moved.headers["etag"] == '"2"'
    won = move(client, organizer, first, "won", evidence_url="https://clerk.lacity.org/motion")
    assert won.json()["status"] == "won"
    assert won.json()["closed_date"] is not None

    history = client.get(f"/api/v1/campaigns/{first}/events", headers=organizer).json()
    assert [(e["from_status"], e["to_status"]) for e in history["data"]] == [
        (None, "made"),
        ("made", "in_progress"),
        ("in_progress", "won"),
    ]
    assert {e["actor"] for e in history["data"]} == {"maria"}
    assert history["data"][1]["note"] == "Hearing scheduled."
    assert history["data"][2]["evidence_url"] == "https://clerk.lacity.org/motion"

    listed = client.get(
        "/api/v1/campaigns",
        params={"coalition": OWN, "jurisdiction": "city-of-los-angeles"},
        headers=organizer,
    ).json()
    assert {c["id"] for c in listed["data"]} >= set(ids)


def test_a_forbidden_transition_is_a_409_naming_the_allowed_statuses(
    client: httpx.Client, session: Session
) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer)
    refused = move(client, organizer, campaign["id"], "won")
    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    problem = refused.json()
    assert problem["code"] == "transition_not_allowed"
    assert problem["current_status"] == "not_started"
    assert problem["allowed"] == ["made", "withdrawn"]
    assert "`made`" in problem["detail"]
    # Nothing was recorded.
    assert client.get(f"/api/v1/campaigns/{campaign['id']}/events", headers=organizer).json()["count"] == 0
    assert client.get(f"/api/v1/campaigns/{campaign['id']}", headers=organizer).json()["version"] == 1


def test_a_reversed_win_keeps_the_win_in_history(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer, status="won")
    assert move(client, organizer, campaign["id"], "rejected", note="Repealed.").status_code == 200
    events = client.get(f"/api/v1/campaigns/{campaign['id']}/events", headers=organizer).json()["data"]
    assert [e["to_status"] for e in events] == ["won", "rejected"]
    assert client.get(f"/api/v1/campaigns/{campaign['id']}", headers=organizer).json()["status"] == "rejected"


def test_status_changes_refuse_the_future_and_rewriting_the_past(
    client: httpx.Client, session: Session
) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer, status="made", occurred_at="2026-01-10T12:00:00Z")
    future = move(client, organizer, campaign["id"], "in_progress", occurred_at="2999-01-01T00:00:00Z")
    assert future.status_code == 422
    before = move(client, organizer, campaign["id"], "in_progress", occurred_at="2026-01-01T00:00:00Z")
    assert before.status_code == 422
    assert "last recorded change" in before.json()["detail"]
    naive = move(client, organizer, campaign["id"], "in_progress", occurred_at="2026-02-01T00:00:00")
    assert naive.status_code == 422


def test_who_may_record_an_ask(client: httpx.Client, session: Session) -> None:
    anonymous = client.post("/api/v1/campaigns", json=DEFAULT_CAMPAIGN)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "authentication_required"
    viewer = auth_headers(session, roles={OWN: CoalitionRole.VIEWER})
    assert client.post("/api/v1/campaigns", json=DEFAULT_CAMPAIGN, headers=viewer).status_code == 403
    outsider = auth_headers(session, roles={OTHER: CoalitionRole.COALITION_ADMIN})
    refused = client.post("/api/v1/campaigns", json=DEFAULT_CAMPAIGN, headers=outsider)
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    bad_token = client.post(
        "/api/v1/campaigns", json=DEFAULT_CAMPAIGN, headers={"Authorization": "Bearer dtk_nope"}
    )
    assert bad_token.status_code == 401
    assert bad_token.headers["www-authenticate"].startswith("Bearer")


def test_campaigns_attach_to_leaf_demands_once_per_target(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    group = client.post(
        "/api/v1/campaigns", json={**DEFAULT_CAMPAIGN, "demand": "be-present-at-raids"}, headers=organizer
    )
    assert group.status_code == 422
    assert "rapid-response-network" in group.json()["detail"]
    first = record_campaign(client, organizer)
    again = client.post("/api/v1/campaigns", json=DEFAULT_CAMPAIGN, headers=organizer)
    assert again.status_code == 409
    assert again.json()["existing_campaign"] == first["id"]
    unknown = client.post(
        "/api/v1/campaigns", json={**DEFAULT_CAMPAIGN, "target": "nobody"}, headers=organizer
    )
    assert unknown.status_code == 404
    assert "nobody" in unknown.json()["detail"]


def test_updates_need_the_current_version(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer, goal_count=15, goal_unit="worker trainings")
    url = f"/api/v1/campaigns/{campaign['id']}"
    missing = client.patch(url, json={"progress_count": 3}, headers=organizer)
    assert missing.status_code == 428
    assert missing.json()["code"] == "version_required"
    done = client.patch(url, json={"progress_count": 3}, headers={**organizer, "If-Match": '"1"'})
    assert done.status_code == 200, done.text
    assert done.json()["progress_count"] == 3
    assert done.headers["etag"] == '"2"'
    stale = client.patch(url, json={"progress_count": 9}, headers={**organizer, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "version_mismatch"
    assert stale.json()["current_version"] == 2
    assert stale.headers["etag"] == '"2"'
    by_body = client.patch(url, json={"progress_count": 4, "version": 2}, headers=organizer)
    assert by_body.status_code == 200
    assert client.get(url, headers=organizer).json()["progress_count"] == 4
    status_moves = client.patch(url, json={"status": "won", "version": 3}, headers=organizer)
    assert status_moves.status_code == 422


def test_a_stale_status_change_is_refused(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer)
    assert move(client, organizer, campaign["id"], "made").status_code == 200
    stale = client.post(
        f"/api/v1/campaigns/{campaign['id']}/status",
        json={"status": "withdrawn"},
        headers={**organizer, "If-Match": '"1"'},
    )
    assert stale.status_code == 412
    assert client.get(f"/api/v1/campaigns/{campaign['id']}", headers=organizer).json()["status"] == "made"


def test_an_a_number_in_free_text_is_refused_and_not_stored(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    for text in ("Worker A123456789 was detained", "case a-123-456-78 pending", "A 12 345 678"):
        refused = client.post(
            "/api/v1/campaigns", json={**DEFAULT_CAMPAIGN, "notes": text}, headers=organizer
        )
        assert refused.status_code == 422, text
        error = refused.json()["errors"][0]
        assert error["type"] == "a_number"
        assert error["location"] == ["body", "notes"]
        assert "never stores immigration case numbers" in error["message"]
        assert "123" not in refused.text
    assert client.get("/api/v1/campaigns", params={"coalition": OWN}, headers=organizer).json()["count"] == 0
    # Bills, phone-free references and short numbers are fine.
    kept = record_campaign(client, organizer, notes="Like CA AB450 and Area 51; motion A1234.")
    assert kept["notes"].startswith("Like CA AB450")


def test_campaigns_with_history_are_never_deleted(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    mistake = record_campaign(client, organizer)
    assert client.delete(f"/api/v1/campaigns/{mistake['id']}", headers=organizer).status_code == 204
    assert client.get(f"/api/v1/campaigns/{mistake['id']}", headers=organizer).status_code == 404
    kept = record_campaign(client, organizer, status="made")
    refused = client.delete(f"/api/v1/campaigns/{kept['id']}", headers=organizer)
    assert refused.status_code == 409
    assert "withdrawn" in refused.json()["detail"]


def test_activities_are_logged_edited_and_removed(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER}, username="lupe")
    campaign = record_campaign(client, organizer, status="made")
    created = client.post(
        f"/api/v1/campaigns/{campaign['id']}/activities",
        json={"kind": "meeting", "occurred_on": "2026-11-20", "title": "Met council staff"},
        headers=organizer,
    )
    assert created.status_code == 201, created.text
    activity = created.json()
    assert activity["created_by"] == "lupe"
    assert activity["visibility"] == "coalition"
    url = f"/api/v1/activities/{activity['id']}"
    edited = client.patch(url, json={"title": "Met council deputy"}, headers={**organizer, "If-Match": '"1"'})
    assert edited.status_code == 200
    assert edited.json()["title"] == "Met council deputy"
    future = client.post(
        f"/api/v1/campaigns/{campaign['id']}/activities",
        json={"kind": "rally", "occurred_on": "2999-01-01", "title": "Someday"},
        headers=organizer,
    )
    assert future.status_code == 422
    assert client.delete(url, headers=organizer).status_code == 204
    assert client.get(url, headers=organizer).status_code == 404
