"""Configuration from `DEMANDS_*` environment variables (and an optional `.env` file)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.paths import bundled

DEFAULT_SEED_FILE = bundled("seed_data") / "checklist.yaml"


class Settings(BaseSettings):
    """Every knob of the service; defaults give a working single-machine install on SQLite."""

    model_config = SettingsConfigDict(env_prefix="DEMANDS_", env_file=".env", extra="ignore")

    # A SQLite file in the working directory unless told otherwise.
    database_url: str = "sqlite:///demands.db"
    # How long SQLite waits for a competing writer before giving up.
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0, le=600_000)
    # An open campaign with no event or activity for this many days is stale.
    stale_after_days: int = Field(default=60, ge=1, le=3650)
    # The seed document `demands seed` and `demands serve` load.
    seed_file: Path = DEFAULT_SEED_FILE
    # Largest page any list returns; larger requests are refused, not truncated.
    max_page_size: int = Field(default=500, ge=1, le=10_000)
    default_page_size: int = Field(default=100, ge=1, le=10_000)
    # Largest request body accepted, in bytes; larger ones are refused with 413 before parsing.
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=1_073_741_824)
    # GraphQL cost limits: deeper, wider or longer queries are refused before they run.
    graphql_max_depth: int = Field(default=12, ge=2, le=100)
    graphql_max_aliases: int = Field(default=30, ge=1, le=1000)
    graphql_max_tokens: int = Field(default=5000, ge=100, le=100_000)
    # Turn off in production if the schema should not be discoverable; GraphiQL goes with it.
    graphql_introspection: bool = True
    # Web pages on these origins may open GraphQL subscriptions (same-origin pages always may).
    graphql_allowed_origins: list[str] = []
    log_level: str = "info"

    @field_validator("database_url")
    @classmethod
    def _use_psycopg_driver(cls, url: str) -> str:
        """Accept the usual `postgres://` spellings and route them to the installed psycopg 3 driver."""
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        if not url.startswith(("sqlite://", "postgresql+psycopg://")):
            raise ValueError("only SQLite (sqlite:///path) and PostgreSQL (postgresql://...) are supported")
        return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
