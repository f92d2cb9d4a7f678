"""Member organizations over REST."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.rest.deps import IfMatchDep, PageDep, PrincipalDep, SessionDep, expected_version
from api.rest.responses import NOT_FOUND, UPDATE, WRITE, set_etag
from api.services import organizations
from schema.enums import OrganizationKind
from schema.organizations import OrganizationCreate, OrganizationPublic, OrganizationUpdate
from schema.public import Page

router = APIRouter(tags=["organizations"])


@router.get(
    "/organizations",
    response_model=Page[OrganizationPublic],
    summary="List organizations",
    operation_id="list_organizations",
    responses=NOT_FOUND,
)
def list_organizations(
    *,
    session: SessionDep,
    page: PageDep,
    kind: Annotated[OrganizationKind | None, Query(description="Only this kind.")] = None,
    jurisdiction: Annotated[
        str | None, Query(max_length=300, description="Only based here (slug, id or OCD division ID).")
    ] = None,
    coalition: Annotated[
        str | None, Query(max_length=120, description="Only members of this coalition.")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the name.")] = None,
    updated_since: Annotated[
        datetime | None, Query(description="Only those changed at or after this time (with a time zone).")
    ] = None,
) -> Page[OrganizationPublic]:
    """Member organizations by name; unknown jurisdictions or coalitions are a 404 naming them."""
    return organizations.get_all(
        session=session,
        page=page,
        kind=kind,
        jurisdiction=jurisdiction,
        coalition=coalition,
        search=q,
        updated_since=updated_since,
    )


@router.get(
    "/organizations/{slug}",
    response_model=OrganizationPublic,
    summary="Get an organization",
    operation_id="get_organization",
    responses=NOT_FOUND,
)
def get_organization(*, session: SessionDep, slug: str, response: Response) -> OrganizationPublic:
    """One organization by slug; the ETag is its version, for If-Match on updates."""
    found = organizations.get(session=session, slug=slug)
    set_etag(response, found.version)
    return found


@router.post(
    "/organizations",
    response_model=OrganizationPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create an organization",
    operation_id="create_organization",
    responses=WRITE,
)
def create_organization(
    *, session: SessionDep, principal: PrincipalDep, data: OrganizationCreate, response: Response
) -> OrganizationPublic:
    """A new member organization (site admins); a taken slug is a 409."""
    created = organizations.create(session=session, principal=principal, data=data)
    response.headers["Location"] = f"/api/v1/organizations/{created.slug}"
    set_etag(response, created.version)
    return created


@router.patch(
    "/organizations/{slug}",
    response_model=OrganizationPublic,
    summary="Update an organization",
    operation_id="update_organization",
    responses=UPDATE,
)
def update_organization(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    slug: str,
    data: OrganizationUpdate,
    if_match: IfMatchDep,
    response: Response,
) -> OrganizationPublic:
    """Change an organization (site admins). Name the version you read in If-Match or `version`."""
    updated = organizations.update(
        session=session,
        principal=principal,
        slug=slug,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/organizations/{slug}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an organization",
    operation_id="delete_organization",
    responses=UPDATE,
)
def delete_organization(
    *, session: SessionDep, principal: PrincipalDep, slug: str, if_match: IfMatchDep
) -> Response:
    """Delete an organization (site admins). Refused with 409 while campaigns it leads or resources
    it publishes refer to it; its coalition memberships are removed with it."""
    organizations.delete(session=session, principal=principal, slug=slug, expected=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
