"""`demands export` and `demands import`: a full backup of the database as one JSON file, and back."""

from pathlib import Path
from typing import Annotated

import typer

from api.cli import _engine, _fail, _require_head
from api.errors import DomainError
from api.services import backup


def export_command(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (JSON).", dir_okay=False)],
) -> None:
    """Write every row of every table to FILE, to restore later with `demands import`."""
    with _engine() as engine:
        _require_head(engine)
        counts = backup.write_export(engine, file)
    typer.echo(f"Exported {sum(counts.values())} rows from {len(counts)} tables to {file}.")


def import_command(
    file: Annotated[
        Path, typer.Argument(help="A backup written by `demands export`.", exists=True, dir_okay=False)
    ],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Delete everything the database holds, history included, and replace it with the backup.",
        ),
    ] = False,
) -> None:
    """Restore a backup into an empty database at the same schema revision; all of it, or nothing."""
    with _engine() as engine:
        _require_head(engine)
        try:
            report = backup.read_import(engine, file, force=force)
        except DomainError as exc:
            raise _fail(f"Nothing was imported: {exc.detail}") from exc
    typer.echo(f"Imported {report.rows} rows into {len(report.tables)} tables from {file}.")
