"""Places where asks are made, nested from nation down to district."""

import sqlalchemy as sa
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, VersionMixin, enum_column_type
from schema.enums import JurisdictionKind


class Jurisdiction(VersionMixin, TimestampMixin, IdMixin, table=True):
    """A nation, state, county, city, region or district, under its parent."""

    __tablename__ = "jurisdiction"
    __table_args__ = (sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),)

    slug: str = Field(max_length=120, unique=True)
    name: str = Field(max_length=300)
    kind: JurisdictionKind = Field(sa_type=enum_column_type(JurisdictionKind, "kind"), index=True)
    parent_id: int | None = Field(
        default=None, foreign_key="jurisdiction.id", ondelete="RESTRICT", index=True
    )
    # Open Civic Data division ID: the key Open States and OSDI targets use.
    ocd_id: str | None = Field(default=None, max_length=300, unique=True)
    # State (2), county (5) or place (7) FIPS code.
    fips: str | None = Field(default=None, max_length=7, unique=True)
    # ISO 3166-1 alpha-2 for a nation, ISO 3166-2 for a subdivision.
    iso_code: str | None = Field(default=None, max_length=6, unique=True)
