"""OpenAPI descriptions of the problem responses routes can return, and response headers they set."""

from typing import Any

from fastapi import Response

from api.services.versioning import etag

_PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def problems(**described: str) -> dict[int | str, dict[str, Any]]:
    return {
        int(code.removeprefix("s")): {"description": text, **_PROBLEM} for code, text in described.items()
    }


NOT_FOUND = problems(s404="Not found, or not visible to you")
VALIDATION = problems(s422="Invalid input")
# Any write: who may do it, and what may be wrong with the target or the payload.
WRITE = problems(
    s401="No valid API token was sent",
    s403="Your roles do not allow this",
    s404="Not found, or not visible to you",
    s409="Conflicts with existing records",
)
# Updates of versioned records also answer stale and missing versions.
UPDATE = {
    **WRITE,
    **problems(
        s412="The record changed since you read it; `current_version` names the version now stored",
        s428="No version was named: send If-Match or `version`",
    ),
}


def set_etag(response: Response, version: int) -> None:
    """The version clients send back in If-Match to update this record."""
    response.headers["ETag"] = etag(version)
