"""Data commands of `demands`: load reference jurisdictions and import campaign spreadsheets.

Registered by api/cli.py; the helpers it shares are imported inside each command, because
api/cli.py imports this module.
"""

from pathlib import Path
from typing import Annotated

import typer

from api.db import make_session_factory, transaction
from api.errors import DomainError
from api.services import campaign_import
from api.services.us_jurisdictions import load_us
from schema.imports import CampaignImportReport

LOADABLE = ("us",)


def load_jurisdictions_command(
    which: Annotated[str, typer.Argument(help="Which reference set to load; only `us` exists.")],
) -> None:
    """Load every US state, DC and county (FIPS, ISO 3166-2 and OCD IDs). Safe to repeat."""
    from api import cli

    if which not in LOADABLE:
        raise cli._fail(f"Cannot load {which!r}: the only jurisdiction set there is to load is `us`.")
    with cli._engine() as engine:
        cli._require_head(engine)
        try:
            with transaction(make_session_factory(engine, for_writes=True)) as session:
                report = load_us(session=session)
        except DomainError as exc:
            raise cli._fail(f"Nothing was changed: {exc.detail}") from exc
    typer.echo(report.summary())
    typer.echo("Loaded." if report.changed else "Already up to date: nothing changed.")


def _print_report(report: CampaignImportReport) -> None:
    for row in report.rows:
        where = f"line {row.line}"
        campaign = f" campaign {row.campaign_id}" if row.campaign_id is not None else ""
        reason = f": {row.reason}" if row.reason else ""
        changed = f" ({', '.join(row.changed)})" if row.changed else ""
        typer.echo(f"{where}: {row.action.value}{campaign}{changed}{reason}")
    typer.echo(
        ", ".join(f"{count} {action}" for action, count in report.counts.items() if count) or "no rows"
    )


def import_campaigns_command(
    file: Annotated[
        Path, typer.Argument(help="A CSV file with the export's columns.", exists=True, dir_okay=False)
    ],
    as_user: Annotated[
        str,
        typer.Option("--as-user", help="Import with this user's rights (an organizer of each coalition)."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and report; write nothing.")
    ] = False,
) -> None:
    """Create and update campaigns from a spreadsheet: all rows or none, checked like the API checks them."""
    from api import cli

    with cli._engine() as engine:
        cli._require_head(engine)
        try:
            with transaction(make_session_factory(engine, for_writes=True)) as session:
                principal = cli._principal_of(session, as_user)
                report = campaign_import.import_campaigns(
                    session=session, principal=principal, content=file.read_bytes(), dry_run=dry_run
                )
        except campaign_import.ImportRefused as exc:
            _print_report(exc.report)
            raise cli._fail(f"Nothing was changed: {exc.detail}") from exc
        except DomainError as exc:
            raise cli._fail(f"Nothing was changed: {exc.detail}") from exc
    _print_report(report)
    typer.echo("Dry run: nothing was written." if dry_run else "Imported.")
