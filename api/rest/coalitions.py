"""Coalitions over REST: profiles, member organizations, focus jurisdictions and people."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.rest.deps import IfMatchDep, PageDep, PrincipalDep, SessionDep, expected_version
from api.rest.responses import NOT_FOUND, UPDATE, WRITE, set_etag
from api.services import coalitions, members
from schema.accounts import MemberCreate, MemberPublic, MemberUpdate
from schema.organizations import CoalitionCreate, CoalitionPublic, CoalitionUpdate, OrganizationPublic
from schema.public import JurisdictionPublic, Page

router = APIRouter(tags=["coalitions"])

Slug = Annotated[str, Path(max_length=120, description="The coalition's slug.")]
Username = Annotated[str, Path(max_length=80, description="The member's username.")]
# Link endpoints answer 201 when they created the link and 204 when it was already there.
LINKED = {
    201: {"description": "Added"},
    204: {"description": "Already there; nothing changed"},
    **WRITE,
}


@router.get(
    "/coalitions",
    response_model=Page[CoalitionPublic],
    summary="List coalitions",
    operation_id="list_coalitions",
)
def list_coalitions(
    *,
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="Words in the name.")] = None,
    updated_since: Annotated[
        datetime | None, Query(description="Only those changed at or after this time (with a time zone).")
    ] = None,
) -> Page[CoalitionPublic]:
    """Coalitions by name, each with its member organizations and focus jurisdictions."""
    return coalitions.get_all(session=session, page=page, search=q, updated_since=updated_since)


@router.get(
    "/coalitions/{slug}",
    response_model=CoalitionPublic,
    summary="Get a coalition",
    operation_id="get_coalition",
    responses=NOT_FOUND,
)
def get_coalition(*, session: SessionDep, slug: Slug, response: Response) -> CoalitionPublic:
    """One coalition by slug; the ETag is its version, for If-Match on updates."""
    found = coalitions.get(session=session, slug=slug)
    set_etag(response, found.version)
    return found


@router.post(
    "/coalitions",
    response_model=CoalitionPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create a coalition",
    operation_id="create_coalition",
    responses=WRITE,
)
def create_coalition(
    *, session: SessionDep, principal: PrincipalDep, data: CoalitionCreate, response: Response
) -> CoalitionPublic:
    """A new coalition (site admins); then add its members, organizations and focus."""
    created = coalitions.create(session=session, principal=principal, data=data)
    response.headers["Location"] = f"/api/v1/coalitions/{created.slug}"
    set_etag(response, created.version)
    return created


@router.patch(
    "/coalitions/{slug}",
    response_model=CoalitionPublic,
    summary="Update a coalition",
    operation_id="update_coalition",
    responses=UPDATE,
)
def update_coalition(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    slug: Slug,
    data: CoalitionUpdate,
    if_match: IfMatchDep,
    response: Response,
) -> CoalitionPublic:
    """Change a coalition's profile (its coalition admins). Name the version you read."""
    updated = coalitions.update(
        session=session,
        principal=principal,
        slug=slug,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/coalitions/{slug}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a coalition",
    operation_id="delete_coalition",
    responses=UPDATE,
)
def delete_coalition(
    *, session: SessionDep, principal: PrincipalDep, slug: Slug, if_match: IfMatchDep
) -> Response:
    """Delete a coalition (site admins). Refused with 409 while it has campaigns; its members,
    organization links and focus go with it."""
    coalitions.delete(session=session, principal=principal, slug=slug, expected=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Member organizations.


@router.get(
    "/coalitions/{slug}/organizations",
    response_model=Page[OrganizationPublic],
    summary="List a coalition's organizations",
    operation_id="list_coalition_organizations",
    responses=NOT_FOUND,
)
def list_coalition_organizations(
    *, session: SessionDep, page: PageDep, slug: Slug
) -> Page[OrganizationPublic]:
    """The coalition's member organizations, by name."""
    return coalitions.get_organizations(session=session, slug=slug, page=page)


@router.put(
    "/coalitions/{slug}/organizations/{organization}",
    status_code=status.HTTP_201_CREATED,
    response_class=Response,
    summary="Add an organization to a coalition",
    operation_id="add_coalition_organization",
    responses=LINKED,
)
def add_coalition_organization(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    slug: Slug,
    organization: Annotated[str, Path(max_length=120)],
) -> Response:
    """Make an organization a member (coalition admins): 201 when added, 204 when it already was one."""
    added = coalitions.add_organization(
        session=session, principal=principal, slug=slug, organization=organization
    )
    return Response(status_code=status.HTTP_201_CREATED if added else status.HTTP_204_NO_CONTENT)


@router.delete(
    "/coalitions/{slug}/organizations/{organization}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove an organization from a coalition",
    operation_id="remove_coalition_organization",
    responses=WRITE,
)
def remove_coalition_organization(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    slug: Slug,
    organization: Annotated[str, Path(max_length=120)],
) -> Response:
    """End an organization's membership (coalition admins); 404 if it is not a member."""
    coalitions.remove_organization(session=session, principal=principal, slug=slug, organization=organization)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Focus jurisdictions.


@router.get(
    "/coalitions/{slug}/focus",
    response_model=Page[JurisdictionPublic],
    summary="List a coalition's focus jurisdictions",
    operation_id="list_coalition_focus",
    responses=NOT_FOUND,
)
def list_coalition_focus(*, session: SessionDep, page: PageDep, slug: Slug) -> Page[JurisdictionPublic]:
    """The jurisdictions the coalition concentrates on, by name."""
    return coalitions.get_focus(session=session, slug=slug, page=page)


@router.put(
    "/coalitions/{slug}/focus/{ref:path}",
    status_code=status.HTTP_201_CREATED,
    response_class=Response,
    summary="Add a focus jurisdiction",
    operation_id="add_coalition_focus",
    responses=LINKED,
)
def add_coalition_focus(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    slug: Slug,
    ref: Annotated[str, Path(max_length=300, description="Jurisdiction slug, id or OCD division ID.")],
) -> Response:
    """Add a focus jurisdiction (coalition admins): 201 when added, 204 when it already was one."""
    added = coalitions.add_focus(session=session, principal=principal, slug=slug, jurisdiction=ref)
    return Response(status_code=status.HTTP_201_CREATED if added else status.HTTP_204_NO_CONTENT)


@router.delete(
    "/coalitions/{slug}/focus/{ref:path}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a focus jurisdiction",
    operation_id="remove_coalition_focus",
    responses=WRITE,
)
def remove_coalition_focus(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    slug: Slug,
    ref: Annotated[str, Path(max_length=300, description="Jurisdiction slug, id or OCD division ID.")],
) -> Response:
    """Drop a focus jurisdiction (coalition admins); 404 if it is not one."""
    coalitions.remove_focus(session=session, principal=principal, slug=slug, jurisdiction=ref)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# People.


@router.get(
    "/coalitions/{slug}/members",
    response_model=Page[MemberPublic],
    summary="List a coalition's members",
    operation_id="list_coalition_members",
    responses={401: WRITE[401], 403: WRITE[403], **NOT_FOUND},
)
def list_coalition_members(
    *, session: SessionDep, principal: PrincipalDep, page: PageDep, slug: Slug
) -> Page[MemberPublic]:
    """The coalition's people and roles, by username. Coalitions are public but their people are not:
    only its members (any role) and site admins may list them (401 anonymous, 403 others)."""
    return members.get_all(session=session, principal=principal, slug=slug, page=page)


@router.post(
    "/coalitions/{slug}/members",
    response_model=MemberPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add a member",
    operation_id="create_coalition_member",
    responses=WRITE,
)
def create_coalition_member(
    *, session: SessionDep, principal: PrincipalDep, slug: Slug, data: MemberCreate, response: Response
) -> MemberPublic:
    """Give an existing user a role (coalition admins); 409 if they already are a member."""
    created = members.create(session=session, principal=principal, slug=slug, data=data)
    response.headers["Location"] = f"/api/v1/coalitions/{slug}/members/{created.username}"
    return created


@router.patch(
    "/coalitions/{slug}/members/{username}",
    response_model=MemberPublic,
    summary="Change a member's role",
    operation_id="update_coalition_member",
    responses=WRITE,
)
def update_coalition_member(
    *, session: SessionDep, principal: PrincipalDep, slug: Slug, username: Username, data: MemberUpdate
) -> MemberPublic:
    """Change a member's role (coalition admins); demoting the last active coalition_admin is a 409."""
    return members.update(session=session, principal=principal, slug=slug, username=username, data=data)


@router.delete(
    "/coalitions/{slug}/members/{username}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a member",
    operation_id="delete_coalition_member",
    responses=WRITE,
)
def delete_coalition_member(
    *, session: SessionDep, principal: PrincipalDep, slug: Slug, username: Username
) -> Response:
    """Remove someone from the coalition (coalition admins); removing the last active coalition_admin is a 409."""
    members.delete(session=session, principal=principal, slug=slug, username=username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
