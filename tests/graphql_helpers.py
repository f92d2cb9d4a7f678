"""Talking GraphQL over real HTTP, as a front-end would."""

from typing import Any

import httpx


def gql(
    client: httpx.Client,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The `data` of a query that must succeed; any GraphQL error fails the test with its message."""
    response = client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def gql_errors(
    client: httpx.Client,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The errors of a query that must fail."""
    response = client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
    )
    body: dict[str, Any] = response.json()
    assert body.get("errors"), body
    errors: list[dict[str, Any]] = body["errors"]
    return errors
