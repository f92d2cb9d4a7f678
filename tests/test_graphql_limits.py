"""GraphQL cost limits: each refuses clearly before anything runs."""

import asyncio

import httpx

from api.graphql.schema import build_schema
from api.settings import Settings
from tests.graphql_helpers import gql_errors


def test_too_deep_a_query_is_refused(client: httpx.Client) -> None:
    nested = "parent { " * 14 + "slug" + " }" * 14
    errors = gql_errors(client, '{ jurisdiction(ref: "san-gabriel-valley") { ' + nested + " } }")
    assert "exceeds maximum operation depth" in errors[0]["message"]


def test_too_many_aliases_are_refused(client: httpx.Client) -> None:
    aliases = " ".join(f"a{i}: categories {{ totalCount }}" for i in range(40))
    errors = gql_errors(client, "{ " + aliases + " }")
    assert "aliases" in errors[0]["message"]


def test_too_long_a_query_is_refused(client: httpx.Client) -> None:
    fields = " ".join(["totalCount"] * 6000)
    errors = gql_errors(client, "{ categories { " + fields + " } }")
    assert "token" in errors[0]["message"].lower()


def test_pages_are_bounded(client: httpx.Client) -> None:
    errors = gql_errors(client, "{ demands(first: 501) { totalCount } }")
    assert errors[0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert "500" in errors[0]["message"]


def test_introspection_can_be_switched_off() -> None:
    closed = build_schema(Settings(database_url="sqlite://", graphql_introspection=False, _env_file=None))
    result = asyncio.run(closed.execute("{ __schema { types { name } } }"))
    assert result.errors
    assert "introspection" in result.errors[0].message.lower()
    open_ = build_schema(Settings(database_url="sqlite://", _env_file=None))
    assert not asyncio.run(open_.execute("{ __schema { queryType { name } } }")).errors


def test_graphiql_is_served_to_browsers(client: httpx.Client) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
