"""OpenAPI descriptions of the problem responses routes can return."""

from typing import Any

_PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Not found", **_PROBLEM}}
VALIDATION: dict[int | str, dict[str, Any]] = {422: {"description": "Invalid input", **_PROBLEM}}
