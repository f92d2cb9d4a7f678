"""Alembic is the only way the schema changes, and it always matches the models."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import schema  # noqa: F401  (every table registered)
from api import migrations
from api.db import create_db_engine
from api.settings import Settings
from tests.databases import isolated_database


@pytest.fixture
def empty_engine(settings: Settings, tmp_path: Path) -> Iterator[Engine]:
    with isolated_database(settings.database_url, tmp_path, "migration_check") as url:
        engine = create_db_engine(Settings(database_url=url, _env_file=None))
        yield engine
        engine.dispose()


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_creates_every_model_table_on_an_empty_database(empty_engine: Engine) -> None:
    assert table_names(empty_engine) == set()
    migrations.upgrade(empty_engine)
    assert table_names(empty_engine) == set(SQLModel.metadata.tables)
    with empty_engine.connect() as connection:
        assert migrations.current_revision(connection) == migrations.head_revision()


def test_downgrade_to_base_and_up_again(empty_engine: Engine) -> None:
    migrations.upgrade(empty_engine)
    migrations.downgrade(empty_engine, "base")
    assert table_names(empty_engine) == set()
    with empty_engine.connect() as connection:
        assert migrations.current_revision(connection) is None
    migrations.upgrade(empty_engine)
    assert table_names(empty_engine) == set(SQLModel.metadata.tables)


def test_models_and_migrations_do_not_drift(empty_engine: Engine) -> None:
    migrations.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], (
        f"models differ from migrations; run `alembic revision --autogenerate`: {differences}"
    )


def test_status_history_is_append_only_in_the_database(empty_engine: Engine) -> None:
    migrations.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO target_category (id, slug, name, position, created_at, updated_at) "
                "VALUES (1, 'c', 'C', 0, :now, :now)"
            ),
            {"now": "2026-01-01 00:00:00"},
        )
    for statement in ("UPDATE status_event SET note = 'x'", "DELETE FROM status_event"):
        with empty_engine.connect() as connection:
            # The guard fires per row, so give it one to refuse.
            _insert_status_event(connection)
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                connection.execute(sa.text(statement))
            connection.rollback()


def _insert_status_event(connection: sa.Connection) -> None:
    now = "2026-01-01 00:00:00"
    for sql in (
        "INSERT INTO jurisdiction (id, slug, name, kind, created_at, updated_at) VALUES (1, 'j', 'J', 'city', :now, :now)",
        "INSERT INTO target (id, slug, name, category_id, jurisdiction_id, created_at, updated_at) VALUES (1, 't', 'T', 1, 1, :now, :now)",
        "INSERT INTO coalition (id, slug, name, created_at, updated_at) VALUES (1, 'co', 'Co', :now, :now)",
        "INSERT INTO demand (id, slug, category_id, position, title, provenance, created_at, updated_at) VALUES (1, 'd', 1, 0, 'D', 'seeded', :now, :now)",
        "INSERT INTO campaign (id, coalition_id, demand_id, target_id, status, visibility, notes_visibility, progress_count, version, created_at, updated_at) VALUES (1, 1, 1, 1, 'made', 'public', 'coalition', 0, 1, :now, :now)",
        "INSERT INTO status_event (campaign_id, from_status, to_status, occurred_at, recorded_at) VALUES (1, 'not_started', 'made', :now, :now)",
    ):
        connection.execute(sa.text(sql), {"now": now})
