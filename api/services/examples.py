"""Examples: real laws, directives and practices that show a demand can be won."""

from collections.abc import Sequence

import sqlmodel
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Row
from sqlmodel import Session, col

from api.errors import NotFound
from api.services import audit, jurisdictions
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.writes import (
    check_delete_version,
    check_update_version,
    count_of,
    insert_audited,
    refuse_nulls,
    refuse_slug_taken,
    save_audited,
)
from schema import Demand, Example, Jurisdiction
from schema.catalog import ExampleCreate, ExampleUpdate
from schema.enums import AuditAction
from schema.public import ExamplePublic, Page

NOUN = "example"


def listing() -> Select[Example, str | None, str]:
    """Examples with their jurisdiction and demand slugs, in the demand's order."""
    return (
        select(Example, col(Jurisdiction.slug), col(Demand.slug))
        .join(Demand, col(Demand.id) == col(Example.demand_id))
        .outerjoin(Jurisdiction, col(Jurisdiction.id) == col(Example.jurisdiction_id))
        .order_by(col(Example.position), col(Example.id))
    )


def public(example: Example, jurisdiction_slug: str | None, demand_slug: str) -> ExamplePublic:
    return ExamplePublic(
        slug=example.slug,
        title=example.title,
        kind=example.kind,
        description=example.description,
        url=example.url,
        jurisdiction=jurisdiction_slug,
        demand=demand_slug,
        position=example.position,
        version=example.version,
    )


def _build(rows: Sequence[Row[Example, str | None, str]]) -> list[ExamplePublic]:
    return [
        public(example, jurisdiction_slug, demand_slug) for example, jurisdiction_slug, demand_slug in rows
    ]


def get_all(*, session: Session, page: PageRequest, demand: str) -> Page[ExamplePublic]:
    """One demand's examples, in order."""
    demand_id = id_by_slug(session=session, model=Demand, slug=demand, noun="demand")
    statement = listing().where(col(Example.demand_id) == demand_id)
    return paginate(session=session, statement=statement, page=page, build=_build)


def get(*, session: Session, slug: str) -> ExamplePublic:
    rows = session.execute(listing().where(col(Example.slug) == slug)).all()
    if not rows:
        raise NotFound(f"No example has the slug {slug!r}.")
    return _build(rows)[0]


def _row(session: Session, slug: str) -> Example:
    example = session.exec(sqlmodel.select(Example).where(col(Example.slug) == slug)).first()
    if example is None:
        raise NotFound(f"No example has the slug {slug!r}.")
    return example


def _next_position(session: Session, demand_id: int) -> int:
    return count_of(
        session,
        select(func.coalesce(func.max(col(Example.position)) + 1, 0)).where(
            col(Example.demand_id) == demand_id
        ),
    )


def create(*, session: Session, principal: Principal, demand: str, data: ExampleCreate) -> ExamplePublic:
    """A new example for a demand, last among its examples unless a position is given."""
    authorize(principal, Action.MANAGE_CATALOG)
    demand_id = id_by_slug(session=session, model=Demand, slug=demand, noun="demand")
    refuse_slug_taken(session=session, model=Example, slug=data.slug, noun=NOUN)
    example = Example(
        slug=data.slug,
        demand_id=demand_id,
        position=data.position if data.position is not None else _next_position(session, demand_id),
        title=data.title,
        kind=data.kind,
        description=data.description,
        url=data.url,
        jurisdiction_id=(
            None
            if data.jurisdiction is None
            else jurisdictions.resolve_id(session=session, ref=data.jurisdiction)
        ),
    )
    insert_audited(
        session=session,
        principal=principal,
        row=example,
        entity_type="example",
        entity_key=example.slug,
        conflict=f"An example with the slug {data.slug!r} already exists.",
    )
    return get(session=session, slug=example.slug)


def update(
    *, session: Session, principal: Principal, slug: str, data: ExampleUpdate, expected: int | None
) -> ExamplePublic:
    """Edit an example or move it to another demand (appended there unless a position is given)."""
    authorize(principal, Action.MANAGE_CATALOG)
    example = _row(session, slug)
    version = check_update_version(expected=expected, current=example.version, noun=NOUN)
    values = {key: value for key, value in data.changes().items() if key != "version"}
    refuse_nulls(values, "demand", "title", "kind", "position")
    if "demand" in values:
        values["demand_id"] = id_by_slug(
            session=session, model=Demand, slug=values.pop("demand"), noun="demand"
        )
        if values["demand_id"] != example.demand_id and "position" not in values:
            values["position"] = _next_position(session, values["demand_id"])
    if "jurisdiction" in values:
        ref = values.pop("jurisdiction")
        values["jurisdiction_id"] = (
            None if ref is None else jurisdictions.resolve_id(session=session, ref=ref)
        )
    save_audited(
        session=session,
        principal=principal,
        row=example,
        expected=version,
        values=values,
        noun=NOUN,
        entity_type="example",
        entity_key=slug,
    )
    return get(session=session, slug=slug)


def delete(*, session: Session, principal: Principal, slug: str, expected: int | None = None) -> None:
    """Remove an example; nothing else refers to examples."""
    authorize(principal, Action.MANAGE_CATALOG)
    example = _row(session, slug)
    check_delete_version(expected=expected, current=example.version, noun=NOUN)
    before = audit.snapshot(example)
    session.delete(example)
    session.flush()
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.DELETE,
        entity_type="example",
        entity_key=slug,
        before=before,
    )
