"""Places where asks are made, nested from nation down to district."""

from typing import Annotated

import sqlalchemy as sa
from pydantic import ConfigDict
from pydantic import Field as Input
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, VersionMixin, enum_column_type
from schema.enums import JurisdictionKind
from schema.inputs import InputModel
from schema.public import Name, Ref, Slug, Version

OcdId = Annotated[
    str,
    Input(
        max_length=300,
        pattern=r"^ocd-division/country:[a-z]{2}(/[a-z_]+:[a-z0-9_.~-]+)*$",
        examples=["ocd-division/country:us/state:ca/county:los_angeles"],
    ),
]
Fips = Annotated[
    str, Input(pattern=r"^(\d{2}|\d{5}|\d{7})$", description="State (2), county (5) or place (7) FIPS.")
]
IsoCode = Annotated[str, Input(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$", examples=["US-CA"])]


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


class JurisdictionCreate(InputModel):
    """A new place; codes only where they really exist."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "orange-county",
                    "name": "Orange County",
                    "kind": "county",
                    "parent": "california",
                    "ocd_id": "ocd-division/country:us/state:ca/county:orange",
                    "fips": "06059",
                }
            ]
        }
    )

    slug: Slug
    name: Name
    kind: JurisdictionKind
    parent: Ref | None = Input(
        default=None, description="Slug, id or OCD division ID of the enclosing place."
    )
    ocd_id: OcdId | None = None
    fips: Fips | None = None
    iso_code: IsoCode | None = None


class JurisdictionUpdate(InputModel):
    """Changes to a place; `parent: null` makes it a root. The slug never changes."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"parent": "los-angeles-county", "version": 1}]}
    )

    name: Name | None = None
    kind: JurisdictionKind | None = None
    parent: Ref | None = None
    ocd_id: OcdId | None = None
    fips: Fips | None = None
    iso_code: IsoCode | None = None
    version: Version = None
