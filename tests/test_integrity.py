"""Integrity lives in the database: these hold even for writers that bypass the services."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from schema import Campaign, Coalition, Demand, Jurisdiction, Target


def make_campaign(session: Session, **overrides: object) -> Campaign:
    demand = session.exec(select(Demand).where(Demand.slug == "sanctuary-union")).one()
    target = session.exec(select(Target).where(Target.slug == "los-angeles-city-council")).one()
    coalition = session.exec(select(Coalition).where(Coalition.slug == "ice-out-of-la")).one()
    values: dict[str, object] = {"coalition_id": coalition.id, "demand_id": demand.id, "target_id": target.id}
    values.update(overrides)
    campaign = Campaign.model_validate(values)
    session.add(campaign)
    session.flush()
    return campaign


def add_and_flush(session: Session, row: Jurisdiction) -> None:
    session.add(row)
    session.flush()


def test_foreign_keys_are_enforced(session: Session) -> None:
    with pytest.raises(IntegrityError), session.begin_nested():
        make_campaign(session, demand_id=999_999)


def test_one_campaign_per_coalition_demand_and_target(session: Session) -> None:
    make_campaign(session)
    with pytest.raises(IntegrityError), session.begin_nested():
        make_campaign(session)


def test_slugs_and_codes_are_unique(session: Session) -> None:
    for duplicate in (
        Jurisdiction(slug="california", name="Another", kind="state"),  # type: ignore[arg-type]
        Jurisdiction(slug="elsewhere", name="Elsewhere", kind="county", fips="06037"),  # type: ignore[arg-type]
    ):
        with pytest.raises(IntegrityError), session.begin_nested():
            add_and_flush(session, duplicate)


@pytest.mark.parametrize(
    ("column", "value"),
    [("status", "lost"), ("visibility", "secret"), ("notes_visibility", "everyone")],
)
def test_enum_columns_refuse_unknown_values_at_the_database(
    session: Session, column: str, value: str
) -> None:
    campaign = make_campaign(session)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(
            sa.text(f"UPDATE campaign SET {column} = :value WHERE id = :id"),
            {"value": value, "id": campaign.id},
        )


@pytest.mark.parametrize(
    "values",
    [
        {"goal_count": 0},
        {"progress_count": -1},
        {
            "start_date": datetime(2026, 5, 1, tzinfo=UTC).date(),
            "due_date": datetime(2026, 4, 1, tzinfo=UTC).date(),
        },
    ],
)
def test_campaign_numbers_and_dates_are_checked(session: Session, values: dict[str, object]) -> None:
    with pytest.raises(IntegrityError), session.begin_nested():
        make_campaign(session, **values)


def test_a_jurisdiction_in_use_cannot_be_deleted(session: Session) -> None:
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(sa.text("DELETE FROM jurisdiction WHERE slug = 'los-angeles-county'"))


def test_timestamps_come_back_in_utc(session: Session) -> None:
    campaign = make_campaign(session)
    session.expire(campaign)
    assert campaign.created_at.tzinfo is not None
    assert campaign.created_at.utcoffset() == UTC.utcoffset(None)


def test_naive_datetimes_are_refused(session: Session) -> None:
    with pytest.raises(StatementError, match="naive datetimes"), session.begin_nested():
        make_campaign(session, created_at=datetime(2026, 1, 1))
