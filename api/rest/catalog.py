"""The checklist over REST: target categories, demands and their examples, in the language asked for."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.rest.deps import IfMatchDep, LanguageDep, PageDep, PrincipalDep, SessionDep, expected_version
from api.rest.responses import NOT_FOUND, UPDATE, WRITE, set_etag
from api.services import categories, demand_history, demands, examples, translations
from schema.catalog import (
    CategoryCreate,
    CategoryUpdate,
    DemandCreate,
    DemandRevisionPublic,
    DemandUpdate,
    ExampleCreate,
    ExampleUpdate,
)
from schema.enums import TranslatedEntity
from schema.public import CategoryPublic, DemandPublic, ExamplePublic, Page

router = APIRouter(tags=["catalog"])


def _created(response: Response, path: str, version: int) -> None:
    response.headers["Location"] = f"/api/v1/{path}"
    set_etag(response, version)


@router.get(
    "/categories",
    response_model=Page[CategoryPublic],
    summary="List target categories",
    operation_id="list_categories",
)
def list_categories(session: SessionDep, page: PageDep, language: LanguageDep) -> Page[CategoryPublic]:
    """Target categories in checklist order, each with how many trackable demands it holds."""
    found = categories.get_all(session=session, page=page)
    return translations.localize_page(
        session=session, page=found, entity=TranslatedEntity.CATEGORY, language=language
    )


@router.post(
    "/categories",
    response_model=CategoryPublic,
    status_code=201,
    summary="Create a target category",
    operation_id="create_category",
    responses=WRITE,
)
def create_category(
    session: SessionDep, principal: PrincipalDep, data: CategoryCreate, response: Response
) -> CategoryPublic:
    """Add a checklist heading (site admins); it goes last unless a position is given."""
    created = categories.create(session=session, principal=principal, data=data)
    _created(response, f"categories/{created.slug}", created.version)
    return created


@router.get(
    "/categories/{slug}",
    response_model=CategoryPublic,
    summary="Get a target category",
    operation_id="get_category",
    responses=NOT_FOUND,
)
def get_category(session: SessionDep, slug: str, response: Response, language: LanguageDep) -> CategoryPublic:
    """One target category by slug."""
    found = categories.get_by_slug(session=session, slug=slug)
    (found,) = translations.localize(
        session=session, items=[found], entity=TranslatedEntity.CATEGORY, language=language
    )
    set_etag(response, found.version)
    return found


@router.patch(
    "/categories/{slug}",
    response_model=CategoryPublic,
    summary="Update a target category",
    operation_id="update_category",
    responses=UPDATE,
)
def update_category(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    slug: str,
    data: CategoryUpdate,
    response: Response,
) -> CategoryPublic:
    """Rename, describe or reorder a category (site admins), naming the version you edited."""
    updated = categories.update(
        session=session,
        principal=principal,
        slug=slug,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/categories/{slug}",
    status_code=204,
    summary="Delete a target category",
    operation_id="delete_category",
    responses=UPDATE,
)
def delete_category(session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep, slug: str) -> None:
    """Remove a category (site admins); refused (409) while demands or targets use it."""
    categories.delete(session=session, principal=principal, slug=slug, expected=if_match)


@router.get(
    "/demands",
    response_model=Page[DemandPublic],
    summary="List demands",
    operation_id="list_demands",
    responses=NOT_FOUND,
)
def list_demands(
    *,
    session: SessionDep,
    page: PageDep,
    category: Annotated[str | None, Query(description="Only this target category (slug).")] = None,
    group: Annotated[str | None, Query(description="Only the items of this group (slug).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title or description.")] = None,
    include_retired: Annotated[bool, Query(description="Also list retired items, kept for history.")] = False,
    language: LanguageDep,
) -> Page[DemandPublic]:
    """The checklist in the organizer brief's order: each group, then its items.

    Groups carry the slugs of their items in `children`; items name their group in `parent`.
    Texts come in the language asked for (`lang` or Accept-Language) where a translation exists;
    each item says which `language` it is in.
    """
    found = demands.get_all(
        session=session, page=page, category=category, group=group, search=q, include_retired=include_retired
    )
    return translations.localize_demand_page(session=session, page=found, language=language)


@router.post(
    "/demands",
    response_model=DemandPublic,
    status_code=201,
    summary="Create a demand",
    operation_id="create_demand",
    responses=WRITE,
)
def create_demand(
    session: SessionDep, principal: PrincipalDep, data: DemandCreate, response: Response
) -> DemandPublic:
    """Add an editorial checklist item (site admins), top-level or inside a top-level group.

    It goes last among its siblings unless a position is given.
    """
    created = demands.create(session=session, principal=principal, data=data)
    _created(response, f"demands/{created.slug}", created.version)
    return created


@router.get(
    "/demands/{slug}",
    response_model=DemandPublic,
    summary="Get a demand",
    operation_id="get_demand",
    responses=NOT_FOUND,
)
def get_demand(session: SessionDep, slug: str, response: Response, language: LanguageDep) -> DemandPublic:
    """One demand by slug, with its items (for a group) and examples."""
    found = demands.get_by_slug(session=session, slug=slug)
    (found,) = translations.localize_demands(session=session, items=[found], language=language)
    set_etag(response, found.version)
    return found


@router.patch(
    "/demands/{slug}",
    response_model=DemandPublic,
    summary="Update a demand",
    operation_id="update_demand",
    responses=UPDATE,
)
def update_demand(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    slug: str,
    data: DemandUpdate,
    response: Response,
) -> DemandPublic:
    """Edit or move a demand (site admins); `parent: null` makes it top-level, a group's items follow its category."""
    updated = demands.update(
        session=session,
        principal=principal,
        slug=slug,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/demands/{slug}",
    status_code=204,
    summary="Delete a demand",
    operation_id="delete_demand",
    responses=UPDATE,
)
def delete_demand(session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep, slug: str) -> None:
    """Remove a demand (site admins); refused (409) while items, campaigns, examples or submissions refer to it."""
    demands.delete(session=session, principal=principal, slug=slug, expected=if_match)


@router.get(
    "/demands/{slug}/examples",
    response_model=Page[ExamplePublic],
    summary="List a demand's examples",
    operation_id="list_demand_examples",
    responses=NOT_FOUND,
)
def list_demand_examples(
    session: SessionDep, page: PageDep, slug: str, language: LanguageDep
) -> Page[ExamplePublic]:
    """The real laws, directives and practices that show this demand can be won, in order."""
    found = examples.get_all(session=session, page=page, demand=slug)
    return translations.localize_page(
        session=session, page=found, entity=TranslatedEntity.EXAMPLE, language=language
    )


@router.post(
    "/demands/{slug}/examples",
    response_model=ExamplePublic,
    status_code=201,
    summary="Create an example",
    operation_id="create_example",
    responses=WRITE,
)
def create_example(
    session: SessionDep, principal: PrincipalDep, slug: str, data: ExampleCreate, response: Response
) -> ExamplePublic:
    """Add an example to a demand (site admins); it goes last unless a position is given."""
    created = examples.create(session=session, principal=principal, demand=slug, data=data)
    _created(response, f"examples/{created.slug}", created.version)
    return created


@router.get(
    "/examples/{slug}",
    response_model=ExamplePublic,
    summary="Get an example",
    operation_id="get_example",
    responses=NOT_FOUND,
)
def get_example(session: SessionDep, slug: str, response: Response, language: LanguageDep) -> ExamplePublic:
    """One example by slug, naming its demand and jurisdiction."""
    found = examples.get(session=session, slug=slug)
    (found,) = translations.localize(
        session=session, items=[found], entity=TranslatedEntity.EXAMPLE, language=language
    )
    set_etag(response, found.version)
    return found


@router.patch(
    "/examples/{slug}",
    response_model=ExamplePublic,
    summary="Update an example",
    operation_id="update_example",
    responses=UPDATE,
)
def update_example(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    slug: str,
    data: ExampleUpdate,
    response: Response,
) -> ExamplePublic:
    """Edit an example or move it to another demand (site admins), naming the version you edited."""
    updated = examples.update(
        session=session,
        principal=principal,
        slug=slug,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/examples/{slug}",
    status_code=204,
    summary="Delete an example",
    operation_id="delete_example",
    responses=UPDATE,
)
def delete_example(session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep, slug: str) -> None:
    """Remove an example (site admins)."""
    examples.delete(session=session, principal=principal, slug=slug, expected=if_match)


@router.get(
    "/demands/{slug}/history",
    response_model=Page[DemandRevisionPublic],
    summary="A demand's history",
    operation_id="list_demand_history",
    responses=NOT_FOUND,
)
def list_demand_history(session: SessionDep, page: PageDep, slug: str) -> Page[DemandRevisionPublic]:
    """Every version of the demand's text, oldest first: who changed it, when, and from which submission."""
    return demand_history.get_all(session=session, slug=slug, page=page)


@router.post(
    "/demands/{slug}/retire",
    response_model=DemandPublic,
    summary="Retire a demand",
    operation_id="retire_demand",
    responses=UPDATE,
)
def retire_demand(
    session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep, slug: str, response: Response
) -> DemandPublic:
    """Take an item out of the checklist without losing it (site admins): campaigns and past scorecards keep
    it; lists and new scorecards leave it out."""
    return _set_retired(session, principal, if_match, slug, response, retired=True)


@router.post(
    "/demands/{slug}/restore",
    response_model=DemandPublic,
    summary="Bring a retired demand back",
    operation_id="restore_demand",
    responses=UPDATE,
)
def restore_demand(
    session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep, slug: str, response: Response
) -> DemandPublic:
    """Put a retired item back in the checklist (site admins)."""
    return _set_retired(session, principal, if_match, slug, response, retired=False)


def _set_retired(
    session: SessionDep,
    principal: PrincipalDep,
    if_match: int | None,
    slug: str,
    response: Response,
    *,
    retired: bool,
) -> DemandPublic:
    demand_history.set_retired(
        session=session, principal=principal, slug=slug, retired=retired, expected=if_match
    )
    found = demands.get_by_slug(session=session, slug=slug)
    set_etag(response, found.version)
    return found
