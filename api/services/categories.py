"""Target categories: the headings of the checklist."""

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import NotFound
from api.services.pagination import PageRequest, paginate
from schema import Demand, TargetCategory
from schema.public import CategoryPublic, Page


def _listing() -> Select[TargetCategory, int]:
    child = aliased(Demand)
    leaf_counts = (
        select(col(Demand.category_id), func.count().label("leaves"))
        .where(~exists().where(col(child.parent_id) == col(Demand.id)))
        .group_by(col(Demand.category_id))
        .subquery()
    )
    return (
        select(TargetCategory, func.coalesce(leaf_counts.c.leaves, 0))
        .outerjoin(leaf_counts, leaf_counts.c.category_id == col(TargetCategory.id))
        .order_by(col(TargetCategory.position), col(TargetCategory.id))
    )


def _public(category: TargetCategory, leaves: int) -> CategoryPublic:
    return CategoryPublic(
        slug=category.slug,
        name=category.name,
        description=category.description,
        position=category.position,
        demand_count=leaves,
    )


def get_all(*, session: Session, page: PageRequest) -> Page[CategoryPublic]:
    """Categories in checklist order, each with its number of leaf demands."""
    return paginate(
        session=session,
        statement=_listing(),
        page=page,
        build=lambda rows: [_public(category, leaves) for category, leaves in rows],
    )


def get_by_slug(*, session: Session, slug: str) -> CategoryPublic:
    row = session.execute(_listing().where(col(TargetCategory.slug) == slug)).first()
    if row is None:
        raise NotFound(f"No target category has the slug {slug!r}.")
    return _public(row[0], row[1])
