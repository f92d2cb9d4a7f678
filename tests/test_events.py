"""Campaign status events reach subscribers after commit, never after rollback, across processes on PostgreSQL."""

import asyncio
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlmodel import col

from api.app import create_app
from api.db import make_session_factory, transaction
from api.events import (
    APPLICATION_NAME,
    CampaignStatusChanged,
    EventHub,
    SubscriberTooSlow,
    Subscription,
    hub_lifespan,
    lifespan,
    publish_status_change,
)
from api.settings import Settings
from schema import Target
from tests.campaign_helpers import DEFAULT_CAMPAIGN, move, record_campaign
from tests.committed import committed_app
from tests.factories import OWN, coalition_id

# Long enough for a loaded machine; events normally arrive in milliseconds.
WAIT = 15.0
REPO = Path(__file__).resolve().parent.parent


def change(event_id: int, to_status: str = "made") -> CampaignStatusChanged:
    return CampaignStatusChanged(
        campaign_id=1000 + event_id,
        coalition_id=1,
        jurisdiction_id=2,
        from_status=None,
        to_status=to_status,
        occurred_at="2025-01-02T03:04:05+00:00",
        event_id=event_id,
    )


async def next_event(events: Subscription) -> CampaignStatusChanged:
    return await asyncio.wait_for(anext(events), WAIT)


def commit_publishing(engine: Engine, *changes: CampaignStatusChanged) -> None:
    with transaction(make_session_factory(engine)) as session:
        for item in changes:
            publish_status_change(session, item)


def require_postgresql(settings: Settings) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite has no NOTIFY: its events are delivered within the publishing process only")


def test_payload_round_trips_as_json_and_refuses_anything_else() -> None:
    event = change(7)
    assert CampaignStatusChanged.from_json(event.to_json()) == event
    for bad in ("[]", '{"campaign_id": 1}', event.to_json().replace('"event_id":7', '"event_id":"7"')):
        with pytest.raises(ValueError, match="not a campaign status event"):
            CampaignStatusChanged.from_json(bad)


def test_the_listen_url_is_the_database_url_for_libpq_with_its_options() -> None:
    hub = EventHub("postgresql+psycopg://me:p%40ss@db:5433/demands?options=-csearch_path%3Dtenant")
    assert hub.conninfo == "postgresql://me:p%40ss@db:5433/demands?options=-csearch_path%3Dtenant"


def test_commit_delivers_and_rollback_delivers_nothing(settings: Settings, engine: Engine) -> None:
    async def scenario() -> None:
        async with hub_lifespan(settings.database_url) as hub, hub.subscribe() as events:
            with make_session_factory(engine)() as session:
                publish_status_change(session, change(1))
                session.rollback()
            commit_publishing(engine, change(2), change(3))
            assert [await next_event(events), await next_event(events)] == [change(2), change(3)]

    asyncio.run(scenario())


def test_savepoints_deliver_with_their_transaction_and_never_after_their_own_rollback(
    settings: Settings, engine: Engine
) -> None:
    async def scenario() -> None:
        async with hub_lifespan(settings.database_url) as hub, hub.subscribe() as events:
            with make_session_factory(engine)() as session:
                with session.begin_nested():
                    publish_status_change(session, change(1))
                session.rollback()
            with transaction(make_session_factory(engine)) as session:
                publish_status_change(session, change(2))
                with session.begin_nested():
                    publish_status_change(session, change(3))
                savepoint = session.begin_nested()
                publish_status_change(session, change(4))
                savepoint.rollback()
            commit_publishing(engine, change(5))
            assert [await next_event(events) for _ in range(3)] == [change(2), change(3), change(5)]

    asyncio.run(scenario())


def test_every_subscriber_gets_every_event_and_stopping_ends_them(settings: Settings, engine: Engine) -> None:
    async def scenario() -> None:
        hub = EventHub(settings.database_url)
        await hub.start()
        first, second = hub.subscribe(), hub.subscribe()
        commit_publishing(engine, change(1))
        assert await next_event(first) == change(1)
        assert await next_event(second) == change(1)
        await hub.stop()
        assert [item async for item in first] == []
        with pytest.raises(RuntimeError, match="not running"):
            hub.subscribe()

    asyncio.run(scenario())


def test_a_subscriber_that_falls_a_queue_behind_is_disconnected(settings: Settings, engine: Engine) -> None:
    async def scenario() -> None:
        async with hub_lifespan(settings.database_url, queue_size=2) as hub:
            slow, keeping_up = hub.subscribe(), hub.subscribe()
            commit_publishing(engine, change(1), change(2))
            assert [await next_event(keeping_up), await next_event(keeping_up)] == [change(1), change(2)]
            commit_publishing(engine, change(3))
            assert await next_event(keeping_up) == change(3)
            # What was queued is still read, then the subscriber learns it missed events.
            assert [await next_event(slow), await next_event(slow)] == [change(1), change(2)]
            with pytest.raises(SubscriberTooSlow):
                await next_event(slow)

    asyncio.run(scenario())


def test_the_lifespan_keeps_a_hub_on_the_app_while_it_runs(settings: Settings, engine: Engine) -> None:
    app = create_app(settings=settings, engine=engine)

    async def scenario() -> None:
        async with lifespan(app):
            hub = app.state.event_hub
            assert isinstance(hub, EventHub)
            async with hub.subscribe() as events:
                commit_publishing(engine, change(1))
                assert await next_event(events) == change(1)
        assert not hasattr(app.state, "event_hub")

    asyncio.run(scenario())


PUBLISHER = """
import sys
from api.db import create_db_engine, make_session_factory, transaction
from api.events import CampaignStatusChanged, publish_status_change
from api.settings import Settings

engine = create_db_engine(Settings(database_url=sys.argv[1], _env_file=None))
with transaction(make_session_factory(engine)) as session:
    publish_status_change(session, CampaignStatusChanged.from_json(sys.argv[2]))
"""


def test_events_published_by_another_process_reach_this_one(settings: Settings) -> None:
    require_postgresql(settings)

    async def scenario() -> None:
        async with hub_lifespan(settings.database_url) as hub, hub.subscribe() as events:
            publisher = await asyncio.create_subprocess_exec(
                sys.executable, "-c", PUBLISHER, settings.database_url, change(5).to_json(), cwd=REPO
            )
            assert await asyncio.wait_for(publisher.wait(), 60) == 0
            assert await next_event(events) == change(5)

    asyncio.run(scenario())


def _listening_pids(engine: Engine) -> set[int]:
    # A new transaction each time: pg_stat_activity is a snapshot per transaction.
    with engine.connect() as connection:
        return set(
            connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = :name "
                    "AND datname = current_database() AND query LIKE 'LISTEN%'"
                ),
                {"name": APPLICATION_NAME},
            ).scalars()
        )


def test_the_hub_listens_again_after_its_connection_drops(settings: Settings, engine: Engine) -> None:
    require_postgresql(settings)

    async def scenario() -> None:
        async with hub_lifespan(settings.database_url) as hub, hub.subscribe() as events:
            before = _listening_pids(engine)
            assert before
            with engine.connect() as connection:
                for pid in before:
                    connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            deadline = time.monotonic() + WAIT
            while not _listening_pids(engine) - before:
                assert time.monotonic() < deadline, "the hub did not listen again"
                await asyncio.sleep(0.05)
            commit_publishing(engine, change(6))
            assert await next_event(events) == change(6)

    asyncio.run(scenario())


@pytest.fixture
def live(settings: Settings, tmp_path: Path) -> Iterator[tuple[Settings, Engine, str, dict[str, str]]]:
    """The app on a database of its own whose requests really commit, and an organizer's headers."""
    with committed_app(settings, tmp_path, "events") as app:
        yield app.settings, app.engine, app.base_url, app.headers


def test_status_changes_made_through_the_api_reach_subscribers(
    live: tuple[Settings, Engine, str, dict[str, str]],
) -> None:
    own, engine, base_url, headers = live
    with transaction(make_session_factory(engine)) as session:
        coalition = coalition_id(session, OWN)
        jurisdiction = session.execute(
            select(col(Target.jurisdiction_id)).where(col(Target.slug) == DEFAULT_CAMPAIGN["target"])
        ).scalar_one()
    private = "Met the chief of staff at her home"

    async def scenario() -> None:
        async with hub_lifespan(own.database_url) as hub, hub.subscribe() as events:
            with httpx.Client(base_url=base_url, timeout=60) as client:
                created = record_campaign(client, headers, status="made")
                moved = move(client, headers, created["id"], "in_progress", note=private)
                assert moved.status_code == 200, moved.text
                refused = move(client, headers, created["id"], "not_started")
                assert refused.status_code == 409
                history = client.get(f"/api/v1/campaigns/{created['id']}/events", headers=headers).json()
            received = [await next_event(events), await next_event(events)]
            expected = [
                CampaignStatusChanged(
                    campaign_id=created["id"],
                    coalition_id=coalition,
                    jurisdiction_id=jurisdiction,
                    from_status=entry["from_status"],
                    to_status=entry["to_status"],
                    occurred_at=received[index].occurred_at,
                    event_id=entry["id"],
                )
                for index, entry in enumerate(history["data"])
            ]
            assert received == expected
            assert [datetime.fromisoformat(item.occurred_at) for item in received] == [
                datetime.fromisoformat(entry["occurred_at"].replace("Z", "+00:00"))
                for entry in history["data"]
            ]
            assert all(private not in item.to_json() for item in received)
            # The refused transition published nothing: the next event is one committed after it.
            commit_publishing(engine, change(99))
            assert await next_event(events) == change(99)

    asyncio.run(scenario())
