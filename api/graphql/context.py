"""The per-request GraphQL context, and the one way resolvers reach the database.

Async boundary: resolvers are `async`; every piece of database work runs synchronously in a
worker thread with a session of its own, opened and closed inside that one call
(`read`/`write`). No session is ever held across an `await`, so DataLoader batching cannot
pin pool connections while the event loop waits.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from strawberry.fastapi import BaseContext

from api.errors import DomainError, Unauthorized
from api.graphql.errors import domain_error, validation_error
from api.services import tokens
from api.services.permissions import ANONYMOUS, Principal
from api.settings import Settings

Result = TypeVar("Result")
# Opens one session in one transaction, committed when the block ends: `app.state.read_unit` / `write_unit`.
UnitOfWork = Callable[[], AbstractContextManager[Session]]


@dataclass
class Context(BaseContext):
    """Who is asking, how to reach the database, and this request's DataLoaders."""

    principal: Principal = ANONYMOUS
    settings: Settings = field(default_factory=Settings)
    read_unit: UnitOfWork | None = None
    write_unit: UnitOfWork | None = None
    loaders: Any = None
    # The process's live-update hub (None when the app runs without its lifespan).
    event_hub: Any = None
    # What a WebSocket client sent in `connection_init` (graphql-transport-ws).
    connection_params: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        super().__init__()


def _run(unit: UnitOfWork | None, work: Callable[[Session], Result]) -> Result:
    assert unit is not None
    try:
        with unit() as session:
            return work(session)
    except DomainError as exc:
        raise domain_error(exc) from exc
    except ValidationError as exc:
        raise validation_error(exc) from exc


async def read(context: Context, work: Callable[[Session], Result]) -> Result:
    """Run `work` with a fresh read session in a worker thread; domain errors become GraphQL errors."""
    return await run_in_threadpool(_run, context.read_unit, work)


async def write(context: Context, work: Callable[[Session], Result]) -> Result:
    """Like `read`, in a write transaction committed before the mutation answers."""
    return await run_in_threadpool(_run, context.write_unit, work)


def principal_from_header(session: Session, authorization: str | None) -> Principal:
    """The same rules as REST: no header is anonymous; a bad token is refused, never downgraded."""
    if not authorization:
        return ANONYMOUS
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("The Authorization header must be `Bearer <token>`.")
    return tokens.authenticate(session=session, secret=secret.strip())
