"""`demands user` and `demands token` end to end, in subprocesses against their own database."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlmodel import Session, col

from api.services import tokens
from api.settings import Settings
from schema import ApiToken, AuditEntry, CoalitionMember, UserAccount
from tests.databases import isolated_database
from tests.test_cli import demands

COALITION = "immigrant-workplace-justice-coalition"


@pytest.fixture(scope="module")
def accounts_database(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated and seeded database for this module's commands, which build on each other."""
    tmp = tmp_path_factory.mktemp("cli_accounts")
    with isolated_database(settings.database_url, tmp, "cli_accounts") as url:
        assert demands("db", "upgrade", database_url=url, cwd=tmp).returncode == 0
        assert demands("seed", database_url=url, cwd=tmp).returncode == 0
        yield url


def test_commands_refuse_a_database_not_at_head(settings: Settings, tmp_path: Path) -> None:
    with isolated_database(settings.database_url, tmp_path, "cli_empty") as url:
        result = demands("user", "create", "maria", database_url=url, cwd=tmp_path)
    assert result.returncode == 1
    assert "demands db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_user_roles_and_tokens_from_the_command_line(accounts_database: str, tmp_path: Path) -> None:
    def run(*args: str) -> tuple[int, str, str]:
        result = demands(*args, database_url=accounts_database, cwd=tmp_path)
        return result.returncode, result.stdout, result.stderr

    code, out, _ = run("user", "create", "maria", "--display-name", "Maria G.")
    assert code == 0
    assert "Created user 'maria'" in out
    code, _, err = run("user", "create", "maria")
    assert code == 1
    assert "taken" in err
    assert "Traceback" not in err
    code, _, err = run("user", "create", "maria@example.org")
    assert code == 1
    assert "not an email" in err

    code, out, _ = run("user", "add-to", COALITION, "maria", "--role", "organizer")
    assert code == 0
    assert "as organizer" in out
    code, out, _ = run("user", "add-to", COALITION, "maria", "--role", "coalition_admin")
    assert code == 0
    assert "from organizer to coalition_admin" in out
    code, _, err = run("user", "add-to", COALITION, "maria", "--role", "viewer")
    assert code == 1
    assert "last active coalition_admin" in err
    code, _, err = run("user", "add-to", "nope", "maria")
    assert code == 1
    assert "nope" in err

    code, out, err = run("token", "create", "maria", "--name", "laptop", "--expires-in-days", "30")
    assert code == 0
    secret = out.strip()
    assert secret.startswith("dtk_")
    assert "will not be shown again" in err

    code, out, _ = run("token", "list", "maria")
    assert code == 0
    assert "laptop" in out
    assert secret[:12] in out
    assert secret not in out

    engine = create_engine(accounts_database)
    try:
        with Session(engine) as session:
            principal = tokens.authenticate(session=session, secret=secret)
            assert principal.username == "maria"
            assert set(principal.roles.values()) == {"coalition_admin"}
            token_id = session.execute(
                select(col(ApiToken.id)).where(col(ApiToken.name) == "laptop")
            ).scalar_one()
            entries = session.execute(select(AuditEntry).order_by(col(AuditEntry.id))).scalars().all()
            assert {(e.entity_type, e.action.value) for e in entries} >= {
                ("user", "create"),
                ("coalition_member", "create"),
                ("coalition_member", "update"),
                ("api_token", "create"),
            }
            assert all(e.actor_id is None for e in entries)
            assert secret not in str([(e.before, e.after) for e in entries])

        code, out, _ = run("token", "revoke", str(token_id))
        assert code == 0
        assert "revoked" in out
        code, _, err = run("token", "revoke", "999999")
        assert code == 1
        assert "999999" in err

        with Session(engine) as session:
            with pytest.raises(Exception, match="revoked"):
                tokens.authenticate(session=session, secret=secret)
            maria = session.execute(
                select(UserAccount).where(col(UserAccount.username) == "maria")
            ).scalar_one()
            assert maria.display_name == "Maria G."
            assert (
                session.execute(
                    select(col(CoalitionMember.role)).where(col(CoalitionMember.user_id) == maria.id)
                ).scalar_one()
                == "coalition_admin"
            )
    finally:
        engine.dispose()
