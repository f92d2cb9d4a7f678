"""Settings from the environment and the connection rules every engine applies."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from api.db import create_db_engine
from api.settings import Settings


def test_defaults_give_a_sqlite_file_in_the_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMANDS_DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///demands.db"
    assert settings.stale_after_days == 60
    assert settings.seed_file.is_file()


def test_settings_come_from_demands_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMANDS_STALE_AFTER_DAYS", "30")
    monkeypatch.setenv("DEMANDS_DATABASE_URL", "postgres://user@db.internal/demands")
    settings = Settings(_env_file=None)
    assert settings.stale_after_days == 30
    assert settings.database_url == "postgresql+psycopg://user@db.internal/demands"


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEMANDS_DATABASE_URL", "mysql://root@localhost/demands"), ("DEMANDS_STALE_AFTER_DAYS", "0")],
)
def test_unsupported_settings_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = create_db_engine(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", _env_file=None))
    try:
        with engine.connect() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            }
    finally:
        engine.dispose()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 5000, "foreign_keys": 1}
