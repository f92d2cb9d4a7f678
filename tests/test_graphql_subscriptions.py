"""Live status changes over graphql-transport-ws: filtered, private-safe, and across worker processes."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from api.settings import Settings
from tests.campaign_helpers import DEFAULT_CAMPAIGN
from tests.committed import committed_app, committed_database, committed_organizer, free_port

SUBSCRIBE = """subscription($jurisdiction: String) {
  campaignStatusChanged(jurisdiction: $jurisdiction) { fromStatus toStatus campaign { databaseId status notes } }
}"""
# Statuses to toggle between, each move allowed by the transition table.
TOGGLE = ("stalled", "in_progress")


@contextmanager
def subscription(
    base_url: str, variables: dict[str, Any], init: dict[str, str] | None = None
) -> Iterator[ClientConnection]:
    """A graphql-transport-ws connection with one subscription started."""
    url = base_url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": init or {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(
            json.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": variables}}
            )
        )
        yield ws


def first_change(ws: ClientConnection, trigger: Any, attempts: int = 20) -> dict[str, Any]:
    """Trigger changes until one arrives: the subscription starts asynchronously, so early ones may predate it."""
    for attempt in range(attempts):
        trigger(attempt)
        try:
            message = json.loads(ws.recv(timeout=1))
        except TimeoutError:
            continue
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        change: dict[str, Any] = message["payload"]["data"]["campaignStatusChanged"]
        return change
    raise AssertionError("no status change arrived")


def campaign(client: httpx.Client, **fields: Any) -> int:
    created = client.post("/api/v1/campaigns", json={**DEFAULT_CAMPAIGN, "status": "made", **fields})
    assert created.status_code == 201, created.text
    campaign_id = int(created.json()["id"])
    assert (
        client.post(f"/api/v1/campaigns/{campaign_id}/status", json={"status": "in_progress"}).status_code
        == 200
    )
    return campaign_id


def toggler(client: httpx.Client, campaign_id: int) -> Any:
    def trigger(attempt: int) -> None:
        moved = client.post(f"/api/v1/campaigns/{campaign_id}/status", json={"status": TOGGLE[attempt % 2]})
        assert moved.status_code == 200, moved.text

    return trigger


def test_a_subscriber_sees_public_changes_in_its_jurisdiction_and_nothing_private(
    settings: Settings, tmp_path: Path
) -> None:
    with (
        committed_app(settings, tmp_path, "live") as app,
        httpx.Client(base_url=app.base_url, headers=app.headers, timeout=30) as organizer,
    ):
        private = campaign(organizer, notes="private notes")
        public = campaign(organizer, demand="raid-scene-presence", visibility="public", notes="private notes")
        elsewhere = campaign(
            organizer, demand="document-raids", target="new-jersey-legislature", visibility="public"
        )
        with subscription(app.base_url, {"jurisdiction": "los-angeles-county"}) as ws:
            # Changes outside the county, and private ones, are never delivered to this anonymous subscriber.
            def trigger(attempt: int) -> None:
                toggler(organizer, elsewhere)(attempt)
                toggler(organizer, private)(attempt)
                toggler(organizer, public)(attempt)

            change = first_change(ws, trigger)
            assert change["campaign"]["databaseId"] == public
            assert change["campaign"]["notes"] is None
            assert change["toStatus"] == change["campaign"]["status"]
            assert change["toStatus"] in {status.upper() for status in TOGGLE}


def test_a_member_subscribing_with_a_token_sees_private_changes(settings: Settings, tmp_path: Path) -> None:
    with (
        committed_app(settings, tmp_path, "live_member") as app,
        httpx.Client(base_url=app.base_url, headers=app.headers, timeout=30) as organizer,
    ):
        private = campaign(organizer, notes="for the coalition")
        with subscription(app.base_url, {}, init={"Authorization": app.headers["Authorization"]}) as ws:
            change = first_change(ws, toggler(organizer, private))
        assert change["campaign"] == {
            "databaseId": private,
            "status": "STALLED",
            "notes": "for the coalition",
        }
        url = app.base_url.replace("http://", "ws://") + "/graphql"
        with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
            ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer dtk_wrong"}}))
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4403


@contextmanager
def worker_process(database_url: str, cwd: Path) -> Iterator[str]:
    """`demands serve` as its own process: a separate worker with its own hub."""
    port = free_port()
    env = {**os.environ, "DEMANDS_DATABASE_URL": database_url, "DEMANDS_LOG_LEVEL": "warning"}
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_change_made_through_one_worker_reaches_subscribers_on_another(
    settings: Settings, tmp_path: Path
) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite delivers live updates within one process; across workers needs PostgreSQL")
    with committed_database(settings, tmp_path, "workers") as (own, engine):
        headers = committed_organizer(engine, "two-workers")
        with (
            worker_process(own.database_url, tmp_path) as first,
            worker_process(own.database_url, tmp_path) as second,
        ):
            with httpx.Client(base_url=second, headers=headers, timeout=30) as organizer:
                public = campaign(organizer, visibility="public")
                with subscription(first, {"jurisdiction": "california"}) as ws:
                    change = first_change(ws, toggler(organizer, public))
            assert change["campaign"]["databaseId"] == public
            assert {change["fromStatus"], change["toStatus"]} == {status.upper() for status in TOGGLE}
