"""Scorecards on a world small enough to score by hand: the rule, rollups, history, ranking, visibility.

The catalog is the seeded one: 41 leaf demands (elected officials 24, business 2, labor 6, attorney
general and police 2, consulates 4, community foundations 3). Weights: won 1, partially won 0.5, in
progress 0.25, made 0.1, others 0. Score = 100 x the mean weight over the leaves, to one decimal.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from api.errors import Invalid
from api.services import scorecards
from api.services.permissions import ANONYMOUS, Principal
from api.settings import Settings
from schema import Activity, Campaign, Coalition, Demand, Jurisdiction, StatusEvent, Target, TargetCategory
from schema.enums import ActivityKind, CampaignStatus, CoalitionRole, JurisdictionKind, Visibility
from tests.factories import OTHER, OWN, auth_headers, coalition_id

S = CampaignStatus
API = "/api/v1/jurisdictions"
NOW = datetime.now(UTC)
# The kyr-messaging campaign of the city: made on 1 March 2025, won late on 15 June 2025.
MADE_ON = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
WON_AT = datetime(2025, 6, 15, 23, 30, tzinfo=UTC)


@dataclass
class World:
    """Campaign ids by name, for assertions."""

    ids: dict[str, int]


def _id(session: Session, model: Any, slug: str) -> int:
    return int(session.execute(select(model.id).where(model.slug == slug)).scalar_one())


def _target(session: Session, slug: str, category: str, place: str) -> None:
    if session.execute(select(col(Target.id)).where(col(Target.slug) == slug)).first():
        return
    session.add(
        Target(
            slug=slug,
            name=slug.replace("-", " ").title(),
            category_id=_id(session, TargetCategory, category),
            jurisdiction_id=_id(session, Jurisdiction, place),
        )
    )
    session.flush()


def _campaign(
    session: Session,
    coalition: str,
    demand: str,
    target: str,
    history: list[tuple[CampaignStatus, datetime]],
    *,
    visibility: Visibility = Visibility.PUBLIC,
) -> int:
    """A campaign whose status is the last of `history`, each step recorded as a status event."""
    campaign = Campaign(
        coalition_id=coalition_id(session, coalition),
        demand_id=_id(session, Demand, demand),
        target_id=_id(session, Target, target),
        status=history[-1][0],
        visibility=visibility,
    )
    session.add(campaign)
    session.flush()
    assert campaign.id is not None
    previous = None
    for status, when in history:
        session.add(
            StatusEvent(campaign_id=campaign.id, from_status=previous, to_status=status, occurred_at=when)
        )
        previous = status
    session.flush()
    return campaign.id


def recent(days: int = 5) -> datetime:
    return NOW - timedelta(days=days)


def build_world(session: Session) -> World:
    """Los Angeles County (with the City of Los Angeles inside it) and two Texas counties with a city."""
    _target(session, "la-county-supervisors", "elected-officials", "los-angeles-county")
    _target(session, "la-county-consular-office", "consulates", "los-angeles-county")
    _target(session, "dallas-county-chamber", "business", "dallas-county")
    _target(session, "harris-county-chamber", "business", "harris-county")
    _target(session, "houston-chamber", "business", "houston")
    ids: dict[str, int] = {}
    sup, consular = "la-county-supervisors", "la-county-consular-office"
    # Los Angeles County itself.
    ids["county_won"] = _campaign(session, OWN, "rapid-response-network", sup, [(S.WON, recent())])
    ids["county_other_in_progress"] = _campaign(
        session, OTHER, "rapid-response-network", sup, [(S.IN_PROGRESS, recent())]
    )
    # Won in April 2025, reversed to partially won since: history keeps the win.
    ids["county_reversed"] = _campaign(
        session,
        OWN,
        "raid-scene-presence",
        sup,
        [
            (S.MADE, datetime(2025, 2, 1, tzinfo=UTC)),
            (S.WON, datetime(2025, 4, 1, tzinfo=UTC)),
            (S.PARTIALLY_WON, recent(10)),
        ],
    )
    ids["county_stale"] = _campaign(session, OWN, "document-raids", sup, [(S.MADE, recent(100))])
    ids["county_private_own"] = _campaign(
        session,
        OWN,
        "consulate-one-stop-shop",
        consular,
        [(S.WON, recent())],
        visibility=Visibility.COALITION,
    )
    ids["county_rejected"] = _campaign(session, OTHER, "direct-diplomacy", consular, [(S.REJECTED, recent())])
    ids["county_private_other"] = _campaign(
        session,
        OTHER,
        "post-raid-press-statement",
        sup,
        [(S.PARTIALLY_WON, recent())],
        visibility=Visibility.COALITION,
    )
    # A private activity keeps the stale campaign fresh for its coalition only.
    session.add(
        Activity(
            campaign_id=ids["county_stale"],
            kind=ActivityKind.MEETING,
            occurred_on=recent(10).date(),
            title="Met the supervisors' staff",
            visibility=Visibility.COALITION,
        )
    )
    # The City of Los Angeles, inside the county.
    ids["city_made"] = _campaign(
        session, OWN, "rapid-response-network", "los-angeles-city-council", [(S.MADE, recent())]
    )
    ids["city_won"] = _campaign(
        session, OWN, "kyr-messaging", "los-angeles-city-council", [(S.MADE, MADE_ON), (S.WON, WON_AT)]
    )
    ids["city_in_progress"] = _campaign(
        session,
        OWN,
        "consulate-raid-presence",
        "consulate-general-of-mexico-los-angeles",
        [(S.IN_PROGRESS, recent())],
    )
    # California itself.
    ids["state_won"] = _campaign(
        session, OTHER, "employer-info", "california-legislature", [(S.WON, recent())]
    )
    # Texas: Dallas County, Harris County and Houston inside Harris County; business has 2 leaves.
    ids["dallas_1"] = _campaign(
        session, OWN, "train-managers-raid-procedures", "dallas-county-chamber", [(S.WON, recent())]
    )
    ids["dallas_2"] = _campaign(
        session, OWN, "adopt-raid-best-practices", "dallas-county-chamber", [(S.WON, recent())]
    )
    ids["harris_1"] = _campaign(
        session, OTHER, "train-managers-raid-procedures", "harris-county-chamber", [(S.WON, recent())]
    )
    ids["harris_2"] = _campaign(
        session, OTHER, "adopt-raid-best-practices", "harris-county-chamber", [(S.IN_PROGRESS, recent())]
    )
    ids["houston"] = _campaign(
        session, OWN, "adopt-raid-best-practices", "houston-chamber", [(S.WON, recent())]
    )
    return World(ids=ids)


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def card(session: Session, ref: str, principal: Principal = ANONYMOUS, **options: Any) -> Any:
    return scorecards.get_scorecard(
        session=session, principal=principal, settings=Settings(_env_file=None), ref=ref, **options
    )


def member_of(session: Session, slug: str) -> Principal:
    return Principal(user_id=1, username="member", roles={coalition_id(session, slug): CoalitionRole.VIEWER})


# --- The rule, by hand ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "options", "score", "grade"),
    [
        # won 1 + partially won 0.5 + made 0.1 + rejected 0 = 1.6 / 41 = 3.90
        ("los-angeles-county", {}, 3.9, "F"),
        # won 1 + made 0.1 + in progress 0.25 = 1.35 / 41 = 3.29
        ("city-of-los-angeles", {}, 3.3, "F"),
        # county + city: won (rrn), partially won, made, won (kyr), in progress, rejected = 2.85 / 41 = 6.95
        ("los-angeles-county", {"include_descendants": True}, 7.0, "F"),
        # ...and California's own won campaign: 3.85 / 41 = 9.39
        ("california", {"include_descendants": True}, 9.4, "F"),
        ("california", {}, 2.4, "F"),
        # Consulates (4 leaves) in the city: in progress 0.25 / 4 = 6.25, rounded half up
        ("city-of-los-angeles", {"category": "consulates"}, 6.3, "F"),
        # Business (2 leaves): both won
        ("dallas-county", {"category": "business"}, 100.0, "A"),
        # won + in progress = 1.25 / 2
        ("harris-county", {"category": "business"}, 62.5, "B"),
        ("houston", {"category": "business"}, 50.0, "C"),
        ("harris-county", {"category": "business", "include_descendants": True}, 100.0, "A"),
        # Only ice-out-of-la's public campaigns in the county: in progress 0.25 / 41 = 0.61
        ("los-angeles-county", {"coalition": OTHER}, 0.6, "F"),
        ("texas", {}, 0.0, "F"),
        ("texas", {"include_descendants": True}, 4.9, "F"),
    ],
)
def test_scores_and_grades_computed_by_hand(
    session: Session, world: World, *, ref: str, options: dict[str, Any], score: float, grade: str
) -> None:
    result = card(session, ref, **options)
    assert (result.overall.score, result.overall.grade) == (score, grade)


def test_a_scorecard_shows_categories_demands_and_their_campaigns(session: Session, world: World) -> None:
    result = card(session, "los-angeles-county", include_descendants=True)
    assert result.overall.leaf_count == 41
    assert result.overall.counts == {
        S.WON: 2,
        S.PARTIALLY_WON: 1,
        S.IN_PROGRESS: 1,
        S.MADE: 1,
        S.STALLED: 0,
        S.REJECTED: 1,
        S.WITHDRAWN: 0,
        S.NOT_STARTED: 35,
    }
    assert result.overall.won_share == round(2 / 41, 3)
    assert [(c.slug, c.leaf_count) for c in result.categories] == [
        ("elected-officials", 24),
        ("business", 2),
        ("labor", 6),
        ("attorney-general-and-police", 2),
        ("consulates", 4),
        ("community-foundations", 3),
    ]
    elected = result.categories[0]
    # won 1 + partially 0.5 + made 0.1 + won 1 = 2.6 / 24 = 10.83
    assert (elected.score, elected.grade, elected.counts[S.WON]) == (10.8, "F", 2)
    consulates = result.categories[4]
    assert (consulates.score, consulates.counts[S.REJECTED]) == (6.3, 1)
    by_slug = {d.slug: d for d in result.demands}
    assert len(result.demands) == 41
    rrn = by_slug["rapid-response-network"]
    # Three campaigns ask for it here; the won one decides its status.
    assert (rrn.status, rrn.weight, rrn.campaign_count) == (S.WON, 1.0, 3)
    assert [c.id for c in rrn.campaigns] == [world.ids["county_won"]]
    assert rrn.campaigns[0].coalition == OWN
    assert rrn.campaigns[0].jurisdiction == "los-angeles-county"
    assert rrn.group == "be-present-at-raids"
    assert by_slug["kyr-messaging"].campaigns[0].jurisdiction == "city-of-los-angeles"
    assert by_slug["bargaining-protections"].status == S.NOT_STARTED
    assert by_slug["bargaining-protections"].campaigns == []
    assert result.jurisdiction.ocd_id == "ocd-division/country:us/state:ca/county:los_angeles"
    assert result.filters.include_descendants is True
    assert result.rule.name == "default"


def test_custom_weights_and_grades_come_from_settings(session: Session, world: World) -> None:
    settings = Settings(
        _env_file=None,
        scorecard_weights={"won": 1, "made": 1},
        scorecard_grades={"pass": 5, "fail": 0},
    )
    result = scorecards.get_scorecard(
        session=session, principal=ANONYMOUS, settings=settings, ref="city-of-los-angeles"
    )
    # won 1 + made 1 (in progress now weighs 0) = 2 / 41 = 4.88
    assert (result.overall.score, result.overall.grade) == (4.9, "fail")
    assert result.rule.name == "custom"
    assert result.rule.weights[S.IN_PROGRESS] == 0.0
    assert [band.grade for band in result.rule.grades] == ["pass", "fail"]


@pytest.mark.parametrize(
    "bad",
    [
        {"scorecard_weights": {"won": 1.5}},
        {"scorecard_weights": {"won": -0.1}},
        {"scorecard_grades": {"A": 80, "B": 60}},
        {"scorecard_grades": {"A": 80, "B": 80, "F": 0}},
        {"scorecard_grades": {"A": 120, "F": 0}},
        {"scorecard_precedence": ["won", "made"]},
    ],
)
def test_settings_refuse_weights_outside_0_to_1_and_incomplete_bands(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="scorecard"):
        Settings(_env_file=None, **bad)


def test_weights_and_grades_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMANDS_SCORECARD_WEIGHTS", '{"won": 1, "partially_won": 0.75}')
    monkeypatch.setenv("DEMANDS_SCORECARD_GRADES", '{"pass": 50, "fail": 0}')
    rule = scorecards.rule_from_settings(Settings(_env_file=None))
    assert (rule.weights[S.PARTIALLY_WON], rule.weights[S.MADE], rule.name) == (0.75, 0.0, "custom")
    assert (rule.grade(50.0), rule.grade(49.9)) == ("pass", "fail")


def test_rounding_is_half_up_on_exact_decimals() -> None:
    rule = scorecards.rule_from_settings(Settings(_env_file=None))
    assert scorecards.score_of(rule, [S.IN_PROGRESS, S.NOT_STARTED, S.NOT_STARTED, S.NOT_STARTED]) == 6.3
    assert scorecards.score_of(rule, [S.IN_PROGRESS] + [S.NOT_STARTED] * 7) == 3.1  # 3.125
    assert scorecards.score_of(rule, []) == 0.0
    assert rule.grade(80.0) == "A"
    assert rule.grade(79.9) == "B"
    assert rule.grade(19.9) == "F"


# --- Stale campaigns --------------------------------------------------------------------------------


def test_stale_campaigns_are_open_and_quiet_for_what_the_reader_can_see(
    session: Session, world: World
) -> None:
    anonymous = card(session, "los-angeles-county")
    assert [c.id for c in anonymous.stale] == [world.ids["county_stale"]]
    stale = anonymous.stale[0]
    assert (stale.status, stale.demand, stale.coalition) == (S.MADE, "document-raids", OWN)
    assert stale.last_activity_at is not None
    assert stale.last_activity_at.date() == recent(100).date()
    # The coalition sees its own private meeting ten days ago: not stale to them.
    assert card(session, "los-angeles-county", member_of(session, OWN)).stale == []


# --- As of a past day ------------------------------------------------------------------------------


def test_as_of_recomputes_from_the_history_before_and_after_a_change(session: Session, world: World) -> None:
    city = "city-of-los-angeles"
    before = card(session, city, as_of=date(2025, 6, 14))
    after = card(session, city, as_of=date(2025, 6, 15))
    # Only the kyr-messaging campaign existed: made (0.1 / 41), then won at 23:30 UTC on the 15th (1 / 41).
    assert (before.overall.score, after.overall.score) == (0.2, 2.4)
    assert {d.slug: d.status for d in before.demands}["kyr-messaging"] == S.MADE
    assert {d.slug: d.status for d in after.demands}["kyr-messaging"] == S.WON
    assert after.as_of == date(2025, 6, 15)
    # Before anything was recorded, nothing counts.
    empty = card(session, city, as_of=date(2025, 2, 28))
    assert (empty.overall.score, empty.overall.counts[S.NOT_STARTED]) == (0.0, 41)
    assert all(d.campaign_count == 0 for d in empty.demands)


def test_as_of_keeps_a_win_that_was_later_reversed(session: Session, world: World) -> None:
    then = card(session, "los-angeles-county", as_of=date(2025, 6, 15))
    # Only the raid-scene-presence campaign existed then, and it was won (reversed to partially won since).
    assert then.overall.score == 2.4
    assert {d.slug: d.status for d in then.demands}["raid-scene-presence"] == S.WON
    now = card(session, "los-angeles-county")
    assert {d.slug: d.status for d in now.demands}["raid-scene-presence"] == S.PARTIALLY_WON


def test_as_of_stale_list_is_as_it_stood_that_day(session: Session, world: World) -> None:
    # On 15 June 2025 the city's kyr campaign was open (made on 1 March): more than 60 quiet days.
    stale = card(session, "city-of-los-angeles", as_of=date(2025, 6, 14)).stale
    assert [(c.id, c.status) for c in stale] == [(world.ids["city_won"], S.MADE)]
    assert stale[0].last_activity_at == MADE_ON
    assert card(session, "city-of-los-angeles", as_of=date(2025, 4, 1)).stale == []


def test_trend_gives_the_score_at_each_month_end(session: Session, world: World) -> None:
    trend = scorecards.get_trend(
        session=session,
        principal=ANONYMOUS,
        settings=Settings(_env_file=None),
        ref="city-of-los-angeles",
        start=date(2025, 1, 1),
        end=date(2025, 7, 20),
    )
    assert [(p.month, p.as_of, p.score) for p in trend.points] == [
        ("2025-01", date(2025, 1, 31), 0.0),
        ("2025-02", date(2025, 2, 28), 0.0),
        ("2025-03", date(2025, 3, 31), 0.2),
        ("2025-04", date(2025, 4, 30), 0.2),
        ("2025-05", date(2025, 5, 31), 0.2),
        ("2025-06", date(2025, 6, 30), 2.4),
        ("2025-07", date(2025, 7, 20), 2.4),
    ]
    assert {p.grade for p in trend.points} == {"F"}


# --- Comparison -------------------------------------------------------------------------------------


def compare(session: Session, ref: str, kind: JurisdictionKind, **options: Any) -> Any:
    return scorecards.get_comparison(
        session=session, principal=ANONYMOUS, settings=Settings(_env_file=None), ref=ref, kind=kind, **options
    )


def test_comparison_ranks_by_score_and_ties_share_a_rank(session: Session, world: World) -> None:
    counties = compare(session, "texas", JurisdictionKind.COUNTY, category="business")
    assert [(e.rank, e.jurisdiction.slug, e.score, e.grade) for e in counties.entries] == [
        (1, "dallas-county", 100.0, "A"),
        (2, "harris-county", 62.5, "B"),
    ]
    rolled = compare(session, "texas", JurisdictionKind.COUNTY, category="business", include_descendants=True)
    assert [(e.rank, e.jurisdiction.slug, e.score) for e in rolled.entries] == [
        (1, "dallas-county", 100.0),
        (1, "harris-county", 100.0),
    ]
    cities = compare(session, "texas", JurisdictionKind.CITY)
    assert [(e.rank, e.jurisdiction.slug, e.score) for e in cities.entries] == [
        (1, "houston", 2.4),
        (2, "dallas", 0.0),
    ]


def test_comparison_of_every_county_in_the_country(session: Session, world: World) -> None:
    entries = compare(session, "united-states", JurisdictionKind.COUNTY).entries
    assert [(e.rank, e.jurisdiction.slug, e.score) for e in entries[:4]] == [
        (1, "dallas-county", 4.9),
        (2, "los-angeles-county", 3.9),
        (3, "harris-county", 3.0),
        (4, "cook-county", 0.0),
    ]
    assert {e.rank for e in entries[3:]} == {4}
    assert len(entries) == 8


def test_comparison_as_of_a_past_day(session: Session, world: World) -> None:
    entries = compare(session, "california", JurisdictionKind.COUNTY, as_of=date(2025, 6, 15)).entries
    assert [(e.jurisdiction.slug, e.score) for e in entries] == [("los-angeles-county", 2.4)]
    rolled = compare(
        session, "california", JurisdictionKind.COUNTY, as_of=date(2025, 6, 15), include_descendants=True
    )
    # raid-scene-presence won in the county and kyr-messaging won in the city: 2 / 41
    assert [(e.jurisdiction.slug, e.score) for e in rolled.entries] == [("los-angeles-county", 4.9)]


def test_map_is_keyed_by_fips_and_ocd_id(session: Session, world: World) -> None:
    found = scorecards.get_map(
        session=session,
        principal=ANONYMOUS,
        settings=Settings(_env_file=None),
        ref="texas",
        kind=JurisdictionKind.COUNTY,
    )
    assert set(found.by_fips) == {"48113", "48201"}
    assert found.by_fips["48113"].score == 4.9
    assert found.by_ocd_id["ocd-division/country:us/state:tx/county:harris"].grade == "F"
    assert found.by_ocd_id["ocd-division/country:us/state:tx/county:harris"].rank == 2


# --- Visibility -------------------------------------------------------------------------------------


def test_visibility_decides_what_counts_and_is_named(session: Session, world: World) -> None:
    county = "los-angeles-county"
    anonymous = card(session, county)
    own = card(session, county, member_of(session, OWN))
    other = card(session, county, member_of(session, OTHER))
    admin = card(session, county, Principal(user_id=1, username="admin", is_site_admin=True))
    # + won (own's private) = 2.6 / 41; + partially won (other's private) = 2.1 / 41; both = 3.1 / 41
    assert [c.overall.score for c in (anonymous, own, other, admin)] == [3.9, 6.3, 5.1, 7.6]
    assert [c.includes_private_for for c in (anonymous, own, other)] == [[], [OWN], [OTHER]]
    assert admin.includes_private_for == sorted(session.execute(select(col(Coalition.slug))).scalars().all())
    ids = {c.id for d in anonymous.demands for c in d.campaigns}
    assert world.ids["county_private_own"] not in ids
    assert world.ids["county_private_own"] in {c.id for d in own.demands for c in d.campaigns}
    # A coalition filter narrows what is named, too.
    assert card(session, county, member_of(session, OWN), coalition=OTHER).includes_private_for == []


def test_comparisons_and_trends_respect_visibility(session: Session, world: World) -> None:
    own = member_of(session, OWN)
    settings = Settings(_env_file=None)
    public = compare(session, "california", JurisdictionKind.COUNTY).entries[0].score
    private = scorecards.get_comparison(
        session=session, principal=own, settings=settings, ref="california", kind=JurisdictionKind.COUNTY
    )
    assert (public, private.entries[0].score, private.includes_private_for) == (3.9, 6.3, [OWN])
    trend = scorecards.get_trend(
        session=session, principal=own, settings=settings, ref="los-angeles-county", end=NOW.date()
    )
    assert trend.points[-1].score == 6.3
    assert trend.includes_private_for == [OWN]


# --- Bounded queries --------------------------------------------------------------------------------


def test_queries_do_not_grow_with_campaigns(
    session: Session, world: World, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    own = member_of(session, OWN)
    settings = Settings(_env_file=None)

    def run_all() -> list[int]:
        counts = []
        for work in (
            lambda: card(session, "los-angeles-county", own, include_descendants=True),
            lambda: card(session, "los-angeles-county", own, as_of=date(2025, 6, 15), category="consulates"),
            lambda: scorecards.get_trend(
                session=session, principal=own, settings=settings, ref="los-angeles-county", end=NOW.date()
            ),
            lambda: compare(session, "united-states", JurisdictionKind.COUNTY, include_descendants=True),
        ):
            with count_queries() as statements:
                work()
            counts.append(len(statements))
        return counts

    before = run_all()
    # place (2), leaves, private coalitions, statuses, stale (+1 for a category); trend and ranking: one aggregate
    assert before == [6, 7, 5, 5]
    _target(session, "la-county-growth", "elected-officials", "los-angeles-county")
    _target(session, "city-growth", "elected-officials", "city-of-los-angeles")
    leaves = session.execute(select(col(Demand.slug)).where(col(Demand.parent_id).is_not(None))).scalars()
    for index, slug in enumerate(list(leaves)[:30]):
        _campaign(
            session,
            OWN,
            slug,
            "la-county-growth" if index % 2 else "city-growth",
            [(S.MADE, recent(200)), (S.IN_PROGRESS, recent(3))],
        )
    assert run_all() == before


# --- Over HTTP --------------------------------------------------------------------------------------


def test_scorecard_route_takes_an_ocd_id(client: httpx.Client, world: World) -> None:
    response = client.get(
        f"{API}/ocd-division/country:us/state:ca/scorecard", params={"include_descendants": True}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["jurisdiction"]["slug"] == "california"
    assert body["overall"]["score"] == 9.4
    assert body["includes_private_for"] == []
    assert body["rule"]["weights"]["won"] == 1.0
    assert body["filters"] == {"category": None, "coalition": None, "include_descendants": True}
    assert client.get(f"{API}/los-angeles-county/scorecard").json()["overall"]["score"] == 3.9
    assert client.get(f"{API}/ocd-division/country:us/state:ca").json()["slug"] == "california"


def test_a_member_token_counts_private_campaigns(
    client: httpx.Client, session: Session, world: World
) -> None:
    headers = auth_headers(session, roles={OWN: CoalitionRole.VIEWER})
    body = client.get(f"{API}/los-angeles-county/scorecard", headers=headers).json()
    assert (body["overall"]["score"], body["includes_private_for"]) == (6.3, [OWN])


def test_trend_comparison_and_map_routes(client: httpx.Client, world: World) -> None:
    trend = client.get(
        f"{API}/city-of-los-angeles/scorecard/trend", params={"start": "2025-05-01", "end": "2025-06-30"}
    )
    assert trend.status_code == 200, trend.text
    assert [(p["month"], p["score"]) for p in trend.json()["points"]] == [("2025-05", 0.2), ("2025-06", 2.4)]
    ranking = client.get(f"{API}/texas/comparison", params={"kind": "county", "category": "business"})
    assert ranking.status_code == 200, ranking.text
    assert [(e["rank"], e["jurisdiction"]["slug"]) for e in ranking.json()["entries"]] == [
        (1, "dallas-county"),
        (2, "harris-county"),
    ]
    found = client.get(f"{API}/ocd-division/country:us/state:tx/comparison/map", params={"kind": "county"})
    assert found.status_code == 200, found.text
    assert found.json()["by_fips"]["48113"]["score"] == 4.9


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("nowhere/scorecard", {}, 404, "not_found"),
        ("california/scorecard", {"category": "nope"}, 404, "not_found"),
        ("california/scorecard", {"coalition": "nope"}, 404, "not_found"),
        ("california/scorecard", {"as_of": "2999-01-01"}, 422, "validation_failed"),
        ("california/scorecard", {"as_of": "15/06/2025"}, 422, "validation_failed"),
        ("california/scorecard", {"format": "pdf"}, 422, "validation_failed"),
        ("california/comparison", {}, 422, "validation_failed"),
        ("california/comparison", {"kind": "planet"}, 422, "validation_failed"),
        (
            "california/scorecard/trend",
            {"start": "2010-01-01", "end": "2025-01-01"},
            422,
            "validation_failed",
        ),
        (
            "california/scorecard/trend",
            {"start": "2025-02-01", "end": "2025-01-01"},
            422,
            "validation_failed",
        ),
    ],
)
def test_refusals_are_problems(
    client: httpx.Client, path: str, params: dict[str, str], status: int, code: str
) -> None:
    response = client.get(f"{API}/{path}", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def test_scorecard_leaves_of_an_empty_category_are_refused(session: Session) -> None:
    session.add(TargetCategory(slug="schools", name="Schools", position=99))
    session.flush()
    with pytest.raises(Invalid, match="no leaf demands"):
        card(session, "california", category="schools")


def test_a_retired_demand_leaves_new_scorecards_but_not_past_ones(
    client: httpx.Client, session: Session
) -> None:
    """Retiring keeps history: a scorecard as of before the retirement still counts the item."""
    admin = auth_headers(session, site_admin=True)
    before = client.get("/api/v1/jurisdictions/california/scorecard").json()["overall"]["leaf_count"]
    assert client.post("/api/v1/demands/kyr-messaging/retire", headers=admin).status_code == 200
    after = client.get("/api/v1/jurisdictions/california/scorecard").json()["overall"]["leaf_count"]
    assert after == before - 1
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    past = client.get("/api/v1/jurisdictions/california/scorecard", params={"as_of": yesterday}).json()
    assert past["overall"]["leaf_count"] == before
