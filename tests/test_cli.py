"""The `demands` command end to end, in subprocesses against their own databases."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from tests.brief import CHECKLIST
from tests.committed import free_port
from tests.databases import isolated_database


@pytest.fixture
def cli_database(settings: Settings, tmp_path: Path) -> Iterator[str]:
    with isolated_database(settings.database_url, tmp_path, "cli_check") as url:
        yield url


def demands(
    *args: str, database_url: str, cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEMANDS_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_db_upgrade_then_seed_twice(cli_database: str, tmp_path: Path) -> None:
    refused = demands("seed", database_url=cli_database, cwd=tmp_path)
    assert refused.returncode == 1
    assert "demands db upgrade" in refused.stderr

    upgraded = demands("db", "upgrade", database_url=cli_database, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Database at revision" in upgraded.stdout

    first = demands("seed", database_url=cli_database, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "demands: 50 created" in first.stdout
    second = demands("seed", database_url=cli_database, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "Already up to date: nothing changed." in second.stdout


def test_a_malformed_seed_file_fails_with_where_and_what(
    cli_database: str, tmp_path: Path, seed_text: str
) -> None:
    assert demands("db", "upgrade", database_url=cli_database, cwd=tmp_path).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(seed_text.replace("kind: county", "kind: borough", 1), encoding="utf-8")
    result = demands("seed", "--file", str(bad), database_url=cli_database, cwd=tmp_path)
    assert result.returncode == 1
    assert "Nothing was written." in result.stderr
    assert f"{bad}: line " in result.stderr
    assert ".kind: Input should be" in result.stderr
    assert "Traceback" not in result.stderr
    checked = demands("seed", "--check", database_url=cli_database, cwd=tmp_path)
    assert checked.returncode == 0
    assert "valid" in checked.stdout


def test_serve_migrates_seeds_and_answers_over_http(cli_database: str, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "DEMANDS_DATABASE_URL": cli_database}
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        demands_page = httpx.get(f"{base}/api/v1/demands", timeout=10).json()
        titles = [d["title"] for d in demands_page["data"]]
        for _, _, entries in CHECKLIST:
            for group, items in entries:
                for text in [group, *items] if group else items:
                    assert any(text in title for title in titles), text
    finally:
        process.terminate()
        process.wait(timeout=20)
    reseeded = demands("seed", database_url=cli_database, cwd=tmp_path)
    assert "Already up to date" in reseeded.stdout
