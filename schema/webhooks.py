"""Signed webhooks: a coalition's endpoints, the outbox of deliveries, and the log of every attempt."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_column_type, utcnow
from schema.inputs import InputModel
from schema.public import MAX_INT, PublicModel, Url


class WebhookEvent(StrEnum):
    """What an endpoint can subscribe to."""

    CAMPAIGN_STATUS_CHANGED = "campaign.status_changed"
    ACTIVITY_CREATED = "activity.created"
    SUBMISSION_ACCEPTED = "submission.accepted"


class DeliveryState(StrEnum):
    """Where one event's delivery to one endpoint stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookEndpoint(VersionMixin, TimestampMixin, IdMixin, table=True):
    """A URL a coalition's admins registered to receive signed events of that coalition."""

    __tablename__ = "webhook_endpoint"

    coalition_id: int = Field(foreign_key="coalition.id", ondelete="CASCADE", index=True)
    url: str = Field(max_length=2000)
    # Names of WebhookEvent values.
    events: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # Kept as-is: it must sign every delivery. Shown once, on creation; never in reads or the audit log.
    secret: str = Field(max_length=100)
    enabled: bool = Field(default=True)
    # Deliveries in a row that failed every attempt; a success resets it.
    consecutive_failures: int = Field(default=0)
    disabled_reason: str | None = Field(default=None, sa_type=sa.Text)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookDelivery(IdMixin, table=True):
    """One event for one endpoint: the outbox row, written in the transaction of the change it reports."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.Index("ix_webhook_delivery_state_next_attempt_at", "state", "next_attempt_at"),
        sa.Index("ix_webhook_delivery_claim_token", "claim_token"),
    )

    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", ondelete="CASCADE", index=True)
    # Sent as Demands-Webhook-Id, the same on every retry, so receivers can drop repeats.
    event_id: str = Field(max_length=36, unique=True)
    event: WebhookEvent = Field(sa_type=enum_column_type(WebhookEvent, "event"))
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    state: DeliveryState = Field(
        default=DeliveryState.PENDING, sa_type=enum_column_type(DeliveryState, "state")
    )
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # A worker holding the delivery until `claimed_until`; an expired claim is taken over.
    claim_token: str | None = Field(default=None, max_length=32)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(IdMixin, table=True):
    """One POST of a delivery: what came back, how long it took, and when the next try is due."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (sa.Index("ix_webhook_attempt_endpoint_id_id", "endpoint_id", "id"),)

    delivery_id: int = Field(foreign_key="webhook_delivery.id", ondelete="CASCADE", index=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", ondelete="CASCADE")
    attempt: int
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    status_code: int | None = None
    latency_ms: int = 0
    error: str | None = Field(default=None, max_length=500)
    next_retry_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- What the API accepts and shows -------------------------------------------------------------

Events = list[WebhookEvent]


class WebhookEndpointCreate(InputModel):
    """Register an endpoint; the service generates its signing secret and shows it once."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://hooks.example.org/demands",
                    "events": ["campaign.status_changed", "activity.created"],
                }
            ]
        }
    )

    url: Url = PydanticField(description="Where events are POSTed (http or https).")
    events: Events = PydanticField(min_length=1, max_length=len(WebhookEvent), description="Events to send.")
    enabled: bool = True


class WebhookEndpointUpdate(InputModel):
    """Change an endpoint's URL, events or enabled flag; name the version you edited."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"events": ["campaign.status_changed"]}]})

    url: Url | None = None
    events: Events | None = PydanticField(default=None, min_length=1, max_length=len(WebhookEvent))
    enabled: bool | None = None
    version: int | None = PydanticField(
        default=None, ge=1, le=MAX_INT, description="The version you edited, if not sent as If-Match."
    )


class WebhookEndpointPublic(PublicModel):
    """An endpoint as its coalition's admins see it; the secret is never shown again."""

    id: int
    coalition: str = PydanticField(description="Slug of the coalition whose events it receives.")
    url: str
    events: list[WebhookEvent]
    enabled: bool
    consecutive_failures: int = PydanticField(
        description="Deliveries in a row that failed every attempt; the endpoint is disabled at the limit."
    )
    disabled_reason: str | None = PydanticField(description="Why it was disabled, if it is.")
    disabled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class WebhookEndpointCreated(WebhookEndpointPublic):
    """The new endpoint with its signing secret: store it now, it is never shown again."""

    secret: str = PydanticField(description="HMAC-SHA256 key of the signatures; shown only in this answer.")


class WebhookAttemptPublic(PublicModel):
    """One attempt to deliver one event."""

    id: int
    delivery_id: int
    event_id: str = PydanticField(description="The Demands-Webhook-Id header: the same on every retry.")
    event: WebhookEvent
    attempt: int = PydanticField(description="1 for the first try, 2 for the first retry...")
    attempted_at: datetime
    status_code: int | None = PydanticField(description="The receiver's HTTP status; null on network errors.")
    latency_ms: int
    error: str | None
    next_retry_at: datetime | None = PydanticField(description="When the next try is due; null if none.")
    delivery_state: DeliveryState = PydanticField(description="Where the delivery stands now.")
