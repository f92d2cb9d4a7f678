"""Domain errors raised by services; each transport maps them to its own error format once."""

from pathlib import Path
from typing import Any


class DomainError(Exception):
    """A refusal the caller can act on. `code` is stable and machine-readable."""

    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or {}


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class Invalid(DomainError):
    status = 422
    code = "validation_failed"
    title = "Invalid input"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class SeedFileError(Exception):
    """A seed file that cannot be loaded; nothing was written."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + f"\n{path}: ".join(problems))
