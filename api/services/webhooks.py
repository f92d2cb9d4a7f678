"""A coalition's webhook endpoints: registered by its admins, fed by an outbox written with each change.

Events go only to endpoints of the coalition that owns the record (the checklist coalition for accepted
submissions), so payloads may carry what that coalition already reads: notes and activity details too.
"""

import secrets
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel
from sqlalchemy import func, select
from sqlmodel import Session, col

from api.errors import Conflict, NotFound
from api.services import audit, versioning
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.writes import check_delete_version, check_update_version, refuse_nulls
from schema import Coalition, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from schema.base import utcnow
from schema.enums import AuditAction
from schema.public import Page
from schema.webhooks import (
    DeliveryState,
    WebhookAttemptPublic,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointPublic,
    WebhookEndpointUpdate,
    WebhookEvent,
)

NOUN = "webhook endpoint"
ENTITY = "webhook_endpoint"
# Endpoints per coalition: every change fans out to each of them.
MAX_ENDPOINTS = 20
SECRET_PREFIX = "dwh_"


def new_secret() -> str:
    """256 random bits; the prefix makes a leaked one recognisable."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


# --- the outbox: called by the services that make the changes, inside their transaction --------------


def enqueue(*, session: Session, event: WebhookEvent, coalition_id: int, payload: dict[str, Any]) -> int:
    """One pending delivery per enabled endpoint of `coalition_id` subscribed to `event`; how many.

    Rows are added to the caller's transaction: a rolled-back change sends nothing, a committed one
    survives restarts until the worker delivers it.
    """
    endpoints = subscribers(session=session, event=event, coalition_id=coalition_id)
    now = utcnow()
    for endpoint_id in endpoints:
        session.add(
            WebhookDelivery(
                endpoint_id=endpoint_id,
                event_id=str(uuid.uuid4()),
                event=event,
                payload=payload,
                created_at=now,
                next_attempt_at=now,
            )
        )
    if endpoints:
        session.flush()
    return len(endpoints)


def subscribers(*, session: Session, event: WebhookEvent, coalition_id: int) -> list[int]:
    """Ids of the coalition's enabled endpoints that asked for `event` (one small query)."""
    rows = session.execute(
        select(col(WebhookEndpoint.id), col(WebhookEndpoint.events))
        .where(col(WebhookEndpoint.coalition_id) == coalition_id, col(WebhookEndpoint.enabled))
        .order_by(col(WebhookEndpoint.id))
    ).all()
    return [int(endpoint_id) for endpoint_id, events in rows if event.value in (events or [])]


# --- managing endpoints (coalition admins and site admins) --------------------------------------------


def _coalition(session: Session, principal: Principal, slug: str) -> int:
    coalition_id = id_by_slug(session=session, model=Coalition, slug=slug, noun="coalition")
    authorize(principal, Action.EDIT_COALITION, coalition_id=coalition_id)
    return coalition_id


def _row(session: Session, coalition_id: int, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.exec(
        sqlmodel.select(WebhookEndpoint).where(
            col(WebhookEndpoint.id) == endpoint_id, col(WebhookEndpoint.coalition_id) == coalition_id
        )
    ).first()
    if endpoint is None:
        raise NotFound(f"This coalition has no webhook endpoint with the id {endpoint_id}.")
    return endpoint


def _public(endpoint: WebhookEndpoint, coalition: str) -> WebhookEndpointPublic:
    return WebhookEndpointPublic(
        id=endpoint.id or 0,
        coalition=coalition,
        url=endpoint.url,
        events=[WebhookEvent(name) for name in endpoint.events],
        enabled=endpoint.enabled,
        consecutive_failures=endpoint.consecutive_failures,
        disabled_reason=endpoint.disabled_reason,
        disabled_at=endpoint.disabled_at,
        created_at=endpoint.created_at,
        updated_at=endpoint.updated_at,
        version=endpoint.version,
    )


def snapshot(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """What the audit log keeps of an endpoint: never its secret."""
    return {key: value for key, value in audit.snapshot(endpoint).items() if key != "secret"}


def _events(events: Sequence[WebhookEvent]) -> list[str]:
    """Each event once, in the documented order, whatever order the caller sent."""
    return [event.value for event in WebhookEvent if event in events]


def get_all(
    *, session: Session, principal: Principal, coalition: str, page: PageRequest
) -> Page[WebhookEndpointPublic]:
    coalition_id = _coalition(session, principal, coalition)
    statement = (
        sqlmodel.select(WebhookEndpoint)
        .where(col(WebhookEndpoint.coalition_id) == coalition_id)
        .order_by(col(WebhookEndpoint.id))
    )
    return paginate(
        session=session,
        statement=statement,
        page=page,
        build=lambda rows: [_public(row[0], coalition) for row in rows],
    )


def get(*, session: Session, principal: Principal, coalition: str, endpoint_id: int) -> WebhookEndpointPublic:
    coalition_id = _coalition(session, principal, coalition)
    return _public(_row(session, coalition_id, endpoint_id), coalition)


def create(
    *, session: Session, principal: Principal, coalition: str, data: WebhookEndpointCreate
) -> WebhookEndpointCreated:
    """Register an endpoint with a fresh secret, returned this once."""
    coalition_id = _coalition(session, principal, coalition)
    existing = session.execute(
        select(func.count())
        .select_from(WebhookEndpoint)
        .where(col(WebhookEndpoint.coalition_id) == coalition_id)
    ).scalar_one()
    if existing >= MAX_ENDPOINTS:
        raise Conflict(
            f"This coalition already has {existing} webhook endpoints, the most allowed; delete one first."
        )
    endpoint = WebhookEndpoint(
        coalition_id=coalition_id,
        url=data.url,
        events=_events(data.events),
        secret=new_secret(),
        enabled=data.enabled,
    )
    session.add(endpoint)
    session.flush()
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.CREATE,
        entity_type=ENTITY,
        entity_key=endpoint.id,  # type: ignore[arg-type]
        coalition_id=coalition_id,
        after=snapshot(endpoint),
    )
    return WebhookEndpointCreated(**_public(endpoint, coalition).model_dump(), secret=endpoint.secret)


def _enabling(values: dict[str, Any]) -> dict[str, Any]:
    """Turning an endpoint on starts its failure count afresh."""
    return {
        **values,
        "enabled": True,
        "consecutive_failures": 0,
        "disabled_reason": None,
        "disabled_at": None,
    }


def _save(
    session: Session,
    principal: Principal,
    endpoint: WebhookEndpoint,
    expected: int,
    values: dict[str, Any],
) -> None:
    before = snapshot(endpoint)
    versioning.save(session=session, row=endpoint, expected=expected, values=values, noun=NOUN)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.UPDATE,
        entity_type=ENTITY,
        entity_key=endpoint.id,  # type: ignore[arg-type]
        coalition_id=endpoint.coalition_id,
        before=before,
        after=snapshot(endpoint),
    )


def update(
    *,
    session: Session,
    principal: Principal,
    coalition: str,
    endpoint_id: int,
    data: WebhookEndpointUpdate,
    expected: int | None,
) -> WebhookEndpointPublic:
    """Change the URL, events or enabled flag of the version the caller edited."""
    coalition_id = _coalition(session, principal, coalition)
    endpoint = _row(session, coalition_id, endpoint_id)
    version = check_update_version(expected=expected, current=endpoint.version, noun=NOUN)
    values = {key: value for key, value in data.changes().items() if key != "version"}
    refuse_nulls(values, "url", "events", "enabled")
    if "events" in values:
        values["events"] = _events(data.events or [])
    if values.get("enabled") is True and not endpoint.enabled:
        values = _enabling(values)
    elif values.get("enabled") is False and endpoint.enabled:
        values.update(disabled_reason=f"Disabled by {principal.username}.", disabled_at=utcnow())
    _save(session, principal, endpoint, version, values)
    return _public(endpoint, coalition)


def enable(
    *, session: Session, principal: Principal, coalition: str, endpoint_id: int, expected: int | None
) -> WebhookEndpointPublic:
    """Turn an endpoint back on and reset its failures; deliveries held while it was off resume."""
    coalition_id = _coalition(session, principal, coalition)
    endpoint = _row(session, coalition_id, endpoint_id)
    check_delete_version(expected=expected, current=endpoint.version, noun=NOUN)
    if not endpoint.enabled or endpoint.consecutive_failures:
        _save(session, principal, endpoint, endpoint.version, _enabling({}))
    return _public(endpoint, coalition)


def delete(
    *, session: Session, principal: Principal, coalition: str, endpoint_id: int, expected: int | None
) -> None:
    """Remove an endpoint with its pending deliveries and attempt log (its own operational data)."""
    coalition_id = _coalition(session, principal, coalition)
    endpoint = _row(session, coalition_id, endpoint_id)
    check_delete_version(expected=expected, current=endpoint.version, noun=NOUN)
    before = snapshot(endpoint)
    # Explicit, rather than trusting ON DELETE CASCADE alone, so the order is the same on both databases.
    session.execute(sa.delete(WebhookAttempt).where(col(WebhookAttempt.endpoint_id) == endpoint_id))
    session.execute(sa.delete(WebhookDelivery).where(col(WebhookDelivery.endpoint_id) == endpoint_id))
    removed = session.execute(
        sa.delete(WebhookEndpoint).where(
            col(WebhookEndpoint.id) == endpoint_id, col(WebhookEndpoint.version) == endpoint.version
        )
    )
    if removed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"Webhook endpoint {endpoint_id} changed while it was being deleted; try again.")
    session.expunge(endpoint)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.DELETE,
        entity_type=ENTITY,
        entity_key=endpoint_id,
        coalition_id=coalition_id,
        before=before,
    )


def get_attempts(
    *,
    session: Session,
    principal: Principal,
    coalition: str,
    endpoint_id: int,
    page: PageRequest,
    state: DeliveryState | None = None,
) -> Page[WebhookAttemptPublic]:
    """Every attempt to reach the endpoint, newest first."""
    coalition_id = _coalition(session, principal, coalition)
    _row(session, coalition_id, endpoint_id)
    statement = (
        select(
            WebhookAttempt,
            col(WebhookDelivery.event_id),
            col(WebhookDelivery.event),
            col(WebhookDelivery.state),
        )
        .join(WebhookDelivery, col(WebhookDelivery.id) == col(WebhookAttempt.delivery_id))
        .where(col(WebhookAttempt.endpoint_id) == endpoint_id)
        .order_by(col(WebhookAttempt.id).desc())
    )
    if state is not None:
        statement = statement.where(col(WebhookDelivery.state) == state)
    return paginate(
        session=session,
        statement=statement,
        page=page,
        build=lambda rows: [
            WebhookAttemptPublic(
                id=attempt.id or 0,
                delivery_id=attempt.delivery_id,
                event_id=event_id,
                event=event,
                attempt=attempt.attempt,
                attempted_at=attempt.attempted_at,
                status_code=attempt.status_code,
                latency_ms=attempt.latency_ms,
                error=attempt.error,
                next_retry_at=attempt.next_retry_at,
                delivery_state=delivery_state,
            )
            for attempt, event_id, event, delivery_state in rows
        ],
    )


def pending_count(*, session: Session, endpoint_id: int) -> int:
    """Deliveries still waiting for an endpoint (for tests and operations)."""
    return int(
        session.execute(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(
                col(WebhookDelivery.endpoint_id) == endpoint_id,
                col(WebhookDelivery.state) == DeliveryState.PENDING,
            )
        ).scalar_one()
    )
