"""Private campaigns, notes and activities never reach anonymous readers or other coalitions, on any read path."""

from typing import Any

import httpx
import pytest
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.campaign_helpers import move, record_campaign
from tests.factories import OTHER, OWN, auth_headers

SECRET = "zebra-plan"


@pytest.fixture
def world(client: httpx.Client, session: Session) -> dict[str, Any]:
    """One private and one public campaign of OWN; the public one has private notes and a private activity."""
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    private = record_campaign(
        client, organizer, demand="rapid-response-network", status="made", summary=f"private {SECRET}"
    )
    public = record_campaign(
        client,
        organizer,
        demand="raid-scene-presence",
        status="made",
        visibility="public",
        summary="public ask",
        notes=f"notes {SECRET}",
    )
    assert move(client, organizer, public["id"], "in_progress", note=f"note {SECRET}").status_code == 200
    activities = {}
    for visibility in ("coalition", "public"):
        created = client.post(
            f"/api/v1/campaigns/{public['id']}/activities",
            json={
                "kind": "meeting",
                "occurred_on": "2026-11-20",
                "title": f"{visibility} meeting",
                "visibility": visibility,
            },
            headers=organizer,
        )
        activities[visibility] = created.json()["id"]
    private_activity = client.post(
        f"/api/v1/campaigns/{private['id']}/activities",
        json={"kind": "call", "occurred_on": "2026-11-20", "title": f"call {SECRET}"},
        headers=organizer,
    ).json()["id"]
    return {
        "private": private["id"],
        "public": public["id"],
        "activities": activities,
        "private_activity": private_activity,
        "outsiders": {
            "anonymous": {},
            "other coalition": auth_headers(session, roles={OTHER: CoalitionRole.COALITION_ADMIN}),
            "signed in, no coalition": auth_headers(session),
        },
        "member": auth_headers(session, roles={OWN: CoalitionRole.VIEWER}),
    }


OUTSIDERS = ["anonymous", "other coalition", "signed in, no coalition"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_lists_counts_and_filters_hide_private_campaigns(
    client: httpx.Client, world: dict[str, Any], who: str
) -> None:
    headers = world["outsiders"][who]
    for params in (
        {"coalition": OWN},
        {"coalition": OWN, "status": "made"},
        {"jurisdiction": "los-angeles-county", "include_descendants": "true"},
        {"q": SECRET},
        {"q": "private"},
        {"stale": "false", "coalition": OWN},
        {"category": "elected-officials", "include": "events,activities"},
    ):
        page = client.get("/api/v1/campaigns", params=params, headers=headers)
        assert page.status_code == 200, page.text
        ids = {c["id"] for c in page.json()["data"]}
        assert world["private"] not in ids, params
        assert SECRET not in page.text, params
        assert page.json()["count"] == len(ids), params


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_private_campaign_is_indistinguishable_from_a_missing_one(
    client: httpx.Client, world: dict[str, Any], who: str
) -> None:
    headers = world["outsiders"][who]
    missing = client.get("/api/v1/campaigns/999999", headers=headers)
    for path in ("", "/events", "/activities"):
        hidden = client.get(f"/api/v1/campaigns/{world['private']}{path}", headers=headers)
        assert hidden.status_code == 404, path
        assert hidden.json()["detail"] == missing.json()["detail"].replace("999999", str(world["private"]))
    hidden_activity = client.get(f"/api/v1/activities/{world['private_activity']}", headers=headers)
    assert hidden_activity.status_code == 404
    # Writes do not reveal it either: a 404, not a 403.
    write = client.post(
        f"/api/v1/campaigns/{world['private']}/status", json={"status": "won"}, headers=headers
    )
    assert write.status_code in (401, 404)
    assert SECRET not in write.text


@pytest.mark.parametrize("who", OUTSIDERS)
def test_public_campaigns_keep_their_notes_and_private_activities(
    client: httpx.Client, world: dict[str, Any], who: str
) -> None:
    headers = world["outsiders"][who]
    url = f"/api/v1/campaigns/{world['public']}"
    campaign = client.get(url, params={"include": "events,activities"}, headers=headers)
    assert campaign.status_code == 200
    body = campaign.json()
    assert body["notes"] is None
    assert [e["note"] for e in body["included"]["events"]] == [None, None]
    assert [a["title"] for a in body["included"]["activities"]] == ["public meeting"]
    assert SECRET not in campaign.text
    events = client.get(f"{url}/events", headers=headers).json()
    assert all(e["note"] is None for e in events["data"])
    activities = client.get(f"{url}/activities", headers=headers).json()
    assert activities["count"] == 1
    assert (
        client.get(f"/api/v1/activities/{world['activities']['coalition']}", headers=headers).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/activities/{world['activities']['public']}", headers=headers).status_code == 200
    )


def test_members_of_any_role_read_everything_of_their_coalition(
    client: httpx.Client, world: dict[str, Any]
) -> None:
    member = world["member"]
    private = client.get(f"/api/v1/campaigns/{world['private']}", headers=member)
    assert private.status_code == 200
    public = client.get(
        f"/api/v1/campaigns/{world['public']}", params={"include": "events,activities"}, headers=member
    )
    assert public.json()["notes"] == f"notes {SECRET}"
    assert public.json()["included"]["events"][1]["note"] == f"note {SECRET}"
    assert len(public.json()["included"]["activities"]) == 2
    listed = client.get("/api/v1/campaigns", params={"coalition": OWN}, headers=member).json()
    assert {world["private"], world["public"]} <= {c["id"] for c in listed["data"]}


def test_notes_are_never_searched(client: httpx.Client, world: dict[str, Any]) -> None:
    """Search covers names and demand text; notes stay out of it even for members, so search cannot probe them."""
    found = client.get("/api/v1/campaigns", params={"q": f"notes {SECRET}"}, headers=world["member"]).json()
    assert found["count"] == 0
