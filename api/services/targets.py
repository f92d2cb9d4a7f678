"""Targets: the concrete bodies asks are made of, each in one category and one jurisdiction."""

from collections.abc import Sequence
from datetime import datetime

import sqlmodel
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import NotFound
from api.services import jurisdictions
from api.services.lookups import id_by_slug
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
    require_aware,
    save_audited,
)
from schema import Campaign, Jurisdiction, Target, TargetCategory
from schema.public import Page, TargetPublic
from schema.targets import TargetCreate, TargetUpdate

NOUN = "target"
_place = aliased(Jurisdiction, name="target_jurisdiction")


def _listing() -> Select[Target, str, str]:
    return (
        select(Target, col(TargetCategory.slug), col(_place.slug))
        .join(TargetCategory, col(TargetCategory.id) == col(Target.category_id))
        .join(_place, col(_place.id) == col(Target.jurisdiction_id))
        .order_by(col(Target.name), col(Target.id))
    )


def _build(rows: Sequence[Row[Target, str, str]]) -> list[TargetPublic]:
    return [
        TargetPublic(
            slug=target.slug,
            name=target.name,
            category=category_slug,
            jurisdiction=jurisdiction_slug,
            description=target.description,
            website=target.website,
            version=target.version,
            created_at=target.created_at,
            updated_at=target.updated_at,
        )
        for target, category_slug, jurisdiction_slug in rows
    ]


def get_all(
    *,
    session: Session,
    page: PageRequest,
    category: str | None = None,
    jurisdiction: str | None = None,
    include_descendants: bool = False,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page[TargetPublic]:
    """Targets by name, filtered by category, jurisdiction (optionally with everything under it), name, age."""
    require_aware(updated_since)
    statement = _listing()
    if category is not None:
        category_id = id_by_slug(session=session, model=TargetCategory, slug=category, noun="target category")
        statement = statement.where(col(Target.category_id) == category_id)
    if jurisdiction is not None:
        place_id = jurisdictions.resolve_id(session=session, ref=jurisdiction)
        statement = statement.where(
            col(Target.jurisdiction_id).in_(jurisdictions.descendant_ids_statement(place_id))
            if include_descendants
            else col(Target.jurisdiction_id) == place_id
        )
    if search:
        statement = statement.where(func.lower(col(Target.name)).contains(search.lower(), autoescape=True))
    if updated_since is not None:
        statement = statement.where(col(Target.updated_at) >= updated_since)
    return paginate(session=session, statement=statement, page=page, build=_build)


def get(*, session: Session, slug: str) -> TargetPublic:
    rows = session.execute(_listing().where(col(Target.slug) == slug)).all()
    if not rows:
        raise NotFound(f"No target has the slug {slug!r}.")
    return _build(rows)[0]


def _row(session: Session, slug: str) -> Target:
    target = session.exec(sqlmodel.select(Target).where(col(Target.slug) == slug)).first()
    if target is None:
        raise NotFound(f"No target has the slug {slug!r}.")
    return target


def create(*, session: Session, principal: Principal, data: TargetCreate) -> TargetPublic:
    """A new target in a known category and jurisdiction."""
    authorize(principal, Action.MANAGE_TARGETS)
    refuse_slug_taken(session=session, model=Target, slug=data.slug, noun=NOUN)
    target = Target(
        slug=data.slug,
        name=data.name,
        category_id=id_by_slug(
            session=session, model=TargetCategory, slug=data.category, noun="target category"
        ),
        jurisdiction_id=jurisdictions.resolve_id(session=session, ref=data.jurisdiction),
        description=data.description,
        website=data.website,
    )
    insert_audited(
        session=session,
        principal=principal,
        row=target,
        entity_type="target",
        entity_key=target.slug,
        conflict=f"A target with the slug {data.slug!r} already exists.",
    )
    return get(session=session, slug=target.slug)


def update(
    *, session: Session, principal: Principal, slug: str, data: TargetUpdate, expected: int | None
) -> TargetPublic:
    """Edit a target, if the caller edited the current version."""
    authorize(principal, Action.MANAGE_TARGETS)
    target = _row(session, slug)
    version = check_update_version(expected=expected, current=target.version, noun=NOUN)
    values = {key: value for key, value in data.changes().items() if key != "version"}
    refuse_nulls(values, "name", "category", "jurisdiction")
    if "category" in values:
        values["category_id"] = id_by_slug(
            session=session, model=TargetCategory, slug=values.pop("category"), noun="target category"
        )
    if "jurisdiction" in values:
        values["jurisdiction_id"] = jurisdictions.resolve_id(session=session, ref=values.pop("jurisdiction"))
    save_audited(
        session=session,
        principal=principal,
        row=target,
        expected=version,
        values=values,
        noun=NOUN,
        entity_type="target",
        entity_key=slug,
    )
    return get(session=session, slug=slug)


def delete(*, session: Session, principal: Principal, slug: str, expected: int | None = None) -> None:
    """Remove a target no campaign was made of."""
    authorize(principal, Action.MANAGE_TARGETS)
    target = _row(session, slug)
    check_delete_version(expected=expected, current=target.version, noun=NOUN)
    refuse_if_referenced(
        noun=NOUN,
        slug=slug,
        counts={
            "campaigns": count_of(
                session,
                select(func.count()).select_from(Campaign).where(col(Campaign.target_id) == target.id),
            )
        },
    )
    delete_audited(
        session=session,
        principal=principal,
        row=target,
        entity_type="target",
        entity_key=slug,
        conflict=f"Records still refer to the target {slug!r}.",
    )


def get_many(*, session: Session, slugs: Sequence[str]) -> dict[str, TargetPublic]:
    """Targets by slug in one query, for loaders that batch a whole response's lookups."""
    rows = session.execute(_listing().where(col(Target.slug).in_(list(slugs)))).all()
    return {target.slug: target for target in _build(rows)}


def get_in_jurisdictions(*, session: Session, slugs: Sequence[str]) -> dict[str, list[TargetPublic]]:
    """The targets of several jurisdictions in one query, keyed by the jurisdiction's slug."""
    rows = session.execute(_listing().where(col(_place.slug).in_(list(slugs)))).all()
    found: dict[str, list[TargetPublic]] = {slug: [] for slug in slugs}
    for target in _build(rows):
        found[target.jurisdiction].append(target)
    return found
