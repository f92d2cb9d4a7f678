"""Campaign status changes as events, delivered to subscribers only once the change is committed.

On PostgreSQL the service layer publishes with `pg_notify` inside the write transaction, so the database
delivers the event when (and only if) the transaction commits, to every process that LISTENs: one
`EventHub` per process holds one LISTEN connection and fans events out to its subscribers. On SQLite
there is no NOTIFY; the session keeps the events and hands them to this process's hubs after commit.

Events are live notifications, not a durable log: one published while a hub is reconnecting is missed.
Payloads carry ids and statuses only, never notes or other text; subscribers reload the campaign through
the services with their own permissions before showing anything.
"""

import asyncio
import json
import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import asdict, dataclass, fields
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import psycopg
from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col

from schema import Campaign, StatusEvent, Target

if TYPE_CHECKING:
    from fastapi import FastAPI

logger = logging.getLogger(__name__)

CHANNEL = "demands_campaign_status"
# Events a subscriber may fall behind by before it is disconnected.
DEFAULT_QUEUE_SIZE = 256
# Reconnect delays of the LISTEN connection: doubling from the first to the last.
RECONNECT_DELAYS = (0.5, 30.0)
# Names the LISTEN connection in pg_stat_activity.
APPLICATION_NAME = "demands-events"

_PENDING = "demands_pending_events"


@dataclass(frozen=True, slots=True)
class CampaignStatusChanged:
    """A campaign moved to `to_status` (from `from_status`, None for its first status)."""

    campaign_id: int
    coalition_id: int
    jurisdiction_id: int
    from_status: str | None
    to_status: str
    occurred_at: str
    event_id: int

    @classmethod
    def of(cls, session: Session, campaign: Campaign, status_event: StatusEvent) -> Self:
        """The event for a flushed status event row; the jurisdiction is the target's."""
        jurisdiction_id = session.execute(
            select(col(Target.jurisdiction_id)).where(col(Target.id) == campaign.target_id)
        ).scalar_one()
        return cls(
            campaign_id=campaign.id,  # type: ignore[arg-type]
            coalition_id=campaign.coalition_id,
            jurisdiction_id=jurisdiction_id,
            from_status=None if status_event.from_status is None else status_event.from_status.value,
            to_status=status_event.to_status.value,
            occurred_at=status_event.occurred_at.isoformat(),
            event_id=status_event.id,  # type: ignore[arg-type]
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, payload: str) -> Self:
        """Parse a payload, refusing anything that is not exactly this event's fields and types."""
        data = json.loads(payload)
        if not isinstance(data, dict) or set(data) != {f.name for f in fields(cls)}:
            raise ValueError("not a campaign status event")
        ints = ("campaign_id", "coalition_id", "jurisdiction_id", "event_id")
        strings = ("to_status", "occurred_at")
        if not all(type(data[name]) is int for name in ints) or not all(
            isinstance(data[name], str) for name in strings
        ):
            raise ValueError("not a campaign status event")
        if data["from_status"] is not None and not isinstance(data["from_status"], str):
            raise ValueError("not a campaign status event")
        return cls(**data)


# --- publishing (service layer, inside the write transaction) ---------------------------------------


def publish_status_change(session: Session, change: CampaignStatusChanged) -> None:
    """Deliver `change` to subscribers if, and only when, the session's transaction commits."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        # NOTIFY is transactional: queued now, sent at commit, discarded on rollback (also of a savepoint).
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": change.to_json()}
        )
        return
    if _PENDING not in session.info:
        session.info[_PENDING] = []
        event.listen(session, "after_soft_rollback", _drop_rolled_back)
        event.listen(session, "after_commit", _deliver_committed)
        event.listen(session, "after_transaction_end", _forget_at_end)
    session.connection()  # begin the transaction, as the PostgreSQL statement above would
    # Remember the innermost transaction, so rolling back a savepoint drops what was published inside it.
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info[_PENDING].append((transaction, change))


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info[_PENDING]
    pending[:] = [(tx, ev) for tx, ev in pending if not _within(tx, previous_transaction)]


def _deliver_committed(session: Session) -> None:
    # after_commit also fires when a savepoint is released; only the outermost commit makes events real.
    if session.get_nested_transaction() is not None:
        return
    pending, session.info[_PENDING] = session.info[_PENDING], []
    try:
        key = _database_key(session.get_bind().engine.url.render_as_string(hide_password=False))
        for _tx, change in pending:
            for hub in _local_hubs(key):
                hub.deliver_threadsafe(change)
    except Exception:  # the commit happened; a delivery problem must not turn it into an error
        logger.exception("could not deliver campaign status events")


def _forget_at_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info[_PENDING] = []


# Running SQLite hubs of this process, by database; sessions in worker threads deliver to them. A registry
# rather than one "current hub" (or FastAPI state) keeps services free of FastAPI and lets several apps
# share a process (tests do), each hub receiving exactly its own database's events, as LISTEN would.
_local_lock = threading.Lock()
_local: dict[str, set["EventHub"]] = {}


def _database_key(database_url: str) -> str:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        url = url.set(database=os.path.abspath(url.database))
    return url.render_as_string(hide_password=False)


def _local_hubs(key: str) -> list["EventHub"]:
    with _local_lock:
        return list(_local.get(key, ()))


# --- subscribing (one hub per process) ---------------------------------------------------------------


class SubscriberTooSlow(Exception):
    """A subscriber fell a whole queue behind; it was disconnected and should resubscribe and reload."""


class Subscription:
    """One subscriber's bounded queue of events: iterate it, and close it (or leave `async with`) when done.

    A subscriber that falls `queue_size` events behind is disconnected with `SubscriberTooSlow` once it
    has read what is queued, instead of growing memory without bound or silently skipping events: a
    client that is told it missed events can reload, one that is not would show stale statuses.
    """

    def __init__(self, hub: "EventHub", queue_size: int) -> None:
        self._hub = hub
        # None marks the end; it is only queued when it fits, the consumer also checks `_ended`.
        self._queue: asyncio.Queue[CampaignStatusChanged | None] = asyncio.Queue(maxsize=queue_size)
        self._ended = False
        self._error: Exception | None = None

    def offer(self, change: CampaignStatusChanged) -> None:
        if self._ended:
            return
        try:
            self._queue.put_nowait(change)
        except asyncio.QueueFull:
            self.end(SubscriberTooSlow(f"fell {self._queue.maxsize} events behind; resubscribe and reload"))

    def end(self, error: Exception | None = None) -> None:
        if self._ended:
            return
        self._ended, self._error = True, error
        self._hub.discard(self)
        if not self._queue.full():
            self._queue.put_nowait(None)

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> CampaignStatusChanged:
        if not (self._ended and self._queue.empty()):
            change = await self._queue.get()
            if change is not None:
                return change
        if self._error is not None:
            raise self._error
        raise StopAsyncIteration

    async def aclose(self) -> None:
        self.end()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.end()


class EventHub:
    """This process's campaign status events, fanned out to its subscribers on the event loop."""

    def __init__(self, database_url: str, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self.database_url = database_url
        self.queue_size = queue_size
        self.is_postgresql = make_url(database_url).get_backend_name() == "postgresql"
        self._subscribers: set[Subscription] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._running = False

    @property
    def conninfo(self) -> str:
        """The libpq URL: the SQLAlchemy one without `+psycopg`, query options (search_path) kept."""
        url = make_url(self.database_url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    async def start(self) -> None:
        """Start receiving; on PostgreSQL the first LISTEN must succeed, later drops are retried."""
        if self._running:
            return
        self._loop = asyncio.get_running_loop()
        if self.is_postgresql:
            connection = await self._listen()
            self._task = asyncio.create_task(self._receive(connection), name="demands-event-hub")
        else:
            with _local_lock:
                _local.setdefault(_database_key(self.database_url), set()).add(self)
        self._running = True

    async def stop(self) -> None:
        """Stop receiving and end every subscription (their iteration finishes normally)."""
        if not self._running:
            return
        self._running = False
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with _local_lock:
            _local.get(_database_key(self.database_url), set()).discard(self)
        for subscription in list(self._subscribers):
            subscription.end()

    def subscribe(self) -> Subscription:
        """A new subscription, receiving every event from now on; call it on the hub's event loop."""
        if not self._running:
            raise RuntimeError("the event hub is not running")
        subscription = Subscription(self, self.queue_size)
        self._subscribers.add(subscription)
        return subscription

    def discard(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    def publish_local(self, change: CampaignStatusChanged) -> None:
        """Fan out to this hub's subscribers; runs on the hub's event loop."""
        for subscription in list(self._subscribers):
            subscription.offer(change)

    def deliver_threadsafe(self, change: CampaignStatusChanged) -> None:
        """Hand an event over from any thread (SQLite sessions commit in the threadpool)."""
        if self._loop is None or not self._running:
            return
        with suppress(RuntimeError):  # the loop has closed: nobody is left to receive it
            self._loop.call_soon_threadsafe(self.publish_local, change)

    async def _listen(self) -> psycopg.AsyncConnection[Any]:
        connection = await psycopg.AsyncConnection.connect(
            self.conninfo, autocommit=True, application_name=APPLICATION_NAME
        )
        try:
            await connection.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            await connection.close()
            raise
        return connection

    async def _receive(self, connection: psycopg.AsyncConnection[Any] | None) -> None:
        """Read notifications forever, reconnecting with doubling delays after the connection drops."""
        delay = RECONNECT_DELAYS[0]
        while True:
            if connection is None:
                try:
                    connection = await self._listen()
                except (psycopg.Error, OSError) as exc:
                    logger.warning("event hub: LISTEN failed (%s); retrying in %.1fs", exc, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RECONNECT_DELAYS[1])
                    continue
                logger.info("event hub: listening again; events sent meanwhile were missed")
                delay = RECONNECT_DELAYS[0]
            try:
                async for notify in connection.notifies():
                    self._receive_payload(notify.payload)
            except Exception as exc:  # a dropped connection, or anything else: listen again
                logger.warning("event hub: LISTEN connection lost (%s)", exc)
            finally:
                await connection.close()
            connection = None

    def _receive_payload(self, payload: str) -> None:
        try:
            change = CampaignStatusChanged.from_json(payload)
        except (ValueError, TypeError):
            logger.warning("event hub: ignored a malformed notification on %s", CHANNEL)
            return
        self.publish_local(change)


@asynccontextmanager
async def hub_lifespan(database_url: str, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> AsyncIterator[EventHub]:
    """A running hub for the length of the block."""
    hub = EventHub(database_url, queue_size=queue_size)
    await hub.start()
    try:
        yield hub
    finally:
        await hub.stop()


@asynccontextmanager
async def lifespan(app: "FastAPI") -> AsyncIterator[None]:
    """The FastAPI lifespan: one hub per worker process, at `app.state.event_hub`."""
    async with hub_lifespan(app.state.settings.database_url) as hub:
        app.state.event_hub = hub
        try:
            yield
        finally:
            del app.state.event_hub
