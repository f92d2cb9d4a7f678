"""GraphQL scorecards agree with REST: one computation, several transports."""

import httpx
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.campaign_helpers import move, record_campaign
from tests.factories import OWN, auth_headers
from tests.graphql_helpers import gql


def test_graphql_and_rest_scorecards_agree(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    won = record_campaign(client, organizer, status="made", visibility="public")
    move(client, organizer, won["id"], "won")
    record_campaign(
        client,
        organizer,
        demand="kyr-messaging",
        target="california-legislature",
        status="made",
        visibility="public",
    )
    rest = client.get(
        "/api/v1/jurisdictions/california/scorecard", params={"include_descendants": True}
    ).json()
    graph = gql(
        client,
        """{ scorecard(jurisdiction: "california", includeDescendants: true) {
              jurisdiction { slug } rule { name weights { status weight } }
              overall { leafCount score grade wonShare counts { status count } }
              categories { slug score grade }
              demands { slug status campaigns { id } } } }""",
    )["scorecard"]
    assert graph["jurisdiction"]["slug"] == "california"
    assert graph["overall"]["score"] == rest["overall"]["score"] > 0
    assert graph["overall"]["grade"] == rest["overall"]["grade"]
    assert graph["overall"]["leafCount"] == rest["overall"]["leaf_count"]
    assert {c["slug"]: c["score"] for c in graph["categories"]} == {
        c["slug"]: c["score"] for c in rest["categories"]
    }
    won_row = next(d for d in graph["demands"] if d["slug"] == "rapid-response-network")
    assert won_row == {"slug": "rapid-response-network", "status": "WON", "campaigns": [{"id": won["id"]}]}

    rest_ranking = client.get("/api/v1/jurisdictions/california/comparison", params={"kind": "county"}).json()
    graph_ranking = gql(
        client,
        '{ compareJurisdictions(parent: "california", kind: COUNTY) { entries { rank score jurisdiction { slug } } } }',
    )["compareJurisdictions"]["entries"]
    assert [(e["rank"], e["jurisdiction"]["slug"], e["score"]) for e in graph_ranking] == [
        (e["rank"], e["jurisdiction"]["slug"], e["score"]) for e in rest_ranking["entries"]
    ]
