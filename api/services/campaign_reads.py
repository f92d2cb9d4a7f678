"""Reading campaigns: visibility, filters, staleness and `include=` expansion in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlmodel
from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import NotFound
from api.services import jurisdictions
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Principal, readable
from api.services.transitions import OPEN
from schema import (
    Activity,
    Campaign,
    Coalition,
    Demand,
    Jurisdiction,
    Organization,
    StatusEvent,
    Target,
    TargetCategory,
    UserAccount,
)
from schema.base import utcnow
from schema.campaigns import (
    ActivityPublic,
    CampaignIncluded,
    CampaignPublic,
    CoalitionBrief,
    DemandBrief,
    JurisdictionBrief,
    StatusEventPublic,
    TargetBrief,
)
from schema.enums import CampaignStatus, Visibility
from schema.public import Page


class CampaignInclude(StrEnum):
    """Related records a campaign read can expand."""

    TARGET = "target"
    DEMAND = "demand"
    COALITION = "coalition"
    JURISDICTION = "jurisdiction"
    EVENTS = "events"
    ACTIVITIES = "activities"


@dataclass(frozen=True)
class CampaignFilters:
    """What a campaign list can be narrowed by; every slug is checked, so a typo is a 404, not an empty list."""

    coalition: str | None = None
    demand: str | None = None
    target: str | None = None
    category: str | None = None
    jurisdiction: str | None = None
    include_descendants: bool = False
    statuses: Collection[CampaignStatus] = ()
    stale: bool | None = None
    updated_since: datetime | None = None
    search: str | None = None


_parent_demand = aliased(Demand, name="parent_demand")
_lead = aliased(Organization, name="lead_organization")
_owner = aliased(UserAccount, name="owner")


def campaign_visible(principal: Principal) -> ColumnElement[bool]:
    return readable(principal, visibility=Campaign.visibility, coalition_id=Campaign.coalition_id)


def activity_visible(principal: Principal) -> ColumnElement[bool]:
    """An activity shows where its campaign shows, and only to the coalition unless marked public."""
    return readable(principal, visibility=Activity.visibility, coalition_id=Campaign.coalition_id)


def _stale_cutoff(stale_after_days: int) -> datetime:
    return utcnow() - timedelta(days=stale_after_days)


def _recent_event(cutoff: datetime) -> ColumnElement[bool]:
    return exists().where(
        col(StatusEvent.campaign_id) == col(Campaign.id), col(StatusEvent.occurred_at) >= cutoff
    )


def _recent_activity(principal: Principal, cutoff: datetime) -> ColumnElement[bool]:
    return exists().where(
        col(Activity.campaign_id) == col(Campaign.id),
        col(Activity.occurred_on) >= cutoff.date(),
        activity_visible(principal),
    )


def stale_condition(principal: Principal, stale_after_days: int) -> ColumnElement[bool]:
    """Open, with no status event and no activity the principal can see in the stale period."""
    cutoff = _stale_cutoff(stale_after_days)
    return (
        col(Campaign.status).in_(sorted(OPEN)) & ~_recent_event(cutoff) & ~_recent_activity(principal, cutoff)
    )


def _listing(principal: Principal) -> Select[*tuple[Any, ...]]:
    """Campaigns the principal may see, with everything their public shape and brief includes need."""
    last_event = (
        select(func.max(col(StatusEvent.occurred_at)))
        .where(col(StatusEvent.campaign_id) == col(Campaign.id))
        .correlate(Campaign)
        .scalar_subquery()
    )
    last_activity = (
        select(func.max(col(Activity.occurred_on)))
        .where(col(Activity.campaign_id) == col(Campaign.id), activity_visible(principal))
        .correlate(Campaign)
        .scalar_subquery()
    )
    return (
        select(
            Campaign,
            Coalition,
            Demand,
            Target,
            Jurisdiction,
            col(TargetCategory.slug),
            col(_parent_demand.slug),
            col(_lead.slug),
            col(_owner.username),
            last_event,
            last_activity,
        )
        .join(Coalition, col(Coalition.id) == col(Campaign.coalition_id))
        .join(Demand, col(Demand.id) == col(Campaign.demand_id))
        .join(TargetCategory, col(TargetCategory.id) == col(Demand.category_id))
        .outerjoin(_parent_demand, col(_parent_demand.id) == col(Demand.parent_id))
        .join(Target, col(Target.id) == col(Campaign.target_id))
        .join(Jurisdiction, col(Jurisdiction.id) == col(Target.jurisdiction_id))
        .outerjoin(_lead, col(_lead.id) == col(Campaign.lead_organization_id))
        .outerjoin(_owner, col(_owner.id) == col(Campaign.owner_id))
        .where(campaign_visible(principal))
        .order_by(col(Campaign.id))
    )


def _last_activity_at(last_event: datetime | None, last_activity: date | None) -> datetime | None:
    moments = [moment for moment in (last_event,) if moment is not None]
    if last_activity is not None:
        moments.append(datetime.combine(last_activity, time(), UTC))
    return max(moments) if moments else None


def _is_stale(campaign: Campaign, last_event: datetime | None, last_activity: date | None, days: int) -> bool:
    cutoff = _stale_cutoff(days)
    return (
        campaign.status in OPEN
        and (last_event is None or last_event < cutoff)
        and (last_activity is None or last_activity < cutoff.date())
    )


def event_public(event: StatusEvent, actor: str | None, *, show_note: bool) -> StatusEventPublic:
    return StatusEventPublic(
        id=event.id,
        campaign_id=event.campaign_id,
        from_status=event.from_status,
        to_status=event.to_status,
        occurred_at=event.occurred_at,
        recorded_at=event.recorded_at,
        actor=actor,
        note=event.note if show_note else None,
        evidence_url=event.evidence_url,
    )


def activity_public(activity: Activity, created_by: str | None) -> ActivityPublic:
    return ActivityPublic(
        id=activity.id,
        campaign_id=activity.campaign_id,
        kind=activity.kind,
        occurred_on=activity.occurred_on,
        title=activity.title,
        details=activity.details,
        visibility=activity.visibility,
        created_by=created_by,
        version=activity.version,
        created_at=activity.created_at,
        updated_at=activity.updated_at,
    )


def notes_readable(principal: Principal, campaign: Campaign) -> bool:
    return campaign.notes_visibility == Visibility.PUBLIC or principal.can_read_private(campaign.coalition_id)


def _events_by_campaign(
    session: Session, principal: Principal, campaigns: Sequence[Campaign]
) -> dict[int, list[StatusEventPublic]]:
    """The histories of a page of campaigns in one query, oldest first."""
    show_note = {c.id: notes_readable(principal, c) for c in campaigns}
    found: dict[int, list[StatusEventPublic]] = defaultdict(list)
    for event, actor in session.execute(
        select(StatusEvent, col(UserAccount.username))
        .outerjoin(UserAccount, col(UserAccount.id) == col(StatusEvent.actor_id))
        .where(col(StatusEvent.campaign_id).in_(list(show_note)))
        .order_by(col(StatusEvent.occurred_at), col(StatusEvent.id))
    ).all():
        found[event.campaign_id].append(event_public(event, actor, show_note=show_note[event.campaign_id]))
    return found


def _activities_by_campaign(
    session: Session, principal: Principal, campaign_ids: list[int]
) -> dict[int, list[ActivityPublic]]:
    """The visible activities of a page of campaigns in one query, newest first."""
    found: dict[int, list[ActivityPublic]] = defaultdict(list)
    for activity, author in session.execute(
        select(Activity, col(UserAccount.username))
        .join(Campaign, col(Campaign.id) == col(Activity.campaign_id))
        .outerjoin(UserAccount, col(UserAccount.id) == col(Activity.created_by_id))
        .where(
            col(Activity.campaign_id).in_(campaign_ids),
            campaign_visible(principal),
            activity_visible(principal),
        )
        .order_by(col(Activity.occurred_on).desc(), col(Activity.id).desc())
    ).all():
        found[activity.campaign_id].append(activity_public(activity, author))
    return found


def _build(
    session: Session,
    principal: Principal,
    rows: Sequence[Row[*tuple[Any, ...]]],
    include: Collection[CampaignInclude],
    stale_after_days: int,
) -> list[CampaignPublic]:
    campaigns = [row[0] for row in rows]
    ids = [c.id for c in campaigns if c.id is not None]
    events = _events_by_campaign(session, principal, campaigns) if CampaignInclude.EVENTS in include else {}
    activities = (
        _activities_by_campaign(session, principal, ids) if CampaignInclude.ACTIVITIES in include else {}
    )
    result = []
    for row in rows:
        (
            campaign,
            coalition,
            demand,
            target,
            place,
            category,
            parent,
            lead,
            owner,
            last_event,
            last_activity,
        ) = row
        included = None
        if include:
            included = CampaignIncluded(
                target=TargetBrief(
                    slug=target.slug, name=target.name, category=category, jurisdiction=place.slug
                )
                if CampaignInclude.TARGET in include
                else None,
                demand=DemandBrief(slug=demand.slug, title=demand.title, category=category, parent=parent)
                if CampaignInclude.DEMAND in include
                else None,
                coalition=CoalitionBrief(slug=coalition.slug, name=coalition.name)
                if CampaignInclude.COALITION in include
                else None,
                jurisdiction=JurisdictionBrief(
                    slug=place.slug, name=place.name, kind=place.kind, ocd_id=place.ocd_id
                )
                if CampaignInclude.JURISDICTION in include
                else None,
                events=events.get(campaign.id, []) if CampaignInclude.EVENTS in include else None,
                activities=activities.get(campaign.id, []) if CampaignInclude.ACTIVITIES in include else None,
            )
        result.append(
            CampaignPublic(
                id=campaign.id,
                coalition=coalition.slug,
                demand=demand.slug,
                target=target.slug,
                category=category,
                jurisdiction=place.slug,
                lead_organization=lead,
                owner=owner,
                status=campaign.status,
                visibility=campaign.visibility,
                summary=campaign.summary,
                notes=campaign.notes if notes_readable(principal, campaign) else None,
                notes_visibility=campaign.notes_visibility,
                start_date=campaign.start_date,
                due_date=campaign.due_date,
                closed_date=campaign.closed_date,
                goal_count=campaign.goal_count,
                goal_unit=campaign.goal_unit,
                progress_count=campaign.progress_count,
                last_activity_at=_last_activity_at(last_event, last_activity),
                is_stale=_is_stale(campaign, last_event, last_activity, stale_after_days),
                version=campaign.version,
                created_at=campaign.created_at,
                updated_at=campaign.updated_at,
                included=included,
            )
        )
    return result


def get_visible_row(*, session: Session, principal: Principal, campaign_id: int) -> Campaign:
    """The campaign row if the principal may see it; otherwise the same 404 as for a missing one."""
    campaign = session.exec(
        sqlmodel.select(Campaign).where(col(Campaign.id) == campaign_id, campaign_visible(principal))
    ).first()
    if campaign is None:
        raise NotFound(f"No campaign has the id {campaign_id}.")
    return campaign


def get(
    *,
    session: Session,
    principal: Principal,
    campaign_id: int,
    stale_after_days: int,
    include: Collection[CampaignInclude] = (),
) -> CampaignPublic:
    rows = session.execute(_listing(principal).where(col(Campaign.id) == campaign_id)).all()
    if not rows:
        raise NotFound(f"No campaign has the id {campaign_id}.")
    return _build(session, principal, rows, include, stale_after_days)[0]


def _filtered(
    session: Session, principal: Principal, filters: CampaignFilters, stale_after_days: int
) -> Select[Any]:
    statement = _listing(principal)
    if filters.coalition is not None:
        statement = statement.where(
            col(Campaign.coalition_id)
            == id_by_slug(session=session, model=Coalition, slug=filters.coalition, noun="coalition")
        )
    if filters.target is not None:
        statement = statement.where(
            col(Campaign.target_id)
            == id_by_slug(session=session, model=Target, slug=filters.target, noun="target")
        )
    if filters.demand is not None:
        demand_id = id_by_slug(session=session, model=Demand, slug=filters.demand, noun="demand")
        # A group stands for its items.
        statement = statement.where((col(Demand.id) == demand_id) | (col(Demand.parent_id) == demand_id))
    if filters.category is not None:
        statement = statement.where(
            col(Demand.category_id)
            == id_by_slug(
                session=session, model=TargetCategory, slug=filters.category, noun="target category"
            )
        )
    if filters.jurisdiction is not None:
        place_id = jurisdictions.resolve_id(session=session, ref=filters.jurisdiction)
        if filters.include_descendants:
            statement = statement.where(
                col(Target.jurisdiction_id).in_(jurisdictions.descendant_ids_statement(place_id))
            )
        else:
            statement = statement.where(col(Target.jurisdiction_id) == place_id)
    if filters.statuses:
        statement = statement.where(col(Campaign.status).in_(sorted(set(filters.statuses))))
    if filters.stale is not None:
        stale = stale_condition(principal, stale_after_days)
        statement = statement.where(stale if filters.stale else ~stale)
    if filters.updated_since is not None:
        statement = statement.where(col(Campaign.updated_at) >= filters.updated_since)
    if filters.search:
        words = filters.search.lower()
        statement = statement.where(
            func.lower(col(Target.name)).contains(words, autoescape=True)
            | func.lower(col(Coalition.name)).contains(words, autoescape=True)
            | func.lower(col(Demand.title)).contains(words, autoescape=True)
            | func.lower(func.coalesce(col(Campaign.summary), "")).contains(words, autoescape=True)
        )
    return statement


def get_all(
    *,
    session: Session,
    principal: Principal,
    page: PageRequest,
    filters: CampaignFilters,
    stale_after_days: int,
    include: Collection[CampaignInclude] = (),
) -> Page[CampaignPublic]:
    """Campaigns the principal may see, oldest first; the total counts only those too."""
    statement = _filtered(session, principal, filters, stale_after_days)
    return paginate(
        session=session,
        statement=statement,
        page=page,
        build=lambda rows: _build(session, principal, rows, include, stale_after_days),
    )


def get_events(
    *, session: Session, principal: Principal, campaign_id: int, page: PageRequest
) -> Page[StatusEventPublic]:
    """A campaign's status history in the order it happened."""
    campaign = get_visible_row(session=session, principal=principal, campaign_id=campaign_id)
    show_note = notes_readable(principal, campaign)
    statement = (
        select(StatusEvent, col(UserAccount.username))
        .outerjoin(UserAccount, col(UserAccount.id) == col(StatusEvent.actor_id))
        .where(col(StatusEvent.campaign_id) == campaign_id)
        .order_by(col(StatusEvent.occurred_at), col(StatusEvent.id))
    )
    return paginate(
        session=session,
        statement=statement,
        page=page,
        build=lambda rows: [event_public(event, actor, show_note=show_note) for event, actor in rows],
    )


def get_activities(
    *, session: Session, principal: Principal, campaign_id: int, page: PageRequest
) -> Page[ActivityPublic]:
    """A campaign's visible activities, newest first."""
    get_visible_row(session=session, principal=principal, campaign_id=campaign_id)
    statement = (
        select(Activity, col(UserAccount.username))
        .join(Campaign, col(Campaign.id) == col(Activity.campaign_id))
        .outerjoin(UserAccount, col(UserAccount.id) == col(Activity.created_by_id))
        .where(col(Activity.campaign_id) == campaign_id, activity_visible(principal))
        .order_by(col(Activity.occurred_on).desc(), col(Activity.id).desc())
    )
    return paginate(
        session=session,
        statement=statement,
        page=page,
        build=lambda rows: [activity_public(activity, author) for activity, author in rows],
    )


def get_activity_row(
    *, session: Session, principal: Principal, activity_id: int
) -> tuple[Activity, Campaign]:
    """An activity the principal may see, with its campaign; otherwise 404."""
    row = session.execute(
        select(Activity, Campaign)
        .join(Campaign, col(Campaign.id) == col(Activity.campaign_id))
        .where(col(Activity.id) == activity_id, campaign_visible(principal), activity_visible(principal))
    ).first()
    if row is None:
        raise NotFound(f"No activity has the id {activity_id}.")
    return row[0], row[1]


def get_activity(*, session: Session, principal: Principal, activity_id: int) -> ActivityPublic:
    activity, _ = get_activity_row(session=session, principal=principal, activity_id=activity_id)
    author = session.get(UserAccount, activity.created_by_id) if activity.created_by_id else None
    return activity_public(activity, author.username if author else None)


# Batch readers for GraphQL loaders: one call per response, whatever the number of parents.


def get_many(
    *, session: Session, principal: Principal, ids: Sequence[int], stale_after_days: int
) -> dict[int, CampaignPublic]:
    """The visible campaigns among `ids`, keyed by id; invisible ones are simply absent."""
    rows = session.execute(_listing(principal).where(col(Campaign.id).in_(list(ids)))).all()
    return {campaign.id: campaign for campaign in _build(session, principal, rows, (), stale_after_days)}


def get_in_jurisdictions(
    *,
    session: Session,
    principal: Principal,
    slugs: Sequence[str],
    include_descendants: bool,
    statuses: Collection[CampaignStatus],
    stale_after_days: int,
) -> dict[str, list[CampaignPublic]]:
    """The visible campaigns whose targets sit in each jurisdiction (or under it), keyed by its slug, in one query."""
    roots = list(slugs)
    tree = (
        select(col(Jurisdiction.slug).label("root_id"), col(Jurisdiction.id).label("place_id"))
        .where(col(Jurisdiction.slug).in_(roots))
        .cte("tree", recursive=True)
    )
    if include_descendants:
        below = aliased(Jurisdiction, name="below")
        tree = tree.union(
            select(tree.c.root_id, col(below.id)).join(below, col(below.parent_id) == tree.c.place_id)
        )
    statement = (
        _listing(principal)
        .add_columns(tree.c.root_id)
        .join(tree, tree.c.place_id == col(Target.jurisdiction_id))
    )
    if statuses:
        statement = statement.where(col(Campaign.status).in_(sorted(set(statuses))))
    rows = session.execute(statement).all()
    built = _build(session, principal, [tuple(row)[:-1] for row in rows], (), stale_after_days)  # type: ignore[misc]
    found: dict[str, list[CampaignPublic]] = {root: [] for root in roots}
    for row, campaign in zip(rows, built, strict=True):
        found[tuple(row)[-1]].append(campaign)
    return found


def get_events_for(
    *, session: Session, principal: Principal, campaign_ids: Sequence[int]
) -> dict[int, list[StatusEventPublic]]:
    """The histories of several visible campaigns, oldest first, notes shown only where readable."""
    campaigns = list(
        session.exec(
            sqlmodel.select(Campaign).where(
                col(Campaign.id).in_(list(campaign_ids)), campaign_visible(principal)
            )
        ).all()
    )
    found = _events_by_campaign(session, principal, campaigns) if campaigns else {}
    return {campaign_id: found.get(campaign_id, []) for campaign_id in campaign_ids}


def get_activities_for(
    *, session: Session, principal: Principal, campaign_ids: Sequence[int]
) -> dict[int, list[ActivityPublic]]:
    """The visible activities of several campaigns, newest first."""
    found = _activities_by_campaign(session, principal, list(campaign_ids))
    return {campaign_id: found.get(campaign_id, []) for campaign_id in campaign_ids}


def get_for_demands(
    *,
    session: Session,
    principal: Principal,
    slugs: Sequence[str],
    jurisdiction: str | None,
    include_descendants: bool,
    stale_after_days: int,
) -> dict[str, list[CampaignPublic]]:
    """The visible campaigns of several demands (optionally in one place), keyed by demand slug."""
    filters = CampaignFilters(jurisdiction=jurisdiction, include_descendants=include_descendants)
    statement = _filtered(session, principal, filters, stale_after_days).where(
        col(Demand.slug).in_(list(slugs))
    )
    found: dict[str, list[CampaignPublic]] = {slug: [] for slug in slugs}
    for campaign in _build(session, principal, session.execute(statement).all(), (), stale_after_days):
        found[campaign.demand].append(campaign)
    return found
