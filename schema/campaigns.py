"""Campaigns (one demand of one target by one coalition), their status history and activities."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_column_type, utcnow
from schema.enums import ActivityKind, CampaignStatus, Visibility


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
