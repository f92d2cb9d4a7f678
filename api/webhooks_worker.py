"""The webhook delivery worker: one asyncio task per process, polling the outbox and POSTing signed events.

Database work (claiming, recording) runs in worker threads with short sessions of its own; the POSTs run
on the event loop with httpx, outside any transaction and any request. Delivery is at least once: a
worker stopped mid-POST leaves its claim to expire, and the delivery is sent again with the same
`Demands-Webhook-Id`.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import TYPE_CHECKING

import httpx
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.services.webhook_delivery import BATCH, Outcome, Outgoing, claim, headers, record
from api.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

logger = logging.getLogger(__name__)


class WebhookWorker:
    """Claims due deliveries, sends them, records each attempt; `run()` loops until stopped."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        settings: Settings,
        *,
        client: httpx.AsyncClient | None = None,
        probe: sessionmaker[Session] | None = None,
    ) -> None:
        self.factory = factory
        # Read-only sessions for the idle "anything due?" check; claims use `factory` (write sessions).
        self.probe = probe
        self.settings = settings
        self._client = client
        self._own_client = client is None

    async def __aenter__(self) -> "WebhookWorker":
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.settings.webhook_timeout_seconds, follow_redirects=False
            )
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def run_once(self) -> int:
        """Send every delivery due now (one batch); how many were attempted."""
        batch = await run_in_threadpool(claim, self.factory, self.settings, limit=BATCH, probe=self.probe)
        by_endpoint: dict[int, list[Outgoing]] = {}
        for item in batch:
            by_endpoint.setdefault(item.endpoint_id, []).append(item)
        # Endpoints in parallel; each endpoint's events one after another, in the order they happened.
        await asyncio.gather(*(self._deliver_in_order(items) for items in by_endpoint.values()))
        return len(batch)

    async def _deliver_in_order(self, items: list[Outgoing]) -> None:
        for item in items:
            await self._deliver(item)

    async def run(self) -> None:
        """Poll forever; a full batch is followed at once by the next, an error by a pause."""
        while True:
            try:
                sent = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("webhook worker: a polling round failed; retrying")
                sent = 0
            if sent < BATCH:
                await asyncio.sleep(self.settings.webhook_poll_seconds)

    async def _deliver(self, item: Outgoing) -> None:
        outcome = await self._post(item)
        try:
            await run_in_threadpool(record, self.factory, self.settings, item, outcome)
        except Exception:  # the claim expires and the delivery is tried again
            logger.exception("webhook worker: could not record delivery %s", item.delivery_id)

    async def _post(self, item: Outgoing) -> Outcome:
        assert self._client is not None, "use the worker inside `async with`"
        started = time.perf_counter()
        try:
            response = await self._client.post(
                item.url, content=item.body.encode(), headers=headers(item, int(time.time()))
            )
        except httpx.HTTPError as exc:
            return Outcome(status_code=None, latency_ms=_since(started), error=f"{type(exc).__name__}: {exc}")
        error = None if response.is_success else f"HTTP {response.status_code}: {response.text[:200]}"
        return Outcome(status_code=response.status_code, latency_ms=_since(started), error=error)


def _since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


@asynccontextmanager
async def webhook_worker(app: "FastAPI") -> AsyncIterator[WebhookWorker]:
    """The FastAPI lifespan part: one delivery worker per process, at `app.state.webhook_worker`."""
    async with WebhookWorker(
        app.state.write_session_factory, app.state.settings, probe=app.state.session_factory
    ) as worker:
        task = asyncio.create_task(worker.run(), name="demands-webhook-worker")
        app.state.webhook_worker = worker
        try:
            yield worker
        finally:
            del app.state.webhook_worker
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
