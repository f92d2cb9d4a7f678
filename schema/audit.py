"""The append-only audit log: who changed what, when, from what to what."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import Field as PydanticField
from sqlmodel import Field

from schema.base import IdMixin, UTCDateTime, enum_column_type, utcnow
from schema.enums import AuditAction
from schema.public import PublicModel


class AuditEntry(IdMixin, table=True):
    """One write. Entities are named, not foreign-keyed, so the log outlives what it describes."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        sa.Index("ix_audit_entry_coalition_id_id", "coalition_id", "id"),
        sa.Index("ix_audit_entry_entity_type_entity_key", "entity_type", "entity_key"),
    )

    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # None for changes made from the command line.
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="RESTRICT", index=True)
    action: AuditAction = Field(sa_type=enum_column_type(AuditAction, "action"))
    entity_type: str = Field(max_length=40)
    # The entity's public key: an id, a slug, or `coalition/user` for a membership.
    entity_key: str = Field(max_length=300)
    # The coalition whose admins may read this entry; None for catalog changes (site admins only).
    coalition_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)


class AuditEntryPublic(PublicModel):
    """One recorded write: who, when, what, and the fields before and after."""

    id: int
    occurred_at: datetime
    actor: str | None = PydanticField(description="Username of who wrote it; null for the command line.")
    action: AuditAction
    entity_type: str
    entity_key: str
    coalition: str | None = PydanticField(description="Slug of the coalition the entry belongs to.")
    before: dict[str, Any] | None
    after: dict[str, Any] | None
