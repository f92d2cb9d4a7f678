"""The `demands` command: serve, migrate and seed."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from sqlalchemy import Engine

from api import migrations
from api.db import create_db_engine
from api.errors import SeedFileError
from api.services.bootstrap import prepare_database, seed_from_file
from api.services.seed_loading import read_seed_file
from api.settings import get_settings

app = typer.Typer(
    help="Demands Tracker: the shared record of demands made for immigrant workers.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@contextmanager
def _engine() -> Iterator[Engine]:
    """An engine for one command, always disposed."""
    engine = create_db_engine(get_settings())
    try:
        yield engine
    finally:
        engine.dispose()


def _report_revision(engine: Engine) -> None:
    with engine.connect() as connection:
        typer.echo(f"Database at revision {migrations.current_revision(connection)}.")


def _fail(message: str) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1)] = 1,
) -> None:
    """Migrate the database to head, load the seed data into an empty catalog, then serve HTTP."""
    settings = get_settings()
    try:
        with _engine() as engine:
            result = prepare_database(engine=engine, seed_file=settings.seed_file)
    except SeedFileError as exc:
        raise _fail(f"Seed data not loaded:\n{exc}") from exc
    typer.echo(f"Database at revision {result.revision}.")
    if result.seeded is not None:
        typer.echo(f"Loaded the seed data from {settings.seed_file}.")
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level,
    )


@app.command()
def seed(
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Seed file to load (default: DEMANDS_SEED_FILE).")
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Only validate the file; write nothing.")] = False,
) -> None:
    """Load the seed data. Safe to repeat: unchanged records stay untouched, edited texts are updated."""
    settings = get_settings()
    path = file or settings.seed_file
    try:
        if check:
            read_seed_file(path)
            typer.echo(f"{path}: valid.")
            return
        with _engine() as engine:
            with engine.connect() as connection:
                current = migrations.current_revision(connection)
            if current != migrations.head_revision():
                raise _fail(
                    f"The database is at revision {current or '(none)'}, not "
                    f"{migrations.head_revision()}. Run `demands db upgrade` first."
                )
            report = seed_from_file(engine=engine, path=path)
    except SeedFileError as exc:
        raise _fail(f"Nothing was written.\n{exc}") from exc
    typer.echo(report.summary())
    typer.echo("Seed applied." if report.changed else "Already up to date: nothing changed.")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    with _engine() as engine:
        migrations.upgrade(engine, revision)
        _report_revision(engine)


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or `base` to empty the schema.")],
) -> None:
    """Undo migrations down to REVISION."""
    with _engine() as engine:
        migrations.downgrade(engine, revision)
        _report_revision(engine)


@db_app.command("current")
def db_current() -> None:
    """Show the database's revision and the newest one the code ships."""
    with _engine() as engine, engine.connect() as connection:
        current = migrations.current_revision(connection)
    typer.echo(f"current: {current or '(empty database)'}\nhead:    {migrations.head_revision()}")


def main() -> None:
    app()
