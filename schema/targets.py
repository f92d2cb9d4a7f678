"""Concrete bodies that demands are made of."""

import sqlalchemy as sa
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, VersionMixin


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
