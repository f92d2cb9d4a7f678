"""The checklist over REST: target categories and demands."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.rest.deps import PageDep, SessionDep
from api.rest.responses import NOT_FOUND
from api.services import categories, demands
from schema.public import CategoryPublic, DemandPublic, Page

router = APIRouter(tags=["catalog"])


@router.get(
    "/categories",
    response_model=Page[CategoryPublic],
    summary="List target categories",
    operation_id="list_categories",
)
def list_categories(session: SessionDep, page: PageDep) -> Page[CategoryPublic]:
    """Target categories in checklist order, each with how many trackable demands it holds."""
    return categories.get_all(session=session, page=page)


@router.get(
    "/categories/{slug}",
    response_model=CategoryPublic,
    summary="Get a target category",
    operation_id="get_category",
    responses=NOT_FOUND,
)
def get_category(session: SessionDep, slug: str) -> CategoryPublic:
    """One target category by slug."""
    return categories.get_by_slug(session=session, slug=slug)


@router.get(
    "/demands",
    response_model=Page[DemandPublic],
    summary="List demands",
    operation_id="list_demands",
    responses=NOT_FOUND,
)
def list_demands(
    session: SessionDep,
    page: PageDep,
    category: Annotated[str | None, Query(description="Only this target category (slug).")] = None,
    group: Annotated[str | None, Query(description="Only the items of this group (slug).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title or description.")] = None,
) -> Page[DemandPublic]:
    """The checklist in the organizer brief's order: each group, then its items.

    Groups carry the slugs of their items in `children`; items name their group in `parent`.
    """
    return demands.get_all(session=session, page=page, category=category, group=group, search=q)


@router.get(
    "/demands/{slug}",
    response_model=DemandPublic,
    summary="Get a demand",
    operation_id="get_demand",
    responses=NOT_FOUND,
)
def get_demand(session: SessionDep, slug: str) -> DemandPublic:
    """One demand by slug, with its items (for a group) and examples."""
    return demands.get_by_slug(session=session, slug=slug)
