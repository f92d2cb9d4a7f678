"""Optimistic concurrency: a write names the version it edits, and the database refuses a stale one."""

from typing import Any, Protocol

from sqlalchemy import update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col

from api.errors import NotFound, PreconditionFailed, PreconditionRequired
from schema.base import utcnow


class Versioned(Protocol):
    id: int | None
    version: int


def etag(version: int) -> str:
    return f'"{version}"'


def require_version(*, expected: int | None, current: int, noun: str) -> None:
    """Refuse an update that names no version (428) or an older one (412)."""
    if expected is None:
        raise PreconditionRequired(
            f"Say which version of the {noun} you edited: send `If-Match: {etag(current)}` "
            "(the ETag you read) or `version` in the body.",
        )
    if expected != current:
        raise PreconditionFailed(
            f"The {noun} changed since you read it (you edited version {expected}, it is now at "
            f"version {current}); nothing was saved. Read it again and reapply your change.",
            extra={"current_version": current},
            headers={"ETag": etag(current)},
        )


def save(*, session: Session, row: Versioned, expected: int, values: dict[str, Any], noun: str) -> None:
    """Write `values` only if the row is still at `expected`, and bump its version.

    The version check is part of the UPDATE itself, so two writers racing past the read
    cannot both succeed, on SQLite or PostgreSQL.
    """
    model = type(row)
    now = utcnow()
    result = session.execute(
        update(model)
        .where(col(model.id) == row.id, col(model.version) == expected)
        .values(**values, version=expected + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        try:
            session.refresh(row)
        except InvalidRequestError as exc:
            raise NotFound(f"The {noun} was deleted while you edited it.") from exc
        require_version(expected=expected, current=row.version, noun=noun)
    for key, value in {**values, "version": expected + 1, "updated_at": now}.items():
        set_committed_value(row, key, value)
