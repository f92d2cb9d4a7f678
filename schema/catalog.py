"""The checklist itself: target categories, nested demands and the examples that prove them winnable."""

import sqlalchemy as sa
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, VersionMixin, enum_column_type
from schema.enums import DemandProvenance, ExampleKind


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
