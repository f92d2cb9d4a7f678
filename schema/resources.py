"""Toolkits, flyers, memos, webinars, laws and hotlines, in the languages they exist in."""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from schema.base import IdMixin, TimestampMixin, VersionMixin, enum_column_type
from schema.enums import ResourceKind


class Resource(VersionMixin, TimestampMixin, IdMixin, table=True):
    """Material organizers share; a hotline carries an organization's public number."""

    __tablename__ = "resource"

    slug: str = Field(max_length=120, unique=True)
    title: str = Field(max_length=300)
    kind: ResourceKind = Field(sa_type=enum_column_type(ResourceKind, "kind"), index=True)
    description: str | None = Field(default=None, sa_type=sa.Text)
    url: str | None = Field(default=None, max_length=2000)
    # Organizational hotlines only; never a person's number.
    phone: str | None = Field(default=None, max_length=20)
    organization_id: int | None = Field(
        default=None, foreign_key="organization.id", ondelete="RESTRICT", index=True
    )


class ResourceLanguage(SQLModel, table=True):
    """A language a resource is available in (BCP 47 code)."""

    __tablename__ = "resource_language"

    resource_id: int = Field(foreign_key="resource.id", ondelete="CASCADE", primary_key=True)
    language: str = Field(max_length=16, primary_key=True, index=True)


class DemandResource(SQLModel, table=True):
    """A resource that helps make a demand."""

    __tablename__ = "demand_resource"

    demand_id: int = Field(foreign_key="demand.id", ondelete="CASCADE", primary_key=True)
    resource_id: int = Field(foreign_key="resource.id", ondelete="CASCADE", primary_key=True, index=True)


class ResourceJurisdiction(SQLModel, table=True):
    """A jurisdiction a resource serves."""

    __tablename__ = "resource_jurisdiction"

    resource_id: int = Field(foreign_key="resource.id", ondelete="CASCADE", primary_key=True)
    jurisdiction_id: int = Field(
        foreign_key="jurisdiction.id", ondelete="CASCADE", primary_key=True, index=True
    )
