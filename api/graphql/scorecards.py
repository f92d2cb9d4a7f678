"""Scorecards over GraphQL: the same computed objects as REST and the CLI, as typed fields."""

from datetime import date, datetime
from typing import Any

import strawberry

from api.graphql.context import read
from api.graphql.types import Info
from api.services import scorecards
from schema import scorecards as shapes
from schema.enums import CampaignStatus, JurisdictionKind


@strawberry.type(description="How many leaf demands stand at one status.")
class StatusCount:
    status: CampaignStatus
    count: int


@strawberry.type(description="The weight a status carries in the score.")
class StatusWeight:
    status: CampaignStatus
    weight: float


@strawberry.type
class GradeBand:
    grade: str
    min_score: float


@strawberry.type(description="The rule a scorecard was computed with, so every export can be reproduced.")
class ScoringRule:
    name: str
    description: str
    weights: list[StatusWeight]
    grades: list[GradeBand]
    precedence: list[CampaignStatus]

    @classmethod
    def of(cls, rule: shapes.ScoringRule) -> "ScoringRule":
        return cls(
            name=rule.name,
            description=rule.description,
            weights=[StatusWeight(status=status, weight=weight) for status, weight in rule.weights.items()],
            grades=[GradeBand(grade=band.grade, min_score=band.min_score) for band in rule.grades],
            precedence=list(rule.precedence),
        )


@strawberry.type(description="A jurisdiction as a scorecard names it.")
class ScoredPlace:
    slug: str
    name: str
    kind: JurisdictionKind
    parent: str | None
    ocd_id: str | None
    fips: str | None

    @classmethod
    def of(cls, place: shapes.JurisdictionRef) -> "ScoredPlace":
        return cls(**place.model_dump())


def _summary(summary: shapes.ScoreSummary) -> dict[str, Any]:
    return {
        "leaf_count": summary.leaf_count,
        "counts": [StatusCount(status=status, count=count) for status, count in summary.counts.items()],
        "won_share": summary.won_share,
        "score": summary.score,
        "grade": summary.grade,
    }


@strawberry.type(description="Counts per status, won share, score and grade over some leaf demands.")
class ScoreSummary:
    leaf_count: int
    counts: list[StatusCount]
    won_share: float
    score: float
    grade: str


@strawberry.type
class CategoryScore(ScoreSummary):
    slug: str
    name: str


@strawberry.type(description="A campaign behind a demand's status.")
class ScoredCampaign:
    id: int
    status: CampaignStatus
    coalition: str
    target: str
    target_name: str
    jurisdiction: str


@strawberry.type(description="A leaf demand's status in the jurisdiction, and the campaigns deciding it.")
class DemandScore:
    slug: str
    title: str
    category: str
    group: str | None
    status: CampaignStatus
    weight: float
    campaign_count: int
    campaigns: list[ScoredCampaign]


@strawberry.type(description="An open campaign with nothing recorded for the stale period.")
class StaleCampaign:
    id: int
    status: CampaignStatus
    demand: str
    demand_title: str
    coalition: str
    target: str
    target_name: str
    jurisdiction: str
    last_activity_at: datetime | None


@strawberry.type(description="Where a jurisdiction stands on the checklist.")
class Scorecard:
    jurisdiction: ScoredPlace
    as_of: date | None
    computed_at: datetime
    rule: ScoringRule
    category: str | None
    coalition: str | None
    include_descendants: bool
    includes_private_for: list[str] = strawberry.field(
        description="Coalitions whose private campaigns this scorecard counts (yours only)."
    )
    stale_after_days: int
    overall: ScoreSummary
    categories: list[CategoryScore]
    demands: list[DemandScore]
    stale: list[StaleCampaign]

    @classmethod
    def of(cls, card: shapes.Scorecard) -> "Scorecard":
        return cls(
            jurisdiction=ScoredPlace.of(card.jurisdiction),
            as_of=card.as_of,
            computed_at=card.computed_at,
            rule=ScoringRule.of(card.rule),
            category=card.filters.category,
            coalition=card.filters.coalition,
            include_descendants=card.filters.include_descendants,
            includes_private_for=list(card.includes_private_for),
            stale_after_days=card.stale_after_days,
            overall=ScoreSummary(**_summary(card.overall)),
            categories=[CategoryScore(slug=c.slug, name=c.name, **_summary(c)) for c in card.categories],
            demands=[
                DemandScore(
                    **{
                        **d.model_dump(exclude={"campaigns"}),
                        "campaigns": [ScoredCampaign(**c.model_dump()) for c in d.campaigns],
                    }
                )
                for d in card.demands
            ],
            stale=[StaleCampaign(**s.model_dump()) for s in card.stale],
        )


@strawberry.type
class RankedPlace(ScoreSummary):
    rank: int
    jurisdiction: ScoredPlace


@strawberry.type(description="Every jurisdiction of one kind under a parent, ranked by score.")
class Comparison:
    parent: ScoredPlace
    kind: JurisdictionKind
    as_of: date | None
    computed_at: datetime
    rule: ScoringRule
    includes_private_for: list[str]
    entries: list[RankedPlace]

    @classmethod
    def of(cls, comparison: shapes.Comparison) -> "Comparison":
        return cls(
            parent=ScoredPlace.of(comparison.parent),
            kind=comparison.kind,
            as_of=comparison.as_of,
            computed_at=comparison.computed_at,
            rule=ScoringRule.of(comparison.rule),
            includes_private_for=list(comparison.includes_private_for),
            entries=[
                RankedPlace(rank=e.rank, jurisdiction=ScoredPlace.of(e.jurisdiction), **_summary(e))
                for e in comparison.entries
            ],
        )


@strawberry.type
class ScorecardQuery:
    @strawberry.field(description="A jurisdiction's scorecard: now, or as it stood at the end of `asOf`.")
    async def scorecard(
        self,
        info: Info,
        *,
        jurisdiction: str,
        as_of: date | None = None,
        include_descendants: bool = False,
        category: str | None = None,
        coalition: str | None = None,
    ) -> Scorecard:
        context = info.context
        card = await read(
            context,
            lambda s: scorecards.get_scorecard(
                session=s,
                principal=context.principal,
                settings=context.settings,
                ref=jurisdiction,
                as_of=as_of,
                include_descendants=include_descendants,
                category=category,
                coalition=coalition,
            ),
        )
        return Scorecard.of(card)

    @strawberry.field(description="Every jurisdiction of `kind` under `parent`, ranked by score.")
    async def compare_jurisdictions(
        self,
        info: Info,
        *,
        parent: str,
        kind: JurisdictionKind,
        as_of: date | None = None,
        include_descendants: bool = False,
        category: str | None = None,
        coalition: str | None = None,
    ) -> Comparison:
        context = info.context
        comparison = await read(
            context,
            lambda s: scorecards.get_comparison(
                session=s,
                principal=context.principal,
                settings=context.settings,
                ref=parent,
                kind=kind,
                as_of=as_of,
                include_descendants=include_descendants,
                category=category,
                coalition=coalition,
            ),
        )
        return Comparison.of(comparison)
