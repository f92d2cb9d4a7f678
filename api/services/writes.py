"""Helpers every write service shares: conflicts named, not crashed into; versions and nulls checked."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col

from api.errors import Conflict, Invalid
from api.services import audit
from api.services.permissions import Principal
from api.services.versioning import Versioned, require_version, save
from schema.enums import AuditAction


@contextmanager
def conflict_on_integrity(session: Session, message: str) -> Iterator[None]:
    """Run writes in a savepoint; a constraint the checks missed (a race) becomes a 409, not a 500."""
    try:
        with session.begin_nested():
            yield
    except IntegrityError as exc:
        raise Conflict(message) from exc


def flush_or_conflict(session: Session, message: str) -> None:
    """Flush pending rows; a unique or foreign-key violation that slipped past the checks becomes a 409."""
    with conflict_on_integrity(session, message):
        session.flush()


def refuse_slug_taken(*, session: Session, model: Any, slug: str, noun: str) -> None:
    """409 naming a slug already in use, before the insert trips the unique constraint."""
    if session.execute(select(col(model.id)).where(col(model.slug) == slug)).first() is not None:
        raise Conflict(f"A {noun} with the slug {slug!r} already exists.")


def refuse_if_referenced(*, noun: str, slug: str, counts: dict[str, int]) -> None:
    """409 naming every kind of record that still refers to the one being deleted."""
    named = [
        f"{count} {what if count != 1 else _SINGULAR.get(what, what.removesuffix('s'))}"
        for what, count in counts.items()
        if count
    ]
    if named:
        verb = "refer" if sum(counts.values()) != 1 else "refers"
        raise Conflict(
            f"{_join(named)} {verb} to the {noun} {slug!r}; delete or move them first.",
            extra={"references": {what: count for what, count in counts.items() if count}},
        )


_SINGULAR = {"children": "child", "coalition focuses": "coalition focus", "items": "item"}


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def count_of(session: Session, statement: Select[Any]) -> int:
    return int(session.execute(statement).scalar_one())


def require_aware(since: datetime | None) -> None:
    """`updated_since` must say its zone: a naive time is ambiguous."""
    if since is not None and since.tzinfo is None:
        raise Invalid(
            "updated_since needs a time zone, such as 2025-01-31T00:00:00Z.",
            extra={
                "errors": [
                    {
                        "location": ["query", "updated_since"],
                        "message": "needs a time zone",
                        "type": "timezone",
                    }
                ]
            },
        )


def refuse_nulls(values: dict[str, Any], *names: str) -> None:
    """Required fields may be left out of an update, but not set to null."""
    nulls = [name for name in names if name in values and values[name] is None]
    if nulls:
        raise Invalid(
            f"{', '.join(nulls)} cannot be null; leave a field out to keep its value.",
            extra={
                "errors": [
                    {"location": ["body", name], "message": "cannot be null", "type": "not_null"}
                    for name in nulls
                ]
            },
        )


def check_delete_version(*, expected: int | None, current: int, noun: str) -> None:
    """An If-Match on delete is optional, but honoured."""
    if expected is not None:
        require_version(expected=expected, current=current, noun=noun)


def check_update_version(*, expected: int | None, current: int, noun: str) -> int:
    require_version(expected=expected, current=current, noun=noun)
    assert expected is not None
    return expected


def insert_audited(
    *,
    session: Session,
    principal: Principal,
    row: SQLModel,
    entity_type: str,
    entity_key: str | int,
    conflict: str,
    coalition_id: int | None = None,
) -> None:
    """Insert a row and log its creation, as one step; a constraint the checks missed becomes a 409."""
    with conflict_on_integrity(session, conflict):
        session.add(row)
        session.flush()
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.CREATE,
        entity_type=entity_type,
        entity_key=entity_key,
        coalition_id=coalition_id,
        after=audit.snapshot(row),
    )


def save_audited(
    *,
    session: Session,
    principal: Principal,
    row: Versioned,
    expected: int,
    values: dict[str, Any],
    noun: str,
    entity_type: str,
    entity_key: str | int,
    coalition_id: int | None = None,
) -> None:
    """Compare-and-set a versioned row and log what changed, as one step."""
    before = audit.snapshot(row)  # type: ignore[arg-type]
    save(session=session, row=row, expected=expected, values=values, noun=noun)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.UPDATE,
        entity_type=entity_type,
        entity_key=entity_key,
        coalition_id=coalition_id,
        before=before,
        after=audit.snapshot(row),  # type: ignore[arg-type]
    )


def delete_audited(
    *,
    session: Session,
    principal: Principal,
    row: SQLModel,
    entity_type: str,
    entity_key: str | int,
    conflict: str,
    coalition_id: int | None = None,
) -> None:
    """Delete a row and log what it held, as one step; a reference the checks missed becomes a 409."""
    before = audit.snapshot(row)
    with conflict_on_integrity(session, conflict):
        session.delete(row)
        session.flush()
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.DELETE,
        entity_type=entity_type,
        entity_key=entity_key,
        coalition_id=coalition_id,
        before=before,
    )
