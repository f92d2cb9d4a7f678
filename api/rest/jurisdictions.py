"""Jurisdictions over REST, addressable by slug, id or OCD division ID.

OCD IDs contain slashes, so item routes take `{ref:path}`; the `/children` and `/ancestors`
routes are declared first so their suffix wins over a plain lookup.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.rest.deps import IfMatchDep, PageDep, PrincipalDep, SessionDep, expected_version
from api.rest.responses import NOT_FOUND, UPDATE, WRITE, set_etag
from api.services import jurisdictions
from schema.enums import JurisdictionKind
from schema.jurisdictions import JurisdictionCreate, JurisdictionUpdate
from schema.public import JurisdictionChain, JurisdictionPublic, Page

router = APIRouter(tags=["jurisdictions"])


@router.get(
    "/jurisdictions",
    response_model=Page[JurisdictionPublic],
    summary="List jurisdictions",
    operation_id="list_jurisdictions",
    responses=NOT_FOUND,
)
def list_jurisdictions(
    session: SessionDep,
    page: PageDep,
    kind: Annotated[JurisdictionKind | None, Query(description="Only this kind.")] = None,
    parent: Annotated[
        str | None, Query(description="Only the direct children of this jurisdiction (slug, id or OCD ID).")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the name.")] = None,
) -> Page[JurisdictionPublic]:
    """Jurisdictions in name order, with their Open Civic Data, FIPS and ISO 3166 codes."""
    return jurisdictions.get_all(session=session, page=page, kind=kind, parent=parent, search=q)


@router.post(
    "/jurisdictions",
    response_model=JurisdictionPublic,
    status_code=201,
    summary="Create a jurisdiction",
    operation_id="create_jurisdiction",
    responses=WRITE,
)
def create_jurisdiction(
    session: SessionDep, principal: PrincipalDep, data: JurisdictionCreate, response: Response
) -> JurisdictionPublic:
    """Add a place (site admins). Slugs and codes are unique; the parent is named by slug, id or OCD ID."""
    created = jurisdictions.create(session=session, principal=principal, data=data)
    response.headers["Location"] = f"/api/v1/jurisdictions/{created.slug}"
    set_etag(response, created.version)
    return created


@router.get(
    "/jurisdictions/{ref:path}/children",
    response_model=Page[JurisdictionPublic],
    summary="List a jurisdiction's children",
    operation_id="list_jurisdiction_children",
    responses=NOT_FOUND,
)
def list_jurisdiction_children(session: SessionDep, page: PageDep, ref: str) -> Page[JurisdictionPublic]:
    """The places directly under one (slug, id or OCD division ID), in name order."""
    return jurisdictions.get_children(session=session, ref=ref, page=page)


@router.get(
    "/jurisdictions/{ref:path}/ancestors",
    response_model=JurisdictionChain,
    summary="List a jurisdiction's ancestors",
    operation_id="list_jurisdiction_ancestors",
    responses=NOT_FOUND,
)
def list_jurisdiction_ancestors(session: SessionDep, ref: str) -> JurisdictionChain:
    """The places enclosing one, nearest first and ending at the root (empty for a root)."""
    return jurisdictions.get_ancestors(session=session, ref=ref)


@router.get(
    "/jurisdictions/{ref:path}",
    response_model=JurisdictionPublic,
    summary="Get a jurisdiction",
    operation_id="get_jurisdiction",
    responses=NOT_FOUND,
)
def get_jurisdiction(session: SessionDep, ref: str, response: Response) -> JurisdictionPublic:
    """One jurisdiction by slug (`los-angeles-county`), id, or OCD division ID
    (`ocd-division/country:us/state:ca/county:los_angeles`)."""
    found = jurisdictions.get(session=session, ref=ref)
    set_etag(response, found.version)
    return found


@router.patch(
    "/jurisdictions/{ref:path}",
    response_model=JurisdictionPublic,
    summary="Update a jurisdiction",
    operation_id="update_jurisdiction",
    responses=UPDATE,
)
def update_jurisdiction(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    ref: str,
    data: JurisdictionUpdate,
    response: Response,
) -> JurisdictionPublic:
    """Change a place (site admins), naming the version edited; moving it under itself is refused (422)."""
    updated = jurisdictions.update(
        session=session,
        principal=principal,
        ref=ref,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/jurisdictions/{ref:path}",
    status_code=204,
    summary="Delete a jurisdiction",
    operation_id="delete_jurisdiction",
    responses=UPDATE,
)
def delete_jurisdiction(session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep, ref: str) -> None:
    """Remove a place (site admins); refused (409) while children, targets or other records refer to it."""
    jurisdictions.delete(session=session, principal=principal, ref=ref, expected=if_match)
