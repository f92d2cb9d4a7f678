"""Target categories: the headings of the checklist."""

from collections.abc import Sequence

import sqlmodel
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import NotFound
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.writes import (
    check_delete_version,
    check_update_version,
    count_of,
    delete_audited,
    insert_audited,
    refuse_if_referenced,
    refuse_nulls,
    refuse_slug_taken,
    save_audited,
)
from schema import Demand, Target, TargetCategory
from schema.catalog import CategoryCreate, CategoryUpdate
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
        version=category.version,
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


get = get_by_slug


def _row(session: Session, slug: str) -> TargetCategory:
    category = session.exec(sqlmodel.select(TargetCategory).where(col(TargetCategory.slug) == slug)).first()
    if category is None:
        raise NotFound(f"No target category has the slug {slug!r}.")
    return category


def create(*, session: Session, principal: Principal, data: CategoryCreate) -> CategoryPublic:
    """A new heading, placed last unless a position is given."""
    authorize(principal, Action.MANAGE_CATALOG)
    refuse_slug_taken(session=session, model=TargetCategory, slug=data.slug, noun="target category")
    position = data.position
    if position is None:
        position = count_of(session, select(func.coalesce(func.max(col(TargetCategory.position)) + 1, 0)))
    category = TargetCategory(slug=data.slug, name=data.name, description=data.description, position=position)
    insert_audited(
        session=session,
        principal=principal,
        row=category,
        entity_type="category",
        entity_key=category.slug,
        conflict=f"A target category with the slug {data.slug!r} already exists.",
    )
    return get_by_slug(session=session, slug=category.slug)


def update(
    *, session: Session, principal: Principal, slug: str, data: CategoryUpdate, expected: int | None
) -> CategoryPublic:
    """Rename, describe or reorder a category, if the caller edited the current version."""
    authorize(principal, Action.MANAGE_CATALOG)
    category = _row(session, slug)
    version = check_update_version(expected=expected, current=category.version, noun="target category")
    values = {key: value for key, value in data.changes().items() if key != "version"}
    refuse_nulls(values, "name", "position")
    save_audited(
        session=session,
        principal=principal,
        row=category,
        expected=version,
        values=values,
        noun="target category",
        entity_type="category",
        entity_key=slug,
    )
    return get_by_slug(session=session, slug=slug)


def delete(*, session: Session, principal: Principal, slug: str, expected: int | None = None) -> None:
    """Remove an unused category; one that demands or targets use is refused."""
    authorize(principal, Action.MANAGE_CATALOG)
    category = _row(session, slug)
    check_delete_version(expected=expected, current=category.version, noun="target category")
    refuse_if_referenced(
        noun="target category",
        slug=slug,
        counts={
            "demands": count_of(session, select(func.count()).where(col(Demand.category_id) == category.id)),
            "targets": count_of(session, select(func.count()).where(col(Target.category_id) == category.id)),
        },
    )
    delete_audited(
        session=session,
        principal=principal,
        row=category,
        entity_type="category",
        entity_key=slug,
        conflict=f"Records still refer to the target category {slug!r}.",
    )


def get_many(*, session: Session, slugs: Sequence[str]) -> dict[str, CategoryPublic]:
    """Categories by slug in one query, for loaders."""
    rows = session.execute(_listing().where(col(TargetCategory.slug).in_(list(slugs)))).all()
    return {category.slug: _public(category, leaves) for category, leaves in rows}
