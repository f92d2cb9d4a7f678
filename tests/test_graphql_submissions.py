"""Proposals and languages over GraphQL: the same services, and the contact never public."""

import httpx
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.factories import OWN, auth_headers
from tests.graphql_helpers import gql, gql_errors

SUBMIT = """mutation($input: SubmitInput!) { submitProposal(input: $input) { databaseId status language } }"""
PROPOSAL = {
    "kind": "STRATEGY",
    "title": "Capacitaciones para gerentes",
    "body": "Capacitamos a los gerentes sobre qué hacer si llega ICE al trabajo.",
    "category": "business",
    "language": "es",
    "submitterContact": "reach-me-privately",
}


def test_submit_moderate_and_read_in_both_languages(client: httpx.Client, session: Session) -> None:
    proposal = gql(client, SUBMIT, {"input": PROPOSAL})["submitProposal"]
    assert proposal["status"] == "PENDING"
    public = client.post(
        "/graphql",
        json={
            "query": "query($id: Int!) { submission(id: $id) { title body } }",
            "variables": {"id": proposal["databaseId"]},
        },
    )
    assert "reach-me-privately" not in public.text
    # The public type has no contact field at all.
    assert gql_errors(client, "{ submission(id: 1) { submitterContact } }")[0]["message"].startswith(
        "Cannot query field"
    )

    moderator = auth_headers(session, roles={OWN: CoalitionRole.MODERATOR})
    queue = gql(
        client, "{ moderationQueue { totalCount nodes { databaseId submitterContact } } }", headers=moderator
    )
    assert {"databaseId": proposal["databaseId"], "submitterContact": "reach-me-privately"} in queue[
        "moderationQueue"
    ]["nodes"]
    assert (
        gql_errors(client, "{ moderationQueue { totalCount } }")[0]["extensions"]["code"]
        == "AUTHENTICATION_REQUIRED"
    )

    accepted = gql(
        client,
        """mutation($id: Int!) { acceptSubmission(id: $id, input: {title: "Train managers on what to do if ICE arrives"})
           { status resolution demand } }""",
        {"id": proposal["databaseId"]},
        moderator,
    )["acceptSubmission"]
    assert (accepted["status"], accepted["resolution"]) == ("ACCEPTED", "CREATED")
    both = gql(
        client,
        """query($slug: String!) { en: demand(slug: $slug) { title language provenance }
           es: demand(slug: $slug, lang: "es") { title language } }""",
        {"slug": accepted["demand"]},
    )
    assert both["en"] == {
        "title": "Train managers on what to do if ICE arrives",
        "language": "en",
        "provenance": "SUBMISSION",
    }
    assert both["es"] == {"title": PROPOSAL["title"], "language": "es"}


def test_rejections_need_a_reason_and_errors_carry_codes(client: httpx.Client, session: Session) -> None:
    proposal = gql(client, SUBMIT, {"input": {**PROPOSAL, "title": "Otra propuesta distinta"}})[
        "submitProposal"
    ]
    moderator = auth_headers(session, roles={OWN: CoalitionRole.MODERATOR})
    blank = gql_errors(
        client,
        'mutation($id: Int!) { rejectSubmission(id: $id, reason: "") { status } }',
        {"id": proposal["databaseId"]},
        moderator,
    )
    assert blank[0]["extensions"]["code"] == "VALIDATION_FAILED"
    a_number = gql_errors(
        client, SUBMIT, {"input": {**PROPOSAL, "body": "Caso A123456789 detenido en la redada."}}
    )
    assert a_number[0]["extensions"]["errors"][0]["type"] == "a_number"


def test_catalog_lists_in_spanish(client: httpx.Client) -> None:
    data = gql(
        client,
        '{ categories(lang: "es") { nodes { slug name language } } demands(category: "labor", lang: "es", first: 2) { nodes { title language } } }',
    )
    labor = next(c for c in data["categories"]["nodes"] if c["slug"] == "labor")
    assert labor["language"] == "es"
    assert labor["name"] != "Labor"
    assert all(d["language"] == "es" for d in data["demands"]["nodes"])
