"""Where tests put their data: never the database DEMANDS_DATABASE_URL names."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from api.settings import Settings


def test_database_url(tmp_dir: Path) -> str:
    """DEMANDS_TEST_DATABASE_URL (a throwaway database), else a fresh SQLite file."""
    url = os.environ.get("DEMANDS_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.db'}"
    if url == os.environ.get("DEMANDS_DATABASE_URL"):
        raise RuntimeError("DEMANDS_TEST_DATABASE_URL must not be the service's own database.")
    return Settings(database_url=url).database_url


@contextmanager
def isolated_database(base_url: str, tmp_dir: Path, name: str) -> Iterator[str]:
    """An empty database beside the shared one: a new SQLite file, or a new PostgreSQL schema."""
    if base_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_dir / name}.db"
        return
    engine = create_engine(base_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        engine.dispose()
