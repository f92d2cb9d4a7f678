"""Targets over REST: the bodies asks are made of."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.rest.deps import IfMatchDep, PageDep, PrincipalDep, SessionDep, expected_version
from api.rest.responses import NOT_FOUND, UPDATE, WRITE, set_etag
from api.services import targets
from schema.public import Page, TargetPublic
from schema.targets import TargetCreate, TargetUpdate

router = APIRouter(tags=["targets"])


@router.get(
    "/targets",
    response_model=Page[TargetPublic],
    summary="List targets",
    operation_id="list_targets",
    responses=NOT_FOUND,
)
def list_targets(
    *,
    session: SessionDep,
    page: PageDep,
    category: Annotated[str | None, Query(description="Only this target category (slug).")] = None,
    jurisdiction: Annotated[
        str | None, Query(max_length=300, description="Only this jurisdiction (slug, id or OCD ID).")
    ] = None,
    include_descendants: Annotated[
        bool, Query(description="With `jurisdiction`: also every jurisdiction under it.")
    ] = False,
    q: Annotated[str | None, Query(max_length=200, description="Words in the name.")] = None,
    updated_since: Annotated[
        datetime | None, Query(description="Only targets changed at or after this time (with a zone).")
    ] = None,
) -> Page[TargetPublic]:
    """Targets in name order; `jurisdiction` with `include_descendants` finds every body within a place."""
    return targets.get_all(
        session=session,
        page=page,
        category=category,
        jurisdiction=jurisdiction,
        include_descendants=include_descendants,
        search=q,
        updated_since=updated_since,
    )


@router.post(
    "/targets",
    response_model=TargetPublic,
    status_code=201,
    summary="Create a target",
    operation_id="create_target",
    responses=WRITE,
)
def create_target(
    session: SessionDep, principal: PrincipalDep, data: TargetCreate, response: Response
) -> TargetPublic:
    """Add a body to make asks of (site admins), in a category and a jurisdiction."""
    created = targets.create(session=session, principal=principal, data=data)
    response.headers["Location"] = f"/api/v1/targets/{created.slug}"
    set_etag(response, created.version)
    return created


@router.get(
    "/targets/{slug}",
    response_model=TargetPublic,
    summary="Get a target",
    operation_id="get_target",
    responses=NOT_FOUND,
)
def get_target(session: SessionDep, slug: str, response: Response) -> TargetPublic:
    """One target by slug."""
    found = targets.get(session=session, slug=slug)
    set_etag(response, found.version)
    return found


@router.patch(
    "/targets/{slug}",
    response_model=TargetPublic,
    summary="Update a target",
    operation_id="update_target",
    responses=UPDATE,
)
def update_target(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    slug: str,
    data: TargetUpdate,
    response: Response,
) -> TargetPublic:
    """Edit a target (site admins), naming the version you edited (If-Match or `version`)."""
    updated = targets.update(
        session=session,
        principal=principal,
        slug=slug,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/targets/{slug}",
    status_code=204,
    summary="Delete a target",
    operation_id="delete_target",
    responses=UPDATE,
)
def delete_target(session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep, slug: str) -> None:
    """Remove a target (site admins); refused (409) while campaigns refer to it."""
    targets.delete(session=session, principal=principal, slug=slug, expected=if_match)
