"""Webhooks over REST: a coalition's admins register signed endpoints and read their delivery log."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.rest.deps import IfMatchDep, PageDep, PrincipalDep, SessionDep, expected_version
from api.rest.responses import UPDATE, WRITE, set_etag
from api.services import webhooks
from schema.public import MAX_INT, Page
from schema.webhooks import (
    DeliveryState,
    WebhookAttemptPublic,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointPublic,
    WebhookEndpointUpdate,
)

router = APIRouter(tags=["webhooks"])

Slug = Annotated[str, Path(max_length=120, description="The coalition's slug.")]
EndpointId = Annotated[int, Path(ge=1, le=MAX_INT, description="The endpoint's id.")]
BASE = "/coalitions/{slug}/webhooks"


@router.get(
    BASE,
    response_model=Page[WebhookEndpointPublic],
    summary="List a coalition's webhook endpoints",
    operation_id="list_webhooks",
    responses=WRITE,
)
def list_webhooks(
    *, session: SessionDep, principal: PrincipalDep, page: PageDep, slug: Slug
) -> Page[WebhookEndpointPublic]:
    """The coalition's endpoints in creation order (coalition admins and site admins); no secrets."""
    return webhooks.get_all(session=session, principal=principal, coalition=slug, page=page)


@router.post(
    BASE,
    response_model=WebhookEndpointCreated,
    status_code=201,
    summary="Register a webhook endpoint",
    operation_id="create_webhook",
    responses=WRITE,
)
def create_webhook(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    slug: Slug,
    data: WebhookEndpointCreate,
    response: Response,
) -> WebhookEndpointCreated:
    """Register a URL for the coalition's events; the answer carries the signing `secret`, shown only once."""
    created = webhooks.create(session=session, principal=principal, coalition=slug, data=data)
    response.headers["Location"] = f"/api/v1/coalitions/{slug}/webhooks/{created.id}"
    response.headers["Cache-Control"] = "no-store"
    set_etag(response, created.version)
    return created


@router.get(
    BASE + "/{webhook_id}",
    response_model=WebhookEndpointPublic,
    summary="Get a webhook endpoint",
    operation_id="get_webhook",
    responses=WRITE,
)
def get_webhook(
    *, session: SessionDep, principal: PrincipalDep, slug: Slug, webhook_id: EndpointId, response: Response
) -> WebhookEndpointPublic:
    """One endpoint, with its failure count and why it was disabled, if it was; never its secret."""
    found = webhooks.get(session=session, principal=principal, coalition=slug, endpoint_id=webhook_id)
    set_etag(response, found.version)
    return found


@router.patch(
    BASE + "/{webhook_id}",
    response_model=WebhookEndpointPublic,
    summary="Update a webhook endpoint",
    operation_id="update_webhook",
    responses=UPDATE,
)
def update_webhook(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    slug: Slug,
    webhook_id: EndpointId,
    data: WebhookEndpointUpdate,
    response: Response,
) -> WebhookEndpointPublic:
    """Change the URL, events or enabled flag, naming the version you edited; enabling resets failures."""
    updated = webhooks.update(
        session=session,
        principal=principal,
        coalition=slug,
        endpoint_id=webhook_id,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    BASE + "/{webhook_id}",
    status_code=204,
    summary="Delete a webhook endpoint",
    operation_id="delete_webhook",
    responses=UPDATE,
)
def delete_webhook(
    session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep, slug: Slug, webhook_id: EndpointId
) -> None:
    """Remove an endpoint, with its undelivered events and its delivery log."""
    webhooks.delete(
        session=session, principal=principal, coalition=slug, endpoint_id=webhook_id, expected=if_match
    )


@router.post(
    BASE + "/{webhook_id}/enable",
    response_model=WebhookEndpointPublic,
    summary="Re-enable a webhook endpoint",
    operation_id="enable_webhook",
    responses=UPDATE,
)
def enable_webhook(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    slug: Slug,
    webhook_id: EndpointId,
    response: Response,
) -> WebhookEndpointPublic:
    """Turn a disabled endpoint back on and reset its failure count; held deliveries resume."""
    enabled = webhooks.enable(
        session=session, principal=principal, coalition=slug, endpoint_id=webhook_id, expected=if_match
    )
    set_etag(response, enabled.version)
    return enabled


@router.get(
    BASE + "/{webhook_id}/deliveries",
    response_model=Page[WebhookAttemptPublic],
    summary="List a webhook endpoint's delivery attempts",
    operation_id="list_webhook_deliveries",
    responses=WRITE,
)
def list_webhook_deliveries(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    slug: Slug,
    webhook_id: EndpointId,
    state: Annotated[
        DeliveryState | None, Query(description="Only attempts of deliveries in this state now.")
    ] = None,
) -> Page[WebhookAttemptPublic]:
    """Every attempt, newest first: status code, latency, error, attempt number and next retry."""
    return webhooks.get_attempts(
        session=session, principal=principal, coalition=slug, endpoint_id=webhook_id, page=page, state=state
    )
