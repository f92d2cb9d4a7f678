"""Fixtures: one migrated and seeded database per run, one rolled-back transaction per test."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, event
from sqlmodel import Session

from api import migrations
from api.app import create_app
from api.db import create_db_engine
from api.rest.deps import get_session
from api.services.bootstrap import seed_from_file
from api.settings import Settings
from tests.databases import test_database_url

DATA_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(database_url=test_database_url(tmp_path_factory.mktemp("db")), _env_file=None)


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    """The shared test database, emptied, migrated to head through Alembic and seeded once."""
    engine = create_db_engine(settings)
    with engine.connect() as connection:
        at_revision = migrations.current_revision(connection) is not None
    if at_revision:
        migrations.downgrade(engine, "base")
    migrations.upgrade(engine)
    seed_from_file(engine=engine, path=settings.seed_file)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test, whatever it committed."""
    with engine.connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            outer.rollback()


class LiveServer:
    """The real app under uvicorn on a loopback port.

    By default requests use the current test's session, so what they write is rolled back with the test;
    `own_sessions=True` keeps the app's real per-request sessions, for tests of concurrent transactions.
    """

    def __init__(
        self, settings: Settings, engine: Engine, *, own_sessions: bool = False, lifespan: bool = False
    ) -> None:
        self.session: Session | None = None
        app = create_app(settings=settings, engine=engine)
        self._lock = threading.Lock()
        if not own_sessions:
            app.dependency_overrides[get_session] = self._request_session
            app.state.read_unit = app.state.write_unit = self._unit_of_work
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", lifespan="on" if lifespan else "off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def _request_session(self) -> Iterator[Session]:
        assert self.session is not None, "a request arrived outside a test"
        # Like the real dependency: the request's work is committed or rolled back as one unit.
        with self.session.begin_nested():
            yield self.session

    @contextmanager
    def _unit_of_work(self) -> Iterator[Session]:
        """GraphQL's units of work, inside the test's session; one at a time, since a session is not thread-safe."""
        assert self.session is not None, "a request arrived outside a test"
        with self._lock, self.session.begin_nested():
            yield self.session

    def start(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(settings: Settings, engine: Engine) -> Iterator[tuple[LiveServer, str]]:
    server = LiveServer(settings, engine)
    base_url = server.start()
    yield server, base_url
    server.stop()


@pytest.fixture
def client(live_server: tuple[LiveServer, str], session: Session) -> Iterator[httpx.Client]:
    """An httpx client talking HTTP to the app; what requests write is rolled back with the test."""
    server, base_url = live_server
    server.session = session
    try:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            yield http
    finally:
        server.session = None


@pytest.fixture
def count_queries(engine: Engine) -> Callable[[], AbstractContextManager[list[str]]]:
    """Count the data statements (not savepoints) a block sends to the database."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if statement.lstrip().upper().startswith(DATA_STATEMENTS):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def seed_text(settings: Settings) -> str:
    return Path(settings.seed_file).read_text(encoding="utf-8")
