"""Alembic driven from code: the only way the schema changes, for the CLI, `serve` and tests."""

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from api.paths import bundled


def alembic_config(connection: Connection | None = None) -> Config:
    """A config pointing at the project's migrations, optionally bound to an open connection."""
    config = Config()
    config.set_main_option("script_location", str(bundled("alembic")))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision` in one transaction."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to `revision` (`base` empties the schema)."""
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


@cache
def head_revision() -> str | None:
    """The newest revision the code ships; read from disk once, since it cannot change while running."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
