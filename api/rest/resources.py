"""Resources over REST: toolkits, flyers, memos, laws and hotlines."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.rest.deps import IfMatchDep, LanguageDep, PageDep, PrincipalDep, SessionDep, expected_version
from api.rest.responses import NOT_FOUND, UPDATE, WRITE, set_etag
from api.services import resources, translations
from schema.enums import ResourceKind, TranslatedEntity
from schema.public import Page, ResourcePublic
from schema.resources import ResourceCreate, ResourceUpdate

router = APIRouter(tags=["resources"])


@router.get(
    "/resources",
    response_model=Page[ResourcePublic],
    summary="List resources",
    operation_id="list_resources",
    responses=NOT_FOUND,
)
def list_resources(
    *,
    session: SessionDep,
    page: PageDep,
    kind: Annotated[ResourceKind | None, Query(description="Only this kind.")] = None,
    language: Annotated[
        str | None, Query(max_length=16, description="Only resources in this language (BCP 47).")
    ] = None,
    demand: Annotated[str | None, Query(description="Only resources for this demand (slug).")] = None,
    jurisdiction: Annotated[
        str | None,
        Query(max_length=300, description="Only resources serving this jurisdiction (slug, id or OCD ID)."),
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title or description.")] = None,
    updated_since: Annotated[
        datetime | None, Query(description="Only resources changed at or after this time (with a zone).")
    ] = None,
    served: LanguageDep,
) -> Page[ResourcePublic]:
    """Resources by title, each with its languages, demands and jurisdictions; titles in the language asked for
    (`lang` or Accept-Language) where translated."""
    found = resources.get_all(
        session=session,
        page=page,
        kind=kind,
        language=language,
        demand=demand,
        jurisdiction=jurisdiction,
        search=q,
        updated_since=updated_since,
    )
    return translations.localize_page(
        session=session, page=found, entity=TranslatedEntity.RESOURCE, language=served
    )


@router.post(
    "/resources",
    response_model=ResourcePublic,
    status_code=201,
    summary="Create a resource",
    operation_id="create_resource",
    responses=WRITE,
)
def create_resource(
    session: SessionDep, principal: PrincipalDep, data: ResourceCreate, response: Response
) -> ResourcePublic:
    """Add a resource (site admins); phone numbers are allowed only on an organization's hotline."""
    created = resources.create(session=session, principal=principal, data=data)
    response.headers["Location"] = f"/api/v1/resources/{created.slug}"
    set_etag(response, created.version)
    return created


@router.get(
    "/resources/{slug}",
    response_model=ResourcePublic,
    summary="Get a resource",
    operation_id="get_resource",
    responses=NOT_FOUND,
)
def get_resource(session: SessionDep, slug: str, response: Response, served: LanguageDep) -> ResourcePublic:
    """One resource by slug."""
    found = resources.get(session=session, slug=slug)
    (found,) = translations.localize(
        session=session, items=[found], entity=TranslatedEntity.RESOURCE, language=served
    )
    set_etag(response, found.version)
    return found


@router.patch(
    "/resources/{slug}",
    response_model=ResourcePublic,
    summary="Update a resource",
    operation_id="update_resource",
    responses=UPDATE,
)
def update_resource(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    slug: str,
    data: ResourceUpdate,
    response: Response,
) -> ResourcePublic:
    """Edit a resource (site admins); `languages`, `demands` or `jurisdictions` sent replace the stored lists."""
    updated = resources.update(
        session=session,
        principal=principal,
        slug=slug,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/resources/{slug}",
    status_code=204,
    summary="Delete a resource",
    operation_id="delete_resource",
    responses=UPDATE,
)
def delete_resource(session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep, slug: str) -> None:
    """Remove a resource and its links (site admins)."""
    resources.delete(session=session, principal=principal, slug=slug, expected=if_match)
