"""Concrete bodies that demands are made of."""

import sqlalchemy as sa
from pydantic import ConfigDict
from pydantic import Field as Input
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, VersionMixin
from schema.inputs import InputModel
from schema.public import LongText, Name, Ref, Slug, Url, Version


class Target(VersionMixin, TimestampMixin, IdMixin, table=True):
    """A city council, a consulate, a union local, an attorney general: one category, one place."""

    __tablename__ = "target"
    __table_args__ = (sa.Index("ix_target_jurisdiction_id_category_id", "jurisdiction_id", "category_id"),)

    slug: str = Field(max_length=120, unique=True)
    name: str = Field(max_length=300)
    category_id: int = Field(foreign_key="target_category.id", ondelete="RESTRICT", index=True)
    jurisdiction_id: int = Field(foreign_key="jurisdiction.id", ondelete="RESTRICT")
    description: str | None = Field(default=None, sa_type=sa.Text)
    website: str | None = Field(default=None, max_length=2000)


class TargetCreate(InputModel):
    """A new body to make asks of, in one category and one jurisdiction."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "los-angeles-county-board-of-supervisors",
                    "name": "Los Angeles County Board of Supervisors",
                    "category": "elected-officials",
                    "jurisdiction": "los-angeles-county",
                    "website": "https://bos.lacounty.gov/",
                }
            ]
        }
    )

    slug: Slug
    name: Name
    category: Ref = Input(description="Slug of the target category.")
    jurisdiction: Ref = Input(description="Slug, id or OCD division ID.")
    description: LongText | None = None
    website: Url | None = None


class TargetUpdate(InputModel):
    """Changes to a target; the slug never changes."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"website": "https://lacity.gov/", "version": 1}]}
    )

    name: Name | None = None
    category: Ref | None = None
    jurisdiction: Ref | None = None
    description: LongText | None = None
    website: Url | None = None
    version: Version = None
