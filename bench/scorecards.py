"""Scorecard benchmark on a national-scale world (not a timed test): run it, read the figures.

    python bench/scorecards.py                                   # SQLite file /tmp/demands-bench.db
    python bench/scorecards.py --database-url postgresql://postgres@127.0.0.1:5432/demands_bench

It builds (unless `--reuse` finds one) every US state and DC with the seeded catalog's 41 leaf
demands, 3,143 county-level places with FIPS codes and OCD IDs, 10 coalitions, one target per place
and category, 100,000 campaigns and 1,000,000 status events (plus 50,000 activities), bulk-inserted
(executemany on SQLite, COPY on PostgreSQL). State names and FIPS codes are the real ones; the
counties' numbers per state are the real ones, but their FIPS codes (state + odd 3-digit numbers) and
names are synthetic, except the counties the seed already holds. Then it times, through the service
functions: one county's scorecard, a state rolled up over its counties, and the ranking of every
county of the state with the most counties (Texas, 254).

Everything is deterministic (seeded random numbers), so two runs build the same world.
"""

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlmodel import Session, col

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import migrations
from api.db import create_db_engine
from api.services import scorecard_exports, scorecards
from api.services.bootstrap import seed_from_file
from api.services.permissions import ANONYMOUS, Principal
from api.services.transitions import ALLOWED, CLOSED
from api.settings import Settings
from schema import (
    Activity,
    Campaign,
    Coalition,
    Demand,
    Jurisdiction,
    StatusEvent,
    Target,
    TargetCategory,
)
from schema.enums import ActivityKind, CampaignStatus, CoalitionRole, JurisdictionKind, Visibility

# (name, postal code, FIPS, number of counties or equivalents)
STATES = [
    ("Alabama", "al", "01", 67), ("Alaska", "ak", "02", 30), ("Arizona", "az", "04", 15),
    ("Arkansas", "ar", "05", 75), ("California", "ca", "06", 58), ("Colorado", "co", "08", 64),
    ("Connecticut", "ct", "09", 8), ("Delaware", "de", "10", 3), ("District of Columbia", "dc", "11", 1),
    ("Florida", "fl", "12", 67), ("Georgia", "ga", "13", 159), ("Hawaii", "hi", "15", 5),
    ("Idaho", "id", "16", 44), ("Illinois", "il", "17", 102), ("Indiana", "in", "18", 92),
    ("Iowa", "ia", "19", 99), ("Kansas", "ks", "20", 105), ("Kentucky", "ky", "21", 120),
    ("Louisiana", "la", "22", 64), ("Maine", "me", "23", 16), ("Maryland", "md", "24", 24),
    ("Massachusetts", "ma", "25", 14), ("Michigan", "mi", "26", 83), ("Minnesota", "mn", "27", 87),
    ("Mississippi", "ms", "28", 82), ("Missouri", "mo", "29", 115), ("Montana", "mt", "30", 56),
    ("Nebraska", "ne", "31", 93), ("Nevada", "nv", "32", 17), ("New Hampshire", "nh", "33", 10),
    ("New Jersey", "nj", "34", 21), ("New Mexico", "nm", "35", 33), ("New York", "ny", "36", 62),
    ("North Carolina", "nc", "37", 100), ("North Dakota", "nd", "38", 53), ("Ohio", "oh", "39", 88),
    ("Oklahoma", "ok", "40", 77), ("Oregon", "or", "41", 36), ("Pennsylvania", "pa", "42", 67),
    ("Rhode Island", "ri", "44", 5), ("South Carolina", "sc", "45", 46), ("South Dakota", "sd", "46", 66),
    ("Tennessee", "tn", "47", 95), ("Texas", "tx", "48", 254), ("Utah", "ut", "49", 29),
    ("Vermont", "vt", "50", 14), ("Virginia", "va", "51", 133), ("Washington", "wa", "53", 39),
    ("West Virginia", "wv", "54", 55), ("Wisconsin", "wi", "55", 72), ("Wyoming", "wy", "56", 23),
]  # fmt: skip
COALITIONS = 10
ACTIVITIES = 50_000
SEED = 20261122
START = datetime(2023, 1, 1, tzinfo=UTC)
BATCH = 20_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def chunks(rows: Sequence[dict[str, Any]], size: int = BATCH) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def bulk_insert(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY on PostgreSQL, executemany on SQLite; one transaction."""
    if not rows:
        return
    table = model.__table__
    columns = list(rows[0])
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            raw = connection.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cursor:
                names = ", ".join(columns)
                with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([_plain(row[c]) for c in columns])
        else:
            for part in chunks(rows):
                connection.execute(insert(table), list(part))


def _plain(value: Any) -> Any:
    return (
        value.value
        if isinstance(value, CampaignStatus | Visibility | JurisdictionKind | ActivityKind)
        else value
    )


def slugify(name: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in name.lower()).split())


def build(engine: Engine, settings: Settings, campaigns: int, events: int) -> None:
    """A fresh database at head with the seed, then the national world, then fresh planner statistics."""
    rng = random.Random(SEED)
    log("emptying the database, migrating and seeding the catalog")
    empty(engine)
    migrations.upgrade(engine)
    seed_from_file(engine=engine, path=settings.seed_file)
    now = datetime.now(UTC)
    state_ids, county_ids = add_places(engine, now)
    coalition_ids = add_coalitions(engine, now)
    target_of = add_targets(engine, now, list(state_ids) + county_ids)
    campaign_rows = add_campaigns(
        engine,
        rng,
        campaigns=campaigns,
        events=events,
        places=(state_ids, county_ids),
        coalition_ids=coalition_ids,
        target_of=target_of,
    )
    add_activities(engine, rng, now, campaign_rows)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            for table in ("jurisdiction", "coalition", "target", "campaign", "status_event", "activity"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
    analyze(engine)
    log("built")


def empty(engine: Engine) -> None:
    """Start from nothing: a throwaway database is expected (the PostgreSQL schema `public` is recreated)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        return
    database = engine.url.database
    engine.dispose()
    if database:
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)


def add_places(engine: Engine, now: datetime) -> tuple[list[int], list[int]]:
    """Every state and DC, and every county, reusing the ones the seed holds (matched by FIPS)."""
    with Session(engine) as session:
        nation = session.execute(
            select(col(Jurisdiction.id)).where(col(Jurisdiction.slug) == "united-states")
        ).scalar_one()
        by_fips = dict(
            session.execute(
                select(col(Jurisdiction.fips), col(Jurisdiction.id)).where(
                    col(Jurisdiction.fips).is_not(None)
                )
            ).all()
        )
        slugs = set(session.execute(select(col(Jurisdiction.slug))).scalars())
        next_id = int(session.execute(select(func.max(col(Jurisdiction.id)))).scalar_one()) + 1
    rows: list[dict[str, Any]] = []
    state_ids: dict[str, int] = {}
    for name, postal, fips, _ in STATES:
        if fips in by_fips:
            state_ids[fips] = by_fips[fips]
            continue
        slug = slugify(name) if slugify(name) not in slugs else f"{slugify(name)}-state"
        state_ids[fips] = next_id
        rows.append(
            _place(
                next_id, slug=slug, name=name, kind=JurisdictionKind.STATE, parent=nation, fips=fips, now=now,
                postal=postal,
            )
        )  # fmt: skip
        next_id += 1
    county_ids: list[int] = []
    for name, postal, fips, count in STATES:
        for index in range(count):
            code = f"{fips}{2 * index + 1:03d}"
            if code in by_fips:
                county_ids.append(by_fips[code])
                continue
            rows.append(
                _place(
                    next_id, slug=f"{postal}-county-{code[2:]}", name=f"County {code[2:]} of {name}",
                    kind=JurisdictionKind.COUNTY, parent=state_ids[fips], fips=code, now=now, postal=postal,
                )
            )  # fmt: skip
            county_ids.append(next_id)
            next_id += 1
    # States first: counties refer to them.
    bulk_insert(engine, Jurisdiction, sorted(rows, key=lambda row: row["kind"] != JurisdictionKind.STATE))
    log(f"{len(state_ids)} states and DC, {len(county_ids)} counties ({len(rows)} places added)")
    return list(state_ids.values()), county_ids


def add_coalitions(engine: Engine, now: datetime) -> list[int]:
    with Session(engine) as session:
        ids = list(session.execute(select(col(Coalition.id))).scalars())
    rows = []
    for number in range(len(ids) + 1, COALITIONS + 1):
        rows.append(
            {
                "id": max(ids) + number,
                "slug": f"bench-coalition-{number}",
                "name": f"Benchmark Coalition {number}",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    bulk_insert(engine, Coalition, rows)
    return ids + [row["id"] for row in rows]


def add_targets(engine: Engine, now: datetime, places: list[int]) -> dict[tuple[int, int], int]:
    """One target per place and category; (place, category) -> target id."""
    with Session(engine) as session:
        categories = dict(session.execute(select(col(TargetCategory.id), col(TargetCategory.slug))).all())
        next_id = int(session.execute(select(func.coalesce(func.max(col(Target.id)), 0))).scalar_one()) + 1
    rows = []
    target_of: dict[tuple[int, int], int] = {}
    for place_id in places:
        for category_id, category_slug in categories.items():
            rows.append(
                {
                    "id": next_id,
                    "slug": f"bench-{place_id}-{category_slug}",
                    "name": f"Benchmark {category_slug} target {place_id}",
                    "category_id": category_id,
                    "jurisdiction_id": place_id,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            target_of[place_id, category_id] = next_id
            next_id += 1
    bulk_insert(engine, Target, rows)
    log(f"{len(rows):,} targets")
    return target_of


def history_lengths(rng: random.Random, campaigns: int, events: int) -> list[int]:
    """Events per campaign: exactly `events` in all, each campaign between 1 and twice the mean."""
    lengths = [events // campaigns] * campaigns
    lengths[-1] += events - sum(lengths)
    spread = max(0, events // campaigns - 1)
    for index in range(0, campaigns - 1, 2):
        shift = rng.randint(-spread, spread)
        lengths[index] += shift
        lengths[index + 1] -= shift
    return lengths


def add_campaigns(
    engine: Engine,
    rng: random.Random,
    *,
    campaigns: int,
    events: int,
    places: tuple[list[int], list[int]],
    coalition_ids: list[int],
    target_of: dict[tuple[int, int], int],
) -> list[dict[str, Any]]:
    """Campaigns on leaf demands (10% at state level), each with a history walking the transition table."""
    log(f"{campaigns:,} campaigns with {events:,} status events")
    states, counties = places
    with Session(engine) as session:
        pairs = session.execute(select(col(Demand.id), col(Demand.category_id))).all()
        groups = set(
            session.execute(select(col(Demand.parent_id)).where(col(Demand.parent_id).is_not(None))).scalars()
        )
        next_campaign = (
            int(session.execute(select(func.coalesce(func.max(col(Campaign.id)), 0))).scalar_one()) + 1
        )
        next_event = (
            int(session.execute(select(func.coalesce(func.max(col(StatusEvent.id)), 0))).scalar_one()) + 1
        )
    leaves = [(demand_id, category) for demand_id, category in pairs if demand_id not in groups]
    lengths = history_lengths(rng, campaigns, events)
    span = (datetime.now(UTC) - timedelta(days=1) - START).total_seconds()
    seen: set[tuple[int, int, int]] = set()
    campaign_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    for length in lengths:
        while True:
            place = rng.choice(states) if rng.random() < 0.1 else rng.choice(counties)
            demand_id, category_id = rng.choice(leaves)
            key = (rng.choice(coalition_ids), demand_id, target_of[place, category_id])
            if key not in seen:
                seen.add(key)
                break
        moments = sorted(START + timedelta(seconds=rng.random() * span) for _ in range(length))
        status: CampaignStatus | None = None
        for moment in moments:
            new = rng.choice(ALLOWED[status] if status is not None else (CampaignStatus.MADE,))
            event_rows.append(
                {
                    "id": next_event,
                    "campaign_id": next_campaign,
                    "from_status": status,
                    "to_status": new,
                    "occurred_at": moment,
                    "recorded_at": moment,
                }
            )
            next_event += 1
            status = new
        assert status is not None
        campaign_rows.append(
            {
                "id": next_campaign,
                "coalition_id": key[0],
                "demand_id": key[1],
                "target_id": key[2],
                "status": status,
                "visibility": Visibility.PUBLIC if rng.random() < 0.7 else Visibility.COALITION,
                "notes_visibility": Visibility.COALITION,
                "closed_date": moments[-1].date() if status in CLOSED else None,
                "progress_count": 0,
                "version": len(moments),
                "created_at": moments[0],
                "updated_at": moments[-1],
            }
        )
        next_campaign += 1
    bulk_insert(engine, Campaign, campaign_rows)
    log(f"{len(campaign_rows):,} campaigns inserted")
    bulk_insert(engine, StatusEvent, event_rows)
    log(f"{len(event_rows):,} status events inserted")
    return campaign_rows


def add_activities(
    engine: Engine, rng: random.Random, now: datetime, campaigns: list[dict[str, Any]]
) -> None:
    span = (now - timedelta(days=1) - START).total_seconds()
    rows = [
        {
            "campaign_id": rng.choice(campaigns)["id"],
            "kind": ActivityKind.MEETING,
            "occurred_on": (START + timedelta(seconds=rng.random() * span)).date(),
            "title": "Benchmark meeting",
            "visibility": Visibility.PUBLIC if rng.random() < 0.5 else Visibility.COALITION,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for _ in range(ACTIVITIES)
    ]
    bulk_insert(engine, Activity, rows)
    log(f"{len(rows):,} activities inserted")


def analyze(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def _place(
    place_id: int,
    *,
    slug: str,
    name: str,
    kind: JurisdictionKind,
    parent: int,
    fips: str,
    now: datetime,
    postal: str,
) -> dict[str, Any]:
    division = f"ocd-division/country:us/state:{postal}"
    if kind == JurisdictionKind.COUNTY:
        division += f"/county:county_{fips[2:]}"
    if kind == JurisdictionKind.STATE and postal == "dc":
        division = "ocd-division/country:us/district:dc"
    return {
        "id": place_id,
        "slug": slug,
        "name": name,
        "kind": kind,
        "parent_id": parent,
        "ocd_id": division,
        "fips": fips,
        "iso_code": f"US-{postal.upper()}" if kind == JurisdictionKind.STATE else None,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def timed(work: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Milliseconds of each run after two warm-up runs, and the last result."""
    result = None
    for _ in range(2):
        result = work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def measure(engine: Engine, settings: Settings, runs: int) -> list[tuple[str, list[float], str]]:
    with Session(engine) as session:
        counts = {
            "campaigns": session.execute(select(func.count()).select_from(Campaign)).scalar_one(),
            "status events": session.execute(select(func.count()).select_from(StatusEvent)).scalar_one(),
            "counties": session.execute(
                select(func.count()).where(col(Jurisdiction.kind) == JurisdictionKind.COUNTY)
            ).scalar_one(),
            "states": session.execute(
                select(func.count()).where(col(Jurisdiction.kind) == JurisdictionKind.STATE)
            ).scalar_one(),
        }
        member = Principal(
            user_id=1,
            username="bench",
            roles={
                session.execute(select(col(Coalition.id)).order_by(col(Coalition.id))).scalars().first()
                or 1: (CoalitionRole.VIEWER)
            },
        )
        log("world: " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
        county = "ocd-division/country:us/state:ca/county:los_angeles"
        past = date.today() - timedelta(days=365)
        cases: list[tuple[str, Callable[[], Any]]] = [
            (
                "county scorecard (Los Angeles County, anonymous)",
                lambda: scorecards.get_scorecard(
                    session=session, principal=ANONYMOUS, settings=settings, ref=county
                ),
            ),
            (
                "county scorecard, coalition member",
                lambda: scorecards.get_scorecard(
                    session=session, principal=member, settings=settings, ref=county
                ),
            ),
            (
                "county scorecard as of a year ago",
                lambda: scorecards.get_scorecard(
                    session=session, principal=ANONYMOUS, settings=settings, ref=county, as_of=past
                ),
            ),
            (
                "county scorecard rendered as HTML",
                lambda: scorecard_exports.scorecard_html(
                    scorecards.get_scorecard(
                        session=session, principal=ANONYMOUS, settings=settings, ref=county
                    )
                ),
            ),
            (
                "state rollup (Texas with its 254 counties)",
                lambda: scorecards.get_scorecard(
                    session=session,
                    principal=ANONYMOUS,
                    settings=settings,
                    ref="texas",
                    include_descendants=True,
                ),
            ),
            (
                "state rollup (California with its 58 counties)",
                lambda: scorecards.get_scorecard(
                    session=session,
                    principal=ANONYMOUS,
                    settings=settings,
                    ref="california",
                    include_descendants=True,
                ),
            ),
            (
                "ranking of Texas's 254 counties",
                lambda: scorecards.get_comparison(
                    session=session,
                    principal=ANONYMOUS,
                    settings=settings,
                    ref="texas",
                    kind=JurisdictionKind.COUNTY,
                ),
            ),
            (
                "ranking of Texas's 254 counties as of a year ago",
                lambda: scorecards.get_comparison(
                    session=session,
                    principal=ANONYMOUS,
                    settings=settings,
                    ref="texas",
                    kind=JurisdictionKind.COUNTY,
                    as_of=past,
                ),
            ),
            (
                "county trend, 12 months",
                lambda: scorecards.get_trend(
                    session=session, principal=ANONYMOUS, settings=settings, ref=county
                ),
            ),
        ]
        # As the server does once started (docs/decisions.md): long-lived objects leave the collector's
        # generations, so a full collection does not rescan them in the middle of a request.
        gc.collect()
        gc.freeze()
        results = []
        for name, work in cases:
            times, result = timed(work, runs)
            note = ""
            if hasattr(result, "overall"):
                note = f"score {result.overall.score}, {len(result.stale)} stale"
            elif hasattr(result, "entries"):
                note = f"{len(result.entries)} ranked"
            log(f"{name}: median {statistics.median(times):.1f} ms ({note})")
            results.append((name, times, note))
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/demands-bench.db")
    parser.add_argument("--campaigns", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="Measure the world already there.")
    args = parser.parse_args()
    settings = Settings(database_url=args.database_url, _env_file=None)
    engine = create_db_engine(settings)
    try:
        if not args.reuse:
            started = time.perf_counter()
            build(engine, settings, args.campaigns, args.events)
            log(f"built in {time.perf_counter() - started:.0f} s")
        results = measure(engine, settings, args.runs)
    finally:
        engine.dispose()
    print(f"\n{engine.dialect.name}, {args.runs} runs each after 2 warm-ups\n")
    print("| operation | median ms | p90 ms | min ms | result |")
    print("|---|---:|---:|---:|---|")
    for name, times, note in results:
        ordered = sorted(times)
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
        print(f"| {name} | {statistics.median(times):.1f} | {p90:.1f} | {ordered[0]:.1f} | {note} |")


if __name__ == "__main__":
    main()
