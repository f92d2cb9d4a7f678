"""Organizations and the coalitions they form; a coalition owns campaigns."""

from datetime import datetime

import sqlalchemy as sa
from pydantic import ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from schema.base import IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_column_type, utcnow
from schema.enums import OrganizationKind
from schema.inputs import InputModel
from schema.public import PublicModel


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


# Public shapes and payloads. Slugs are the public keys; ids stay inside the service.

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class OrganizationPublic(PublicModel):
    """A member organization as the API shows it."""

    slug: str
    name: str
    kind: OrganizationKind
    description: str | None
    website: str | None
    jurisdiction: str | None = PydanticField(description="Slug of the organization's home jurisdiction.")
    version: int
    created_at: datetime
    updated_at: datetime


class OrganizationCreate(InputModel):
    """A new member organization; `jurisdiction` takes a slug, a numeric id or an OCD division ID."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "pomona-day-labor-center",
                    "name": "Pomona Day Labor Center",
                    "kind": "worker_center",
                    "website": "https://example.org/pomona",
                    "jurisdiction": "los-angeles-county",
                }
            ]
        }
    )

    slug: str = PydanticField(max_length=120, pattern=SLUG_PATTERN)
    name: str = PydanticField(min_length=1, max_length=300)
    kind: OrganizationKind
    description: str | None = PydanticField(default=None, max_length=20_000)
    website: str | None = PydanticField(default=None, max_length=2000)
    jurisdiction: str | None = PydanticField(default=None, max_length=300)


class OrganizationUpdate(InputModel):
    """Fields to change; the slug is permanent. Name the version you edited here or in If-Match."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"website": "https://example.org/new", "version": 1}]}
    )

    name: str | None = PydanticField(default=None, min_length=1, max_length=300)
    kind: OrganizationKind | None = None
    description: str | None = PydanticField(default=None, max_length=20_000)
    website: str | None = PydanticField(default=None, max_length=2000)
    jurisdiction: str | None = PydanticField(default=None, max_length=300)
    version: int | None = PydanticField(default=None, ge=1, le=2**31 - 1)


class CoalitionPublic(PublicModel):
    """A coalition with the slugs of its member organizations and focus jurisdictions."""

    slug: str
    name: str
    description: str | None
    website: str | None
    organizations: list[str] = PydanticField(description="Slugs of the member organizations, by name.")
    focus: list[str] = PydanticField(description="Slugs of the focus jurisdictions, by name.")
    version: int
    created_at: datetime
    updated_at: datetime


class CoalitionCreate(InputModel):
    """A new coalition; add its organizations, focus and members afterwards."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "inland-empire-rapid-response",
                    "name": "Inland Empire Rapid Response",
                    "description": "Rapid-response network for San Bernardino and Riverside counties.",
                }
            ]
        }
    )

    slug: str = PydanticField(max_length=120, pattern=SLUG_PATTERN)
    name: str = PydanticField(min_length=1, max_length=300)
    description: str | None = PydanticField(default=None, max_length=20_000)
    website: str | None = PydanticField(default=None, max_length=2000)


class CoalitionUpdate(InputModel):
    """Profile fields to change; the slug is permanent. Name the version you edited here or in If-Match."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "IWJC", "version": 1}]})

    name: str | None = PydanticField(default=None, min_length=1, max_length=300)
    description: str | None = PydanticField(default=None, max_length=20_000)
    website: str | None = PydanticField(default=None, max_length=2000)
    version: int | None = PydanticField(default=None, ge=1, le=2**31 - 1)
