"""Crowd-sourced proposals to the checklist and their moderation."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_column_type
from schema.enums import SubmissionKind, SubmissionStatus


class Submission(VersionMixin, TimestampMixin, IdMixin, table=True):
    """A proposed demand, strategy, example, resource or correction, kept whatever its fate."""

    __tablename__ = "submission"
    __table_args__ = (sa.Index("ix_submission_status_created_at", "status", "created_at"),)

    kind: SubmissionKind = Field(sa_type=enum_column_type(SubmissionKind, "kind"))
    status: SubmissionStatus = Field(
        default=SubmissionStatus.PENDING, sa_type=enum_column_type(SubmissionStatus, "status")
    )
    title: str = Field(max_length=300)
    body: str = Field(sa_type=sa.Text)
    category_id: int | None = Field(
        default=None, foreign_key="target_category.id", ondelete="SET NULL", index=True
    )
    jurisdiction_id: int | None = Field(
        default=None, foreign_key="jurisdiction.id", ondelete="SET NULL", index=True
    )
    # The catalog item this submission concerns: the one corrected, or the one it created.
    demand_id: int | None = Field(default=None, foreign_key="demand.id", ondelete="SET NULL", index=True)
    links: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    language: str = Field(default="en", max_length=16)
    submitter_name: str | None = Field(default=None, max_length=200)
    # Visible to moderators only; can be purged.
    submitter_contact: str | None = Field(default=None, max_length=300)
    moderator_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    moderation_note: str | None = Field(default=None, sa_type=sa.Text)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
