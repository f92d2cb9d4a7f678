"""The audit log: every write records who, when, and what changed, in an append-only table."""

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, SQLModel

from api.services.permissions import Principal
from schema import AuditEntry
from schema.enums import AuditAction

# Bookkeeping columns that change on every write and say nothing about what changed.
_NOISE = frozenset({"created_at", "updated_at", "version"})


def _json_safe(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def snapshot(row: SQLModel) -> dict[str, Any]:
    """A row's stored fields as JSON, without bookkeeping columns."""
    return {key: _json_safe(value) for key, value in row.model_dump().items() if key not in _NOISE}


def difference(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, as (before, after)."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def record(
    *,
    session: Session,
    actor: Principal,
    action: AuditAction,
    entity_type: str,
    entity_key: str | int,
    coalition_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the same transaction as the write it describes."""
    if before is not None and after is not None:
        before, after = difference(before, after)
    entry = AuditEntry(
        actor_id=actor.user_id,
        action=action,
        entity_type=entity_type,
        entity_key=str(entity_key),
        coalition_id=coalition_id,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry
