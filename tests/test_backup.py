"""Full backups: every row of every table comes back exactly, on either database, or nothing does."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session

from api import migrations
from api.db import create_db_engine, make_session_factory, transaction
from api.errors import Conflict, Invalid
from api.services import backup, tokens, users
from api.settings import Settings
from schema import CoalitionMember
from schema.enums import CoalitionRole
from tests.campaign_helpers import move, record_campaign
from tests.committed import committed_database, committed_organizer
from tests.conftest import LiveServer
from tests.databases import isolated_database
from tests.factories import OTHER, OWN, auth_headers, coalition_id

FIXED = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
ON_POSTGRES = bool(os.environ.get("DEMANDS_TEST_DATABASE_URL"))


@contextmanager
def empty_database(base_url: str, tmp_path: Path, name: str) -> Iterator[Engine]:
    """A database migrated to head and never seeded: what a restore starts from."""
    with isolated_database(base_url, tmp_path, name) as url:
        engine = create_db_engine(Settings(database_url=url, _env_file=None))
        try:
            migrations.upgrade(engine)
            yield engine
        finally:
            engine.dispose()


def all_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as typed tuples, in primary-key order.

    JSON columns also say whether they hold SQL NULL, which reads back as None like JSON `null` does.
    """
    with engine.connect() as connection:
        found = {}
        for table in backup.tables():
            nulls = [column.is_(None) for column in table.columns if isinstance(column.type, sa.JSON)]
            statement = sa.select(*table.columns, *nulls).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in connection.execute(statement).all()]
        return found


def site_admin(engine: Engine, username: str) -> dict[str, str]:
    with transaction(make_session_factory(engine, for_writes=True)) as session:
        user = users.create(session=session, username=username, display_name="Ana Pérez", is_site_admin=True)
        secret = tokens.issue(session=session, user=user, name="backups").secret
    return {"Authorization": f"Bearer {secret}"}


def build_world(settings: Settings, engine: Engine) -> dict[str, str]:
    """The seed plus people, roles, tokens, campaigns with history, activities, proposals and edits."""
    organizer = committed_organizer(engine, "organizer")
    admin = site_admin(engine, "admin")
    with transaction(make_session_factory(engine, for_writes=True)) as session:
        viewer = users.create(session=session, username="viewer", display_name="Zoë 😀")
        session.add(
            CoalitionMember(
                coalition_id=coalition_id(session, OTHER), user_id=viewer.id, role=CoalitionRole.VIEWER
            )
        )
        revoked = tokens.issue(session=session, user=viewer, name="old laptop").token.id
    server = LiveServer(settings, engine, own_sessions=True)
    base_url = server.start()
    try:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            first = record_campaign(
                http,
                organizer,
                status="made",
                visibility="public",
                summary="Asked the council for a rapid-response network — «ahora».",
                occurred_at="2026-01-05T17:00:00.123456+00:00",
            )
            assert move(http, organizer, first["id"], "in_progress", note="Hearing set.").status_code == 200
            assert (
                move(
                    http, organizer, first["id"], "won", evidence_url="https://clerk.lacity.org/"
                ).status_code
                == 200
            )
            second = record_campaign(http, organizer, demand="raid-scene-presence", notes="private notes")
            for day, kind in (("2026-02-01", "meeting"), ("2026-02-14", "letter")):
                logged = http.post(
                    f"/api/v1/campaigns/{second['id']}/activities",
                    json={
                        "kind": kind,
                        "occurred_on": day,
                        "title": f"A {kind}",
                        "details": "Línea 1\nLine 2",
                    },
                    headers=organizer,
                )
                assert logged.status_code == 201, logged.text
            patched = http.patch(
                f"/api/v1/campaigns/{second['id']}",
                json={"due_date": "2026-12-31", "goal_count": 15, "goal_unit": "trainings", "version": 1},
                headers=organizer,
            )
            assert patched.status_code == 200, patched.text
            proposal = http.post(
                "/api/v1/submissions",
                json={
                    "kind": "strategy",
                    "language": "es",
                    "category": "labor",
                    "jurisdiction": "los-angeles-county",
                    "title": "Talleres de Conozca sus derechos con el sindicato",
                    "body": "Organizamos talleres mensuales con el sindicato local.",
                    "links": ["https://example.org/a", "https://example.org/b"],
                    "submitter_contact": "via the worker center front desk",
                },
            )
            assert proposal.status_code == 201, proposal.text
            proposal_id = proposal.json()["id"]
            assert (
                http.post(f"/api/v1/moderation/submissions/{proposal_id}/claim", headers=admin).status_code
                == 200
            )
            accepted = http.post(
                f"/api/v1/moderation/submissions/{proposal_id}/accept",
                json={"title": "Know-your-rights workshops with the union"},
                headers=admin,
            )
            assert accepted.status_code == 200, accepted.text
            pending = http.post(
                "/api/v1/submissions",
                json={
                    "kind": "new_demand",
                    "title": "Fund legal defense",
                    "body": "Fund universal legal defense.",
                },
            )
            assert pending.status_code == 201, pending.text
            place = http.post(
                "/api/v1/jurisdictions",
                json={
                    "slug": "orange-county",
                    "name": "Orange County",
                    "kind": "county",
                    "parent": "california",
                },
                headers=admin,
            )
            assert place.status_code == 201, place.text
    finally:
        server.stop()
    with transaction(make_session_factory(engine, for_writes=True)) as session:
        users.revoke_token(session=session, token_id=revoked, actor=users.COMMAND_LINE)
    return organizer


@pytest.fixture(scope="module")
def world(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, dict[str, str]]]:
    """A committed, seeded database full of everything, built once for this module."""
    with committed_database(settings, tmp_path_factory.mktemp("world"), "backup_world") as (own, engine):
        yield engine, build_world(own, engine)


def export(engine: Engine, exported_at: datetime | None = FIXED) -> dict[str, Any]:
    with transaction(make_session_factory(engine)) as session:
        return backup.export_database(session=session, exported_at=exported_at)


def restore(engine: Engine, document: dict[str, Any], *, replace: bool = False) -> backup.ImportReport:
    with transaction(make_session_factory(engine, for_writes=True)) as session:
        return backup.import_database(session=session, document=document, replace=replace)


def test_every_table_is_exported_with_its_rows(world: tuple[Engine, dict[str, str]]) -> None:
    engine, _ = world
    document = export(engine)
    assert document["format"] == "demands-backup"
    assert document["format_version"] == 1
    assert document["schema_revision"] == migrations.head_revision()
    assert document["exported_at"] == "2026-11-22T09:30:00+00:00"
    assert list(document["tables"]) == [table.name for table in backup.tables()]
    rows = all_rows(engine)
    for name in (
        "user_account",
        "api_token",
        "coalition_member",
        "campaign",
        "status_event",
        "activity",
        "submission",
        "demand_revision",
        "translation",
        "audit_entry",
        "coalition_membership",
        "coalition_focus",
        "resource_language",
    ):
        assert document["tables"][name]["rows"], f"{name} is empty in the test world"
        assert len(document["tables"][name]["rows"]) == len(rows[name])
    # Values are plain JSON: datetimes with their offset, JSON columns as they are.
    submissions = document["tables"]["submission"]
    links = submissions["columns"].index("links")
    assert ["https://example.org/a", "https://example.org/b"] in [row[links] for row in submissions["rows"]]
    events = document["tables"]["status_event"]
    assert "2026-01-05T17:00:00.123456+00:00" in [
        row[events["columns"].index("occurred_at")] for row in events["rows"]
    ]


def test_a_backup_round_trips_exactly(
    world: tuple[Engine, dict[str, str]], settings: Settings, tmp_path: Path
) -> None:
    source, _ = world
    document = export(source)
    with empty_database(settings.database_url, tmp_path, "backup_copy") as target:
        report = restore(target, json.loads(backup.dumps(document)))
        assert report.rows == sum(len(table["rows"]) for table in document["tables"].values())
        assert all_rows(target) == all_rows(source)
        # Exporting the copy gives the very same bytes.
        assert backup.dumps(export(target)) == backup.dumps(document)


def test_the_export_is_byte_identical_when_taken_twice(
    world: tuple[Engine, dict[str, str]], tmp_path: Path
) -> None:
    engine, _ = world
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    counts = backup.write_export(engine, first, exported_at=FIXED)
    backup.write_export(engine, second, exported_at=FIXED)
    assert first.read_bytes() == second.read_bytes()
    assert counts["campaign"] == 2
    # One row per line, so two backups diff readably.
    text = first.read_text(encoding="utf-8")
    assert '"Zoë 😀"' in text
    assert len(text.splitlines()) > sum(counts.values())


def test_import_refuses_a_database_that_is_not_empty(session: Session) -> None:
    document = backup.export_database(session=session)
    with pytest.raises(Conflict) as refused:
        backup.import_database(session=session, document=document)
    assert "The database is not empty" in refused.value.detail
    assert "demands import FILE --force" in refused.value.detail
    assert refused.value.extra["rows"]["jurisdiction"] > 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "something-else"}, 'format` must be "demands-backup"'),
        ({"format_version": 2}, "format_version 2"),
        ({"format_version": True}, "format_version True"),
        ({"schema_revision": "0123abcd"}, "schema revision '0123abcd'"),
        ({"tables": []}, "no `tables` object"),
    ],
)
def test_import_refuses_a_foreign_or_mismatched_file(
    session: Session, change: dict[str, Any], message: str
) -> None:
    document = {**backup.export_database(session=session), **change}
    with pytest.raises(Invalid) as refused:
        backup.import_database(session=session, document=document)
    assert message in refused.value.detail


def test_import_refuses_bad_values_naming_where(session: Session) -> None:
    document = backup.export_database(session=session)
    rows = document["tables"]["jurisdiction"]["rows"]
    position = document["tables"]["jurisdiction"]["columns"].index("created_at")
    rows[0][position] = "2026-01-01T00:00:00"
    with pytest.raises(Invalid) as refused:
        backup.import_database(session=session, document=document)
    assert refused.value.detail.startswith("Table jurisdiction, row 1, column created_at:")
    assert "UTC offset" in refused.value.detail

    document["tables"]["jurisdiction"]["columns"][0] = "nope"
    with pytest.raises(Invalid) as wrong_columns:
        backup.import_database(session=session, document=document)
    assert "not exported from this schema" in wrong_columns.value.detail
    del document["tables"]["jurisdiction"]
    with pytest.raises(Invalid) as missing:
        backup.import_database(session=session, document=document)
    assert "missing: jurisdiction" in missing.value.detail


def test_an_import_is_all_or_nothing(
    world: tuple[Engine, dict[str, str]], settings: Settings, tmp_path: Path
) -> None:
    document = export(world[0])
    # The last rows break a unique constraint: everything before them must be undone too.
    translations = document["tables"]["translation"]["rows"]
    translations.append(list(translations[0]))
    with empty_database(settings.database_url, tmp_path, "backup_partial") as target:
        with pytest.raises(Conflict) as refused:
            restore(target, document)
        assert refused.value.detail.startswith(
            "Table translation: the backup's rows break a database constraint"
        )
        assert all(not rows for rows in all_rows(target).values())


def test_ids_continue_after_an_import(
    world: tuple[Engine, dict[str, str]], settings: Settings, tmp_path: Path
) -> None:
    source, organizer = world
    document = export(source)
    largest = max(row[0] for row in document["tables"]["campaign"]["rows"])
    with empty_database(settings.database_url, tmp_path, "backup_ids") as target:
        restore(target, document)
        server = LiveServer(
            Settings(database_url=str(target.url.render_as_string(hide_password=False)), _env_file=None),
            target,
            own_sessions=True,
        )
        base_url = server.start()
        try:
            with httpx.Client(base_url=base_url, timeout=30) as http:
                # The organizer's token hash came along, so the same secret works on the copy.
                created = record_campaign(http, organizer, demand="document-raids")
                assert created["id"] == largest + 1
                assert move(http, organizer, created["id"], "made").status_code == 200
        finally:
            server.stop()


def test_force_replaces_everything_history_included(
    world: tuple[Engine, dict[str, str]], settings: Settings, tmp_path: Path
) -> None:
    source, _ = world
    document = export(source)
    with committed_database(settings, tmp_path, "backup_replaced") as (_, target):
        committed_organizer(target, "someone-else")
        with pytest.raises(Conflict):
            restore(target, document)
        restore(target, document, replace=True)
        assert all_rows(target) == all_rows(source)
        # The append-only guards are back in place afterwards.
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), target.begin() as connection:
            connection.exec_driver_sql("DELETE FROM status_event")


@pytest.mark.skipif(not ON_POSTGRES, reason="needs DEMANDS_TEST_DATABASE_URL (PostgreSQL)")
def test_sqlite_to_postgresql_to_sqlite(settings: Settings, tmp_path: Path) -> None:
    lite = Settings(database_url=f"sqlite:///{tmp_path / 'base.db'}", _env_file=None)
    with committed_database(lite, tmp_path, "from_sqlite") as (own, sqlite_source):
        build_world(own, sqlite_source)
        expected = all_rows(sqlite_source)
        document = export(sqlite_source)
    with empty_database(settings.database_url, tmp_path, "backup_cross") as postgres:
        restore(postgres, document)
        assert all_rows(postgres) == expected
        via_postgres = export(postgres)
    assert backup.dumps(via_postgres) == backup.dumps(document)
    with empty_database(lite.database_url, tmp_path, "back_to_sqlite") as sqlite_again:
        restore(sqlite_again, via_postgres)
        assert all_rows(sqlite_again) == expected


# --- The commands ---------------------------------------------------------------------------------


# `demands export` / `demands import` once the lead registers them in api/cli.py; until then the same
# command functions, in a typer app of their own.
def run(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEMANDS_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_commands_export_and_import(
    world: tuple[Engine, dict[str, str]], settings: Settings, tmp_path: Path
) -> None:
    source, _ = world
    file = tmp_path / "backup.json"
    exported = run(
        "export", str(file), database_url=source.url.render_as_string(hide_password=False), cwd=tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    assert f"to {file}." in exported.stdout
    with isolated_database(settings.database_url, tmp_path, "backup_cli") as url:
        refused = run("import", str(file), database_url=url, cwd=tmp_path)
        assert refused.returncode == 1
        assert "demands db upgrade" in refused.stderr
        engine = create_db_engine(Settings(database_url=url, _env_file=None))
        try:
            migrations.upgrade(engine)
            imported = run("import", str(file), database_url=url, cwd=tmp_path)
            assert imported.returncode == 0, imported.stderr
            assert imported.stdout.startswith("Imported ")
            assert all_rows(engine) == all_rows(source)
            again = run("import", str(file), database_url=url, cwd=tmp_path)
            assert again.returncode == 1
            assert "Nothing was imported: The database is not empty" in again.stderr
            assert "Traceback" not in again.stderr
            forced = run("import", str(file), "--force", database_url=url, cwd=tmp_path)
            assert forced.returncode == 0, forced.stderr
            assert all_rows(engine) == all_rows(source)
        finally:
            engine.dispose()


# --- REST -----------------------------------------------------------------------------------------


def test_site_admins_download_a_backup(client: httpx.Client, session: Session) -> None:
    response = client.get("/api/v1/backup", headers=auth_headers(session, site_admin=True))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"].startswith('attachment; filename="demands-backup-')
    document = response.json()
    assert document["format"] == "demands-backup"
    assert document["tables"]["jurisdiction"]["rows"]


def test_only_site_admins_touch_backups(client: httpx.Client, session: Session) -> None:
    assert client.get("/api/v1/backup").status_code == 401
    admin_of_own = auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN})
    refused = client.get("/api/v1/backup", headers=admin_of_own)
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    # Restoring is the machine operator's job (`demands import FILE`), never an HTTP upload.
    assert client.post("/api/v1/backup", json={}).status_code == 405
