"""Scorecards over REST: a jurisdiction's scorecard (JSON, CSV or printable HTML), its trend, comparisons.

These paths end in a fixed suffix after `{ref:path}` (OCD IDs contain slashes), so this router must be
included before the jurisdictions router, whose `GET /jurisdictions/{ref:path}` would match them too.
"""

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.rest.deps import LanguageDep, PrincipalDep, SessionDep, SettingsDep
from api.rest.responses import NOT_FOUND
from api.services import scorecard_exports, scorecards, translations
from api.services.scorecard_exports import ScorecardFormat
from schema.enums import JurisdictionKind
from schema.scorecards import Comparison, Scorecard, ScorecardTrend, ScoreMap

router = APIRouter(tags=["scorecards"])


class ComparisonFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


MEDIA_TYPES = {"application/json": "json", "text/csv": "csv", "text/html": "html"}
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
HTML_MEDIA_TYPE = "text/html; charset=utf-8"

AsOf = Annotated[
    date | None,
    Query(
        description="Recompute from the status history as it stood at the end of this day (UTC), YYYY-MM-DD."
    ),
]
Descendants = Annotated[
    bool, Query(description="Roll up over every jurisdiction inside it (a state's counties and cities).")
]
Category = Annotated[str | None, Query(max_length=120, description="Score only this target category (slug).")]
Coalition = Annotated[
    str | None, Query(max_length=120, description="Count only this coalition's campaigns (slug).")
]
Kind = Annotated[JurisdictionKind, Query(description="The kind of jurisdiction compared, e.g. `county`.")]

_EXPORTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The scorecard, as JSON (default), CSV or a printable HTML page",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    },
    **NOT_FOUND,
}
_COMPARISON_EXPORTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The ranking, as JSON (default) or CSV",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    },
    **NOT_FOUND,
}


def _negotiate(requested: str | None, accept: str | None, allowed: set[str]) -> str:
    """The `format` asked for, else the first supported type the Accept header lists, else JSON."""
    if requested is not None:
        return requested
    for part in (accept or "").split(","):
        chosen = MEDIA_TYPES.get(part.split(";")[0].strip().lower())
        if chosen in allowed:
            return chosen
    return "json"


def _file(body: str, media_type: str, name: str, *, attachment: bool) -> Response:
    disposition = "attachment" if attachment else "inline"
    return Response(
        content=body.encode("utf-8"),
        media_type=media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{name}"', "Vary": "Accept"},
    )


def _file_name(prefix: str, slug: str, day: date | None, extension: str) -> str:
    return f"{prefix}-{slug}-{day.isoformat() if day else 'now'}.{extension}"


@router.get(
    "/jurisdictions/{ref:path}/scorecard/trend",
    response_model=ScorecardTrend,
    summary="Get a jurisdiction's score trend",
    operation_id="get_scorecard_trend",
    responses=NOT_FOUND,
)
def get_scorecard_trend(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    ref: str,
    start: Annotated[date | None, Query(description="First day (default: twelve months back).")] = None,
    end: Annotated[date | None, Query(description="Last day (default: today).")] = None,
    include_descendants: Descendants = False,
    category: Category = None,
    coalition: Coalition = None,
) -> ScorecardTrend:
    """The score and grade at the end of each month of a range (at most 120 months), recomputed from the
    append-only status history; the last point is the range's end."""
    return scorecards.get_trend(
        session=session,
        principal=principal,
        settings=settings,
        ref=ref,
        start=start,
        end=end,
        include_descendants=include_descendants,
        category=category,
        coalition=coalition,
    )


@router.get(
    "/jurisdictions/{ref:path}/scorecard",
    response_model=Scorecard,
    summary="Get a jurisdiction's scorecard",
    operation_id="get_scorecard",
    responses=_EXPORTS,
)
def get_scorecard(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    ref: str,
    format: Annotated[
        ScorecardFormat | None,
        Query(
            description="`json` (default), `csv` or `html`; without it, Accept `text/csv` or `text/html` chooses."
        ),
    ] = None,
    request: Request,
    as_of: AsOf = None,
    include_descendants: Descendants = False,
    category: Category = None,
    coalition: Coalition = None,
    language: LanguageDep,
) -> Any:
    """Where a jurisdiction (slug, id or OCD division ID) stands: per target category and overall, the
    count of leaf demands at each status, won share, score and grade; every leaf demand's status with the
    campaigns behind it; the stale campaigns. Anonymous readers count public campaigns only; members
    also count their coalitions' private ones, and every export says so (`includes_private_for`)."""
    card = scorecards.get_scorecard(
        session=session,
        principal=principal,
        settings=settings,
        ref=ref,
        as_of=as_of,
        include_descendants=include_descendants,
        category=category,
        coalition=coalition,
    )
    card = translations.localize_scorecard(session=session, card=card, language=language)
    chosen = _negotiate(format, request.headers.get("accept"), {"json", "csv", "html"})
    slug = card.jurisdiction.slug
    if chosen == "csv":
        name = _file_name("scorecard", slug, card.as_of, "csv")
        return _file(scorecard_exports.scorecard_csv(card), CSV_MEDIA_TYPE, name, attachment=True)
    if chosen == "html":
        name = _file_name("scorecard", slug, card.as_of, "html")
        return _file(scorecard_exports.scorecard_html(card), HTML_MEDIA_TYPE, name, attachment=False)
    return card


@router.get(
    "/jurisdictions/{ref:path}/comparison/map",
    response_model=ScoreMap,
    summary="Get map-ready scores of the jurisdictions under one",
    operation_id="get_scorecard_map",
    responses=NOT_FOUND,
)
def get_scorecard_map(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    ref: str,
    kind: Kind,
    as_of: AsOf = None,
    include_descendants: Descendants = False,
    category: Category = None,
    coalition: Coalition = None,
) -> ScoreMap:
    """Score, grade and rank of every jurisdiction of `kind` under `ref`, keyed by FIPS code (`by_fips`)
    and by OCD division ID (`by_ocd_id`), ready to join to map shapes."""
    return scorecards.get_map(
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


@router.get(
    "/jurisdictions/{ref:path}/comparison",
    response_model=Comparison,
    summary="Compare the jurisdictions under one",
    operation_id="compare_jurisdictions",
    responses=_COMPARISON_EXPORTS,
)
def compare_jurisdictions(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    ref: str,
    kind: Kind,
    format: Annotated[
        ComparisonFormat | None,
        Query(description="`json` (default) or `csv`; without it, an Accept of `text/csv` chooses CSV."),
    ] = None,
    request: Request,
    as_of: AsOf = None,
    include_descendants: Descendants = False,
    category: Category = None,
    coalition: Coalition = None,
) -> Any:
    """Every jurisdiction of `kind` anywhere under `ref` (the counties of a state, the cities of a county),
    ranked by score, best first; equal scores share a rank. `include_descendants` rolls each one up over
    the places inside it. CSV has one row per jurisdiction."""
    comparison = scorecards.get_comparison(
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
    if _negotiate(format, request.headers.get("accept"), {"json", "csv"}) == "csv":
        name = _file_name(f"comparison-{kind.value}", comparison.parent.slug, comparison.as_of, "csv")
        return _file(scorecard_exports.comparison_csv(comparison), CSV_MEDIA_TYPE, name, attachment=True)
    return comparison
