"""No input yields a 500: every operation of the OpenAPI document, fed hostile paths, queries and bodies."""

import json
import re
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from api.contracts import OPENAPI_FILE
from tests.factories import auth_headers

PROBLEM = "application/problem+json"
OPERATIONS = [
    (method.upper(), path, operation)
    for path, methods in json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))["paths"].items()
    for method, operation in methods.items()
    if path.startswith("/api/v1/")
]
HOSTILE_SEGMENTS = [
    "0",
    "-1",
    "9223372036854775808",
    "1e309",
    "%00",
    "%F0%9F%92%A9",
    "x" * 400,
    "..%2F..%2Fetc",
]
HOSTILE_VALUES = [
    "",
    "-1",
    "9223372036854775808",
    "\x00",
    "' OR 1=1 --",
    "x" * 5000,
    "2026-02-30T99:00",
    "[]",
]
HOSTILE_BODIES: list[Any] = [
    None,
    "not json",
    [],
    {"unexpected": True},
    {"slug": "\x00", "name": 2**63, "title": ["nested"], "status": "won", "version": 2**63},
]


def _path(template: str, segment: str) -> str:
    return re.sub(r"\{[^}]+\}", segment, template)


def _check(response: httpx.Response, label: str) -> None:
    assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        assert response.headers["content-type"] == PROBLEM, label


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_no_input_yields_a_500(
    client: httpx.Client, session: Session, method: str, path: str, operation: dict[str, Any]
) -> None:
    admin = auth_headers(session, site_admin=True)
    for headers in ({}, admin):
        for segment in HOSTILE_SEGMENTS:
            url = _path(path, segment)
            _check(client.request(method, url, headers=headers), f"{method} {url}")
        url = _path(path, "1")
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            for value in HOSTILE_VALUES:
                response = client.request(method, url, params={parameter["name"]: value}, headers=headers)
                _check(response, f"{method} {url}?{parameter['name']}={value[:20]!r}")
        if "requestBody" in operation:
            for body in HOSTILE_BODIES:
                content = body if isinstance(body, str) else json.dumps(body)
                response = client.request(
                    method,
                    url,
                    content=content if body is not None else b"",
                    headers={**headers, "content-type": "application/json", "If-Match": '"1"'},
                )
                _check(response, f"{method} {url} body={content!r:.40}")
            garbage_etag = client.request(method, url, json={}, headers={**headers, "If-Match": "W/garbage"})
            _check(garbage_etag, f"{method} {url} If-Match: W/garbage")


def test_oversized_bodies_are_refused_with_a_problem(client: httpx.Client, session: Session) -> None:
    headers = auth_headers(session, site_admin=True)
    declared = client.post("/api/v1/categories", content=b"x" * 1_100_000, headers=headers)
    assert declared.status_code == 413
    assert declared.headers["content-type"] == PROBLEM
    assert declared.json()["code"] == "body_too_large"

    def chunks() -> Any:
        for _ in range(21):  # just past the 1 MiB limit on the last chunk
            yield b"x" * 50_000

    streamed = client.post("/api/v1/categories", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    assert streamed.json()["code"] == "body_too_large"
