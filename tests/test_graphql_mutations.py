"""The organizer's work over GraphQL: same services, same permissions, errors with codes."""

import httpx
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.factories import OTHER, OWN, auth_headers
from tests.graphql_helpers import gql, gql_errors

CREATE = """mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) { databaseId status version visibility target { name } history { toStatus } }
}"""
MOVE = """mutation($id: Int!, $input: ChangeStatusInput!) {
  changeCampaignStatus(id: $id, input: $input) { status version history { fromStatus toStatus note actor } }
}"""
UPDATE = """mutation($id: Int!, $input: UpdateCampaignInput!) {
  updateCampaign(id: $id, input: $input) { progressCount version }
}"""
NEW = {"coalition": OWN, "demand": "rapid-response-network", "target": "los-angeles-city-council"}


def test_record_move_edit_and_log_through_graphql(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER}, username="rosa")
    created = gql(client, CREATE, {"input": {**NEW, "status": "MADE", "visibility": "PUBLIC"}}, organizer)
    campaign = created["createCampaign"]
    assert campaign["status"] == "MADE"
    assert campaign["history"] == [{"toStatus": "MADE"}]
    assert campaign["target"]["name"] == "Los Angeles City Council"
    moved = gql(
        client,
        MOVE,
        {"id": campaign["databaseId"], "input": {"status": "IN_PROGRESS", "note": "Hearing set."}},
        organizer,
    )["changeCampaignStatus"]
    assert moved["status"] == "IN_PROGRESS"
    assert moved["version"] == 2
    assert moved["history"][-1] == {
        "fromStatus": "MADE",
        "toStatus": "IN_PROGRESS",
        "note": "Hearing set.",
        "actor": "rosa",
    }
    edited = gql(
        client, UPDATE, {"id": campaign["databaseId"], "input": {"version": 2, "progressCount": 3}}, organizer
    )
    assert edited["updateCampaign"] == {"progressCount": 3, "version": 3}
    logged = gql(
        client,
        """mutation($id: Int!) { logActivity(campaignId: $id, input: {kind: MEETING, occurredOn: "2026-11-20",
           title: "Met staff"}) { title createdBy visibility } }""",
        {"id": campaign["databaseId"]},
        organizer,
    )
    assert logged["logActivity"] == {"title": "Met staff", "createdBy": "rosa", "visibility": "COALITION"}
    # REST sees the same record.
    assert (
        client.get(f"/api/v1/campaigns/{campaign['databaseId']}", headers=organizer).json()["progress_count"]
        == 3
    )


def test_expected_failures_carry_codes(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = gql(client, CREATE, {"input": NEW}, organizer)["createCampaign"]
    campaign_id = campaign["databaseId"]

    forbidden_move = gql_errors(client, MOVE, {"id": campaign_id, "input": {"status": "WON"}}, organizer)
    assert forbidden_move[0]["extensions"]["code"] == "TRANSITION_NOT_ALLOWED"
    assert forbidden_move[0]["extensions"]["allowed"] == ["made", "withdrawn"]

    stale = gql_errors(
        client, UPDATE, {"id": campaign_id, "input": {"version": 7, "progressCount": 1}}, organizer
    )
    assert stale[0]["extensions"]["code"] == "VERSION_MISMATCH"
    assert stale[0]["extensions"]["current_version"] == 1

    a_number = gql_errors(
        client,
        CREATE,
        {"input": {**NEW, "demand": "raid-scene-presence", "notes": "A-123-456-789"}},
        organizer,
    )
    assert a_number[0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert a_number[0]["extensions"]["errors"][0]["type"] == "a_number"
    assert "123" not in str(a_number)

    anonymous = gql_errors(client, CREATE, {"input": {**NEW, "demand": "document-raids"}})
    assert anonymous[0]["extensions"]["code"] == "AUTHENTICATION_REQUIRED"
    outsider = auth_headers(session, roles={OTHER: CoalitionRole.COALITION_ADMIN})
    refused = gql_errors(client, CREATE, {"input": {**NEW, "demand": "document-raids"}}, outsider)
    assert refused[0]["extensions"]["code"] == "FORBIDDEN"
    hidden = gql_errors(client, MOVE, {"id": campaign_id, "input": {"status": "MADE"}}, outsider)
    assert hidden[0]["extensions"]["code"] == "NOT_FOUND"
    duplicate = gql_errors(client, CREATE, {"input": NEW}, organizer)
    assert duplicate[0]["extensions"]["code"] == "CONFLICT"
    # Nothing was half-written: the campaign is where it was.
    assert client.get(f"/api/v1/campaigns/{campaign_id}", headers=organizer).json()["version"] == 1
