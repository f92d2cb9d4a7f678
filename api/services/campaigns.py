"""Writing campaigns: create, edit and delete, each checked against the permission matrix and audited."""

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from api.errors import Conflict, Invalid, NotFound
from api.events import CampaignStatusChanged, publish_status_change
from api.services import audit, versioning, webhook_events
from api.services.campaign_reads import get_visible_row
from api.services.campaign_status import happened_at
from api.services.lookups import id_by_slug
from api.services.permissions import ROLE_RANK, Action, Principal, authorize
from api.services.transitions import CLOSED
from api.services.writes import save_audited
from schema import (
    Activity,
    Campaign,
    Coalition,
    CoalitionMember,
    Demand,
    Organization,
    StatusEvent,
    Target,
    UserAccount,
)
from schema.campaigns import CampaignCreate, CampaignUpdate
from schema.enums import AuditAction, CampaignStatus, CoalitionRole

NOUN = "campaign"


def _leaf_demand_id(session: Session, slug: str) -> int:
    """Campaigns attach to leaves: a group stands for its items and cannot be asked as such."""
    demand_id = id_by_slug(session=session, model=Demand, slug=slug, noun="demand")
    items = list(
        session.execute(
            select(col(Demand.slug)).where(col(Demand.parent_id) == demand_id).order_by(col(Demand.position))
        ).scalars()
    )
    if items:
        raise Invalid(
            f"The demand {slug!r} is a group; a campaign asks for one of its items: {', '.join(items)}.",
            extra={
                "errors": [{"location": ["body", "demand"], "message": "a group", "type": "group_demand"}]
            },
        )
    return demand_id


def _owner_id(session: Session, coalition_id: int, username: str) -> int:
    """The owner keeps the record current, so they must be an organizer (or more) of the coalition."""
    row = session.execute(
        select(col(UserAccount.id), col(CoalitionMember.role))
        .outerjoin(
            CoalitionMember,
            (col(CoalitionMember.user_id) == col(UserAccount.id))
            & (col(CoalitionMember.coalition_id) == coalition_id),
        )
        .where(col(UserAccount.username) == username)
    ).first()
    if row is None:
        raise NotFound(f"No user has the username {username!r}.")
    user_id, role = row
    if role is None or ROLE_RANK[role] < ROLE_RANK[CoalitionRole.ORGANIZER]:
        raise Invalid(f"{username!r} is not an organizer of this coalition, so cannot own its campaigns.")
    return int(user_id)


def _references(session: Session, coalition_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Turn the slugs and usernames of a payload into the ids the table stores."""
    values = dict(data)
    if "lead_organization" in values:
        slug = values.pop("lead_organization")
        values["lead_organization_id"] = (
            None
            if slug is None
            else id_by_slug(session=session, model=Organization, slug=slug, noun="organization")
        )
    if "owner" in values:
        username = values.pop("owner")
        values["owner_id"] = None if username is None else _owner_id(session, coalition_id, username)
    return values


def _check_dates(start: Any, due: Any) -> None:
    if start is not None and due is not None and due < start:
        raise Invalid(
            "The due date is before the start date.",
            extra={
                "errors": [
                    {"location": ["body", "due_date"], "message": "before start_date", "type": "date_order"}
                ]
            },
        )


def create(*, session: Session, principal: Principal, data: CampaignCreate) -> Campaign:
    """A new campaign; a starting status other than `not_started` is the first entry of its history."""
    coalition_id = id_by_slug(session=session, model=Coalition, slug=data.coalition, noun="coalition")
    authorize(principal, Action.WRITE_CAMPAIGNS, coalition_id=coalition_id)
    demand_id = _leaf_demand_id(session, data.demand)
    target_id = id_by_slug(session=session, model=Target, slug=data.target, noun="target")
    existing = session.execute(
        select(col(Campaign.id)).where(
            col(Campaign.coalition_id) == coalition_id,
            col(Campaign.demand_id) == demand_id,
            col(Campaign.target_id) == target_id,
        )
    ).scalar()
    if existing is not None:
        raise Conflict(
            f"This coalition already tracks this demand with this target: campaign {existing}.",
            extra={"existing_campaign": existing},
        )
    _check_dates(data.start_date, data.due_date)
    fields = _references(
        session,
        coalition_id,
        data.model_dump(exclude={"coalition", "demand", "target", "occurred_at", "status"}),
    )
    occurred_at = happened_at(data.occurred_at)
    campaign = Campaign(
        coalition_id=coalition_id,
        demand_id=demand_id,
        target_id=target_id,
        status=data.status,
        closed_date=occurred_at.date() if data.status in CLOSED else None,
        **fields,
    )
    session.add(campaign)
    session.flush()
    first_event = None
    if data.status != CampaignStatus.NOT_STARTED:
        first_event = StatusEvent(
            campaign_id=campaign.id,  # type: ignore[arg-type]
            from_status=None,
            to_status=data.status,
            occurred_at=occurred_at,
            actor_id=principal.user_id,
        )
        session.add(first_event)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.CREATE,
        entity_type=NOUN,
        entity_key=campaign.id,  # type: ignore[arg-type]
        coalition_id=coalition_id,
        after=audit.snapshot(campaign),
    )
    session.flush()
    if first_event is not None:
        publish_status_change(session, CampaignStatusChanged.of(session, campaign, first_event))
        webhook_events.campaign_status_changed(session=session, campaign=campaign, status_event=first_event)
    return campaign


def update(
    *, session: Session, principal: Principal, campaign_id: int, data: CampaignUpdate, expected: int | None
) -> Campaign:
    """Edit a campaign's fields if the caller edited the version stored now."""
    campaign = get_visible_row(session=session, principal=principal, campaign_id=campaign_id)
    authorize(principal, Action.WRITE_CAMPAIGNS, coalition_id=campaign.coalition_id)
    versioning.require_version(expected=expected, current=campaign.version, noun=NOUN)
    changes = data.changes()
    changes.pop("version", None)
    values = _references(session, campaign.coalition_id, changes)
    _check_dates(values.get("start_date", campaign.start_date), values.get("due_date", campaign.due_date))
    if (
        values.get("goal_count", campaign.goal_count) is None
        and "goal_unit" in values
        and values["goal_unit"]
    ):
        raise Invalid("A goal unit needs a goal count.")
    save_audited(
        session=session,
        principal=principal,
        row=campaign,
        expected=campaign.version,
        values=values,
        noun=NOUN,
        entity_type=NOUN,
        entity_key=campaign_id,
        coalition_id=campaign.coalition_id,
    )
    return campaign


def delete(*, session: Session, principal: Principal, campaign_id: int, expected: int | None) -> None:
    """Only a campaign with no history can be deleted; one with history is withdrawn instead."""
    campaign = get_visible_row(session=session, principal=principal, campaign_id=campaign_id)
    authorize(principal, Action.WRITE_CAMPAIGNS, coalition_id=campaign.coalition_id)
    if expected is not None:
        versioning.require_version(expected=expected, current=campaign.version, noun=NOUN)
    events = session.execute(
        select(func.count()).select_from(StatusEvent).where(col(StatusEvent.campaign_id) == campaign_id)
    ).scalar_one()
    activities = session.execute(
        select(func.count()).select_from(Activity).where(col(Activity.campaign_id) == campaign_id)
    ).scalar_one()
    if events or activities:
        raise Conflict(
            f"Campaign {campaign_id} has history ({events} status event(s), {activities} activity(ies)), "
            "which is never deleted; change its status to `withdrawn` instead.",
        )
    before = audit.snapshot(campaign)
    session.delete(campaign)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.DELETE,
        entity_type=NOUN,
        entity_key=campaign_id,
        coalition_id=campaign.coalition_id,
        before=before,
    )
    session.flush()
