"""Engines and sessions: one code path for SQLite and PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from api.settings import Settings

# Execution option naming a connection whose transactions will write.
WRITE_OPTION = "demands_writes"


def create_db_engine(settings: Settings) -> Engine:
    """An engine with the connection rules the schema relies on (foreign keys, WAL, timeouts)."""
    url = settings.database_url
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})
    is_file = ":memory:" not in url and url not in ("sqlite://", "sqlite:///")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (SAVEPOINTs need it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(settings.sqlite_busy_timeout_ms)}")
        if is_file:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred BEGIN that later writes fails with "database is locked" under concurrent
        # writers, busy timeout or not; write transactions take the write lock up front.
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_session_factory(engine: Engine, *, for_writes: bool = False) -> sessionmaker[Session]:
    """Sessions that keep loaded objects readable after commit, for building responses.

    `for_writes` makes SQLite take the write lock when the transaction begins; PostgreSQL ignores it.
    """
    bind = engine.execution_options(**{WRITE_OPTION: True}) if for_writes else engine
    return sessionmaker(bind=bind, class_=Session, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit if the block finishes, roll back if it raises."""
    with factory() as session, session.begin():
        yield session
