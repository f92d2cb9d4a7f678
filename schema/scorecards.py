"""What a scorecard shows: one computed object that every export (JSON, CSV, HTML, map) is drawn from."""

from datetime import date, datetime

from pydantic import Field

from schema.enums import CampaignStatus, JurisdictionKind
from schema.public import PublicModel


class GradeBand(PublicModel):
    grade: str
    min_score: float = Field(description="The lowest score (0 to 100) that earns this grade.")


class ScoringRule(PublicModel):
    """The rule a scorecard was computed with, named in every export so it can be reproduced."""

    name: str = Field(description="A stable name for the rule (`default` unless the weights were changed).")
    description: str
    weights: dict[CampaignStatus, float] = Field(description="Weight of each status, 0 to 1.")
    grades: list[GradeBand] = Field(description="Grade bands, highest first.")
    precedence: list[CampaignStatus] = Field(
        description="A leaf demand takes the first of these statuses among its campaigns."
    )

    def weight(self, status: CampaignStatus) -> float:
        return self.weights.get(status, 0.0)

    def grade(self, score: float) -> str:
        return next(band.grade for band in self.grades if score >= band.min_score)


class ScorecardFilters(PublicModel):
    """What the scorecard was narrowed to; null means everything."""

    category: str | None = Field(description="Slug of the one target category scored, or null for all.")
    coalition: str | None = Field(description="Slug of the one coalition whose campaigns count, or null.")
    include_descendants: bool = Field(description="Whether places inside the jurisdiction count too.")


class JurisdictionRef(PublicModel):
    slug: str
    name: str
    kind: JurisdictionKind
    parent: str | None
    ocd_id: str | None
    fips: str | None


class ScoreSummary(PublicModel):
    """Counts of leaf demands per status, won share, score and grade, over some leaf demands."""

    leaf_count: int = Field(description="Leaf demands scored.")
    counts: dict[CampaignStatus, int] = Field(
        description="Leaf demands at each status (every status listed)."
    )
    won_share: float = Field(description="Share of the leaf demands won, 0 to 1 (3 decimals).")
    score: float = Field(description="100 times the mean weight over the leaf demands, to one decimal.")
    grade: str


class CategoryScore(ScoreSummary):
    slug: str
    name: str


class CampaignRef(PublicModel):
    """A campaign behind a demand's status."""

    id: int
    status: CampaignStatus
    coalition: str
    target: str
    target_name: str
    jurisdiction: str


class DemandScore(PublicModel):
    """Where one leaf demand stands in the jurisdiction, and the campaigns that decide it."""

    slug: str
    title: str
    category: str
    group: str | None = Field(description="Slug of the demand's group, if it has one.")
    status: CampaignStatus
    weight: float
    campaign_count: int = Field(description="Every counted campaign for this demand here.")
    campaigns: list[CampaignRef] = Field(
        description="The campaigns at the demand's status: the ones behind it (oldest first)."
    )


class StaleCampaign(PublicModel):
    """An open campaign with nothing recorded on it for the stale period."""

    id: int
    status: CampaignStatus
    demand: str
    demand_title: str
    coalition: str
    target: str
    target_name: str
    jurisdiction: str
    last_activity_at: datetime | None = Field(description="Its newest status event or visible activity.")


class Scorecard(PublicModel):
    """A jurisdiction's scorecard: per category and overall, every leaf demand, and the stale campaigns."""

    jurisdiction: JurisdictionRef
    as_of: date | None = Field(description="The day (end of day, UTC) it was recomputed for; null for now.")
    computed_at: datetime
    rule: ScoringRule
    filters: ScorecardFilters
    includes_private_for: list[str] = Field(
        description="Coalitions whose private campaigns this reader's scorecard counts; empty means public only."
    )
    stale_after_days: int
    overall: ScoreSummary
    categories: list[CategoryScore]
    demands: list[DemandScore]
    stale: list[StaleCampaign]
    language: str = Field(default="en", description="The language of the labels (English if untranslated).")


class TrendPoint(PublicModel):
    month: str = Field(description="`YYYY-MM`.", examples=["2026-03"])
    as_of: date = Field(description="The day scored: the month's last day, or the range's end.")
    score: float
    grade: str
    won_share: float


class ScorecardTrend(PublicModel):
    """A jurisdiction's score at the end of each month of a range, recomputed from the status history."""

    jurisdiction: JurisdictionRef
    start: date
    end: date
    computed_at: datetime
    rule: ScoringRule
    filters: ScorecardFilters
    includes_private_for: list[str]
    points: list[TrendPoint]


class ComparisonEntry(ScoreSummary):
    rank: int = Field(description="1 for the best score; equal scores share a rank.")
    jurisdiction: JurisdictionRef


class Comparison(PublicModel):
    """Every jurisdiction of one kind under a parent, ranked by score."""

    parent: JurisdictionRef
    kind: JurisdictionKind
    as_of: date | None
    computed_at: datetime
    rule: ScoringRule
    filters: ScorecardFilters
    includes_private_for: list[str]
    entries: list[ComparisonEntry]


class MapEntry(PublicModel):
    slug: str
    name: str
    fips: str | None
    ocd_id: str | None
    score: float
    grade: str
    rank: int


class ScoreMap(PublicModel):
    """Map-ready scores: one entry per jurisdiction, keyed by FIPS code and by OCD division ID."""

    parent: str
    kind: JurisdictionKind
    as_of: date | None
    computed_at: datetime
    rule: ScoringRule
    filters: ScorecardFilters
    includes_private_for: list[str]
    by_fips: dict[str, MapEntry]
    by_ocd_id: dict[str, MapEntry]
