"""Configuration from `DEMANDS_*` environment variables (and an optional `.env` file)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.paths import bundled
from schema.enums import CampaignStatus

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
    # Crowd-sourced submissions: whose moderators review them, how often one client may submit,
    # and how long a moderator's claim on a submission lasts.
    checklist_coalition: str = "immigrant-workplace-justice-coalition"
    submissions_per_hour: int = Field(default=5, ge=1, le=10_000)
    claim_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # --- Webhooks: how the delivery worker polls, retries and gives up -------------------------------
    # How often each worker process looks for due deliveries, in seconds.
    webhook_poll_seconds: float = Field(default=0.5, ge=0.01, le=60)
    # Tries per delivery (the first and its retries) before it is marked failed.
    webhook_max_attempts: int = Field(default=8, ge=1, le=50)
    # How long one POST may take, in seconds.
    webhook_timeout_seconds: float = Field(default=10.0, ge=0.1, le=120)
    # Deliveries in a row that fail every attempt before the endpoint is disabled.
    webhook_disable_after: int = Field(default=5, ge=1, le=1000)
    # The first retry's delay, doubling with each retry up to the maximum, in seconds.
    webhook_retry_seconds: float = Field(default=10.0, ge=0.01, le=3600)
    webhook_retry_max_seconds: float = Field(default=3600.0, ge=0.01, le=86_400)
    # --- end of webhooks -----------------------------------------------------------------------------
    log_level: str = "info"

    # --- Scorecards: the rule of DESIGN.md ("Scorecard"), weights and grades configurable -------------
    # Weight of each status in a score, from 0 to 1; statuses left out weigh 0.
    # DEMANDS_SCORECARD_WEIGHTS='{"won": 1, "partially_won": 0.5, "in_progress": 0.25, "made": 0.1}'
    scorecard_weights: dict[CampaignStatus, float] = Field(
        default_factory=lambda: {
            CampaignStatus.WON: 1.0,
            CampaignStatus.PARTIALLY_WON: 0.5,
            CampaignStatus.IN_PROGRESS: 0.25,
            CampaignStatus.MADE: 0.1,
        }
    )
    # The lowest score (0 to 100) that earns each grade; one grade must start at 0 so every score has one.
    scorecard_grades: dict[str, float] = Field(
        default_factory=lambda: {"A": 80.0, "B": 60.0, "C": 40.0, "D": 20.0, "F": 0.0}
    )
    # A leaf demand takes the first of these statuses among its campaigns (the most advanced).
    scorecard_precedence: list[CampaignStatus] = Field(
        default_factory=lambda: [
            CampaignStatus.WON,
            CampaignStatus.PARTIALLY_WON,
            CampaignStatus.IN_PROGRESS,
            CampaignStatus.MADE,
            CampaignStatus.STALLED,
            CampaignStatus.REJECTED,
            CampaignStatus.WITHDRAWN,
            CampaignStatus.NOT_STARTED,
        ]
    )

    @field_validator("scorecard_weights")
    @classmethod
    def _weights_between_0_and_1(cls, weights: dict[CampaignStatus, float]) -> dict[CampaignStatus, float]:
        bad = sorted(status.value for status, weight in weights.items() if not 0 <= weight <= 1)
        if bad:
            raise ValueError(f"scorecard weights must lie between 0 and 1 (not so for {', '.join(bad)})")
        return weights

    @field_validator("scorecard_grades")
    @classmethod
    def _grades_cover_0_to_100(cls, grades: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= floor <= 100 for floor in grades.values()):
            raise ValueError("each grade's lowest score must lie between 0 and 100")
        if any(not 1 <= len(name.strip()) <= 12 for name in grades):
            raise ValueError("grade names must be 1 to 12 characters")
        if len(set(grades.values())) != len(grades):
            raise ValueError("two grades start at the same score")
        if 0 not in grades.values():
            raise ValueError("one grade must start at 0, so every score has a grade")
        return grades

    @field_validator("scorecard_precedence")
    @classmethod
    def _precedence_names_each_status_once(cls, order: list[CampaignStatus]) -> list[CampaignStatus]:
        if sorted(order) != sorted(CampaignStatus):
            raise ValueError("scorecard precedence must name every campaign status exactly once")
        return order

    # --- end of scorecards ---------------------------------------------------------------------------

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
