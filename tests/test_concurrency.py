"""Concurrent writers on one campaign, through real HTTP and real transactions: no update is ever lost."""

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from tests.campaign_helpers import DEFAULT_CAMPAIGN
from tests.committed import committed_app

WRITERS = 6
INCREMENTS_EACH = 5


@pytest.fixture
def server(settings: Settings, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A database of its own whose transactions really commit, so writers really race."""
    with committed_app(settings, tmp_path, "concurrency") as app:
        yield app.base_url, app.headers


def _increment(base_url: str, headers: dict[str, str], url: str, errors: list[str]) -> None:
    """Read, add one, write back with If-Match; on 412 read again and retry, as a careful client does."""
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        done = 0
        while done < INCREMENTS_EACH:
            current = client.get(url)
            patched = client.patch(
                url,
                json={"progress_count": current.json()["progress_count"] + 1},
                headers={"If-Match": current.headers["etag"]},
            )
            if patched.status_code == 200:
                done += 1
            elif patched.status_code != 412:
                errors.append(f"{patched.status_code}: {patched.text}")
                return


def test_concurrent_writers_never_lose_an_update(server: tuple[str, dict[str, str]]) -> None:
    base_url, headers = server
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        created = client.post("/api/v1/campaigns", json={**DEFAULT_CAMPAIGN, "goal_count": 100})
        assert created.status_code == 201, created.text
    url = f"/api/v1/campaigns/{created.json()['id']}"
    errors: list[str] = []
    writers = [
        threading.Thread(target=_increment, args=(base_url, headers, url, errors)) for _ in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert errors == []
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        final = client.get(url).json()
    assert final["progress_count"] == WRITERS * INCREMENTS_EACH
    assert final["version"] == 1 + WRITERS * INCREMENTS_EACH


def test_two_organizers_moving_one_campaign_at_once_cannot_both_win(
    server: tuple[str, dict[str, str]],
) -> None:
    base_url, headers = server
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        created = client.post("/api/v1/campaigns", json={**DEFAULT_CAMPAIGN, "status": "made"}).json()
    url = f"/api/v1/campaigns/{created['id']}/status"
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def attempt(status: str) -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
            barrier.wait()
            response = client.post(url, json={"status": status}, headers={"If-Match": '"1"'})
            results[status] = response.status_code

    racers = [threading.Thread(target=attempt, args=(s,)) for s in ("in_progress", "stalled")]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
    assert sorted(results.values()) == [200, 412]
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        history = client.get(f"/api/v1/campaigns/{created['id']}/events").json()["data"]
    winner = next(status for status, code in results.items() if code == 200)
    assert [(e["from_status"], e["to_status"]) for e in history] == [(None, "made"), ("made", winner)]
