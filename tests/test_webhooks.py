"""Signed webhooks: admins manage endpoints, changes fill an outbox, a worker delivers, retries and gives up."""

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlmodel
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from api.app import create_app
from api.db import make_session_factory, transaction
from api.services import campaign_status, tokens, users
from api.services.permissions import Principal
from api.services.webhook_delivery import claim
from api.services.webhooks import enqueue
from api.settings import Settings
from api.webhooks_worker import WebhookWorker, webhook_worker
from schema import AuditEntry, CoalitionMember, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from schema.campaigns import StatusChange
from schema.enums import CampaignStatus, CoalitionRole
from schema.webhooks import DeliveryState, WebhookEvent
from tests.campaign_helpers import move, record_campaign
from tests.committed import committed_database, committed_organizer
from tests.conftest import LiveServer
from tests.factories import OTHER, OWN, auth_headers, coalition_id

DOCS = Path(__file__).resolve().parent.parent / "docs" / "webhooks.md"
WAIT = 20.0
HOOKS = "/api/v1/coalitions/{}/webhooks"
ALL_EVENTS = ["campaign.status_changed", "activity.created", "submission.accepted"]


def documented_verify() -> Callable[..., bool]:
    """The `verify` function exactly as docs/webhooks.md shows it."""
    (snippet,) = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    namespace: dict[str, Any] = {}
    exec(snippet, namespace)
    verify: Callable[..., bool] = namespace["verify"]
    return verify


def wait_for(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


# --- a real receiver ----------------------------------------------------------------------------------


@dataclass
class Received:
    at: float
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A loopback HTTP server recording every POST; it answers 500 to the next `fail` requests."""

    url: str
    requests: list[Received] = field(default_factory=list)
    fail: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return len(self.requests)


@contextmanager
def receiver() -> Iterator[Receiver]:
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            target = box[0]
            with target.lock:
                target.requests.append(
                    Received(
                        time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()}, body
                    )
                )
                failing = target.fail > 0
                target.fail -= 1 if failing else 0
            self.send_response(500 if failing else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hook"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box[0]
    finally:
        server.shutdown()
        server.server_close()


# --- REST over the rolled-back test session ------------------------------------------------------------


def admin(session: Session, coalition: str = OWN) -> dict[str, str]:
    return auth_headers(session, roles={coalition: CoalitionRole.COALITION_ADMIN})


def register(client: httpx.Client, headers: dict[str, str], coalition: str = OWN, **fields: Any) -> Any:
    body = {"url": "https://hooks.example.org/demands", "events": ["campaign.status_changed"], **fields}
    response = client.post(HOOKS.format(coalition), json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_admins_register_endpoints_and_see_the_secret_only_once(
    client: httpx.Client, session: Session
) -> None:
    headers = admin(session)
    created = client.post(
        HOOKS.format(OWN),
        json={
            "url": "https://hooks.example.org/x",
            "events": ["activity.created", "campaign.status_changed"],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("dwh_")
    assert len(body["secret"]) > 40
    assert body["events"] == ["campaign.status_changed", "activity.created"]
    assert (body["enabled"], body["consecutive_failures"], body["coalition"]) == (True, 0, OWN)
    assert created.headers["location"] == f"/api/v1/coalitions/{OWN}/webhooks/{body['id']}"
    assert created.headers["etag"] == '"1"'

    one = client.get(created.headers["location"], headers=headers)
    assert one.status_code == 200
    assert "secret" not in one.json()
    listed = client.get(HOOKS.format(OWN), headers=headers).json()
    assert [item["id"] for item in listed["data"]] == [body["id"]]
    assert "secret" not in listed["data"][0]
    entries = session.execute(
        select(col(AuditEntry.after)).where(col(AuditEntry.entity_type) == "webhook_endpoint")
    ).scalars()
    assert body["secret"] not in json.dumps(list(entries))


def test_only_the_coalitions_admins_and_site_admins_manage_its_webhooks(
    client: httpx.Client, session: Session
) -> None:
    url = HOOKS.format(OWN)
    payload = {"url": "https://hooks.example.org/x", "events": ["activity.created"]}
    assert client.post(url, json=payload).status_code == 401
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    moderator = auth_headers(session, roles={OWN: CoalitionRole.MODERATOR})
    outsider = admin(session, OTHER)
    for headers in (organizer, moderator, outsider):
        assert client.post(url, json=payload, headers=headers).json()["code"] == "forbidden"
        assert client.get(url, headers=headers).status_code == 403
    created = register(client, auth_headers(session, site_admin=True))
    # Another coalition's admin cannot reach it through their own coalition either.
    assert client.get(f"{HOOKS.format(OTHER)}/{created['id']}", headers=outsider).status_code == 404
    assert client.get(f"{url}/{created['id']}", headers=admin(session)).status_code == 200


def test_payloads_are_checked(client: httpx.Client, session: Session) -> None:
    headers = admin(session)
    for bad in (
        {"url": "ftp://example.org/x", "events": ["activity.created"]},
        {"url": "https://example.org/x", "events": []},
        {"url": "https://example.org/x", "events": ["campaign.deleted"]},
        {"url": "https://example.org/x", "events": ["activity.created"], "secret": "mine"},
    ):
        assert client.post(HOOKS.format(OWN), json=bad, headers=headers).status_code == 422, bad
    good = {"url": "https://example.org/x", "events": ["activity.created"]}
    assert client.post(HOOKS.format("no-such-coalition"), json=good, headers=headers).status_code == 404


def test_updates_need_the_version_and_enabling_resets_failures(
    client: httpx.Client, session: Session
) -> None:
    headers = admin(session)
    created = register(client, headers)
    url = f"{HOOKS.format(OWN)}/{created['id']}"
    assert client.patch(url, json={"enabled": False}, headers=headers).status_code == 428
    off = client.patch(url, json={"enabled": False, "version": 1}, headers=headers)
    assert off.status_code == 200, off.text
    assert (off.json()["enabled"], off.json()["version"], off.headers["etag"]) == (False, 2, '"2"')
    assert off.json()["disabled_reason"]
    stale = client.patch(url, json={"events": ALL_EVENTS}, headers={**headers, "If-Match": '"1"'})
    assert (stale.status_code, stale.json()["current_version"]) == (412, 2)
    assert client.patch(url, json={"url": None, "version": 2}, headers=headers).status_code == 422
    back = client.post(f"{url}/enable", headers=headers)
    assert back.status_code == 200
    assert (back.json()["enabled"], back.json()["disabled_reason"], back.json()["version"]) == (True, None, 3)
    assert client.delete(url, headers={**headers, "If-Match": '"1"'}).status_code == 412
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


def deliveries(session: Session) -> list[WebhookDelivery]:
    return list(session.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).scalars())  # type: ignore[call-overload]


def test_changes_queue_deliveries_for_the_owning_coalitions_matching_endpoints_only(
    client: httpx.Client, session: Session
) -> None:
    own = register(client, admin(session), events=["campaign.status_changed"])
    activities_only = register(client, admin(session), events=["activity.created"])
    register(client, admin(session, OTHER), OTHER, events=ALL_EVENTS)
    register(client, admin(session), enabled=False)
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer, status="made", visibility="public")
    assert move(client, organizer, campaign["id"], "in_progress", note="Hearing set").status_code == 200
    logged = client.post(
        f"/api/v1/campaigns/{campaign['id']}/activities",
        json={"kind": "meeting", "occurred_on": "2026-01-05", "title": "Met staff", "details": "Private"},
        headers=organizer,
    )
    assert logged.status_code == 201, logged.text
    queued = [(d.endpoint_id, d.event.value, d.state.value) for d in deliveries(session)]
    assert queued == [
        (own["id"], "campaign.status_changed", "pending"),
        (own["id"], "campaign.status_changed", "pending"),
        (activities_only["id"], "activity.created", "pending"),
    ]
    # A refused change queues nothing.
    assert move(client, organizer, campaign["id"], "not_started").status_code == 409
    assert len(deliveries(session)) == 3


def test_accepted_submissions_go_to_the_checklist_coalition_without_the_submitter(
    client: httpx.Client, session: Session
) -> None:
    register(client, admin(session), events=["submission.accepted"])
    register(client, admin(session, OTHER), OTHER, events=ALL_EVENTS)
    proposal = client.post(
        "/api/v1/submissions",
        json={
            "kind": "strategy",
            "title": "Monthly know-your-rights trainings on the night shift",
            "body": "Run them with the local union.",
            "category": "labor",
            "submitter_name": "Ana",
            "submitter_contact": "ana-contact-detail",
        },
    ).json()
    moderator = auth_headers(session, roles={OWN: CoalitionRole.MODERATOR})
    accepted = client.post(
        f"/api/v1/moderation/submissions/{proposal['id']}/accept", json={}, headers=moderator
    )
    assert accepted.status_code == 200, accepted.text
    (delivery,) = deliveries(session)
    assert delivery.event.value == "submission.accepted"
    assert delivery.payload["submission"]["id"] == proposal["id"]
    assert delivery.payload["submission"]["status"] == "accepted"
    assert "ana" not in json.dumps(delivery.payload).lower()


# --- delivery, over a committed database with the worker running ---------------------------------------


@dataclass
class Hooked:
    settings: Settings
    engine: Engine
    base_url: str
    admin: dict[str, str]
    other_admin: dict[str, str]
    organizer: dict[str, str]


def committed_member(engine: Engine, username: str, coalition: str, role: CoalitionRole) -> dict[str, str]:
    with transaction(make_session_factory(engine, for_writes=True)) as session:
        user = users.create(session=session, username=username)
        session.add(
            CoalitionMember(coalition_id=coalition_id(session, coalition), user_id=user.id, role=role)
        )
        secret = tokens.issue(session=session, user=user, name=username).secret
    return {"Authorization": f"Bearer {secret}"}


@contextmanager
def worker_thread(engine: Engine, settings: Settings) -> Iterator[None]:
    """A delivery worker on an event loop of its own, for as long as the block runs."""
    stop = threading.Event()

    async def main() -> None:
        async with WebhookWorker(
            make_session_factory(engine, for_writes=True), settings, probe=make_session_factory(engine)
        ) as worker:
            task = asyncio.create_task(worker.run())
            while not stop.is_set():
                await asyncio.sleep(0.02)
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


@pytest.fixture
def hooked(settings: Settings, tmp_path: Path) -> Iterator[Hooked]:
    """The app on a committed database, with quick polls and retries, and a delivery worker running."""
    with committed_database(settings, tmp_path, "webhooks") as (own, engine):
        quick = own.model_copy(
            update={
                "webhook_poll_seconds": 0.05,
                "webhook_retry_seconds": 0.3,
                "webhook_retry_max_seconds": 5.0,
                "webhook_max_attempts": 3,
                "webhook_disable_after": 2,
                "webhook_timeout_seconds": 5.0,
            }
        )
        members = Hooked(
            settings=quick,
            engine=engine,
            base_url="",
            admin=committed_member(engine, "hook-admin", OWN, CoalitionRole.COALITION_ADMIN),
            other_admin=committed_member(engine, "hook-other", OTHER, CoalitionRole.COALITION_ADMIN),
            organizer=committed_organizer(engine, "hook-organizer"),
        )
        server = LiveServer(quick, engine, own_sessions=True, lifespan=True)
        base_url = server.start()
        app = server.server.config.app
        try:
            # Once the app's lifespan runs the worker, that one delivers; until then, this test's does.
            if hasattr(app.state, "webhook_worker"):
                yield Hooked(**{**members.__dict__, "base_url": base_url})
            else:
                with worker_thread(engine, quick):
                    yield Hooked(**{**members.__dict__, "base_url": base_url})
        finally:
            server.stop()


def test_deliveries_are_signed_as_documented_and_reach_only_the_owning_coalition(hooked: Hooked) -> None:
    verify = documented_verify()
    with (
        receiver() as ours,
        receiver() as theirs,
        httpx.Client(base_url=hooked.base_url, timeout=30) as client,
    ):
        hook = register(
            client, hooked.admin, url=ours.url, events=["campaign.status_changed", "activity.created"]
        )
        register(client, hooked.other_admin, OTHER, url=theirs.url, events=ALL_EVENTS)
        campaign = record_campaign(client, hooked.organizer, status="made")  # private
        moved = move(
            client,
            hooked.organizer,
            campaign["id"],
            "in_progress",
            note="Council staff scheduled a hearing.",
            evidence_url="https://clerk.example.org/item/7",
        )
        assert moved.status_code == 200, moved.text
        activity = client.post(
            f"/api/v1/campaigns/{campaign['id']}/activities",
            json={
                "kind": "meeting",
                "occurred_on": "2026-01-05",
                "title": "Met staff",
                "details": "Who said what",
            },
            headers=hooked.organizer,
        ).json()
        wait_for(lambda: ours.count() >= 3, "three deliveries")
        time.sleep(0.3)
        assert ours.count() == 3
        assert theirs.count() == 0

        first, second, third = ours.requests
        for request in ours.requests:
            assert verify(hook["secret"], request.headers, request.body)
            assert request.headers["demands-webhook-id"] == request.json()["id"]
            assert request.headers["demands-webhook-event"] == request.json()["event"]
            assert request.headers["content-type"] == "application/json"
        assert not verify("dwh_wrong", first.headers, first.body)
        assert not verify(hook["secret"], first.headers, first.body + b" ")
        assert not verify(hook["secret"], first.headers, first.body, now=time.time() + 3600)

        data = [request.json() for request in ours.requests]
        assert [d["event"] for d in data] == [
            "campaign.status_changed",
            "campaign.status_changed",
            "activity.created",
        ]
        assert data[0]["data"]["status_event"]["from_status"] is None
        changed = data[1]["data"]
        assert changed["campaign"] == {
            "id": campaign["id"],
            "coalition": OWN,
            "demand": "rapid-response-network",
            "target": "los-angeles-city-council",
            "jurisdiction": changed["campaign"]["jurisdiction"],
            "status": "in_progress",
            "visibility": "coalition",
        }
        assert changed["status_event"]["to_status"] == "in_progress"
        assert changed["status_event"]["note"] == "Council staff scheduled a hearing."
        assert changed["status_event"]["evidence_url"] == "https://clerk.example.org/item/7"
        logged = data[2]["data"]["activity"]
        assert (logged["id"], logged["details"], logged["title"]) == (
            activity["id"],
            "Who said what",
            "Met staff",
        )
        assert third.headers["demands-webhook-event"] == "activity.created"
        assert second.at >= first.at

        attempts = client.get(f"{HOOKS.format(OWN)}/{hook['id']}/deliveries", headers=hooked.admin).json()
        assert attempts["count"] == 3
        assert {(a["attempt"], a["status_code"], a["delivery_state"]) for a in attempts["data"]} == {
            (1, 204, "delivered")
        }


def test_a_rolled_back_change_sends_nothing(hooked: Hooked) -> None:
    with receiver() as ours, httpx.Client(base_url=hooked.base_url, timeout=30) as client:
        register(client, hooked.admin, url=ours.url)
        campaign = record_campaign(client, hooked.organizer)
        with make_session_factory(hooked.engine, for_writes=True)() as session:
            member = session.execute(
                select(col(CoalitionMember.user_id)).where(
                    col(CoalitionMember.role) == CoalitionRole.ORGANIZER
                )
            ).scalar_one()
            principal = Principal(user_id=member, roles={coalition_id(session, OWN): CoalitionRole.ORGANIZER})
            campaign_status.change(
                session=session,
                principal=principal,
                campaign_id=campaign["id"],
                data=StatusChange(status=CampaignStatus.WITHDRAWN),
                expected=None,
            )
            assert len(deliveries(session)) == 1  # queued inside the transaction...
            session.rollback()  # ...and gone with it
        assert move(client, hooked.organizer, campaign["id"], "made").status_code == 200
        wait_for(lambda: ours.count() >= 1, "the committed change")
        time.sleep(0.3)
        (only,) = ours.requests
        assert only.json()["data"]["status_event"]["to_status"] == "made"


def test_failures_are_retried_with_backoff_and_logged(hooked: Hooked) -> None:
    with receiver() as ours, httpx.Client(base_url=hooked.base_url, timeout=30) as client:
        ours.fail = 2
        hook = register(client, hooked.admin, url=ours.url)
        record_campaign(client, hooked.organizer, status="made")
        wait_for(lambda: ours.count() >= 3, "two retries")
        first, second, third = ours.requests
        assert len({r.headers["demands-webhook-id"] for r in ours.requests}) == 1
        assert first.body == second.body == third.body
        # 0.3 s, then 0.6 s (the poll adds a little).
        assert second.at - first.at >= 0.25
        assert third.at - second.at >= 0.55

        log_url = f"{HOOKS.format(OWN)}/{hook['id']}/deliveries"
        log = wait_for(
            lambda: (body := client.get(log_url, headers=hooked.admin).json())["count"] == 3 and body,
            "three logged attempts",
        )
        assert [(a["attempt"], a["status_code"], a["delivery_state"]) for a in log["data"]] == [
            (3, 204, "delivered"),
            (2, 500, "delivered"),
            (1, 500, "delivered"),
        ]
        assert log["data"][0]["next_retry_at"] is None
        assert log["data"][0]["error"] is None
        assert all(a["next_retry_at"] and a["error"].startswith("HTTP 500") for a in log["data"][1:])
        assert all(a["latency_ms"] >= 0 for a in log["data"])
        assert client.get(log_url, headers=hooked.organizer).status_code == 403
        assert client.get(f"{log_url}?limit=1", headers=hooked.admin).json()["data"][0]["attempt"] == 3


def test_an_endpoint_failing_repeatedly_is_disabled_and_re_enabled(hooked: Hooked) -> None:
    with receiver() as ours, httpx.Client(base_url=hooked.base_url, timeout=30) as client:
        ours.fail = 1000
        hook = register(client, hooked.admin, url=ours.url)
        url = f"{HOOKS.format(OWN)}/{hook['id']}"
        campaign = record_campaign(client, hooked.organizer, status="made")
        assert move(client, hooked.organizer, campaign["id"], "in_progress").status_code == 200
        disabled = wait_for(
            lambda: not (body := client.get(url, headers=hooked.admin).json())["enabled"] and body,
            "the endpoint to be disabled",
        )
        assert disabled["consecutive_failures"] == 2
        assert "2 deliveries in a row failed all 3 attempts" in disabled["disabled_reason"]
        assert disabled["version"] == 2
        assert ours.count() == 6
        # While it is off nothing is queued for it, and nothing is sent.
        assert move(client, hooked.organizer, campaign["id"], "won").status_code == 200
        time.sleep(0.5)
        assert ours.count() == 6

        ours.fail = 0
        assert client.post(f"{url}/enable", headers=hooked.organizer).status_code == 403
        enabled = client.post(f"{url}/enable", headers=hooked.admin)
        assert enabled.status_code == 200
        assert (enabled.json()["enabled"], enabled.json()["consecutive_failures"]) == (True, 0)
        fresh = record_campaign(client, hooked.organizer, demand="raid-scene-presence", status="made")
        wait_for(lambda: ours.count() >= 7, "a delivery after re-enabling")
        assert ours.requests[-1].json()["data"]["campaign"]["id"] == fresh["id"]
        with make_session_factory(hooked.engine)() as session:
            automatic = session.execute(
                select(col(AuditEntry.after)).where(
                    col(AuditEntry.entity_type) == "webhook_endpoint", col(AuditEntry.actor_id).is_(None)
                )
            ).scalar_one()
        assert automatic["enabled"] is False


def test_workers_racing_for_the_outbox_never_claim_a_delivery_twice(
    settings: Settings, tmp_path: Path
) -> None:
    with committed_database(settings, tmp_path, "webhook_claims") as (own, engine):
        factory = make_session_factory(engine, for_writes=True)
        with transaction(factory) as session:
            endpoint = WebhookEndpoint(
                coalition_id=coalition_id(session, OWN),
                url="http://127.0.0.1:9/",
                events=ALL_EVENTS,
                secret="s",
            )
            session.add(endpoint)
            session.flush()
            for _ in range(60):
                enqueue(
                    session=session,
                    event=WebhookEvent.ACTIVITY_CREATED,
                    coalition_id=endpoint.coalition_id,
                    payload={},
                )
        claimed: list[int] = []
        lock = threading.Lock()
        barrier = threading.Barrier(4)

        def worker() -> None:
            barrier.wait()
            while batch := claim(factory, own, limit=7):
                with lock:
                    claimed.extend(item.delivery_id for item in batch)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(claimed) == 60
        assert len(set(claimed)) == 60


def test_a_network_error_is_logged_as_a_failed_attempt(settings: Settings, tmp_path: Path) -> None:
    with committed_database(settings, tmp_path, "webhook_errors") as (own, engine):
        factory = make_session_factory(engine, for_writes=True)
        with transaction(factory) as session:
            endpoint = WebhookEndpoint(
                coalition_id=coalition_id(session, OWN),
                url="http://127.0.0.1:9/",
                events=ALL_EVENTS,
                secret="s",
            )
            session.add(endpoint)
            session.flush()
            enqueue(
                session=session,
                event=WebhookEvent.ACTIVITY_CREATED,
                coalition_id=endpoint.coalition_id,
                payload={},
            )

        async def once() -> int:
            async with WebhookWorker(factory, own) as worker:
                return await worker.run_once()

        assert asyncio.run(once()) == 1
        with transaction(factory) as session:
            (attempt,) = session.exec(sqlmodel.select(WebhookAttempt)).all()
            (delivery,) = session.exec(sqlmodel.select(WebhookDelivery)).all()
        assert attempt.status_code is None
        assert attempt.error is not None
        assert attempt.error.startswith("ConnectError")
        assert attempt.next_retry_at is not None
        assert (delivery.state, delivery.attempts, delivery.claim_token) == (DeliveryState.PENDING, 1, None)
        assert delivery.next_attempt_at == attempt.next_retry_at
        # Not due yet: nothing to send.
        assert asyncio.run(once()) == 0


def test_the_lifespan_helper_runs_a_worker_and_stops_it(settings: Settings, engine: Engine) -> None:
    app = create_app(settings=settings, engine=engine)

    async def scenario() -> None:
        async with webhook_worker(app) as worker:
            assert app.state.webhook_worker is worker
            await asyncio.sleep(0.05)
        assert not hasattr(app.state, "webhook_worker")

    asyncio.run(scenario())
