"""The checklist itself: target categories, nested demands and the examples that prove them winnable."""

from datetime import datetime

import sqlalchemy as sa
from pydantic import ConfigDict
from pydantic import Field as Input
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_column_type, utcnow
from schema.enums import DemandProvenance, ExampleKind, TranslatedEntity
from schema.inputs import InputModel
from schema.public import LongText, Name, Position, PublicModel, Ref, Slug, Url, Version


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
    # Retired items stay for campaigns and past scorecards, and drop out of lists and new scorecards.
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


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


class DemandRevision(IdMixin, table=True):
    """One version of a demand's text: who changed it, when, and from which submission.

    Append-only while the demand exists; deleting a demand nothing refers to takes its history along.
    """

    __tablename__ = "demand_revision"
    __table_args__ = (sa.UniqueConstraint("demand_id", "version"),)

    demand_id: int = Field(foreign_key="demand.id", ondelete="CASCADE")
    version: int
    title: str = Field(sa_type=sa.Text)
    description: str | None = Field(default=None, sa_type=sa.Text)
    category_id: int = Field(foreign_key="target_category.id", ondelete="RESTRICT")
    parent_id: int | None = Field(default=None, foreign_key="demand.id", ondelete="RESTRICT")
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    changed_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="RESTRICT")
    submission_id: int | None = Field(default=None, foreign_key="submission.id", ondelete="RESTRICT")


class Translation(TimestampMixin, IdMixin, table=True):
    """A catalog text in another language; English is the text on the record itself."""

    __tablename__ = "translation"
    __table_args__ = (
        sa.UniqueConstraint("entity_type", "entity_id", "field", "language"),
        sa.Index("ix_translation_language_entity_type", "language", "entity_type"),
    )

    entity_type: TranslatedEntity = Field(sa_type=enum_column_type(TranslatedEntity, "entity_type"))
    entity_id: int
    field: str = Field(max_length=40)
    # BCP 47 primary language subtag, lower-case: `es`, `ko`, `zh`.
    language: str = Field(max_length=16)
    text: str = Field(sa_type=sa.Text)
    # Drafts wait for a native speaker's review; clients may say so.
    needs_review: bool = Field(default=False)


class DemandRevisionPublic(PublicModel):
    """One version of a demand's text."""

    version: int
    title: str
    description: str | None
    category: str
    parent: str | None
    retired_at: datetime | None
    changed_at: datetime
    changed_by: str | None = Input(description="Username of who made the change; null for the seed.")
    submission: int | None = Input(description="The accepted submission the change came from.")
