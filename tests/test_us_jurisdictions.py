"""`demands jurisdictions load us`: every state, DC and county, matched to the seeded places, idempotent."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlmodel
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col
from typer.testing import CliRunner

from api.cli import app as cli_app
from api.errors import Conflict
from api.services.us_jurisdictions import county_ocd_id, load_us, ocd_name, us_places
from api.settings import Settings
from schema import AuditEntry, Jurisdiction
from schema.enums import JurisdictionKind
from tests.committed import committed_database

# The package's count of counties and county equivalents in the 50 states and DC (2020 Census).
COUNTIES = 3143


def _row(session: Session, **where: str) -> Jurisdiction:
    statement = sqlmodel.select(Jurisdiction)
    for key, value in where.items():
        statement = statement.where(getattr(Jurisdiction, key) == value)
    return session.exec(statement).one()


def _parent_slug(session: Session, row: Jurisdiction) -> str | None:
    return None if row.parent_id is None else _row_by_id(session, row.parent_id).slug


def _row_by_id(session: Session, row_id: int) -> Jurisdiction:
    found = session.get(Jurisdiction, row_id)
    assert found is not None
    return found


def _count(session: Session, *where: object) -> int:
    return int(session.execute(select(func.count()).select_from(Jurisdiction).where(*where)).scalar_one())  # type: ignore[arg-type]


def test_the_package_gives_every_state_dc_and_county() -> None:
    states, counties = us_places()
    assert len(states) == 51
    assert len(counties) == COUNTIES
    assert len({p.fips for p in counties}) == COUNTIES
    assert len({p.ocd_id for p in counties if p.ocd_id}) == COUNTIES - 1  # DC's county has none


@pytest.mark.parametrize(
    ("state", "name", "expected"),
    [
        ("CA", "Los Angeles County", "ocd-division/country:us/state:ca/county:los_angeles"),
        ("LA", "Orleans Parish", "ocd-division/country:us/state:la/parish:orleans"),
        ("AK", "Juneau City and Borough", "ocd-division/country:us/state:ak/borough:juneau"),
        ("AK", "Anchorage Municipality", "ocd-division/country:us/state:ak/borough:anchorage"),
        ("AK", "Bethel Census Area", "ocd-division/country:us/state:ak/censusarea:bethel"),
        ("VA", "Richmond city", "ocd-division/country:us/state:va/place:richmond"),
        ("VA", "Charles City County", "ocd-division/country:us/state:va/county:charles_city"),
        ("NV", "Carson City", "ocd-division/country:us/state:nv/place:carson_city"),
        ("MO", "St. Louis County", "ocd-division/country:us/state:mo/county:st_louis"),
        ("MD", "Prince George's County", "ocd-division/country:us/state:md/county:prince_george~s"),
        ("NM", "Doña Ana County", "ocd-division/country:us/state:nm/county:dona_ana"),
        ("DC", "District of Columbia", None),
    ],
)
def test_ocd_ids_follow_the_registry_rules(state: str, name: str, expected: str | None) -> None:
    assert county_ocd_id(state, name) == expected


def test_ocd_names_are_lower_case_with_underscores() -> None:
    assert ocd_name("Matanuska-Susitna") == "matanuska-susitna"
    assert ocd_name("Isle of Wight") == "isle_of_wight"


def test_load_us_creates_states_and_counties_nested_with_codes(session: Session) -> None:
    seeded_la = _row(session, slug="los-angeles-county")
    seeded_states = _count(session, col(Jurisdiction.kind) == JurisdictionKind.STATE)
    started = time.monotonic()
    report = load_us(session=session)
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"the load took {elapsed:.1f}s"

    # 10 seeded US states and 8 seeded counties already had every code: matched, not duplicated.
    assert report.created["state"] == 41
    assert report.unchanged["state"] == 10
    assert report.created["county"] == COUNTIES - 8
    assert report.unchanged["county"] == 8
    assert report.unchanged["nation"] == 1
    assert not report.updated_slugs
    # Baja California (Mexico) is the one other state-level place.
    assert _count(session, col(Jurisdiction.kind) == JurisdictionKind.STATE) == seeded_states + 41
    assert _count(session, col(Jurisdiction.iso_code).like("US-%")) == 51
    assert (
        _count(
            session, col(Jurisdiction.kind) == JurisdictionKind.COUNTY, func.length(Jurisdiction.fips) == 5
        )
        == COUNTIES
    )

    la = _row(session, fips="06037")
    assert (la.id, la.slug, la.version) == (seeded_la.id, "los-angeles-county", seeded_la.version)
    assert _count(session, col(Jurisdiction.slug) == "los-angeles-county-ca") == 0
    assert _parent_slug(session, _row(session, slug="cook-county")) == "illinois"
    assert _row(session, fips="17031").slug == "cook-county"

    orleans = _row(session, fips="22071")
    assert (orleans.slug, orleans.name, orleans.kind) == ("orleans-parish-la", "Orleans Parish", "county")
    assert orleans.ocd_id == "ocd-division/country:us/state:la/parish:orleans"
    assert _parent_slug(session, orleans) == "louisiana"
    louisiana = _row(session, slug="louisiana")
    assert (louisiana.fips, louisiana.iso_code, louisiana.ocd_id) == (
        "22",
        "US-LA",
        "ocd-division/country:us/state:la",
    )
    assert _parent_slug(session, louisiana) == "united-states"

    juneau = _row(session, fips="02110")
    assert (juneau.slug, juneau.ocd_id) == (
        "juneau-city-and-borough-ak",
        "ocd-division/country:us/state:ak/borough:juneau",
    )
    assert _parent_slug(session, juneau) == "alaska"

    dc = _row(session, slug="district-of-columbia")
    assert (dc.kind, dc.fips, dc.iso_code, dc.ocd_id) == (
        "state",
        "11",
        "US-DC",
        "ocd-division/country:us/district:dc",
    )
    dc_county = _row(session, fips="11001")
    assert (dc_county.slug, dc_county.ocd_id, dc_county.parent_id) == ("district-of-columbia-dc", None, dc.id)

    # The seed's state slugs stay; new ones are the state's name.
    assert _row(session, fips="36").slug == "new-york-state"
    assert _row(session, fips="53").slug == "washington"

    # Every county sits under the state its FIPS code starts with.
    state = aliased(Jurisdiction, name="state")
    misplaced = session.execute(
        select(func.count())
        .select_from(Jurisdiction)
        .join(state, col(state.id) == col(Jurisdiction.parent_id))
        .where(
            func.length(Jurisdiction.fips) == 5,
            func.substr(Jurisdiction.fips, 1, 2) != state.fips,
        )
    ).scalar_one()
    assert misplaced == 0

    created = session.execute(
        select(func.count()).select_from(AuditEntry).where(col(AuditEntry.entity_type) == "jurisdiction")
    ).scalar_one()
    assert created == 41 + COUNTIES - 8


def test_a_second_load_changes_nothing(session: Session) -> None:
    load_us(session=session)
    again = load_us(session=session)
    assert not again.changed
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert again.unchanged["county"] == COUNTIES
    assert again.unchanged["state"] == 51


def test_seeded_places_gain_only_the_codes_they_lack(session: Session) -> None:
    session.execute(
        update(Jurisdiction).where(col(Jurisdiction.slug) == "los-angeles-county").values(ocd_id=None)
    )
    session.execute(
        update(Jurisdiction)
        .where(col(Jurisdiction.slug) == "california")
        .values(fips=None, name="State of California")
    )
    session.expire_all()
    before = _row(session, slug="los-angeles-county").version
    report = load_us(session=session)
    assert sorted(report.updated_slugs) == ["california", "los-angeles-county"]
    la = _row(session, slug="los-angeles-county")
    assert la.ocd_id == "ocd-division/country:us/state:ca/county:los_angeles"
    assert la.version == before + 1
    california = _row(session, slug="california")
    # Matched by its OCD ID; the name someone edited is kept.
    assert (california.fips, california.name) == ("06", "State of California")


def test_a_code_held_by_another_place_stops_the_load(session: Session) -> None:
    session.add(
        Jurisdiction(
            slug="orleans-city",
            name="New Orleans",
            kind=JurisdictionKind.CITY,
            ocd_id="ocd-division/country:us/state:la/parish:orleans",
            fips="2255000",
        )
    )
    session.flush()
    with pytest.raises(Conflict, match="'orleans-city'"):
        load_us(session=session)


def test_the_command_refuses_anything_but_us() -> None:
    result = CliRunner().invoke(cli_app, ["jurisdictions", "load", "mexico"])
    assert result.exit_code == 1
    assert "only jurisdiction set there is to load is `us`" in result.output


def test_the_command_loads_a_committed_database_once(settings: Settings, tmp_path: Path) -> None:
    with committed_database(settings, tmp_path, "us_load") as (own, _engine):
        env = {**os.environ, "DEMANDS_DATABASE_URL": own.database_url}

        def run() -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "api", "jurisdictions", "load", "us"],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )

        first = run()
        assert first.returncode == 0, first.stderr
        assert f"counties: {COUNTIES - 8} created, 0 updated, 8 unchanged" in first.stdout
        second = run()
        assert second.returncode == 0, second.stderr
        assert "Already up to date: nothing changed." in second.stdout
