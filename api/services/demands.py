"""Checklist demands, read in brief order with their groups and examples."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlmodel
from sqlalchemy import Select, case, func, select
from sqlalchemy import update as update_rows
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import Conflict, Invalid, NotFound
from api.services import audit, demand_history
from api.services import examples as example_service
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.versioning import save
from api.services.writes import (
    check_delete_version,
    check_update_version,
    count_of,
    delete_audited,
    insert_audited,
    refuse_if_referenced,
    refuse_nulls,
    refuse_slug_taken,
)
from schema import Campaign, Demand, Example, Submission, TargetCategory
from schema.base import utcnow
from schema.catalog import DemandCreate, DemandUpdate
from schema.enums import AuditAction, DemandProvenance
from schema.public import DemandPublic, ExamplePublic, Page

NOUN = "demand"

_parent = aliased(Demand, name="parent_demand")


def _listing() -> Select[Demand, str, str | None]:
    """Demands in checklist order: by category, each group followed by its items."""
    return (
        select(Demand, col(TargetCategory.slug), col(_parent.slug))
        .join(TargetCategory, col(TargetCategory.id) == col(Demand.category_id))
        .outerjoin(_parent, col(_parent.id) == col(Demand.parent_id))
        .order_by(
            col(TargetCategory.position),
            func.coalesce(col(_parent.position), col(Demand.position)),
            func.coalesce(col(_parent.id), col(Demand.id)),
            case((col(Demand.parent_id).is_(None), 0), else_=1),
            col(Demand.position),
            col(Demand.id),
        )
    )


def _build(session: Session, rows: Sequence[Row[Demand, str, str | None]]) -> list[DemandPublic]:
    """Attach children and examples with one query each, whatever the page size."""
    ids = [demand.id for demand, _, _ in rows]
    children: dict[int | None, list[str]] = defaultdict(list)
    for parent_id, slug in session.execute(
        select(col(Demand.parent_id), col(Demand.slug))
        .where(col(Demand.parent_id).in_(ids), col(Demand.retired_at).is_(None))
        .order_by(col(Demand.position), col(Demand.id))
    ):
        children[parent_id].append(slug)
    examples: dict[int | None, list[ExamplePublic]] = defaultdict(list)
    for example, jurisdiction_slug, demand_slug in session.execute(
        example_service.listing().where(col(Example.demand_id).in_(ids))
    ):
        examples[example.demand_id].append(example_service.public(example, jurisdiction_slug, demand_slug))
    return [
        DemandPublic(
            slug=demand.slug,
            category=category_slug,
            parent=parent_slug,
            position=demand.position,
            title=demand.title,
            description=demand.description,
            provenance=demand.provenance,
            is_group=bool(children[demand.id]),
            children=children[demand.id],
            examples=examples[demand.id],
            version=demand.version,
            retired_at=demand.retired_at,
        )
        for demand, category_slug, parent_slug in rows
    ]


def get_all(
    *,
    session: Session,
    page: PageRequest,
    category: str | None = None,
    group: str | None = None,
    search: str | None = None,
    include_retired: bool = False,
) -> Page[DemandPublic]:
    """Demands in brief order, filtered by category slug, group slug or words in the text; retired ones on request."""
    statement = _listing()
    if not include_retired:
        statement = statement.where(col(Demand.retired_at).is_(None))
    if category is not None:
        statement = statement.where(
            col(Demand.category_id)
            == id_by_slug(session=session, model=TargetCategory, slug=category, noun="target category")
        )
    if group is not None:
        statement = statement.where(
            col(Demand.parent_id) == id_by_slug(session=session, model=Demand, slug=group, noun="demand")
        )
    if search:
        words = search.lower()
        statement = statement.where(
            func.lower(col(Demand.title)).contains(words, autoescape=True)
            | func.lower(func.coalesce(col(Demand.description), "")).contains(words, autoescape=True)
        )
    return paginate(session=session, statement=statement, page=page, build=lambda rows: _build(session, rows))


def get_by_slug(*, session: Session, slug: str) -> DemandPublic:
    rows = session.execute(_listing().where(col(Demand.slug) == slug)).all()
    if not rows:
        raise NotFound(f"No demand has the slug {slug!r}.")
    return _build(session, rows)[0]


get = get_by_slug


def _row(session: Session, slug: str, *, noun: str = NOUN) -> Demand:
    demand = session.exec(sqlmodel.select(Demand).where(col(Demand.slug) == slug)).first()
    if demand is None:
        raise NotFound(f"No {noun} has the slug {slug!r}.")
    return demand


def _count(session: Session, model: Any, column: Any, value: int | None) -> int:
    return count_of(session, select(func.count()).select_from(model).where(col(column) == value))


def _group(session: Session, slug: str, *, moving: Demand | None = None) -> Demand:
    """The group a demand goes into: top-level, not the demand itself, and with no campaigns of its own."""
    group = _row(session, slug, noun="demand (group)")
    if group.parent_id is not None:
        raise Invalid(
            f"The demand {slug!r} is itself inside a group; demands nest one level only.",
            extra={
                "errors": [{"location": ["body", "parent"], "message": "not top-level", "type": "nesting"}]
            },
        )
    if moving is not None and group.id == moving.id:
        raise Invalid("A demand cannot be its own group.")
    campaigns = _count(session, Campaign, Campaign.demand_id, group.id)
    if campaigns:
        raise Conflict(
            f"{campaigns} campaign(s) are attached to {slug!r}; campaigns attach to leaves, "
            "so it cannot become a group."
        )
    return group


def _category_id(session: Session, slug: str | None, group: Demand | None) -> int:
    """The category named, which must be the group's when the demand is inside one."""
    if slug is None:
        if group is None:
            raise Invalid(
                "Name the demand's category (or a group to inherit it from).",
                extra={
                    "errors": [{"location": ["body", "category"], "message": "required", "type": "missing"}]
                },
            )
        return group.category_id
    category_id = id_by_slug(session=session, model=TargetCategory, slug=slug, noun="target category")
    if group is not None and group.category_id != category_id:
        raise Invalid(f"The demand must be in its group's category, not {slug!r}.")
    return category_id


def _next_position(session: Session, category_id: int, parent_id: int | None) -> int:
    siblings = (
        col(Demand.parent_id) == parent_id
        if parent_id is not None
        else (col(Demand.parent_id).is_(None) & (col(Demand.category_id) == category_id))
    )
    return count_of(session, select(func.coalesce(func.max(col(Demand.position)) + 1, 0)).where(siblings))


def create(*, session: Session, principal: Principal, data: DemandCreate) -> DemandPublic:
    """An editorial demand, top-level or in a group, last among its siblings unless placed."""
    authorize(principal, Action.MANAGE_CATALOG)
    refuse_slug_taken(session=session, model=Demand, slug=data.slug, noun=NOUN)
    group = None if data.parent is None else _group(session, data.parent)
    category_id = _category_id(session, data.category, group)
    parent_id = None if group is None else group.id
    demand = Demand(
        slug=data.slug,
        category_id=category_id,
        parent_id=parent_id,
        position=data.position
        if data.position is not None
        else _next_position(session, category_id, parent_id),
        title=data.title,
        description=data.description,
        provenance=DemandProvenance.EDITORIAL,
    )
    insert_audited(
        session=session,
        principal=principal,
        row=demand,
        entity_type="demand",
        entity_key=demand.slug,
        conflict=f"A demand with the slug {data.slug!r} already exists.",
    )
    demand_history.record(session=session, demand=demand, principal=principal)
    return get_by_slug(session=session, slug=demand.slug)


def update(
    *, session: Session, principal: Principal, slug: str, data: DemandUpdate, expected: int | None
) -> DemandPublic:
    """Edit a demand, move it between groups or categories; a group's items follow its category."""
    authorize(principal, Action.MANAGE_CATALOG)
    demand = _row(session, slug)
    version = check_update_version(expected=expected, current=demand.version, noun=NOUN)
    values = {key: value for key, value in data.changes().items() if key != "version"}
    refuse_nulls(values, "title", "category", "position")
    group: Demand | None = None
    if "parent" in values:
        parent_slug = values.pop("parent")
        if parent_slug is not None:
            if _count(session, Demand, Demand.parent_id, demand.id):
                raise Invalid(
                    f"The demand {slug!r} is a group with items; demands nest one level only, "
                    "so it cannot go inside another group."
                )
            group = _group(session, parent_slug, moving=demand)
        values["parent_id"] = None if group is None else group.id
    elif demand.parent_id is not None:
        group = session.get(Demand, demand.parent_id)
    if "category" in values:
        values["category_id"] = _category_id(session, values.pop("category"), group)
    elif group is not None and "parent_id" in values:
        values["category_id"] = group.category_id
    parent_id = values.get("parent_id", demand.parent_id)
    category_id = values.get("category_id", demand.category_id)
    moved = parent_id != demand.parent_id or category_id != demand.category_id
    if moved and "position" not in values:
        values["position"] = _next_position(session, category_id, parent_id)
    before = audit.snapshot(demand)
    save(session=session, row=demand, expected=version, values=values, noun=NOUN)
    if category_id != before["category_id"]:
        # A group's items stay in its category.
        session.execute(
            update_rows(Demand)
            .where(col(Demand.parent_id) == demand.id)
            .values(category_id=category_id, version=col(Demand.version) + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.UPDATE,
        entity_type="demand",
        entity_key=slug,
        before=before,
        after=audit.snapshot(demand),
    )
    demand_history.record(session=session, demand=demand, principal=principal)
    return get_by_slug(session=session, slug=slug)


def delete(*, session: Session, principal: Principal, slug: str, expected: int | None = None) -> None:
    """Remove a demand nothing refers to; otherwise 409 naming what does."""
    authorize(principal, Action.MANAGE_CATALOG)
    demand = _row(session, slug)
    check_delete_version(expected=expected, current=demand.version, noun=NOUN)
    refuse_if_referenced(
        noun=NOUN,
        slug=slug,
        counts={
            "items": _count(session, Demand, Demand.parent_id, demand.id),
            "campaigns": _count(session, Campaign, Campaign.demand_id, demand.id),
            "examples": _count(session, Example, Example.demand_id, demand.id),
            "submissions": _count(session, Submission, Submission.demand_id, demand.id),
        },
    )
    delete_audited(
        session=session,
        principal=principal,
        row=demand,
        entity_type="demand",
        entity_key=slug,
        conflict=f"Records still refer to the demand {slug!r}.",
    )


def get_many(*, session: Session, slugs: Sequence[str]) -> dict[str, DemandPublic]:
    """Demands by slug with their items and examples, in three queries, for loaders."""
    rows = session.execute(_listing().where(col(Demand.slug).in_(list(slugs)))).all()
    return {demand.slug: demand for demand in _build(session, rows)}
