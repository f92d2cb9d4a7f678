"""Campaigns (one demand of one target by one coalition), their status history and activities."""

from datetime import date, datetime

import sqlalchemy as sa
from pydantic import AwareDatetime, ConfigDict, HttpUrl
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_column_type, utcnow
from schema.enums import ActivityKind, CampaignStatus, JurisdictionKind, Visibility
from schema.inputs import InputModel
from schema.public import PublicModel


class Campaign(TimestampMixin, IdMixin, table=True):
    """One ask: a coalition asking one target for one leaf demand."""

    __tablename__ = "campaign"
    __table_args__ = (
        sa.UniqueConstraint("coalition_id", "demand_id", "target_id"),
        sa.CheckConstraint("goal_count IS NULL OR goal_count > 0", name="goal_positive"),
        sa.CheckConstraint("progress_count >= 0", name="progress_nonnegative"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint(
            "due_date IS NULL OR start_date IS NULL OR due_date >= start_date",
            name="due_after_start",
        ),
    )

    coalition_id: int = Field(foreign_key="coalition.id", ondelete="RESTRICT")
    demand_id: int = Field(foreign_key="demand.id", ondelete="RESTRICT", index=True)
    target_id: int = Field(foreign_key="target.id", ondelete="RESTRICT", index=True)
    # The member organization leading the ask, if one does.
    lead_organization_id: int | None = Field(
        default=None, foreign_key="organization.id", ondelete="SET NULL", index=True
    )
    # The organizer responsible for keeping the record current.
    owner_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True)
    status: CampaignStatus = Field(
        default=CampaignStatus.NOT_STARTED, sa_type=enum_column_type(CampaignStatus, "status"), index=True
    )
    # Private to the owning coalition unless an organizer publishes it.
    visibility: Visibility = Field(
        default=Visibility.COALITION, sa_type=enum_column_type(Visibility, "visibility")
    )
    summary: str | None = Field(default=None, sa_type=sa.Text)
    notes: str | None = Field(default=None, sa_type=sa.Text)
    # Notes stay with the coalition even on a public campaign unless published on their own.
    notes_visibility: Visibility = Field(
        default=Visibility.COALITION,
        sa_type=enum_column_type(Visibility, "notes_visibility"),
    )
    start_date: date | None = None
    due_date: date | None = None
    closed_date: date | None = None
    # An optional numeric goal, e.g. 15 worker trainings.
    goal_count: int | None = None
    goal_unit: str | None = Field(default=None, max_length=120)
    progress_count: int = Field(default=0)
    # Optimistic concurrency: every write bumps it; a stale version is refused.
    version: int = Field(default=1)


class StatusEvent(IdMixin, table=True):
    """An append-only record of one status change; the database refuses updates and deletes."""

    __tablename__ = "status_event"
    __table_args__ = (
        sa.CheckConstraint("from_status IS NULL OR from_status <> to_status", name="status_changes"),
        sa.Index("ix_status_event_campaign_id_occurred_at", "campaign_id", "occurred_at"),
    )

    campaign_id: int = Field(foreign_key="campaign.id", ondelete="RESTRICT")
    from_status: CampaignStatus | None = Field(
        default=None, sa_type=enum_column_type(CampaignStatus, "from_status")
    )
    to_status: CampaignStatus = Field(sa_type=enum_column_type(CampaignStatus, "to_status"))
    # When it happened in the world; may be earlier than when it was recorded.
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="RESTRICT", index=True)
    note: str | None = Field(default=None, sa_type=sa.Text)
    evidence_url: str | None = Field(default=None, max_length=2000)


class Activity(VersionMixin, TimestampMixin, IdMixin, table=True):
    """A dated action on a campaign: a meeting, letter, testimony, rally..."""

    __tablename__ = "activity"
    __table_args__ = (sa.Index("ix_activity_campaign_id_occurred_on", "campaign_id", "occurred_on"),)

    campaign_id: int = Field(foreign_key="campaign.id", ondelete="RESTRICT")
    kind: ActivityKind = Field(sa_type=enum_column_type(ActivityKind, "kind"))
    occurred_on: date
    title: str = Field(max_length=300)
    details: str | None = Field(default=None, sa_type=sa.Text)
    # Private to the owning coalition unless marked public.
    visibility: Visibility = Field(
        default=Visibility.COALITION, sa_type=enum_column_type(Visibility, "visibility")
    )
    created_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )


# --- What the API accepts and shows -------------------------------------------------------------

MAX_INT = 2**31 - 1
TEXT_LIMIT = 20_000


class CampaignCreate(InputModel):
    """A new ask: one coalition asking one target for one leaf demand."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "coalition": "immigrant-workplace-justice-coalition",
                    "demand": "protect-workers-on-work-sites",
                    "target": "los-angeles-city-council",
                    "status": "made",
                    "summary": "Asked the council for a workplace-enforcement motion.",
                    "visibility": "public",
                }
            ]
        }
    )

    coalition: str = Field(max_length=120, description="Slug of the coalition making the ask.")
    demand: str = Field(max_length=120, description="Slug of a leaf demand (not a group).")
    target: str = Field(max_length=120, description="Slug of the target asked.")
    status: CampaignStatus = Field(
        default=CampaignStatus.NOT_STARTED,
        description="Starting status; anything else records a first event.",
    )
    occurred_at: AwareDatetime | None = Field(
        default=None, description="When the starting status happened (default: now)."
    )
    visibility: Visibility = Visibility.COALITION
    summary: str | None = Field(default=None, max_length=TEXT_LIMIT)
    notes: str | None = Field(default=None, max_length=TEXT_LIMIT)
    notes_visibility: Visibility = Visibility.COALITION
    lead_organization: str | None = Field(default=None, max_length=120)
    owner: str | None = Field(
        default=None, max_length=80, description="Username of the organizer responsible."
    )
    start_date: date | None = None
    due_date: date | None = None
    goal_count: int | None = Field(default=None, ge=1, le=MAX_INT)
    goal_unit: str | None = Field(default=None, max_length=120)
    progress_count: int = Field(default=0, ge=0, le=MAX_INT)


class CampaignUpdate(InputModel):
    """Fields an organizer may change; status changes go through the status endpoint, which keeps history."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"progress_count": 4, "version": 2}]})

    visibility: Visibility | None = None
    summary: str | None = Field(default=None, max_length=TEXT_LIMIT)
    notes: str | None = Field(default=None, max_length=TEXT_LIMIT)
    notes_visibility: Visibility | None = None
    lead_organization: str | None = Field(default=None, max_length=120)
    owner: str | None = Field(default=None, max_length=80)
    start_date: date | None = None
    due_date: date | None = None
    goal_count: int | None = Field(default=None, ge=1, le=MAX_INT)
    goal_unit: str | None = Field(default=None, max_length=120)
    progress_count: int | None = Field(default=None, ge=0, le=MAX_INT)
    version: int | None = Field(
        default=None, ge=1, le=MAX_INT, description="The version you edited, if not sent as If-Match."
    )


class StatusChange(InputModel):
    """Move a campaign to a new status; the change is appended to its history."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "in_progress",
                    "note": "Council staff scheduled a hearing.",
                    "evidence_url": "https://clerk.lacity.org/",
                }
            ]
        }
    )

    status: CampaignStatus
    note: str | None = Field(default=None, max_length=TEXT_LIMIT)
    evidence_url: HttpUrl | None = Field(default=None, description="A public link that shows the change.")
    occurred_at: AwareDatetime | None = Field(default=None, description="When it happened (default: now).")
    version: int | None = Field(default=None, ge=1, le=MAX_INT)


class ActivityCreate(InputModel):
    """Log a dated action on a campaign."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "meeting", "occurred_on": "2026-11-20", "title": "Met council staff"}]
        }
    )

    kind: ActivityKind
    occurred_on: date
    title: str = Field(min_length=1, max_length=300)
    details: str | None = Field(default=None, max_length=TEXT_LIMIT)
    visibility: Visibility = Visibility.COALITION


class ActivityUpdate(InputModel):
    """Correct a logged activity."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"title": "Met the council deputy", "version": 1}]}
    )

    kind: ActivityKind | None = None
    occurred_on: date | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)
    details: str | None = Field(default=None, max_length=TEXT_LIMIT)
    visibility: Visibility | None = None
    version: int | None = Field(default=None, ge=1, le=MAX_INT)


class StatusEventPublic(PublicModel):
    """One entry of a campaign's status history."""

    id: int
    campaign_id: int
    from_status: CampaignStatus | None
    to_status: CampaignStatus
    occurred_at: datetime
    recorded_at: datetime
    actor: str | None = Field(description="Username of who recorded it.")
    note: str | None = Field(description="Shown to the coalition, or to everyone when its notes are public.")
    evidence_url: str | None


class ActivityPublic(PublicModel):
    """A dated action on a campaign."""

    id: int
    campaign_id: int
    kind: ActivityKind
    occurred_on: date
    title: str
    details: str | None
    visibility: Visibility
    created_by: str | None = Field(description="Username of who logged it.")
    version: int
    created_at: datetime
    updated_at: datetime


class TargetBrief(PublicModel):
    slug: str
    name: str
    category: str
    jurisdiction: str


class DemandBrief(PublicModel):
    slug: str
    title: str
    category: str
    parent: str | None


class CoalitionBrief(PublicModel):
    slug: str
    name: str


class JurisdictionBrief(PublicModel):
    slug: str
    name: str
    kind: JurisdictionKind
    ocd_id: str | None


class CampaignIncluded(PublicModel):
    """Related records asked for with `include=`; the ones not asked for are null."""

    target: TargetBrief | None = None
    demand: DemandBrief | None = None
    coalition: CoalitionBrief | None = None
    jurisdiction: JurisdictionBrief | None = None
    events: list[StatusEventPublic] | None = None
    activities: list[ActivityPublic] | None = None


class CampaignPublic(PublicModel):
    """One ask and where it stands. `notes` is null unless you may read it."""

    id: int
    coalition: str
    demand: str
    target: str
    category: str = Field(description="Slug of the demand's target category.")
    jurisdiction: str = Field(description="Slug of the target's jurisdiction.")
    lead_organization: str | None
    owner: str | None
    status: CampaignStatus
    visibility: Visibility
    summary: str | None
    notes: str | None
    notes_visibility: Visibility
    start_date: date | None
    due_date: date | None
    closed_date: date | None
    goal_count: int | None
    goal_unit: str | None
    progress_count: int
    last_activity_at: datetime | None = Field(description="Latest status event or activity.")
    is_stale: bool = Field(
        description="Open (made or in progress) with nothing recorded for the stale period."
    )
    version: int
    created_at: datetime
    updated_at: datetime
    included: CampaignIncluded | None = None
