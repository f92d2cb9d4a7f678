"""Scorecard exports: CSV and printable HTML, drawn from the one computed object, each naming its rule.

Every export states the rule, weights, grades, date, filters and whose private campaigns it counts:
CSV in leading `# ` rows (one cell each; `pandas.read_csv(..., comment="#")` skips them), HTML in
its header. JSON is the API's own model (`Scorecard.model_dump_json()`).
"""

import csv
import io
from datetime import date
from enum import StrEnum
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from api.services.scorecard_charts import STATUS_COLOURS, category_bars, label, status_breakdown
from schema.enums import CampaignStatus
from schema.scorecards import Comparison, JurisdictionRef, Scorecard, ScorecardFilters, ScoringRule


class ScorecardFormat(StrEnum):
    """The exports of a scorecard."""

    JSON = "json"
    CSV = "csv"
    HTML = "html"


SCORECARD_COLUMNS = (
    "jurisdiction",
    "jurisdiction_name",
    "ocd_id",
    "fips",
    "as_of",
    "category",
    "group",
    "demand",
    "demand_title",
    "status",
    "weight",
    "campaign_count",
    "campaigns",
    "coalitions",
    "targets",
)
# Counts per status come in the enum's order, whatever the configured precedence, so columns never move.
COMPARISON_COLUMNS = (
    "rank",
    "jurisdiction",
    "jurisdiction_name",
    "kind",
    "ocd_id",
    "fips",
    "as_of",
    "leaf_count",
    "score",
    "grade",
    "won_share",
    *(status.value for status in CampaignStatus),
)

_templates = Environment(
    loader=PackageLoader("api", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def weights_text(rule: ScoringRule) -> str:
    return ", ".join(f"{status.value} {weight:g}" for status, weight in rule.weights.items())


def grades_text(rule: ScoringRule) -> str:
    return ", ".join(f"{band.grade} ≥ {band.min_score:g}" for band in rule.grades)


def filters_text(filters: ScorecardFilters) -> str:
    return "; ".join(
        [
            f"category: {filters.category or 'all'}",
            f"coalition: {filters.coalition or 'all'}",
            "includes places inside it" if filters.include_descendants else "this place only",
        ]
    )


def visibility_text(includes_private_for: list[str]) -> str:
    if not includes_private_for:
        return "public campaigns only"
    return "public campaigns, and the private campaigns of " + ", ".join(includes_private_for)


def as_of_text(as_of: date | None) -> str:
    return f"{as_of.isoformat()} (end of day, UTC)" if as_of else "now"


def header_lines(
    *,
    title: str,
    place: JurisdictionRef,
    as_of: date | None,
    computed: str,
    rule: ScoringRule,
    filters: ScorecardFilters,
    includes_private_for: list[str],
) -> list[tuple[str, str]]:
    """What every export says about how it was computed, as (label, text) pairs."""
    codes = ", ".join(code for code in (place.ocd_id, place.fips and f"FIPS {place.fips}") if code)
    return [
        (title, f"{place.name} ({place.kind.value}{', ' + codes if codes else ''})"),
        ("As of", as_of_text(as_of)),
        ("Computed at", computed),
        ("Rule", f"{rule.name}: {rule.description}"),
        ("Weights", weights_text(rule)),
        ("Grades", grades_text(rule)),
        ("Filters", filters_text(filters)),
        ("Counts", visibility_text(includes_private_for)),
    ]


def _card_header(card: Scorecard) -> list[tuple[str, str]]:
    return header_lines(
        title="Scorecard",
        place=card.jurisdiction,
        as_of=card.as_of,
        computed=card.computed_at.isoformat(timespec="seconds"),
        rule=card.rule,
        filters=card.filters,
        includes_private_for=card.includes_private_for,
    )


def _preamble(writer: Any, lines: list[tuple[str, str]]) -> None:
    for name, text in lines:
        writer.writerow([f"# {name}: {text}"])


def scorecard_csv(card: Scorecard) -> str:
    """One row per jurisdiction and leaf demand, in checklist order, after the `# ` rows that describe it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    _preamble(writer, _card_header(card))
    writer.writerow(SCORECARD_COLUMNS)
    place = card.jurisdiction
    day = (card.as_of or card.computed_at.date()).isoformat()
    for demand in card.demands:
        writer.writerow(
            [
                place.slug,
                place.name,
                place.ocd_id or "",
                place.fips or "",
                day,
                demand.category,
                demand.group or "",
                demand.slug,
                demand.title,
                demand.status.value,
                f"{demand.weight:g}",
                demand.campaign_count,
                " ".join(str(c.id) for c in demand.campaigns),
                " ".join(dict.fromkeys(c.coalition for c in demand.campaigns)),
                " ".join(dict.fromkeys(c.target for c in demand.campaigns)),
            ]
        )
    return out.getvalue()


def comparison_csv(comparison: Comparison) -> str:
    """One row per compared jurisdiction, best first, after the `# ` rows that describe the comparison."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    lines = header_lines(
        title=f"Comparison of every {comparison.kind.value} under",
        place=comparison.parent,
        as_of=comparison.as_of,
        computed=comparison.computed_at.isoformat(timespec="seconds"),
        rule=comparison.rule,
        filters=comparison.filters,
        includes_private_for=comparison.includes_private_for,
    )
    _preamble(writer, lines)
    writer.writerow(COMPARISON_COLUMNS)
    day = (comparison.as_of or comparison.computed_at.date()).isoformat()
    for entry in comparison.entries:
        place = entry.jurisdiction
        writer.writerow(
            [
                entry.rank,
                place.slug,
                place.name,
                place.kind.value,
                place.ocd_id or "",
                place.fips or "",
                day,
                entry.leaf_count,
                f"{entry.score:.1f}",
                entry.grade,
                f"{entry.won_share:.3f}",
                *(entry.counts.get(status, 0) for status in CampaignStatus),
            ]
        )
    return out.getvalue()


def scorecard_html(card: Scorecard) -> str:
    """A printable page (A4 or Letter): header, SVG charts, the demand table and the stale list."""
    return _templates.get_template("scorecard.html").render(
        card=card,
        header=_card_header(card),
        visibility=visibility_text(card.includes_private_for),
        category_chart=category_bars(card),
        status_chart=status_breakdown(card),
        colours={status.value: colour for status, colour in STATUS_COLOURS.items()},
        label=label,
        categories={c.slug: c.name for c in card.categories},
    )


def render_scorecard(card: Scorecard, form: ScorecardFormat) -> str:
    """The scorecard in one export format; JSON is the API's own model."""
    if form == ScorecardFormat.CSV:
        return scorecard_csv(card)
    if form == ScorecardFormat.HTML:
        return scorecard_html(card)
    return card.model_dump_json(indent=2) + "\n"
