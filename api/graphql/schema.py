"""The GraphQL schema with its cost limits, and the router that serves it at /graphql."""

from collections.abc import Callable
from typing import Any

import strawberry
from fastapi import HTTPException
from graphql import GraphQLError
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.tools import merge_types
from strawberry.types.unset import UnsetType

from api.errors import Unauthorized
from api.graphql.context import Context, UnitOfWork, principal_from_header, read
from api.graphql.loaders import build_loaders
from api.graphql.mutations import Mutation
from api.graphql.queries import Query
from api.graphql.scorecards import ScorecardQuery
from api.graphql.submissions import ModeratedSubmission, Submission, SubmissionMutation, SubmissionQuery
from api.graphql.subscriptions import Subscription
from api.graphql.types import (
    Activity,
    Campaign,
    Category,
    Coalition,
    Demand,
    Example,
    Jurisdiction,
    Organization,
    Resource,
    StatusEvent,
    Target,
)
from api.services.permissions import Principal
from api.settings import Settings


def _unexpected(error: GraphQLError) -> bool:
    """Mask only failures nobody planned for; expected ones carry a message and a code meant for clients."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def build_schema(settings: Settings) -> strawberry.Schema:
    # Factories: a fresh extension per request; the parse and validation caches live at module level.
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: QueryDepthLimiter(max_depth=settings.graphql_max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: MaskErrors(
            should_mask_error=_unexpected, error_message="Unexpected error; it has been logged."
        ),
    ]
    if not settings.graphql_introspection:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(
        query=merge_types("Query", (Query, SubmissionQuery, ScorecardQuery)),
        mutation=merge_types("Mutation", (Mutation, SubmissionMutation)),
        subscription=Subscription,
        types=[
            Activity,
            Campaign,
            Category,
            Coalition,
            Demand,
            Example,
            Jurisdiction,
            Organization,
            Resource,
            StatusEvent,
            Target,
            Submission,
            ModeratedSubmission,
        ],
        extensions=extensions,
    )


def _principal(unit: UnitOfWork, authorization: str | None) -> Principal:
    with unit() as session:
        return principal_from_header(session, authorization)


class DemandsGraphQLRouter(GraphQLRouter[Context, None]):
    """Browsers cannot set headers on a WebSocket, so subscribers may sign in in `connection_init`."""

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params or {}
        authorization = params.get("Authorization") or params.get("authorization")
        if isinstance(authorization, str) and context.read_unit is not None:
            try:
                context.principal = await run_in_threadpool(_principal, context.read_unit, authorization)
            except Unauthorized as exc:
                raise ConnectionRejectionError(
                    {"code": "AUTHENTICATION_REQUIRED", "message": exc.detail}
                ) from exc
            context.loaders = build_loaders(
                lambda work: read(context, work), context.principal, context.settings.stale_after_days
            )
        return UnsetType()  # the singleton UNSET: acknowledge with no payload


def graphql_router(settings: Settings) -> GraphQLRouter[Context, None]:
    """`/graphql`: POST or GET queries, GraphiQL in a browser, subscriptions over graphql-transport-ws only."""

    async def get_context(connection: HTTPConnection) -> Context:
        state: Any = connection.app.state
        try:
            principal = await run_in_threadpool(
                _principal, state.read_unit, connection.headers.get("authorization")
            )
        except Unauthorized as exc:
            raise HTTPException(401, exc.detail, headers={"WWW-Authenticate": "Bearer"}) from exc
        context = Context(
            principal=principal,
            settings=settings,
            read_unit=state.read_unit,
            write_unit=state.write_unit,
            event_hub=getattr(state, "event_hub", None),
        )
        context.loaders = build_loaders(
            lambda work: read(context, work), principal, settings.stale_after_days
        )
        return context

    return DemandsGraphQLRouter(
        build_schema(settings),
        context_getter=get_context,
        graphql_ide="graphiql" if settings.graphql_introspection else None,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        max_subscriptions_per_connection=20,
        include_in_schema=False,
        allowed_origins=settings.graphql_allowed_origins,
    )
