"""Toolkits, flyers, memos, webinars, laws and hotlines, in the languages they exist in."""

from typing import Annotated

import sqlalchemy as sa
from pydantic import ConfigDict
from pydantic import Field as Input
from sqlmodel import Field, SQLModel

from schema.base import IdMixin, TimestampMixin, VersionMixin, enum_column_type
from schema.enums import ResourceKind
from schema.inputs import InputModel
from schema.public import LongText, Name, Ref, Slug, Url, Version

Language = Annotated[
    str, Input(max_length=16, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", examples=["es", "zh-Hant"])
]
Phone = Annotated[
    str,
    Input(
        max_length=20,
        pattern=r"^\+?[0-9][0-9 ().-]{5,17}[0-9]$",
        description="An organization's public hotline (only on a `hotline` with an `organization`).",
        examples=["888-349-9695"],
    ),
]
Languages = Annotated[list[Language], Input(max_length=50, description="BCP 47 codes; replaces the list.")]
Refs = Annotated[list[Ref], Input(max_length=500)]


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


class ResourceCreate(InputModel):
    """New material, with the languages it exists in and the demands and places it serves."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "kyr-card-spanish",
                    "title": "Know Your Rights card (Spanish)",
                    "kind": "flyer",
                    "url": "https://example.org/kyr-es.pdf",
                    "languages": ["es"],
                    "demands": ["kyr-messaging"],
                    "jurisdictions": ["los-angeles-county"],
                }
            ]
        }
    )

    slug: Slug
    title: Name
    kind: ResourceKind
    description: LongText | None = None
    url: Url | None = None
    phone: Phone | None = None
    organization: Ref | None = Input(default=None, description="Slug of the organization behind it.")
    languages: Languages = Input(default_factory=lambda: ["en"])
    demands: Refs = Input(default_factory=list, description="Demand slugs.")
    jurisdictions: Refs = Input(default_factory=list, description="Jurisdiction slugs, ids or OCD IDs.")


class ResourceUpdate(InputModel):
    """Changes to a resource; a list sent replaces the stored one. The slug never changes."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"languages": ["en", "es"], "version": 1}]})

    title: Name | None = None
    kind: ResourceKind | None = None
    description: LongText | None = None
    url: Url | None = None
    phone: Phone | None = None
    organization: Ref | None = None
    languages: Languages | None = None
    demands: Refs | None = None
    jurisdictions: Refs | None = None
    version: Version = None
