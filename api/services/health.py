"""Liveness of the database and the schema revision, for `/healthz` and operators."""

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from api import migrations
from schema.public import HealthReport


def check(*, engine: Engine) -> HealthReport:
    """`ok` only when the database answers and is migrated to the revision this code ships."""
    head = migrations.head_revision()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = migrations.current_revision(connection)
    except SQLAlchemyError as exc:
        # The driver's message can carry the URL; say only what kind of failure it was.
        return HealthReport(
            status="unavailable",
            database=f"unreachable ({type(exc).__name__})",
            revision=None,
            head_revision=head,
        )
    status = "ok" if revision == head else "migrations_pending"
    return HealthReport(status=status, database="ok", revision=revision, head_revision=head)
