"""Jurisdictions over REST, addressable by slug, id or OCD division ID."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.rest.deps import PageDep, SessionDep
from api.rest.responses import NOT_FOUND
from api.services import jurisdictions
from schema.enums import JurisdictionKind
from schema.public import JurisdictionPublic, Page

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


@router.get(
    "/jurisdictions/{ref:path}",
    response_model=JurisdictionPublic,
    summary="Get a jurisdiction",
    operation_id="get_jurisdiction",
    responses=NOT_FOUND,
)
def get_jurisdiction(session: SessionDep, ref: str) -> JurisdictionPublic:
    """One jurisdiction by slug (`los-angeles-county`), id, or OCD division ID
    (`ocd-division/country:us/state:ca/county:los_angeles`)."""
    return jurisdictions.get(session=session, ref=ref)
