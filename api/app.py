"""The FastAPI application: REST under /api/v1, health at /healthz, problem+json errors."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from api.db import create_db_engine, make_session_factory, transaction
from api.events import lifespan as events_lifespan
from api.graphql.schema import graphql_router
from api.rest import api_router
from api.rest.body_limit import BodySizeLimit
from api.rest.health import router as health_router
from api.rest.problems import install_problem_handlers
from api.settings import Settings, get_settings
from api.webhooks_worker import webhook_worker

DESCRIPTION = """
The shared record of the demands coalitions make of governments and allies to protect
immigrant workers: the crowd-sourced organizer checklist, the jurisdictions asks are made
in, and the campaigns that track which asks were made, won or stalled.

Send an API token as `Authorization: Bearer <token>` to write or to read your coalition's
private records; without one you read public data.

Errors are RFC 9457 `application/problem+json` documents with a stable `code`.
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the live-update hub and the webhook worker; then move start-up objects out of the collector's way."""
    async with events_lifespan(app), webhook_worker(app):
        # Everything built so far lives as long as the process; full collections need not rescan it.
        gc.freeze()
        yield


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app; tests pass their own settings and engine, `demands serve` uses the environment."""
    settings = settings or get_settings()
    engine = engine or create_db_engine(settings)
    app = FastAPI(
        title="Demands Tracker",
        version="0.1.0",
        description=DESCRIPTION,
        # One live-update hub per worker process (PostgreSQL LISTEN, or in-process on SQLite).
        lifespan=_lifespan,
        openapi_tags=[
            {"name": "catalog", "description": "The checklist: target categories and demands."},
            {"name": "jurisdictions", "description": "Where asks are made."},
            {"name": "targets", "description": "The bodies asks are made of."},
            {"name": "organizations", "description": "Member organizations."},
            {
                "name": "coalitions",
                "description": "Coalitions, their member organizations, focus and people.",
            },
            {
                "name": "campaigns",
                "description": "Asks made of targets, their status history and activities.",
            },
            {"name": "resources", "description": "Toolkits, memos, laws and hotlines."},
            {"name": "accounts", "description": "Users and who is signed in."},
            {"name": "audit", "description": "The append-only record of every write."},
            {"name": "scorecards", "description": "Where each jurisdiction stands, compared and exported."},
            {
                "name": "submissions",
                "description": "Proposals to the crowd-sourced checklist and their moderation.",
            },
            {"name": "webhooks", "description": "Signed notifications to a coalition's own tools."},
            {"name": "imports", "description": "Campaigns from spreadsheets."},
            {"name": "backups", "description": "Full exports and imports of the database (site admins)."},
            {"name": "operations", "description": "Health and operations."},
        ],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.write_session_factory = make_session_factory(engine, for_writes=True)
    # GraphQL opens one unit of work per batch of database work, never one per request.
    app.state.read_unit = partial(transaction, app.state.session_factory)
    app.state.write_unit = partial(transaction, app.state.write_session_factory)
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.include_router(health_router)
    app.include_router(api_router)
    app.include_router(graphql_router(settings), prefix="/graphql")
    app.openapi = _with_problem_schema(app)  # type: ignore[method-assign]
    return app


def _with_problem_schema(app: FastAPI) -> Any:
    """Add the shared Problem schema that error responses reference."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = {
            "type": "object",
            "description": "RFC 9457 problem details.",
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "code": {"type": "string", "description": "Stable machine-readable error name."},
                "errors": {
                    "type": "array",
                    "description": "Field-level problems, for validation failures.",
                    "items": {"type": "object"},
                },
            },
            "required": ["type", "title", "status", "detail", "code"],
        }
        app.openapi_schema = schema
        return schema

    return openapi
