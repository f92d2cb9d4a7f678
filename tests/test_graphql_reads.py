"""GraphQL reads: a jurisdiction's whole picture in one request, cursor pages, global ids, bounded queries."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.campaign_helpers import LEAVES, move, record_campaign
from tests.factories import OWN, auth_headers
from tests.graphql_helpers import gql, gql_errors

PICTURE = """
query Picture($ref: String!) {
  jurisdiction(ref: $ref) {
    name ocdId
    children {
      totalCount
      nodes {
        slug
        targets { totalCount nodes { name category { slug } } }
        children { nodes { slug campaigns { totalCount nodes { databaseId status
          demand { slug title category { name } } target { name } coalition { name focus { slug } }
          jurisdiction { slug parent { slug } } history { toStatus actor } activities { title } } } } }
        campaigns { totalCount nodes { databaseId status
          demand { slug title category { name } } target { name } coalition { name focus { slug } }
          jurisdiction { slug parent { slug } } history { toStatus actor } activities { title } } }
      }
    }
    campaigns(includeDescendants: true) { totalCount }
  }
}
"""


def test_a_states_whole_picture_in_one_request_at_a_fixed_query_cost(
    client: httpx.Client, session: Session, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    variables = {"ref": "ocd-division/country:us/state:ca"}

    def statements() -> int:
        with count_queries() as executed:
            gql(client, PICTURE, variables, organizer)
        return len(executed)

    first = record_campaign(client, organizer, status="made", visibility="public")
    one = statements()
    for demand in LEAVES[1:]:
        created = record_campaign(client, organizer, demand=demand, status="made")
        move(client, organizer, created["id"], "in_progress")
    record_campaign(client, organizer, demand="kyr-messaging", target="california-legislature", status="made")
    many = statements()
    # Bounded by the query's shape (one batch per loader and level), not by the rows: DataLoader batches
    # form per event-loop tick, so the count may differ by a batch between runs, never grow with rows.
    assert many <= one + 1, f"{one} statements for 1 campaign, {many} for 11"
    assert many <= 25

    picture = gql(client, PICTURE, variables, organizer)["jurisdiction"]
    assert picture["name"] == "California"
    assert picture["campaigns"]["totalCount"] == 11
    county = next(c for c in picture["children"]["nodes"] if c["slug"] == "los-angeles-county")
    city = next(c for c in county["children"]["nodes"] if c["slug"] == "city-of-los-angeles")
    campaigns = city["campaigns"]["nodes"]
    assert len(campaigns) == 10
    sample = next(c for c in campaigns if c["databaseId"] == first["id"])
    assert sample["target"]["name"] == "Los Angeles City Council"
    assert sample["jurisdiction"]["parent"]["slug"] == "los-angeles-county"
    assert sample["history"] == [{"toStatus": "MADE", "actor": sample["history"][0]["actor"]}]


def test_campaigns_page_with_cursors_and_a_total(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    for demand in LEAVES[:5]:
        record_campaign(client, organizer, demand=demand)
    query = """query Page($after: String, $coalition: String) { campaigns(coalition: $coalition, first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { databaseId } } }"""
    seen: list[int] = []
    after = None
    while True:
        page = gql(client, query, {"after": after, "coalition": OWN}, organizer)["campaigns"]
        assert page["totalCount"] == 5
        seen += [node["databaseId"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 5
    assert seen == sorted(seen)
    too_big = gql_errors(client, "{ campaigns(first: 100000) { totalCount } }")
    assert too_big[0]["extensions"]["code"] == "VALIDATION_FAILED"
    bad_cursor = gql_errors(client, '{ campaigns(after: "nonsense") { totalCount } }')
    assert bad_cursor[0]["extensions"]["code"] == "VALIDATION_FAILED"


def test_every_object_comes_back_from_its_global_id(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer, visibility="public")
    ids = gql(
        client,
        """query($id: Int!) { campaign(id: $id) { id demand { id } target { id } coalition { id }
           jurisdiction { id } demand { category { id } } } }""",
        {"id": campaign["id"]},
    )["campaign"]
    for global_id, typename in (
        (ids["id"], "Campaign"),
        (ids["demand"]["id"], "Demand"),
        (ids["target"]["id"], "Target"),
        (ids["coalition"]["id"], "Coalition"),
        (ids["jurisdiction"]["id"], "Jurisdiction"),
        (ids["demand"]["category"]["id"], "Category"),
    ):
        node = gql(client, "query($id: ID!) { node(id: $id) { __typename id } }", {"id": global_id})["node"]
        assert node == {"__typename": typename, "id": global_id}
    others = gql(
        client,
        """{ resources(kind: HOTLINE, first: 1) { nodes { id organization { id } } } }""",
    )["resources"]["nodes"][0]
    for global_id, typename in ((others["id"], "Resource"), (others["organization"]["id"], "Organization")):
        node = gql(client, "query($id: ID!) { node(id: $id) { __typename id } }", {"id": global_id})["node"]
        assert node == {"__typename": typename, "id": global_id}
    example = gql(client, '{ demand(slug: "consulate-direct-defense") { examples { id } } }')["demand"][
        "examples"
    ][0]
    assert gql(client, "query($id: ID!) { node(id: $id) { __typename } }", {"id": example["id"]})["node"] == {
        "__typename": "Example"
    }
    garbage = gql_errors(client, '{ node(id: "%%%") { id } }')
    assert garbage[0]["extensions"]["code"] == "VALIDATION_FAILED"


def test_a_demand_shows_its_resources_and_its_campaigns_in_a_place(
    client: httpx.Client, session: Session
) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    record_campaign(client, organizer, demand="kyr-messaging", visibility="public", status="made")
    record_campaign(
        client, organizer, demand="kyr-messaging", target="california-legislature", visibility="public"
    )
    demand = gql(
        client,
        """{ demand(slug: "kyr-messaging") {
             everywhere: campaigns { totalCount }
             county: campaigns(jurisdiction: "los-angeles-county", includeDescendants: true) {
               totalCount nodes { target { name } } }
             resources { slug } } }""",
    )["demand"]
    assert demand["everywhere"]["totalCount"] == 2
    assert demand["county"]["totalCount"] == 1
    assert demand["county"]["nodes"][0]["target"]["name"] == "Los Angeles City Council"
    linked = client.get("/api/v1/resources", params={"demand": "kyr-messaging"}).json()
    assert sorted(r["slug"] for r in demand["resources"]) == sorted(r["slug"] for r in linked["data"])


def test_unknown_things_are_clear_errors_with_codes(client: httpx.Client) -> None:
    missing = gql_errors(client, '{ jurisdiction(ref: "atlantis") { name } }')
    assert missing[0]["extensions"]["code"] == "NOT_FOUND"
    assert "atlantis" in missing[0]["message"]
    unknown_filter = gql_errors(client, '{ campaigns(target: "nobody") { totalCount } }')
    assert unknown_filter[0]["extensions"]["code"] == "NOT_FOUND"
    bad_token = client.post(
        "/graphql", json={"query": "{ categories { totalCount } }"}, headers={"Authorization": "Bearer x"}
    )
    assert bad_token.status_code == 401
