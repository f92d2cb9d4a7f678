"""Jurisdiction scorecards: the rule of DESIGN.md, applied once here to statuses aggregated in SQL.

SQL does the heavy part (the most advanced status of every leaf demand among the visible campaigns of
a place, now or as of a past day from the append-only history); Python turns those few rows (at most
one per leaf demand and place) into counts, scores and grades with the configured weights.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, literal, or_, select, text, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import Invalid
from api.services import jurisdictions
from api.services.campaign_reads import activity_visible, campaign_visible, stale_condition
from api.services.lookups import id_by_slug
from api.services.permissions import Principal
from api.services.transitions import OPEN
from api.settings import Settings
from schema import Activity, Campaign, Coalition, Demand, Jurisdiction, StatusEvent, Target, TargetCategory
from schema.base import UTCDateTime, utcnow
from schema.enums import CampaignStatus, JurisdictionKind
from schema.scorecards import (
    CampaignRef,
    CategoryScore,
    Comparison,
    ComparisonEntry,
    DemandScore,
    GradeBand,
    JurisdictionRef,
    MapEntry,
    Scorecard,
    ScorecardFilters,
    ScorecardTrend,
    ScoreMap,
    ScoreSummary,
    ScoringRule,
    StaleCampaign,
    TrendPoint,
)

# The most months a trend covers: ten years, one point a month.
MAX_TREND_MONTHS = 120
RULE_DESCRIPTION = (
    "A leaf demand takes the most advanced status among its campaigns in the jurisdiction "
    "({precedence}); no campaign means not_started. Score = 100 times the mean weight over the leaf "
    "demands (of one category when filtered), to one decimal; the grade is the highest band reached."
)

_parent_demand = aliased(Demand, name="parent_demand")
_parent_place = aliased(Jurisdiction, name="parent_jurisdiction")
_child_demand = aliased(Demand, name="child_demand")
_target_place = aliased(Jurisdiction, name="target_place")
_past_event = aliased(StatusEvent, name="past_event")
_below = aliased(Jurisdiction, name="below")


# --- The rule ---------------------------------------------------------------------------------------


def rule_from_settings(settings: Settings) -> ScoringRule:
    """The configured rule; called `default` while the weights, grades and precedence are the defaults."""
    is_default = (
        settings.scorecard_weights == _default("scorecard_weights")
        and settings.scorecard_grades == _default("scorecard_grades")
        and settings.scorecard_precedence == _default("scorecard_precedence")
    )
    precedence = list(settings.scorecard_precedence)
    return ScoringRule(
        name="default" if is_default else "custom",
        description=RULE_DESCRIPTION.format(precedence=" > ".join(s.value for s in precedence)),
        weights={status: float(settings.scorecard_weights.get(status, 0.0)) for status in precedence},
        grades=[
            GradeBand(grade=grade, min_score=float(floor))
            for grade, floor in sorted(settings.scorecard_grades.items(), key=lambda item: -item[1])
        ],
        precedence=precedence,
    )


def _default(name: str) -> Any:
    return Settings.model_fields[name].get_default(call_default_factory=True)


def _ranks(rule: ScoringRule) -> dict[CampaignStatus, int]:
    """Higher is more advanced; the last status of the precedence ranks 0, like a demand with no campaign."""
    return {status: len(rule.precedence) - 1 - index for index, status in enumerate(rule.precedence)}


def _rank_of(rule: ScoringRule, status: Any) -> ColumnElement[int]:
    ranks = _ranks(rule)
    return case(
        {s.value: rank for s, rank in ranks.items()}, value=status, else_=ranks[CampaignStatus.NOT_STARTED]
    )


def score_of(rule: ScoringRule, statuses: Sequence[CampaignStatus]) -> float:
    """100 times the mean weight, to one decimal, rounded half up on the exact decimal value."""
    if not statuses:
        return 0.0
    total = sum((Decimal(str(rule.weight(status))) for status in statuses), Decimal(0))
    return float((total * 100 / len(statuses)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def summarize(rule: ScoringRule, statuses: Sequence[CampaignStatus]) -> ScoreSummary:
    """Counts per status, won share, score and grade over the statuses of some leaf demands."""
    counts = dict.fromkeys(rule.precedence, 0)
    for status in statuses:
        counts[status] += 1
    score = score_of(rule, statuses)
    won_share = round(counts[CampaignStatus.WON] / len(statuses), 3) if statuses else 0.0
    return ScoreSummary(
        leaf_count=len(statuses), counts=counts, won_share=won_share, score=score, grade=rule.grade(score)
    )


# --- What is scored ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Leaf:
    id: int
    slug: str
    title: str
    category: str
    category_name: str
    group: str | None


@dataclass(frozen=True)
class _Scope:
    """The resolved filters: the leaf demands scored, the coalition counted, who is reading."""

    leaves: list[_Leaf]
    coalition_id: int | None
    filters: ScorecardFilters
    includes_private_for: list[str]

    @property
    def leaf_ids(self) -> list[int]:
        return [leaf.id for leaf in self.leaves]


def _without_jit(session: Session) -> None:
    """PostgreSQL's JIT compiles history and rollup queries for half a second to save milliseconds.

    Their cost estimates (correlated history lookups, many places) cross `jit_above_cost` although
    they run in tens of milliseconds. `SET LOCAL` lasts until the caller's transaction ends (one
    request, or one GraphQL unit of work). A single place's current scorecard never needs it.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def _place(session: Session, ref: str) -> tuple[int, JurisdictionRef]:
    place_id = jurisdictions.resolve_id(session=session, ref=ref)
    found = _places(session, select(col(Jurisdiction.id)).where(col(Jurisdiction.id) == place_id))
    return place_id, found[0][1]


def _places(session: Session, ids: Select[Any]) -> list[tuple[int, JurisdictionRef]]:
    rows = session.execute(
        select(Jurisdiction, col(_parent_place.slug))
        .outerjoin(_parent_place, col(_parent_place.id) == col(Jurisdiction.parent_id))
        .where(col(Jurisdiction.id).in_(ids))
        .order_by(col(Jurisdiction.name), col(Jurisdiction.id))
    ).all()
    return [(place.id, _ref(place, parent)) for place, parent in rows]


def _ref(place: Jurisdiction, parent: str | None) -> JurisdictionRef:
    return JurisdictionRef(
        slug=place.slug, name=place.name, kind=place.kind, parent=parent, ocd_id=place.ocd_id, fips=place.fips
    )


def _leaves(session: Session, category: str | None, until: datetime) -> list[_Leaf]:
    """The leaf demands of the catalog (or one category) in checklist order, in one query.

    A demand retired by `until` no longer counts; one retired later still does, so past scorecards hold.
    """
    statement = (
        select(
            col(Demand.id),
            col(Demand.slug),
            col(Demand.title),
            col(TargetCategory.slug),
            col(TargetCategory.name),
            col(_parent_demand.slug),
        )
        .join(TargetCategory, col(TargetCategory.id) == col(Demand.category_id))
        .outerjoin(_parent_demand, col(_parent_demand.id) == col(Demand.parent_id))
        .where(
            ~exists().where(col(_child_demand.parent_id) == col(Demand.id)),
            col(Demand.retired_at).is_(None) | (col(Demand.retired_at) > until),
        )
        .order_by(
            col(TargetCategory.position),
            col(TargetCategory.id),
            func.coalesce(col(_parent_demand.position), col(Demand.position)),
            func.coalesce(col(_parent_demand.id), col(Demand.id)),
            col(Demand.position),
            col(Demand.id),
        )
    )
    if category is not None:
        category_id = id_by_slug(session=session, model=TargetCategory, slug=category, noun="target category")
        statement = statement.where(col(Demand.category_id) == category_id)
    leaves = [_Leaf(*row) for row in session.execute(statement).all()]
    if not leaves:
        raise Invalid(f"The target category {category!r} has no leaf demands to score.")
    return leaves


def _includes_private_for(session: Session, principal: Principal, coalition_id: int | None) -> list[str]:
    """The coalitions whose private campaigns this reader sees (site admins: all), within the filter."""
    if not principal.is_site_admin and not principal.roles:
        return []
    statement = select(col(Coalition.slug)).order_by(col(Coalition.slug))
    if not principal.is_site_admin:
        statement = statement.where(col(Coalition.id).in_(sorted(principal.roles)))
    if coalition_id is not None:
        statement = statement.where(col(Coalition.id) == coalition_id)
    return [str(slug) for slug in session.execute(statement).scalars()]


def _scope(
    session: Session,
    principal: Principal,
    *,
    category: str | None,
    coalition: str | None,
    include_descendants: bool,
    until: datetime | None = None,
) -> _Scope:
    coalition_id = (
        id_by_slug(session=session, model=Coalition, slug=coalition, noun="coalition")
        if coalition is not None
        else None
    )
    return _Scope(
        leaves=_leaves(session, category, until or utcnow()),
        coalition_id=coalition_id,
        filters=ScorecardFilters(
            category=category, coalition=coalition, include_descendants=include_descendants
        ),
        includes_private_for=_includes_private_for(session, principal, coalition_id),
    )


def _end_of(day: date) -> datetime:
    """The first instant after `day` ends, in UTC: history is read strictly before it."""
    return datetime.combine(day + timedelta(days=1), time(), UTC)


def _check_not_future(day: date, name: str) -> None:
    if day > utcnow().date():
        raise Invalid(
            f"`{name}` ({day.isoformat()}) is in the future; scorecards are computed for today or the past.",
            extra={"errors": [{"location": ["query", name], "message": "in the future", "type": "future"}]},
        )


# --- SQL --------------------------------------------------------------------------------------------


def _status_at(moment: Any) -> Any:
    """SQL: the status a campaign had just before `moment`, from its newest earlier status event."""
    event = _past_event
    return (
        select(col(event.to_status))
        .where(col(event.campaign_id) == col(Campaign.id), col(event.occurred_at) < moment)
        .order_by(col(event.occurred_at).desc(), col(event.id).desc())
        .limit(1)
        .correlate_except(event)
        .scalar_subquery()
    )


def _existed_at(moment: Any, status_then: Any) -> ColumnElement[bool]:
    """Created before `moment`, or with a status recorded (possibly backdated) before it."""
    return or_(col(Campaign.created_at) < moment, status_then.is_not(None))


def _counted(principal: Principal, scope: _Scope, *, place_ids: Select[Any] | None) -> Select[Any]:
    """Conditions every counted campaign meets: visible, on a scored leaf, of the coalition, in the place."""
    statement = (
        select(col(Campaign.id))
        .join(Target, col(Target.id) == col(Campaign.target_id))
        .where(campaign_visible(principal), col(Campaign.demand_id).in_(scope.leaf_ids))
    )
    if scope.coalition_id is not None:
        statement = statement.where(col(Campaign.coalition_id) == scope.coalition_id)
    if place_ids is not None:
        statement = statement.where(col(Target.jurisdiction_id).in_(place_ids))
    return statement


def _place_ids(place_id: int, include_descendants: bool) -> Select[Any]:
    if include_descendants:
        return jurisdictions.descendant_ids_statement(place_id)
    return select(literal(place_id))


def _scored(
    principal: Principal, scope: _Scope, rule: ScoringRule, place_ids: Select[Any], end: datetime | None
) -> Any:
    """One row per counted campaign with its status (now, or just before `end`) and that status's rank."""
    base = _counted(principal, scope, place_ids=place_ids)
    if end is None:
        status: Any = col(Campaign.status)
    else:
        moment = literal(end, UTCDateTime())
        then = _status_at(moment)
        status = func.coalesce(then, CampaignStatus.NOT_STARTED.value)
        base = base.where(_existed_at(moment, then))
    return base.add_columns(
        col(Campaign.demand_id).label("demand_id"),
        col(Campaign.coalition_id).label("coalition_id"),
        col(Campaign.target_id).label("target_id"),
        status.label("status"),
        _rank_of(rule, status).label("rank"),
    ).cte("scored")


@dataclass(frozen=True)
class _DemandRows:
    """Each scored demand's status, its number of campaigns, and the campaigns at that status."""

    status: dict[int, CampaignStatus]
    counts: dict[int, int]
    campaigns: dict[int, list[CampaignRef]]


def _demand_rows(session: Session, scored: Any) -> _DemandRows:
    """The campaigns deciding each demand's status, with its campaign count, in one windowed query."""
    ranked = select(
        scored,
        func.max(scored.c.rank).over(partition_by=scored.c.demand_id).label("best"),
        func.count().over(partition_by=scored.c.demand_id).label("how_many"),
    ).subquery("ranked")
    place = _target_place
    rows = session.execute(
        select(
            ranked.c.demand_id,
            ranked.c.id,
            ranked.c.status,
            ranked.c.how_many,
            col(Coalition.slug),
            col(Target.slug),
            col(Target.name),
            col(place.slug),
        )
        .join(Coalition, col(Coalition.id) == ranked.c.coalition_id)
        .join(Target, col(Target.id) == ranked.c.target_id)
        .join(place, col(place.id) == col(Target.jurisdiction_id))
        .where(ranked.c.rank == ranked.c.best)
        .order_by(ranked.c.demand_id, ranked.c.id)
    ).all()
    found = _DemandRows(status={}, counts={}, campaigns=defaultdict(list))
    for demand_id, campaign_id, status, how_many, coalition, target, target_name, place_slug in rows:
        found.status[demand_id] = CampaignStatus(status)
        found.counts[demand_id] = int(how_many)
        found.campaigns[demand_id].append(
            CampaignRef(
                id=campaign_id,
                status=status,
                coalition=coalition,
                target=target,
                target_name=target_name,
                jurisdiction=place_slug,
            )
        )
    return found


def _stale(
    session: Session,
    *,
    principal: Principal,
    scope: _Scope,
    place_ids: Select[Any],
    stale_after_days: int,
    as_of: date | None,
) -> list[StaleCampaign]:
    """Open campaigns with no event or visible activity for the stale period (now, or as of a day)."""
    statement = _counted(principal, scope, place_ids=place_ids)
    if as_of is None:
        moment: Any = None
        status: Any = col(Campaign.status)
        statement = statement.where(stale_condition(principal, stale_after_days))
    else:
        end = _end_of(as_of)
        moment = literal(end, UTCDateTime())
        status = _status_at(moment)
        cutoff = end - timedelta(days=stale_after_days)
        statement = statement.where(
            status.in_(sorted(OPEN)),
            ~exists().where(
                col(StatusEvent.campaign_id) == col(Campaign.id),
                col(StatusEvent.occurred_at) >= cutoff,
                col(StatusEvent.occurred_at) < moment,
            ),
            ~exists().where(
                col(Activity.campaign_id) == col(Campaign.id),
                col(Activity.occurred_on) >= cutoff.date(),
                col(Activity.occurred_on) <= as_of,
                activity_visible(principal),
            ),
        )
    last_event = select(func.max(col(StatusEvent.occurred_at))).where(
        col(StatusEvent.campaign_id) == col(Campaign.id)
    )
    last_activity = select(func.max(col(Activity.occurred_on))).where(
        col(Activity.campaign_id) == col(Campaign.id), activity_visible(principal)
    )
    if as_of is not None:
        last_event = last_event.where(col(StatusEvent.occurred_at) < moment)
        last_activity = last_activity.where(col(Activity.occurred_on) <= as_of)
    place = _target_place
    rows = session.execute(
        statement.add_columns(
            status,
            col(Demand.slug),
            col(Demand.title),
            col(Coalition.slug),
            col(Target.slug),
            col(Target.name),
            col(place.slug),
            last_event.correlate(Campaign).scalar_subquery(),
            last_activity.correlate(Campaign).scalar_subquery(),
        )
        .join(Demand, col(Demand.id) == col(Campaign.demand_id))
        .join(Coalition, col(Coalition.id) == col(Campaign.coalition_id))
        .join(place, col(place.id) == col(Target.jurisdiction_id))
        .order_by(col(Campaign.id))
    ).all()
    stale = []
    for (
        campaign_id,
        status_then,
        demand,
        title,
        coalition,
        target,
        name,
        place_slug,
        event_at,
        done_on,
    ) in rows:
        moments = [m for m in (event_at,) if m is not None]
        if done_on is not None:
            moments.append(datetime.combine(done_on, time(), UTC))
        stale.append(
            StaleCampaign(
                id=campaign_id,
                status=status_then,
                demand=demand,
                demand_title=title,
                coalition=coalition,
                target=target,
                target_name=name,
                jurisdiction=place_slug,
                last_activity_at=max(moments) if moments else None,
            )
        )
    # Longest forgotten first.
    stale.sort(key=lambda c: (c.last_activity_at or datetime.min.replace(tzinfo=UTC), c.id))
    return stale


# --- Scorecards -------------------------------------------------------------------------------------


def _demand_scores(rule: ScoringRule, scope: _Scope, rows: _DemandRows) -> list[DemandScore]:
    demands = []
    for leaf in scope.leaves:
        status = rows.status.get(leaf.id, CampaignStatus.NOT_STARTED)
        demands.append(
            DemandScore(
                slug=leaf.slug,
                title=leaf.title,
                category=leaf.category,
                group=leaf.group,
                status=status,
                weight=rule.weight(status),
                campaign_count=rows.counts.get(leaf.id, 0),
                campaigns=rows.campaigns.get(leaf.id, []),
            )
        )
    return demands


def _category_scores(
    rule: ScoringRule, scope: _Scope, status: Mapping[int, CampaignStatus]
) -> list[CategoryScore]:
    by_category: dict[str, list[CampaignStatus]] = {}
    names: dict[str, str] = {}
    for leaf in scope.leaves:
        by_category.setdefault(leaf.category, []).append(status.get(leaf.id, CampaignStatus.NOT_STARTED))
        names[leaf.category] = leaf.category_name
    return [
        CategoryScore(slug=slug, name=names[slug], **summarize(rule, statuses).model_dump())
        for slug, statuses in by_category.items()
    ]


def get_scorecard(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    ref: str,
    as_of: date | None = None,
    include_descendants: bool = False,
    category: str | None = None,
    coalition: str | None = None,
) -> Scorecard:
    """A jurisdiction's scorecard (by slug, id or OCD ID), now or as of the end of a past day (UTC).

    A fixed number of queries whatever the number of campaigns: the place, the leaf demands, one
    windowed aggregate for every demand's status and deciding campaigns, and the stale list.
    """
    if as_of is not None:
        _check_not_future(as_of, "as_of")
    rule = rule_from_settings(settings)
    if as_of is not None or include_descendants:
        _without_jit(session)
    place_id, place = _place(session, ref)
    end = _end_of(as_of) if as_of is not None else None
    scope = _scope(
        session,
        principal,
        category=category,
        coalition=coalition,
        include_descendants=include_descendants,
        until=end,
    )
    place_ids = _place_ids(place_id, include_descendants)
    rows = _demand_rows(session, _scored(principal, scope, rule, place_ids, end))
    statuses = [rows.status.get(leaf.id, CampaignStatus.NOT_STARTED) for leaf in scope.leaves]
    return Scorecard(
        jurisdiction=place,
        as_of=as_of,
        computed_at=utcnow(),
        rule=rule,
        filters=scope.filters,
        includes_private_for=scope.includes_private_for,
        stale_after_days=settings.stale_after_days,
        overall=summarize(rule, statuses),
        categories=_category_scores(rule, scope, rows.status),
        demands=_demand_scores(rule, scope, rows),
        stale=_stale(
            session,
            principal=principal,
            scope=scope,
            place_ids=place_ids,
            stale_after_days=settings.stale_after_days,
            as_of=as_of,
        ),
    )


# --- Trend ------------------------------------------------------------------------------------------


def _month_ends(start: date, end: date) -> list[tuple[str, date]]:
    """(YYYY-MM, the day scored) for each month from start's to end's; the last is cut at `end`."""
    points = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        next_first = date(year + month // 12, month % 12 + 1, 1)
        points.append((f"{year:04d}-{month:02d}", min(next_first - timedelta(days=1), end)))
        year, month = next_first.year, next_first.month
    return points


def get_trend(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    ref: str,
    start: date | None = None,
    end: date | None = None,
    include_descendants: bool = False,
    category: str | None = None,
    coalition: str | None = None,
) -> ScorecardTrend:
    """The score at the end of each month from `start` to `end` (default: the last twelve months)."""
    end = end or utcnow().date()
    _check_not_future(end, "end")
    if start is None:
        months_back = end.year * 12 + end.month - 1 - 11
        start = date(months_back // 12, months_back % 12 + 1, 1)
    if start > end:
        raise Invalid("`start` is after `end`.")
    months = _month_ends(start, end)
    if len(months) > MAX_TREND_MONTHS:
        raise Invalid(f"A trend covers at most {MAX_TREND_MONTHS} months; this range has {len(months)}.")
    rule = rule_from_settings(settings)
    _without_jit(session)
    place_id, place = _place(session, ref)
    scope = _scope(
        session, principal, category=category, coalition=coalition, include_descendants=include_descendants
    )
    best = _best_at(
        session,
        principal=principal,
        scope=scope,
        rule=rule,
        place_ids=_place_ids(place_id, include_descendants),
        days=months,
    )
    points = []
    for label, day in months:
        statuses = [best.get((day, leaf.id), CampaignStatus.NOT_STARTED) for leaf in scope.leaves]
        summary = summarize(rule, statuses)
        points.append(
            TrendPoint(
                month=label, as_of=day, score=summary.score, grade=summary.grade, won_share=summary.won_share
            )
        )
    return ScorecardTrend(
        jurisdiction=place,
        start=start,
        end=end,
        computed_at=utcnow(),
        rule=rule,
        filters=scope.filters,
        includes_private_for=scope.includes_private_for,
        points=points,
    )


def _best_at(
    session: Session,
    *,
    principal: Principal,
    scope: _Scope,
    rule: ScoringRule,
    place_ids: Select[Any],
    days: Sequence[tuple[str, date]],
) -> dict[tuple[date, int], CampaignStatus]:
    """Every demand's most advanced status at the end of each day, in one query over the history."""
    points = union_all(
        *[
            select(literal(index).label("point"), literal(_end_of(day), UTCDateTime()).label("moment"))
            for index, (_, day) in enumerate(days)
        ]
    ).cte("points")
    then = _status_at(points.c.moment)
    status = func.coalesce(then, CampaignStatus.NOT_STARTED.value)
    per_campaign = (
        _counted(principal, scope, place_ids=place_ids)
        .join(points, literal(True))
        .where(_existed_at(points.c.moment, then))
        .add_columns(
            points.c.point.label("point"),
            col(Campaign.demand_id).label("demand_id"),
            _rank_of(rule, status).label("rank"),
        )
        .subquery("per_campaign")
    )
    by_rank = {rank: status for status, rank in _ranks(rule).items()}
    rows = session.execute(
        select(per_campaign.c.point, per_campaign.c.demand_id, func.max(per_campaign.c.rank)).group_by(
            per_campaign.c.point, per_campaign.c.demand_id
        )
    ).all()
    return {(days[point][1], demand_id): by_rank[rank] for point, demand_id, rank in rows}


# --- Comparison -------------------------------------------------------------------------------------


def get_comparison(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    ref: str,
    kind: JurisdictionKind,
    as_of: date | None = None,
    include_descendants: bool = False,
    category: str | None = None,
    coalition: str | None = None,
) -> Comparison:
    """Every jurisdiction of `kind` anywhere under `ref`, ranked by score (best first; ties share a rank).

    `include_descendants` rolls each compared jurisdiction up over the places inside it.
    """
    if as_of is not None:
        _check_not_future(as_of, "as_of")
    rule = rule_from_settings(settings)
    _without_jit(session)
    parent_id, parent = _place(session, ref)
    scope = _scope(
        session,
        principal,
        category=category,
        coalition=coalition,
        include_descendants=include_descendants,
        until=_end_of(as_of) if as_of is not None else None,
    )
    compared_ids = select(col(Jurisdiction.id)).where(
        col(Jurisdiction.kind) == kind,
        col(Jurisdiction.id) != parent_id,
        col(Jurisdiction.id).in_(jurisdictions.descendant_ids_statement(parent_id)),
    )
    compared = _places(session, compared_ids)
    best = _best_per_place(
        session,
        principal=principal,
        scope=scope,
        rule=rule,
        compared_ids=compared_ids,
        include_descendants=include_descendants,
        end=_end_of(as_of) if as_of else None,
    )
    summaries = [
        (
            place,
            summarize(
                rule, [best.get((place_id, leaf.id), CampaignStatus.NOT_STARTED) for leaf in scope.leaves]
            ),
        )
        for place_id, place in compared
    ]
    summaries.sort(key=lambda item: (-item[1].score, item[0].name, item[0].slug))
    entries: list[ComparisonEntry] = []
    for position, (place, summary) in enumerate(summaries, start=1):
        rank = entries[-1].rank if entries and entries[-1].score == summary.score else position
        entries.append(ComparisonEntry(rank=rank, jurisdiction=place, **summary.model_dump()))
    return Comparison(
        parent=parent,
        kind=kind,
        as_of=as_of,
        computed_at=utcnow(),
        rule=rule,
        filters=scope.filters,
        includes_private_for=scope.includes_private_for,
        entries=entries,
    )


def _best_per_place(
    session: Session,
    *,
    principal: Principal,
    scope: _Scope,
    rule: ScoringRule,
    compared_ids: Select[Any],
    include_descendants: bool,
    end: datetime | None,
) -> dict[tuple[int, int], CampaignStatus]:
    """Each compared place's most advanced status per leaf demand, in one grouped query."""
    tree: Any = select(col(Jurisdiction.id).label("root_id"), col(Jurisdiction.id).label("place_id")).where(
        col(Jurisdiction.id).in_(compared_ids)
    )
    if include_descendants:
        recursive = tree.cte("compared_tree", recursive=True)
        below = _below
        places: Any = recursive.union(
            select(recursive.c.root_id, col(below.id)).join(
                below, col(below.parent_id) == recursive.c.place_id
            )
        )
    else:
        places = tree.cte("compared_tree")
    statement = _counted(principal, scope, place_ids=None).join(
        places, places.c.place_id == col(Target.jurisdiction_id)
    )
    if end is None:
        status: Any = col(Campaign.status)
    else:
        moment = literal(end, UTCDateTime())
        then = _status_at(moment)
        status = func.coalesce(then, CampaignStatus.NOT_STARTED.value)
        statement = statement.where(_existed_at(moment, then))
    per_campaign = statement.add_columns(
        places.c.root_id.label("root_id"),
        col(Campaign.demand_id).label("demand_id"),
        _rank_of(rule, status).label("rank"),
    ).subquery("per_campaign")
    by_rank = {rank: status for status, rank in _ranks(rule).items()}
    rows = session.execute(
        select(per_campaign.c.root_id, per_campaign.c.demand_id, func.max(per_campaign.c.rank)).group_by(
            per_campaign.c.root_id, per_campaign.c.demand_id
        )
    ).all()
    return {(root_id, demand_id): by_rank[rank] for root_id, demand_id, rank in rows}


def map_of(comparison: Comparison) -> ScoreMap:
    """Map-ready scores from a comparison: entries keyed by FIPS code and by OCD division ID."""
    entries = [
        MapEntry(
            slug=entry.jurisdiction.slug,
            name=entry.jurisdiction.name,
            fips=entry.jurisdiction.fips,
            ocd_id=entry.jurisdiction.ocd_id,
            score=entry.score,
            grade=entry.grade,
            rank=entry.rank,
        )
        for entry in comparison.entries
    ]
    return ScoreMap(
        parent=comparison.parent.slug,
        kind=comparison.kind,
        as_of=comparison.as_of,
        computed_at=comparison.computed_at,
        rule=comparison.rule,
        filters=comparison.filters,
        includes_private_for=comparison.includes_private_for,
        by_fips={entry.fips: entry for entry in entries if entry.fips},
        by_ocd_id={entry.ocd_id: entry for entry in entries if entry.ocd_id},
    )


def get_map(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    ref: str,
    kind: JurisdictionKind,
    as_of: date | None = None,
    include_descendants: bool = False,
    category: str | None = None,
    coalition: str | None = None,
) -> ScoreMap:
    """Map-ready JSON for every jurisdiction of `kind` under `ref`."""
    return map_of(
        get_comparison(
            session=session,
            principal=principal,
            settings=settings,
            ref=ref,
            kind=kind,
            as_of=as_of,
            include_descendants=include_descendants,
            category=category,
            coalition=coalition,
        )
    )


__all__ = [
    "get_comparison",
    "get_map",
    "get_scorecard",
    "get_trend",
    "map_of",
    "rule_from_settings",
    "score_of",
    "summarize",
]
