"""Bringing a database to a usable state: migrate to head, then seed an empty catalog."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from api import migrations
from api.db import make_session_factory, transaction
from api.services import translations
from api.services.seed_loading import read_seed_file
from api.services.seeding import SeedReport, apply_seed
from schema import TargetCategory


@dataclass(frozen=True)
class BootstrapResult:
    revision: str | None
    seeded: SeedReport | None


def catalog_is_empty(*, session: Session) -> bool:
    return session.execute(select(col(TargetCategory.id)).limit(1)).first() is None


def seed_from_file(*, engine: Engine, path: Path) -> SeedReport:
    """Validate the whole file and its translations first, then write them in one transaction."""
    seed = read_seed_file(path)
    # Translations live beside the seed file: translations/<language>.yaml.
    documents = [
        translations.read_file(file) for file in sorted((path.parent / "translations").glob("*.yaml"))
    ]
    with transaction(make_session_factory(engine, for_writes=True)) as session:
        report = apply_seed(session=session, seed=seed)
        for document in documents:
            translations.apply_file(session=session, document=document)
        return report


def prepare_database(*, engine: Engine, seed_file: Path) -> BootstrapResult:
    """What `demands serve` does before accepting requests."""
    migrations.upgrade(engine)
    with transaction(make_session_factory(engine)) as session:
        empty = catalog_is_empty(session=session)
    report = seed_from_file(engine=engine, path=seed_file) if empty else None
    with engine.connect() as connection:
        revision = migrations.current_revision(connection)
    return BootstrapResult(revision=revision, seeded=report)
