"""A database of a test's own whose transactions really commit: for races, live updates and processes."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from api import migrations
from api.db import create_db_engine, make_session_factory, transaction
from api.services import tokens, users
from api.services.bootstrap import seed_from_file
from api.settings import Settings
from schema import CoalitionMember
from schema.enums import CoalitionRole
from tests.conftest import LiveServer
from tests.databases import isolated_database
from tests.factories import OWN, coalition_id


@dataclass(frozen=True)
class CommittedApp:
    settings: Settings
    engine: Engine
    base_url: str
    # An organizer of the OWN coalition.
    headers: dict[str, str]


@contextmanager
def committed_database(base: Settings, tmp_path: Path, name: str) -> Iterator[tuple[Settings, Engine]]:
    """A fresh, migrated and seeded database beside the shared one."""
    with isolated_database(base.database_url, tmp_path, name) as url:
        own = Settings(database_url=url, _env_file=None)
        engine = create_db_engine(own)
        try:
            migrations.upgrade(engine)
            seed_from_file(engine=engine, path=own.seed_file)
            yield own, engine
        finally:
            engine.dispose()


def committed_organizer(engine: Engine, username: str, coalition: str = OWN) -> dict[str, str]:
    """A committed organizer of `coalition` and the headers that sign in as them."""
    with transaction(make_session_factory(engine, for_writes=True)) as session:
        user = users.create(session=session, username=username)
        session.add(
            CoalitionMember(
                coalition_id=coalition_id(session, coalition), user_id=user.id, role=CoalitionRole.ORGANIZER
            )
        )
        secret = tokens.issue(session=session, user=user, name=username).secret
    return {"Authorization": f"Bearer {secret}"}


@contextmanager
def committed_app(base: Settings, tmp_path: Path, name: str) -> Iterator[CommittedApp]:
    """The app, with its live-update hub, on a committed database of its own."""
    with committed_database(base, tmp_path, name) as (own, engine):
        headers = committed_organizer(engine, f"{name}-organizer")
        server = LiveServer(own, engine, own_sessions=True, lifespan=True)
        base_url = server.start()
        try:
            yield CommittedApp(settings=own, engine=engine, base_url=base_url, headers=headers)
        finally:
            server.stop()


def free_port() -> int:
    """A loopback port nobody listens on, for a server process of a test's own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
