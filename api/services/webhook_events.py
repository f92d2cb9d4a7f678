"""The payload of each webhook event, built by the service that makes the change, in its transaction.

Events reach only the owning coalition's endpoints, so payloads carry what that coalition's members
read: notes, evidence links and activity details, whatever the record's visibility. Never anything
about people beyond usernames, and never a submitter's name or contact.
"""

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from api.services.webhooks import enqueue, subscribers
from schema import Activity, Campaign, Coalition, Demand, Jurisdiction, StatusEvent, Target
from schema.webhooks import WebhookEvent


def _campaign(session: Session, campaign: Campaign) -> dict[str, Any]:
    """The campaign as a reference: ids, slugs, status and visibility (one query)."""
    coalition, demand, target, jurisdiction = session.execute(
        select(col(Coalition.slug), col(Demand.slug), col(Target.slug), col(Jurisdiction.slug))
        .select_from(Campaign)
        .join(Coalition, col(Coalition.id) == col(Campaign.coalition_id))
        .join(Demand, col(Demand.id) == col(Campaign.demand_id))
        .join(Target, col(Target.id) == col(Campaign.target_id))
        .join(Jurisdiction, col(Jurisdiction.id) == col(Target.jurisdiction_id))
        .where(col(Campaign.id) == campaign.id)
    ).one()
    return {
        "id": campaign.id,
        "coalition": coalition,
        "demand": demand,
        "target": target,
        "jurisdiction": jurisdiction,
        "status": campaign.status.value,
        "visibility": campaign.visibility.value,
    }


def campaign_status_changed(*, session: Session, campaign: Campaign, status_event: StatusEvent) -> None:
    """Queue `campaign.status_changed` for the campaign's coalition, note and evidence included."""
    if not subscribers(
        session=session, event=WebhookEvent.CAMPAIGN_STATUS_CHANGED, coalition_id=campaign.coalition_id
    ):
        return
    enqueue(
        session=session,
        event=WebhookEvent.CAMPAIGN_STATUS_CHANGED,
        coalition_id=campaign.coalition_id,
        payload={
            "campaign": _campaign(session, campaign),
            "status_event": {
                "id": status_event.id,
                "from_status": None if status_event.from_status is None else status_event.from_status.value,
                "to_status": status_event.to_status.value,
                "occurred_at": status_event.occurred_at.isoformat(),
                "recorded_at": status_event.recorded_at.isoformat(),
                "note": status_event.note,
                "evidence_url": status_event.evidence_url,
            },
        },
    )


def activity_created(*, session: Session, campaign: Campaign, activity: Activity) -> None:
    """Queue `activity.created` for the campaign's coalition, details included."""
    if not subscribers(
        session=session, event=WebhookEvent.ACTIVITY_CREATED, coalition_id=campaign.coalition_id
    ):
        return
    enqueue(
        session=session,
        event=WebhookEvent.ACTIVITY_CREATED,
        coalition_id=campaign.coalition_id,
        payload={
            "campaign": _campaign(session, campaign),
            "activity": {
                "id": activity.id,
                "kind": activity.kind.value,
                "occurred_on": activity.occurred_on.isoformat(),
                "title": activity.title,
                "details": activity.details,
                "visibility": activity.visibility.value,
                "created_at": activity.created_at.isoformat(),
            },
        },
    )


def submission_accepted(*, session: Session, submission_id: int, coalition_id: int) -> None:
    """Queue `submission.accepted` for the checklist coalition: the public shape, never the submitter."""
    if not subscribers(session=session, event=WebhookEvent.SUBMISSION_ACCEPTED, coalition_id=coalition_id):
        return
    from api.services import submissions  # the submissions service calls this module

    public = submissions.get(session=session, submission_id=submission_id)
    enqueue(
        session=session,
        event=WebhookEvent.SUBMISSION_ACCEPTED,
        coalition_id=coalition_id,
        payload={"submission": public.model_dump(mode="json")},
    )
