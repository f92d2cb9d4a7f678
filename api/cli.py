"""The `demands` command: serve, migrate, seed, and manage users and their API tokens."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from sqlalchemy import Engine
from sqlmodel import Session

from api import migrations
from api.db import create_db_engine, make_session_factory, transaction
from api.errors import DomainError, Forbidden, SeedFileError
from api.services import members, scorecards, tokens, translations, users
from api.services.bootstrap import prepare_database, seed_from_file
from api.services.permissions import ANONYMOUS, Principal
from api.services.scorecard_exports import ScorecardFormat, render_scorecard
from api.services.seed_loading import read_seed_file
from api.settings import get_settings
from schema.enums import CoalitionRole

app = typer.Typer(
    help="Demands Tracker: the shared record of demands made for immigrant workers.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
user_app = typer.Typer(help="User accounts and their coalition roles.", no_args_is_help=True)
app.add_typer(user_app, name="user")
token_app = typer.Typer(help="API tokens: create, list and revoke.", no_args_is_help=True)
app.add_typer(token_app, name="token")


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


def _require_head(engine: Engine) -> None:
    """Refuse to touch a database whose schema is not the one this code expects."""
    with engine.connect() as connection:
        current = migrations.current_revision(connection)
    if current != migrations.head_revision():
        raise _fail(
            f"The database is at revision {current or '(none)'}, not "
            f"{migrations.head_revision()}. Run `demands db upgrade` first."
        )


@contextmanager
def _writing() -> Iterator[Session]:
    """One committed unit of work on a database at head; refusals are printed, never a traceback."""
    with _engine() as engine:
        _require_head(engine)
        try:
            with transaction(make_session_factory(engine, for_writes=True)) as session:
                yield session
        except DomainError as exc:
            raise _fail(f"Nothing was changed: {exc.detail}") from exc


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
            _require_head(engine)
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


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="A lower-case handle (not an email address).")],
    display_name: Annotated[
        str | None, typer.Option(help="The name shown to others (default: USERNAME).")
    ] = None,
    site_admin: Annotated[bool, typer.Option("--site-admin", help="May manage everything.")] = False,
) -> None:
    """Create a user account. Give it a token with `demands token create`."""
    with _writing() as session:
        user = users.create(
            session=session, username=username, display_name=display_name, is_site_admin=site_admin
        )
    typer.echo(f"Created user {user.username!r}" + (" (site admin)." if user.is_site_admin else "."))


@user_app.command("add-to")
def user_add_to(
    coalition: Annotated[str, typer.Argument(help="The coalition's slug.")],
    username: Annotated[str, typer.Argument(help="The user's username.")],
    role: Annotated[
        CoalitionRole, typer.Option(help="The role in that coalition.")
    ] = CoalitionRole.ORGANIZER,
) -> None:
    """Give a user a role in a coalition, or change the role they have."""
    with _writing() as session:
        previous = members.add_by_cli(session=session, slug=coalition, username=username, role=role)
    if previous is None:
        typer.echo(f"Added {username!r} to {coalition!r} as {role.value}.")
    elif previous == role:
        typer.echo(f"{username!r} already is {role.value} in {coalition!r}; nothing changed.")
    else:
        typer.echo(f"Changed {username!r} in {coalition!r} from {previous.value} to {role.value}.")


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="Whose token it is.")],
    name: Annotated[str, typer.Option(help="A label to recognize it by.")] = "cli",
    expires_in_days: Annotated[
        int | None, typer.Option(help="Days until it stops working (default: never).", min=1, max=3650)
    ] = None,
) -> None:
    """Create an API token and print its secret, once."""
    with _writing() as session:
        user = users.get_by_username(session=session, username=username)
        issued = users.issue_token(
            session=session, user=user, name=name, expires_in_days=expires_in_days, actor=users.COMMAND_LINE
        )
    typer.echo(issued.token)
    typer.secho(
        f"Token {issued.id} for {username!r}. Store the secret above now: it will not be shown again.",
        fg=typer.colors.YELLOW,
        err=True,
    )


@token_app.command("list")
def token_list(username: Annotated[str, typer.Argument(help="Whose tokens to list.")]) -> None:
    """List a user's tokens, newest first (never their secrets)."""
    with _writing() as session:
        user = users.get_by_username(session=session, username=username)
        rows = tokens.get_all(session=session, user=user)
    if not rows:
        typer.echo(f"{username!r} has no tokens.")
        return
    typer.echo("id\tprefix\tname\tcreated\texpires\trevoked")
    for token in rows:
        typer.echo(
            "\t".join(
                [
                    str(token.id),
                    token.prefix + "…",
                    token.name,
                    token.created_at.isoformat(timespec="seconds"),
                    token.expires_at.isoformat(timespec="seconds") if token.expires_at else "never",
                    token.revoked_at.isoformat(timespec="seconds") if token.revoked_at else "-",
                ]
            )
        )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `demands token list`).", min=1)],
) -> None:
    """Revoke a token at once; revoking twice is harmless."""
    with _writing() as session:
        token = users.revoke_token(session=session, token_id=token_id, actor=users.COMMAND_LINE)
    typer.echo(
        f"Token {token.id} revoked at {token.revoked_at.isoformat(timespec='seconds') if token.revoked_at else '?'}."
    )


def _principal_of(session: Session, username: str) -> Principal:
    """What `username` may read: their coalition roles, as a token of theirs would carry."""
    user = users.get_by_username(session=session, username=username)
    if not user.is_active:
        raise Forbidden(f"The user {username!r} is deactivated.")
    return tokens.principal_of(session=session, user=user)


@app.command()
def scorecard(
    jurisdiction: Annotated[str, typer.Argument(help="Slug, id or OCD division ID of the jurisdiction.")],
    *,
    form: Annotated[
        ScorecardFormat, typer.Option("--format", "-f", help="json, csv or a printable html page.")
    ] = ScorecardFormat.JSON,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="Recompute as of the end of this day (UTC)."),
    ] = None,
    include_descendants: Annotated[
        bool, typer.Option("--include-descendants", help="Roll up over every place inside it.")
    ] = False,
    category: Annotated[str | None, typer.Option(help="Score only this target category (slug).")] = None,
    coalition: Annotated[
        str | None, typer.Option(help="Count only this coalition's campaigns (slug).")
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as-user", help="Count what this user may see (their coalitions' private campaigns too)."
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the category and demand labels (e.g. es).")
    ] = None,
) -> None:
    """Export a jurisdiction's scorecard. Public campaigns only, unless --as-user names a member."""
    settings = get_settings()
    with _engine() as engine:
        _require_head(engine)
        try:
            with transaction(make_session_factory(engine)) as session:
                principal = _principal_of(session, as_user) if as_user else ANONYMOUS
                card = scorecards.get_scorecard(
                    session=session,
                    principal=principal,
                    settings=settings,
                    ref=jurisdiction,
                    as_of=as_of.date() if as_of else None,
                    include_descendants=include_descendants,
                    category=category,
                    coalition=coalition,
                )
                language = translations.negotiate(session=session, lang=lang, accept_language=None)
                card = translations.localize_scorecard(session=session, card=card, language=language)
        except DomainError as exc:
            raise _fail(f"No scorecard: {exc.detail}") from exc
    text = render_scorecard(card, form)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(
        f"Wrote the {form.value} scorecard of {card.jurisdiction.name} to {output} "
        f"(score {card.overall.score:.1f}, grade {card.overall.grade})."
    )


# Commands kept in their own modules; they use the helpers above, so they are imported last.
from api import cli_backup  # noqa: E402
from api.cli_data import import_campaigns_command, load_jurisdictions_command  # noqa: E402

app.command("export")(cli_backup.export_command)
app.command("import")(cli_backup.import_command)
app.command("import-campaigns")(import_campaigns_command)
jurisdictions_app = typer.Typer(help="Reference jurisdictions.", no_args_is_help=True)
app.add_typer(jurisdictions_app, name="jurisdictions")
jurisdictions_app.command("load")(load_jurisdictions_command)


def main() -> None:
    app()
