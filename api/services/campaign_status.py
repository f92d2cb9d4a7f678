"""Changing a campaign's status: check the transition table, append the event, bump the version."""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from api.errors import Conflict, Invalid
from api.events import CampaignStatusChanged, publish_status_change
from api.services import audit, versioning, webhook_events
from api.services.campaign_reads import get_visible_row
from api.services.permissions import Action, Principal, authorize
from api.services.transitions import CLOSED, allowed_next, is_allowed
from schema import Campaign, StatusEvent
from schema.base import utcnow
from schema.campaigns import StatusChange
from schema.enums import AuditAction

# How far ahead of the server's clock a client's "when it happened" may be, for clocks that drift.
CLOCK_SKEW = timedelta(minutes=5)


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


def happened_at(occurred_at: datetime | None) -> datetime:
    """When a change happened: now by default, never in the future."""
    now = utcnow()
    if occurred_at is None:
        return now
    if occurred_at > now + CLOCK_SKEW:
        raise Invalid(
            "`occurred_at` is in the future; record changes once they have happened.",
            extra={
                "errors": [
                    {"location": ["body", "occurred_at"], "message": "in the future", "type": "future"}
                ]
            },
        )
    return occurred_at


def change(
    *, session: Session, principal: Principal, campaign_id: int, data: StatusChange, expected: int | None
) -> tuple[Campaign, StatusEvent]:
    """Move the campaign along the transition table and append the change to its history."""
    campaign = get_visible_row(session=session, principal=principal, campaign_id=campaign_id)
    authorize(principal, Action.WRITE_CAMPAIGNS, coalition_id=campaign.coalition_id)
    if expected is not None:
        versioning.require_version(expected=expected, current=campaign.version, noun="campaign")
    current = campaign.status
    if not is_allowed(current, data.status):
        options = allowed_next(current)
        raise TransitionNotAllowed(
            f"A campaign cannot move from `{current.value}` to `{data.status.value}`. "
            f"From `{current.value}` it may move to: {', '.join(f'`{s.value}`' for s in options)}.",
            extra={"current_status": current.value, "allowed": [s.value for s in options]},
        )
    occurred_at = happened_at(data.occurred_at)
    last = session.execute(
        select(func.max(col(StatusEvent.occurred_at))).where(col(StatusEvent.campaign_id) == campaign_id)
    ).scalar()
    if last is not None and occurred_at < last:
        raise Invalid(
            f"`occurred_at` is before the last recorded change ({last.isoformat()}); history is kept in order.",
            extra={
                "errors": [
                    {
                        "location": ["body", "occurred_at"],
                        "message": "before the last change",
                        "type": "order",
                    }
                ]
            },
        )
    versioning.save(
        session=session,
        row=campaign,
        expected=campaign.version,
        values={
            "status": data.status,
            "closed_date": occurred_at.date() if data.status in CLOSED else None,
        },
        noun="campaign",
    )
    event = StatusEvent(
        campaign_id=campaign_id,
        from_status=current,
        to_status=data.status,
        occurred_at=occurred_at,
        actor_id=principal.user_id,
        note=data.note,
        evidence_url=str(data.evidence_url) if data.evidence_url is not None else None,
    )
    session.add(event)
    session.flush()
    publish_status_change(session, CampaignStatusChanged.of(session, campaign, event))
    webhook_events.campaign_status_changed(session=session, campaign=campaign, status_event=event)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.STATUS_CHANGE,
        entity_type="campaign",
        entity_key=campaign_id,
        coalition_id=campaign.coalition_id,
        before={"status": current.value},
        after={"status": data.status.value, "event_id": event.id, "note": data.note},
    )
    return campaign, event
