"""Domain errors raised by services; each transport maps them to its own error format once."""

from pathlib import Path
from typing import Any


class DomainError(Exception):
    """A refusal the caller can act on. `code` is stable and machine-readable."""

    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(
        self, detail: str, *, extra: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or {}
        self.headers = headers or {}


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


class Unauthorized(DomainError):
    status = 401
    code = "authentication_required"
    title = "Authentication required"


class PreconditionFailed(DomainError):
    """The caller edited an older version than the one stored; nothing was changed."""

    status = 412
    code = "version_mismatch"
    title = "Precondition failed"


class PreconditionRequired(DomainError):
    """Updates must name the version they edit, so no one overwrites an edit they never saw."""

    status = 428
    code = "version_required"
    title = "Precondition required"


class TooManyRequests(DomainError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"
