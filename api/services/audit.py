"""The audit log: every write records who, when, and what changed, in an append-only table."""

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col

from api.errors import Forbidden, Invalid, NotFound, Unauthorized
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from schema import AuditEntry, Coalition, UserAccount
from schema.audit import AuditEntryPublic
from schema.enums import AuditAction, CoalitionRole
from schema.public import Page

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


_actor = aliased(UserAccount, name="actor")
_coalition = aliased(Coalition, name="entry_coalition")


def _listing() -> Select[AuditEntry, str | None, str | None]:
    return (
        select(AuditEntry, col(_actor.username), col(_coalition.slug))
        .outerjoin(_actor, col(_actor.id) == col(AuditEntry.actor_id))
        .outerjoin(_coalition, col(_coalition.id) == col(AuditEntry.coalition_id))
        .order_by(col(AuditEntry.id).desc())
    )


def _public(entry: AuditEntry, actor: str | None, coalition: str | None) -> AuditEntryPublic:
    return AuditEntryPublic(
        id=entry.id or 0,
        occurred_at=entry.occurred_at,
        actor=actor,
        action=entry.action,
        entity_type=entry.entity_type,
        entity_key=entry.entity_key,
        coalition=coalition,
        before=entry.before,
        after=entry.after,
    )


def get_all(
    *,
    session: Session,
    principal: Principal,
    page: PageRequest,
    coalition: str | None = None,
    entity_type: str | None = None,
    entity_key: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
) -> Page[AuditEntryPublic]:
    """Entries newest first: site admins read all, coalition admins only their coalitions' entries."""
    if principal.is_anonymous:
        raise Unauthorized("Sign in with an API token to read the audit log.")
    if since is not None and since.tzinfo is None:
        raise Invalid(
            "since needs a time zone (e.g. 2025-01-31T00:00:00Z).",
            extra={
                "errors": [{"location": ["query", "since"], "message": "naive datetime", "type": "timezone"}]
            },
        )
    statement = _listing()
    if not principal.is_site_admin:
        administered = sorted(
            coalition_id
            for coalition_id, role in principal.roles.items()
            if role == CoalitionRole.COALITION_ADMIN
        )
        if not administered:
            raise Forbidden("Only site admins and coalition admins may read the audit log.")
        statement = statement.where(col(AuditEntry.coalition_id).in_(administered))
    if coalition is not None:
        coalition_id = id_by_slug(session=session, model=Coalition, slug=coalition, noun="coalition")
        authorize(principal, Action.READ_AUDIT_LOG, coalition_id=coalition_id)
        statement = statement.where(col(AuditEntry.coalition_id) == coalition_id)
    if entity_type is not None:
        statement = statement.where(col(AuditEntry.entity_type) == entity_type)
    if entity_key is not None:
        statement = statement.where(col(AuditEntry.entity_key) == entity_key)
    if actor is not None:
        actor_id = session.execute(
            select(col(UserAccount.id)).where(col(UserAccount.username) == actor)
        ).scalar()
        if actor_id is None:
            raise NotFound(f"No user has the username {actor!r}.")
        statement = statement.where(col(AuditEntry.actor_id) == actor_id)
    if since is not None:
        statement = statement.where(col(AuditEntry.occurred_at) >= since)
    return paginate(
        session=session,
        statement=statement,
        page=page,
        build=lambda rows: [_public(entry, username, slug) for entry, username, slug in rows],
    )
