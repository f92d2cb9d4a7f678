"""Crowd-sourced proposals to the checklist and their moderation."""

from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from pydantic import ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_column_type
from schema.enums import SubmissionKind, SubmissionResolution, SubmissionStatus
from schema.inputs import InputModel
from schema.public import PublicModel


class Submission(VersionMixin, TimestampMixin, IdMixin, table=True):
    """A proposed demand, strategy, example, resource or correction, kept whatever its fate."""

    __tablename__ = "submission"
    __table_args__ = (
        sa.Index("ix_submission_status_created_at", "status", "created_at"),
        sa.Index("ix_submission_client_fingerprint_created_at", "client_fingerprint", "created_at"),
    )

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
    resolution: SubmissionResolution | None = Field(
        default=None, sa_type=enum_column_type(SubmissionResolution, "resolution")
    )
    # A moderator working on it; the claim lapses at `claimed_until` so nothing stays locked.
    claimed_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # SHA-256 of the normalized text, to refuse the same proposal twice.
    content_hash: str = Field(default="", max_length=64, index=True)
    # SHA-256 of the client address and the day: counts a client's submissions, cannot be traced back.
    client_fingerprint: str = Field(default="", max_length=64)
    contact_purged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- What the API accepts and shows -------------------------------------------------------------


class SubmissionCreate(InputModel):
    """A proposal from anyone; no account needed. The contact reaches moderators only."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "strategy",
                    "title": "Capacitaciones de Conozca sus derechos en el lugar de trabajo",
                    "body": "Organizamos talleres mensuales con el sindicato local.",
                    "category": "labor",
                    "jurisdiction": "los-angeles-county",
                    "language": "es",
                }
            ]
        }
    )

    kind: SubmissionKind
    title: str = PydanticField(min_length=3, max_length=300)
    body: str = PydanticField(min_length=10, max_length=10_000)
    category: str | None = PydanticField(
        default=None, max_length=120, description="Proposed target category."
    )
    jurisdiction: str | None = PydanticField(default=None, max_length=300, description="Where it happened.")
    demand: str | None = PydanticField(
        default=None, max_length=120, description="The item a correction, example or resource concerns."
    )
    links: list[Annotated[str, PydanticField(max_length=2000, pattern=r"^https?://\S+$")]] = PydanticField(
        default_factory=list, max_length=10
    )
    language: str = PydanticField(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
    submitter_name: str | None = PydanticField(default=None, max_length=200)
    submitter_contact: str | None = PydanticField(
        default=None, max_length=300, description="How moderators can reach you; never shown publicly."
    )


class Acceptance(InputModel):
    """How a moderator folds a proposal into the catalog. Texts are the catalog's English texts."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"title": "Hold monthly know-your-rights trainings at work", "category": "labor"}]
        }
    )

    title: str | None = PydanticField(
        default=None,
        min_length=3,
        max_length=300,
        description="English title; required for a non-English proposal.",
    )
    description: str | None = PydanticField(default=None, max_length=10_000)
    category: str | None = PydanticField(default=None, max_length=120)
    parent: str | None = PydanticField(default=None, max_length=120, description="Group for a new demand.")
    demand: str | None = PydanticField(
        default=None, max_length=120, description="Item amended or exemplified."
    )
    slug: str | None = PydanticField(default=None, max_length=120, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    note: str | None = PydanticField(default=None, max_length=2000, description="Shown to the submitter.")


class Rejection(InputModel):
    """A rejection always says why."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "Already covered by the labor items."}]}
    )

    reason: str = PydanticField(min_length=3, max_length=2000)


class Merge(InputModel):
    """The proposal duplicates an existing item."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"demand": "sanctuary-union"}]})

    demand: str = PydanticField(max_length=120)
    note: str | None = PydanticField(default=None, max_length=2000)


class SubmissionPublic(PublicModel):
    """A proposal as anyone sees it: never the submitter's name or contact."""

    id: int
    kind: SubmissionKind
    status: SubmissionStatus
    resolution: SubmissionResolution | None
    title: str
    body: str
    category: str | None
    jurisdiction: str | None
    demand: str | None = PydanticField(description="The catalog item it concerns or became.")
    links: list[str]
    language: str
    moderation_note: str | None
    created_at: datetime
    reviewed_at: datetime | None
    version: int


class SubmissionForModerators(SubmissionPublic):
    """What the moderation queue shows: the submitter's name and contact, and who is working on it."""

    submitter_name: str | None
    submitter_contact: str | None
    contact_purged: bool
    claimed_by: str | None
    claimed_until: datetime | None
    moderator: str | None
