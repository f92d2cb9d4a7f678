"""Campaign spreadsheets: the CSV export, and imports that are checked row by row and applied all or none."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlmodel import Session, col

from api.services.campaign_import import MAX_ROWS
from api.settings import Settings
from schema import Campaign, Jurisdiction, Target, TargetCategory
from schema.enums import CoalitionRole
from schema.imports import COLUMNS
from tests.campaign_helpers import LEAVES, move, record_campaign
from tests.committed import committed_database, committed_organizer
from tests.factories import OTHER, OWN, auth_headers

EXPORT = "/api/v1/campaigns.csv"
IMPORT = "/api/v1/imports/campaigns"
# The sort of number the service must never store (an alien registration number).
A_NUMBER = "A123456789"


def _csv(rows: list[dict[str, Any]], columns: list[str] | None = None) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _import(
    client: httpx.Client, headers: dict[str, str], content: bytes, *, dry_run: bool = False
) -> httpx.Response:
    return client.post(
        IMPORT,
        params={"dry_run": str(dry_run).lower()},
        content=content,
        headers={**headers, "content-type": "text/csv"},
    )


def _campaigns(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(Campaign)).scalar_one())


def _export(client: httpx.Client, headers: dict[str, str], **params: str) -> list[dict[str, str]]:
    response = client.get(EXPORT, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return _rows(response.text)


def test_the_export_lists_what_the_reader_may_see_in_fixed_columns(
    client: httpx.Client, session: Session
) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    public = record_campaign(
        client, organizer, visibility="public", summary="=HYPERLINK(1)", notes="Private plan."
    )
    private = record_campaign(client, organizer, demand="raid-scene-presence", status="made")

    response = client.get(EXPORT, params={"coalition": OWN}, headers=organizer)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="campaigns.csv"'
    assert response.text.splitlines()[0] == ",".join(COLUMNS)
    mine = _rows(response.text)
    assert [row["id"] for row in mine] == [str(public["id"]), str(private["id"])]
    first = mine[0]
    # A formula is exported behind a quote, so a spreadsheet shows it as text.
    assert first["summary"] == "'=HYPERLINK(1)"
    assert (first["notes"], first["notes_visibility"], first["status"]) == (
        "Private plan.",
        "coalition",
        "not_started",
    )
    assert (first["jurisdiction"], first["version"], first["closed_date"]) == ("city-of-los-angeles", "1", "")
    assert first["updated_at"] == public["updated_at"].replace("Z", "+00:00")

    outsider = _export(client, {}, coalition=OWN)
    assert [row["id"] for row in outsider] == [str(public["id"])]
    assert outsider[0]["notes"] == ""
    missing = client.get(EXPORT, params={"coalition": "nope"})
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_export_edit_import_round_trip(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    made = record_campaign(client, organizer, status="made", summary="Asked in March.")
    record_campaign(client, organizer, demand="raid-scene-presence", summary="=1+1")
    record_campaign(client, organizer, demand="document-raids", goal_count=5, goal_unit="meetings")
    exported = client.get(EXPORT, params={"coalition": OWN}, headers=organizer).content

    unchanged = _import(client, organizer, exported)
    assert unchanged.status_code == 200, unchanged.text
    report = unchanged.json()
    assert report["applied"] is True
    assert [row["action"] for row in report["rows"]] == ["unchanged"] * 3
    assert [row["line"] for row in report["rows"]] == [2, 3, 4]

    rows = _rows(exported.decode("utf-8"))
    rows[0]["status"] = "in_progress"
    rows[1]["summary"] = "Council staff replied; hearing next month."
    applied = _import(client, organizer, _csv(rows))
    assert applied.status_code == 200, applied.text
    assert [(row["action"], row["changed"]) for row in applied.json()["rows"]] == [
        ("status_change", ["status"]),
        ("update", ["summary"]),
        ("unchanged", []),
    ]
    moved = client.get(f"/api/v1/campaigns/{made['id']}", headers=organizer).json()
    assert (moved["status"], moved["version"]) == ("in_progress", 2)
    events = client.get(f"/api/v1/campaigns/{made['id']}/events", headers=organizer).json()["data"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [(None, "made"), ("made", "in_progress")]
    edited = client.get(f"/api/v1/campaigns/{rows[1]['id']}", headers=organizer).json()
    assert edited["summary"] == "Council staff replied; hearing next month."

    # The sheet just imported is now stale for the rows it changed; a fresh export imports unchanged.
    stale = _import(client, organizer, _csv(rows))
    assert stale.status_code == 422
    assert [row["action"] for row in stale.json()["rows"]] == ["refused", "refused", "unchanged"]
    assert "version 1, it is now at version 2" in stale.json()["rows"][0]["reason"]
    again = _import(
        client, organizer, client.get(EXPORT, params={"coalition": OWN}, headers=organizer).content
    )
    assert [row["action"] for row in again.json()["rows"]] == ["unchanged"] * 3


def _targets(session: Session, count: int) -> list[str]:
    category = session.execute(
        select(col(TargetCategory.id)).where(col(TargetCategory.slug) == "elected-officials")
    ).scalar_one()
    county = session.execute(
        select(col(Jurisdiction.id)).where(col(Jurisdiction.slug) == "los-angeles-county")
    ).scalar_one()
    slugs = [f"import-test-board-{n}" for n in range(count)]
    for n, slug in enumerate(slugs):
        session.add(
            Target(slug=slug, name=f"Import Test Board {n}", category_id=category, jurisdiction_id=county)
        )
    session.flush()
    return slugs


def test_a_200_row_sheet_is_checked_row_by_row_and_applied_all_or_none(
    client: httpx.Client, session: Session
) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    won = record_campaign(client, organizer, status="made")
    assert move(client, organizer, won["id"], "won").status_code == 200
    targets = _targets(session, 20)
    rows: list[dict[str, Any]] = [
        {
            "coalition": OWN,
            "demand": demand,
            "target": target,
            "jurisdiction": "los-angeles-county",
            "status": "made",
            "visibility": "public",
            "summary": f"Ask {n}",
        }
        for n, (demand, target) in enumerate((d, t) for t in targets for d in LEAVES)
    ][:199]
    # Names, OCD IDs and the coalition's name are matched too (case aside).
    rows[3].update(
        coalition="immigrant workplace justice coalition",
        target="Import Test Board 0",
        jurisdiction="ocd-division/country:us/state:ca/county:los_angeles",
    )
    rows[49]["jurisdiction"] = "atlantis"
    rows.insert(119, {**rows[0], "demand": "rapid-response-network", "target": "los-angeles-city-council"})
    rows[119].update(status="not_started", jurisdiction="city-of-los-angeles", summary="")
    assert len(rows) == 200
    sheet = _csv(rows)
    before = _campaigns(session)

    dry = _import(client, organizer, sheet, dry_run=True)
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert (report["dry_run"], report["applied"]) == (True, False)
    assert report["counts"] == {"create": 198, "update": 0, "status_change": 0, "unchanged": 0, "refused": 2}
    refused = [row for row in report["rows"] if row["action"] == "refused"]
    assert [(row["line"], row["campaign_id"]) for row in refused] == [(51, None), (121, won["id"])]
    assert refused[0]["reason"] == "No jurisdiction matches 'atlantis' (by slug or exact name)."
    assert "cannot move from `won` to `not_started`" in refused[1]["reason"]
    assert "`partially_won`, `in_progress`, `stalled`, `rejected`" in refused[1]["reason"]
    assert report["rows"][3]["action"] == "create"
    assert _campaigns(session) == before

    real = _import(client, organizer, sheet)
    assert real.status_code == 422
    problem = real.json()
    assert problem["code"] == "import_refused"
    assert problem["detail"].startswith("2 of 200 row(s) were refused, so nothing was imported")
    assert [row["line"] for row in problem["rows"] if row["action"] == "refused"] == [51, 121]
    assert _campaigns(session) == before

    rows[49]["jurisdiction"] = "los-angeles-county"
    rows[119]["status"] = "in_progress"
    fixed = _import(client, organizer, _csv(rows))
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["counts"]["create"] == 199
    assert fixed.json()["counts"]["status_change"] == 1
    assert _campaigns(session) == before + 199
    assert client.get(f"/api/v1/campaigns/{won['id']}", headers=organizer).json()["status"] == "in_progress"
    listed = client.get("/api/v1/campaigns", params={"coalition": OWN, "q": "Ask 3"}, headers=organizer)
    assert any(c["target"] == "import-test-board-0" for c in listed.json()["data"])


def test_an_a_number_refuses_its_row_without_echoing_it(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    sheet = _csv(
        [
            {
                "coalition": OWN,
                "demand": "raid-scene-presence",
                "target": "los-angeles-city-council",
                "notes": "",
            },
            {
                "coalition": OWN,
                "demand": "document-raids",
                "target": "los-angeles-city-council",
                "notes": f"Worker {A_NUMBER} detained",
            },
        ]
    )
    before = _campaigns(session)
    for dry_run in (True, False):
        response = _import(client, organizer, sheet, dry_run=dry_run)
        assert response.status_code == (200 if dry_run else 422)
        assert A_NUMBER not in response.text
        rows = response.json()["rows"]
        assert [row["action"] for row in rows] == ["create", "refused"]
        assert rows[1]["reason"].startswith("notes: This text contains something shaped like an A-number")
    assert _campaigns(session) == before


def test_only_organizers_of_the_row_s_coalition_may_import(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer)
    row = {"id": campaign["id"], "version": 1, "summary": "Changed by someone without the right."}
    sheet = _csv([row])

    anonymous = _import(client, {}, sheet)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "authentication_required"

    viewer = auth_headers(session, roles={OWN: CoalitionRole.VIEWER})
    refused = _import(client, viewer, sheet, dry_run=True).json()["rows"][0]
    assert refused["action"] == "refused"
    assert refused["reason"].startswith("Only the coalition's organizers and above may")

    outsider = auth_headers(session, roles={OTHER: CoalitionRole.ORGANIZER})
    hidden = _import(client, outsider, sheet, dry_run=True).json()["rows"][0]
    assert hidden["reason"] == f"No campaign has the id {campaign['id']}."
    create = _csv([{"coalition": OWN, "demand": "document-raids", "target": "los-angeles-city-council"}])
    assert _import(client, outsider, create).status_code == 422
    assert client.get(f"/api/v1/campaigns/{campaign['id']}", headers=organizer).json()["summary"] is None


def test_rows_naming_a_campaign_need_its_version_and_cannot_change_its_keys(
    client: httpx.Client, session: Session
) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer)
    sheet = _csv(
        [
            {"id": campaign["id"], "version": "", "target": "", "summary": "x"},
            {"id": campaign["id"], "version": 1, "target": "california-legislature", "summary": "x"},
            {"id": 2**40, "version": 1, "target": "", "summary": "x"},
            {"id": campaign["id"], "version": 1, "target": "", "summary": "once"},
            {"id": campaign["id"], "version": 1, "target": "", "summary": "twice"},
        ]
    )
    rows = _import(client, organizer, sheet, dry_run=True).json()["rows"]
    assert [row["reason"] for row in rows] == [
        "A row with an `id` needs the `version` it was exported at.",
        f"Campaign {campaign['id']}'s target is not 'california-legislature'; it never changes.",
        "id: Input should be less than or equal to 2147483647",
        None,
        f"Line 5 already changes campaign {campaign['id']}.",
    ]


def test_a_file_that_is_not_the_spreadsheet_is_refused_whole(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    unknown = _import(client, organizer, b"id,version,colour\r\n1,1,red\r\n")
    assert unknown.status_code == 422
    assert "Unknown column(s) 'colour'" in unknown.json()["detail"]
    assert _import(client, organizer, b"\xff\xfeid\r\n").json()["detail"].startswith("The file is not UTF-8")
    assert _import(client, organizer, b"").json()["detail"].startswith("The file is empty")
    assert "needs an `id` column" in _import(client, organizer, b"summary\r\nx\r\n").json()["detail"]
    many = b"id,version\r\n" + b"1,1\r\n" * (MAX_ROWS + 1)
    assert f"more than {MAX_ROWS} rows" in _import(client, organizer, many).json()["detail"]
    bad_flag = client.post(IMPORT, params={"dry_run": "maybe"}, content=b"id\r\n", headers=organizer)
    assert bad_flag.status_code == 422


def test_a_multipart_upload_with_a_dry_run_field(client: httpx.Client, session: Session) -> None:
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    sheet = _csv([{"coalition": OWN, "demand": "document-raids", "target": "los-angeles-city-council"}])
    before = _campaigns(session)
    dry = client.post(
        IMPORT, files={"file": ("asks.csv", sheet, "text/csv")}, data={"dry_run": "true"}, headers=organizer
    )
    assert dry.status_code == 200, dry.text
    assert (dry.json()["dry_run"], dry.json()["rows"][0]["action"]) == (True, "create")
    assert _campaigns(session) == before
    real = client.post(IMPORT, files={"file": ("asks.csv", sheet, "text/csv")}, headers=organizer)
    assert real.status_code == 200, real.text
    assert _campaigns(session) == before + 1
    no_file = client.post(IMPORT, files={"other": ("asks.csv", sheet, "text/csv")}, headers=organizer)
    assert no_file.status_code == 422
    assert no_file.json()["errors"][0]["location"] == ["body", "file"]


def test_the_command_imports_a_file_into_a_committed_database(settings: Settings, tmp_path: Path) -> None:
    with committed_database(settings, tmp_path, "campaign_import") as (own, engine):
        committed_organizer(engine, "cli-organizer")
        env = {**os.environ, "DEMANDS_DATABASE_URL": own.database_url}
        good = tmp_path / "good.csv"
        good.write_bytes(
            _csv([{"coalition": OWN, "demand": "document-raids", "target": "Los Angeles City Council"}])
        )
        bad = tmp_path / "bad.csv"
        bad.write_bytes(
            _csv([{"coalition": OWN, "demand": "no-such-demand", "target": "los-angeles-city-council"}])
        )

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "api", "import-campaigns", *args],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )

        dry = run(str(good), "--as-user", "cli-organizer", "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert "line 2: create campaign 1" in dry.stdout
        assert "Dry run: nothing was written." in dry.stdout
        refused = run(str(bad), "--as-user", "cli-organizer")
        assert refused.returncode == 1
        assert "line 2: refused: No demand matches 'no-such-demand'" in refused.stdout
        assert "Nothing was changed: 1 of 1 row(s) were refused" in refused.stderr
        real = run(str(good), "--as-user", "cli-organizer")
        assert real.returncode == 0, real.stderr
        assert "Imported." in real.stdout
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(Campaign)).scalar_one() == 1
        nobody = run(str(good), "--as-user", "nobody")
        assert nobody.returncode == 1
        assert "No user" in nobody.stderr
