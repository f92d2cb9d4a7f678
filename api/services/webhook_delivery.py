"""The outbox's database side: claim due deliveries, sign them, and record how each attempt went.

Each function is one short transaction, run by the worker in a thread; nothing here touches the network.
Claims are safe with several worker processes: PostgreSQL skips rows another worker has locked
(`FOR UPDATE SKIP LOCKED`), SQLite write transactions are serialised (`BEGIN IMMEDIATE`), and on both a
claim is a token and a lease (`claimed_until`) that another worker takes over once it expires.
"""

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col

from api.db import transaction
from api.services import audit
from api.services.permissions import Principal
from api.settings import Settings
from schema import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from schema.base import utcnow
from schema.enums import AuditAction
from schema.webhooks import DeliveryState

# Longest error text kept per attempt.
ERROR_LIMIT = 500
# How long a claim outlives the POST's timeout, for the bookkeeping around it.
LEASE_MARGIN = timedelta(seconds=30)
BATCH = 20


@dataclass(frozen=True)
class Outgoing:
    """A claimed delivery with what is needed to send it, detached from any session."""

    delivery_id: int
    endpoint_id: int
    claim_token: str
    event_id: str
    event: str
    url: str
    secret: str
    body: str
    attempt: int


@dataclass(frozen=True)
class Outcome:
    """What one POST gave: a status code, or an error when no response came back."""

    status_code: int | None
    latency_ms: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def body_of(*, event_id: str, event: str, created_at: datetime, payload: dict[str, Any]) -> str:
    """The JSON document POSTed, identical on every retry."""
    return json.dumps(
        {"id": event_id, "event": event, "created_at": created_at.isoformat(), "data": payload},
        separators=(",", ":"),
        sort_keys=True,
        ensure_ascii=False,
    )


def signature(secret: str, timestamp: int, body: str) -> str:
    """`v1=` and the hex HMAC-SHA256 of `{timestamp}.{body}` keyed with the endpoint's secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"v1={digest}"


def headers(item: Outgoing, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "DemandsTracker-Webhooks/1",
        "Demands-Webhook-Id": item.event_id,
        "Demands-Webhook-Event": item.event,
        "Demands-Webhook-Timestamp": str(timestamp),
        "Demands-Webhook-Signature": signature(item.secret, timestamp, item.body),
    }


def retry_delay(settings: Settings, attempt: int) -> timedelta:
    """After failed attempt `attempt` (1-based): the base delay, doubling, capped."""
    seconds = settings.webhook_retry_seconds * 2 ** min(attempt - 1, 30)
    return timedelta(seconds=min(seconds, settings.webhook_retry_max_seconds))


def _due(now: datetime, limit: int) -> Select[int | None]:
    return (
        select(col(WebhookDelivery.id))
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
        .where(
            col(WebhookDelivery.state) == DeliveryState.PENDING,
            col(WebhookDelivery.next_attempt_at) <= now,
            or_(col(WebhookDelivery.claimed_until).is_(None), col(WebhookDelivery.claimed_until) < now),
            col(WebhookEndpoint.enabled),
        )
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
    )


def claim(
    factory: sessionmaker[Session],
    settings: Settings,
    *,
    limit: int = BATCH,
    probe: sessionmaker[Session] | None = None,
) -> list[Outgoing]:
    """Take up to `limit` due deliveries of enabled endpoints for this worker, oldest due first.

    With `probe` (a read-only session factory), an idle poll only reads: on SQLite it then never takes
    the write lock when there is nothing to send.
    """
    now = utcnow()
    if probe is not None:
        with transaction(probe) as session:
            if session.execute(_due(now, 1)).first() is None:
                return []
    token = uuid.uuid4().hex
    lease = now + timedelta(seconds=settings.webhook_timeout_seconds) + LEASE_MARGIN
    with transaction(factory) as session:
        due = list(
            session.execute(_due(now, limit).with_for_update(of=WebhookDelivery, skip_locked=True)).scalars()
        )
        if not due:
            return []
        # The lease condition again, in the UPDATE itself: a row another worker took meanwhile is skipped.
        session.execute(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.id).in_(due),
                or_(col(WebhookDelivery.claimed_until).is_(None), col(WebhookDelivery.claimed_until) < now),
            )
            .values(claim_token=token, claimed_until=lease)
            .execution_options(synchronize_session=False)
        )
        rows = session.execute(
            select(WebhookDelivery, col(WebhookEndpoint.url), col(WebhookEndpoint.secret))
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
            .where(col(WebhookDelivery.claim_token) == token)
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        ).all()
        return [
            Outgoing(
                delivery_id=delivery.id,
                endpoint_id=delivery.endpoint_id,
                claim_token=token,
                event_id=delivery.event_id,
                event=delivery.event.value,
                url=url,
                secret=secret,
                body=body_of(
                    event_id=delivery.event_id,
                    event=delivery.event.value,
                    created_at=delivery.created_at,
                    payload=delivery.payload,
                ),
                attempt=delivery.attempts + 1,
            )
            for delivery, url, secret in rows
        ]


def record(factory: sessionmaker[Session], settings: Settings, item: Outgoing, outcome: Outcome) -> None:
    """Log the attempt and settle the delivery: delivered, retried later, or failed for good.

    A delivery whose claim was lost (its lease expired, or its endpoint was deleted) is left alone.
    """
    now = utcnow()
    exhausted = not outcome.ok and item.attempt >= settings.webhook_max_attempts
    next_retry = None if outcome.ok or exhausted else now + retry_delay(settings, item.attempt)
    settled: dict[str, datetime | None]
    if outcome.ok:
        state, settled = DeliveryState.DELIVERED, {"delivered_at": now}
    elif exhausted:
        state, settled = DeliveryState.FAILED, {}
    else:
        state, settled = DeliveryState.PENDING, {"next_attempt_at": next_retry}
    with transaction(factory) as session:
        result = session.execute(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.id) == item.delivery_id,
                col(WebhookDelivery.claim_token) == item.claim_token,
            )
            .values(state=state, attempts=item.attempt, claim_token=None, claimed_until=None, **settled)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return
        session.add(
            WebhookAttempt(
                delivery_id=item.delivery_id,
                endpoint_id=item.endpoint_id,
                attempt=item.attempt,
                attempted_at=now,
                status_code=outcome.status_code,
                latency_ms=outcome.latency_ms,
                error=None if outcome.error is None else outcome.error[:ERROR_LIMIT],
                next_retry_at=next_retry,
            )
        )
        if outcome.ok:
            _reset_failures(session, item.endpoint_id)
        elif exhausted:
            _count_failure(session, settings, item.endpoint_id)


def _reset_failures(session: Session, endpoint_id: int) -> None:
    session.execute(
        update(WebhookEndpoint)
        .where(col(WebhookEndpoint.id) == endpoint_id, col(WebhookEndpoint.consecutive_failures) != 0)
        .values(consecutive_failures=0)
        .execution_options(synchronize_session=False)
    )


def _count_failure(session: Session, settings: Settings, endpoint_id: int) -> None:
    """One more delivery that failed every attempt; at the limit the endpoint is disabled, saying why."""
    session.execute(
        update(WebhookEndpoint)
        .where(col(WebhookEndpoint.id) == endpoint_id)
        .values(consecutive_failures=col(WebhookEndpoint.consecutive_failures) + 1)
        .execution_options(synchronize_session=False)
    )
    limit = settings.webhook_disable_after
    reason = (
        f"Disabled automatically after {limit} deliveries in a row failed all "
        f"{settings.webhook_max_attempts} attempts; see the delivery log, fix the receiver, then re-enable it."
    )
    disabled = session.execute(
        update(WebhookEndpoint)
        .where(
            col(WebhookEndpoint.id) == endpoint_id,
            col(WebhookEndpoint.enabled),
            col(WebhookEndpoint.consecutive_failures) >= limit,
        )
        .values(
            enabled=False,
            disabled_reason=reason,
            disabled_at=utcnow(),
            version=col(WebhookEndpoint.version) + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if disabled.rowcount == 1:  # type: ignore[attr-defined]
        coalition_id = session.execute(
            select(col(WebhookEndpoint.coalition_id)).where(col(WebhookEndpoint.id) == endpoint_id)
        ).scalar_one()
        audit.record(
            session=session,
            actor=Principal(),
            action=AuditAction.UPDATE,
            entity_type="webhook_endpoint",
            entity_key=endpoint_id,
            coalition_id=coalition_id,
            before={"enabled": True},
            after={"enabled": False, "disabled_reason": reason},
        )
