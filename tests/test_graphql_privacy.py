"""Over GraphQL too, private campaigns, notes and activities never reach anonymous users or other coalitions."""

from typing import Any

import httpx
import pytest
from sqlmodel import Session

from api.graphql.relay import global_id
from schema.enums import CoalitionRole
from tests.campaign_helpers import move, record_campaign
from tests.factories import OTHER, OWN, auth_headers
from tests.graphql_helpers import gql

SECRET = "zebra-plan"
FIELDS = "databaseId summary notes history { note } activities { title }"


@pytest.fixture
def world(client: httpx.Client, session: Session) -> dict[str, Any]:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    private = record_campaign(client, organizer, status="made", summary=f"private {SECRET}")
    public = record_campaign(
        client,
        organizer,
        demand="raid-scene-presence",
        status="made",
        visibility="public",
        notes=f"notes {SECRET}",
    )
    move(client, organizer, public["id"], "in_progress", note=f"note {SECRET}")
    private_activity = client.post(
        f"/api/v1/campaigns/{public['id']}/activities",
        json={"kind": "call", "occurred_on": "2026-11-19", "title": f"call {SECRET}"},
        headers=organizer,
    ).json()["id"]
    for visibility in ("coalition", "public"):
        client.post(
            f"/api/v1/campaigns/{public['id']}/activities",
            json={
                "kind": "call",
                "occurred_on": "2026-11-20",
                "title": f"{visibility} call",
                "visibility": visibility,
            },
            headers=organizer,
        )
    return {"private": private["id"], "public": public["id"], "private_activity": private_activity}


OUTSIDERS: dict[str, dict[str, Any]] = {
    "anonymous": {},
    "other coalition": {OTHER: CoalitionRole.COALITION_ADMIN},
}


@pytest.mark.parametrize("who", list(OUTSIDERS))
def test_no_path_reveals_private_records(
    client: httpx.Client, session: Session, world: dict[str, Any], who: str
) -> None:
    headers = auth_headers(session, roles=OUTSIDERS[who]) if OUTSIDERS[who] else {}
    query = """query($private: Int!, $node: ID!, $coalition: String!) {
      campaigns(coalition: $coalition) { totalCount nodes { ...Seen } }
      county: jurisdiction(ref: "los-angeles-county") { campaigns(includeDescendants: true) { totalCount nodes { ...Seen } } }
      city: jurisdiction(ref: "city-of-los-angeles") {
        campaigns { totalCount nodes { ...Seen } }
        targets { nodes { slug } }
      }
      rapid: demand(slug: "rapid-response-network") { campaigns(jurisdiction: "california", includeDescendants: true) { totalCount nodes { ...Seen } } }
      raid: demand(slug: "raid-scene-presence") { campaigns { totalCount nodes { ...Seen } } }
      campaign(id: $private) { databaseId }
      node(id: $node) { id }
    }
    fragment Seen on Campaign { databaseId summary notes history { note } activities { title } }"""
    variables = {
        "private": world["private"],
        "node": global_id("Campaign", world["private"]),
        "coalition": OWN,
    }
    data = gql(client, query, variables, headers)
    assert data["campaign"] is None
    assert data["node"] is None
    # The private campaign asks for rapid-response-network; the public one for raid-scene-presence.
    assert data["rapid"]["campaigns"] == {"totalCount": 0, "nodes": []}
    assert data["raid"]["campaigns"]["totalCount"] == 1
    for listing in (
        data["campaigns"],
        data["county"]["campaigns"],
        data["city"]["campaigns"],
        data["raid"]["campaigns"],
    ):
        assert listing["totalCount"] == 1
        (only,) = listing["nodes"]
        assert only["databaseId"] == world["public"]
        assert only["notes"] is None
        assert [event["note"] for event in only["history"]] == [None, None]
        assert [activity["title"] for activity in only["activities"]] == ["public call"]
    assert SECRET not in str(data)
    private_activity = gql(
        client,
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": global_id("Activity", world["private_activity"])},
        headers,
    )
    assert private_activity["node"] is None


def test_members_see_everything_of_their_coalition(
    client: httpx.Client, session: Session, world: dict[str, Any]
) -> None:
    member = auth_headers(session, roles={OWN: CoalitionRole.VIEWER})
    data = gql(
        client,
        "query($c: String!) { campaigns(coalition: $c) { totalCount nodes { " + FIELDS + " } } }",
        {"c": OWN},
        headers=member,
    )
    assert data["campaigns"]["totalCount"] == 2
    public = next(c for c in data["campaigns"]["nodes"] if c["databaseId"] == world["public"])
    assert public["notes"] == f"notes {SECRET}"
    assert len(public["activities"]) == 3
