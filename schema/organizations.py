"""Organizations and the coalitions they form; a coalition owns campaigns."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from schema.base import IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_column_type, utcnow
from schema.enums import OrganizationKind


class Organization(VersionMixin, TimestampMixin, IdMixin, table=True):
    """A worker center, legal-services group, union or other member organization."""

    __tablename__ = "organization"

    slug: str = Field(max_length=120, unique=True)
    name: str = Field(max_length=300)
    kind: OrganizationKind = Field(sa_type=enum_column_type(OrganizationKind, "kind"))
    description: str | None = Field(default=None, sa_type=sa.Text)
    website: str | None = Field(default=None, max_length=2000)
    # Home base, for finding partners near a campaign.
    jurisdiction_id: int | None = Field(
        default=None, foreign_key="jurisdiction.id", ondelete="RESTRICT", index=True
    )


class Coalition(VersionMixin, TimestampMixin, IdMixin, table=True):
    """Organizations making demands together."""

    __tablename__ = "coalition"

    slug: str = Field(max_length=120, unique=True)
    name: str = Field(max_length=300)
    description: str | None = Field(default=None, sa_type=sa.Text)
    website: str | None = Field(default=None, max_length=2000)


class CoalitionMembership(SQLModel, table=True):
    """An organization's membership of a coalition (many-to-many)."""

    __tablename__ = "coalition_membership"

    coalition_id: int = Field(foreign_key="coalition.id", ondelete="CASCADE", primary_key=True)
    organization_id: int = Field(
        foreign_key="organization.id", ondelete="CASCADE", primary_key=True, index=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CoalitionFocus(SQLModel, table=True):
    """A jurisdiction a coalition concentrates on."""

    __tablename__ = "coalition_focus"

    coalition_id: int = Field(foreign_key="coalition.id", ondelete="CASCADE", primary_key=True)
    jurisdiction_id: int = Field(
        foreign_key="jurisdiction.id", ondelete="CASCADE", primary_key=True, index=True
    )
