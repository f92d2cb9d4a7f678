"""Checklist demands, read in brief order with their groups and examples."""

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Select, case, func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import NotFound
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from schema import Demand, Example, Jurisdiction, TargetCategory
from schema.public import DemandPublic, ExamplePublic, Page

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
        .where(col(Demand.parent_id).in_(ids))
        .order_by(col(Demand.position), col(Demand.id))
    ):
        children[parent_id].append(slug)
    examples: dict[int | None, list[ExamplePublic]] = defaultdict(list)
    for example, jurisdiction_slug in session.execute(
        select(Example, col(Jurisdiction.slug))
        .outerjoin(Jurisdiction, col(Jurisdiction.id) == col(Example.jurisdiction_id))
        .where(col(Example.demand_id).in_(ids))
        .order_by(col(Example.position), col(Example.id))
    ):
        examples[example.demand_id].append(
            ExamplePublic(
                slug=example.slug,
                title=example.title,
                kind=example.kind,
                description=example.description,
                url=example.url,
                jurisdiction=jurisdiction_slug,
            )
        )
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
) -> Page[DemandPublic]:
    """Demands in brief order, filtered by category slug, group slug or words in the text."""
    statement = _listing()
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
