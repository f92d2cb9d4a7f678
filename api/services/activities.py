"""Logging what organizers did on a campaign; visible to the coalition unless marked public."""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col

from api.errors import Invalid
from api.services import audit, versioning, webhook_events
from api.services.campaign_reads import get_activity_row, get_visible_row
from api.services.permissions import Action, Principal, authorize
from api.services.writes import delete_audited, save_audited
from schema import Activity, Campaign
from schema.base import utcnow
from schema.campaigns import ActivityCreate, ActivityUpdate
from schema.enums import AuditAction

NOUN = "activity"


def _check_day(day: date | None) -> None:
    """Activities record what happened; a day past tomorrow (any time zone's today) has not happened yet."""
    if day is not None and day > utcnow().date() + timedelta(days=1):
        raise Invalid(
            "`occurred_on` is in the future; log activities once they have happened.",
            extra={
                "errors": [
                    {"location": ["body", "occurred_on"], "message": "in the future", "type": "future"}
                ]
            },
        )


def _touch(session: Session, campaign_id: int) -> None:
    """A campaign's activity is news for clients syncing with `updated_since`; its version is untouched."""
    session.execute(
        sa.update(Campaign)
        .where(col(Campaign.id) == campaign_id)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def create(*, session: Session, principal: Principal, campaign_id: int, data: ActivityCreate) -> Activity:
    campaign = get_visible_row(session=session, principal=principal, campaign_id=campaign_id)
    authorize(principal, Action.WRITE_ACTIVITIES, coalition_id=campaign.coalition_id)
    _check_day(data.occurred_on)
    activity = Activity(campaign_id=campaign_id, created_by_id=principal.user_id, **data.model_dump())
    session.add(activity)
    session.flush()
    _touch(session, campaign_id)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.CREATE,
        entity_type=NOUN,
        entity_key=activity.id,  # type: ignore[arg-type]
        coalition_id=campaign.coalition_id,
        after=audit.snapshot(activity),
    )
    webhook_events.activity_created(session=session, campaign=campaign, activity=activity)
    return activity


def update(
    *, session: Session, principal: Principal, activity_id: int, data: ActivityUpdate, expected: int | None
) -> Activity:
    activity, campaign = get_activity_row(session=session, principal=principal, activity_id=activity_id)
    authorize(principal, Action.WRITE_ACTIVITIES, coalition_id=campaign.coalition_id)
    versioning.require_version(expected=expected, current=activity.version, noun=NOUN)
    values = data.changes()
    values.pop("version", None)
    _check_day(values.get("occurred_on"))
    save_audited(
        session=session,
        principal=principal,
        row=activity,
        expected=activity.version,
        values=values,
        noun=NOUN,
        entity_type=NOUN,
        entity_key=activity_id,
        coalition_id=campaign.coalition_id,
    )
    _touch(session, campaign.id)  # type: ignore[arg-type]
    return activity


def delete(*, session: Session, principal: Principal, activity_id: int, expected: int | None) -> None:
    """Activities are a log the coalition keeps tidy, so they can be deleted; the audit log keeps the record."""
    activity, campaign = get_activity_row(session=session, principal=principal, activity_id=activity_id)
    authorize(principal, Action.WRITE_ACTIVITIES, coalition_id=campaign.coalition_id)
    if expected is not None:
        versioning.require_version(expected=expected, current=activity.version, noun=NOUN)
    delete_audited(
        session=session,
        principal=principal,
        row=activity,
        entity_type=NOUN,
        entity_key=activity_id,
        conflict=f"Activity {activity_id} changed while it was being deleted.",
        coalition_id=campaign.coalition_id,
    )
    _touch(session, campaign.id)  # type: ignore[arg-type]
