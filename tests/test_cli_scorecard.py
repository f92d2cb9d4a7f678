"""`demands scorecard` end to end, in subprocesses against a committed database of its own."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.db import make_session_factory, transaction
from api.services import users
from api.settings import Settings
from schema import CoalitionMember
from schema.enums import CoalitionRole
from tests.committed import committed_database
from tests.databases import isolated_database
from tests.factories import OWN, coalition_id
from tests.test_cli import demands
from tests.test_scorecard_exports import checked, parse_csv
from tests.test_scorecards import World, build_world


@pytest.fixture(scope="module")
def scored_database(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """The scorecard test world, committed, and a member of its first coalition named `maria`."""
    tmp = tmp_path_factory.mktemp("cli_scorecard")
    with committed_database(settings, tmp, "cli_scorecard") as (own, engine):
        with transaction(make_session_factory(engine, for_writes=True)) as session:
            world = build_world(session)
            user = users.create(session=session, username="maria")
            session.add(
                CoalitionMember(
                    coalition_id=coalition_id(session, OWN), user_id=user.id, role=CoalitionRole.VIEWER
                )
            )
        yield own.database_url, world


def test_scorecard_prints_json_by_default(scored_database: tuple[str, World], tmp_path: Path) -> None:
    url, _ = scored_database
    result = demands(
        "scorecard", "ocd-division/country:us/state:ca/county:los_angeles", database_url=url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert (body["overall"]["score"], body["overall"]["grade"]) == (3.9, "F")
    assert body["includes_private_for"] == []
    assert body["rule"]["name"] == "default"


def test_scorecard_writes_csv_and_html_files(scored_database: tuple[str, World], tmp_path: Path) -> None:
    url, world = scored_database
    out = tmp_path / "la.csv"
    result = demands(
        "scorecard", "los-angeles-county", "--format", "csv", "-o", str(out), "--include-descendants",
        database_url=url, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"Wrote the csv scorecard of Los Angeles County to {out} (score 7.0, grade F)." in result.stdout
    notes, rows = parse_csv(out.read_text(encoding="utf-8"))
    assert len(rows) == 41
    assert "# Filters: category: all; coalition: all; includes places inside it" in notes
    assert next(r for r in rows if r["demand"] == "kyr-messaging")["campaigns"] == str(world.ids["city_won"])

    page = tmp_path / "city.html"
    result = demands(
        "scorecard", "city-of-los-angeles", "-f", "html", "-o", str(page), "--as-of", "2025-06-15",
        database_url=url, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    checker = checked(page.read_text(encoding="utf-8"))
    assert checker.tags["svg"] == 2
    assert "As of 2025-06-15 (end of day, UTC)" in checker.words
    assert "Score 2.4 of 100" in checker.words


def test_scorecard_filters_and_a_members_view(scored_database: tuple[str, World], tmp_path: Path) -> None:
    url, _ = scored_database
    business = demands(
        "scorecard",
        "dallas-county",
        "--category",
        "business",
        "--coalition",
        OWN,
        database_url=url,
        cwd=tmp_path,
    )
    assert business.returncode == 0, business.stderr
    body = json.loads(business.stdout)
    assert (body["overall"]["score"], body["overall"]["grade"]) == (100.0, "A")
    assert body["filters"] == {"category": "business", "coalition": OWN, "include_descendants": False}

    member = demands("scorecard", "los-angeles-county", "--as-user", "maria", database_url=url, cwd=tmp_path)
    assert member.returncode == 0, member.stderr
    body = json.loads(member.stdout)
    assert (body["overall"]["score"], body["includes_private_for"]) == (6.3, [OWN])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("nowhere",), 1, "No jurisdiction matches 'nowhere'"),
        (("california", "--category", "nope"), 1, "No target category has the slug 'nope'"),
        (("california", "--as-user", "nobody"), 1, "No user has the username 'nobody'"),
        (("california", "--as-of", "2999-01-01"), 1, "is in the future"),
        (("california", "--as-of", "15/06/2025"), 2, "--as-of"),
        (("california", "--format", "pdf"), 2, "--format"),
    ],
)
def test_scorecard_refusals_are_one_clear_line(
    scored_database: tuple[str, World], tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    url, _ = scored_database
    result = demands("scorecard", *args, database_url=url, cwd=tmp_path)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_scorecard_refuses_a_database_not_at_head(settings: Settings, tmp_path: Path) -> None:
    with isolated_database(settings.database_url, tmp_path, "cli_scorecard_empty") as url:
        result = demands("scorecard", "california", database_url=url, cwd=tmp_path)
    assert result.returncode == 1
    assert "demands db upgrade" in result.stderr
