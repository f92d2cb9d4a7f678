"""The checklist itself: target categories, nested demands and the examples that prove them winnable."""

import sqlalchemy as sa
from pydantic import ConfigDict
from pydantic import Field as Input
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, VersionMixin, enum_column_type
from schema.enums import DemandProvenance, ExampleKind
from schema.inputs import InputModel
from schema.public import LongText, Name, Position, Ref, Slug, Url, Version


class TargetCategory(VersionMixin, TimestampMixin, IdMixin, table=True):
    """A kind of target (elected officials, business, labor...), one heading of the brief."""

    __tablename__ = "target_category"
    __table_args__ = (sa.CheckConstraint("position >= 0", name="position_nonnegative"),)

    slug: str = Field(max_length=120, unique=True)
    name: str = Field(max_length=300)
    description: str | None = Field(default=None, sa_type=sa.Text)
    position: int = Field(index=True)


class Demand(VersionMixin, TimestampMixin, IdMixin, table=True):
    """One checklist item. A demand with children is a group; campaigns attach to leaves."""

    __tablename__ = "demand"
    __table_args__ = (
        sa.CheckConstraint("position >= 0", name="position_nonnegative"),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        sa.Index("ix_demand_category_id_position", "category_id", "position"),
    )

    slug: str = Field(max_length=120, unique=True)
    category_id: int = Field(foreign_key="target_category.id", ondelete="RESTRICT")
    parent_id: int | None = Field(default=None, foreign_key="demand.id", ondelete="RESTRICT", index=True)
    # Order among siblings, as in the brief.
    position: int
    title: str = Field(sa_type=sa.Text)
    description: str | None = Field(default=None, sa_type=sa.Text)
    provenance: DemandProvenance = Field(
        default=DemandProvenance.SEEDED, sa_type=enum_column_type(DemandProvenance, "provenance")
    )


class Example(VersionMixin, TimestampMixin, IdMixin, table=True):
    """A real law, directive, motion or practice that shows a demand can be won."""

    __tablename__ = "example"
    __table_args__ = (sa.CheckConstraint("position >= 0", name="position_nonnegative"),)

    slug: str = Field(max_length=120, unique=True)
    demand_id: int = Field(foreign_key="demand.id", ondelete="RESTRICT", index=True)
    position: int
    title: str = Field(max_length=300)
    kind: ExampleKind = Field(sa_type=enum_column_type(ExampleKind, "kind"))
    description: str | None = Field(default=None, sa_type=sa.Text)
    url: str | None = Field(default=None, max_length=2000)
    jurisdiction_id: int | None = Field(
        default=None, foreign_key="jurisdiction.id", ondelete="RESTRICT", index=True
    )


class CategoryCreate(InputModel):
    """A new checklist heading."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"slug": "schools", "name": "Schools and universities"}]}
    )

    slug: Slug
    name: Name
    description: LongText | None = None
    position: Position | None = None


class CategoryUpdate(InputModel):
    """Changes to a category; the slug never changes."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Labor unions", "version": 1}]})

    name: Name | None = None
    description: LongText | None = None
    position: Position | None = None
    version: Version = None


class DemandCreate(InputModel):
    """A new checklist item, top-level or inside a group (one level of nesting)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "fund-legal-defense",
                    "category": "elected-officials",
                    "parent": "be-present-at-raids",
                    "title": "Fund universal legal representation.",
                }
            ]
        }
    )

    slug: Slug
    category: Ref | None = Input(default=None, description="Category slug; defaults to the group's.")
    parent: Ref | None = Input(default=None, description="Slug of a top-level group to put it in.")
    title: LongText = Input(min_length=1)
    description: LongText | None = None
    position: Position | None = None


class DemandUpdate(InputModel):
    """Changes to a demand; `parent: null` makes it top-level. The slug never changes."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"title": "Fund legal defense.", "version": 2}]}
    )

    category: Ref | None = None
    parent: Ref | None = None
    title: LongText | None = Input(default=None, min_length=1)
    description: LongText | None = None
    position: Position | None = None
    version: Version = None


class ExampleCreate(InputModel):
    """A real law, directive or practice showing the demand in the path can be won."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "ca-sb54",
                    "title": "California Values Act (SB 54)",
                    "kind": "legislation",
                    "jurisdiction": "california",
                    "url": "https://leginfo.legislature.ca.gov/",
                }
            ]
        }
    )

    slug: Slug
    title: Name
    kind: ExampleKind
    description: LongText | None = None
    url: Url | None = None
    jurisdiction: Ref | None = Input(default=None, description="Slug, id or OCD division ID.")
    position: Position | None = None


class ExampleUpdate(InputModel):
    """Changes to an example; `demand` moves it to another demand. The slug never changes."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "directive", "version": 1}]})

    demand: Ref | None = None
    title: Name | None = None
    kind: ExampleKind | None = None
    description: LongText | None = None
    url: Url | None = None
    jurisdiction: Ref | None = None
    position: Position | None = None
    version: Version = None
