"""Jurisdictions, found by slug, numeric id or Open Civic Data division ID, and their nesting."""

from collections.abc import Sequence
from typing import Any

import sqlmodel
from sqlalchemy import Select, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import Conflict, Invalid, NotFound
from api.services import audit
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.versioning import save
from api.services.writes import (
    check_delete_version,
    check_update_version,
    conflict_on_integrity,
    count_of,
    delete_audited,
    insert_audited,
    refuse_if_referenced,
    refuse_nulls,
)
from schema import (
    Campaign,
    CoalitionFocus,
    Example,
    Jurisdiction,
    Organization,
    ResourceJurisdiction,
    Submission,
    Target,
)
from schema.enums import AuditAction, JurisdictionKind
from schema.jurisdictions import JurisdictionCreate, JurisdictionUpdate
from schema.public import JurisdictionChain, JurisdictionPublic, Page

_parent = aliased(Jurisdiction, name="parent_jurisdiction")

OCD_PREFIX = "ocd-division/"
# Larger numbers cannot be ids (and overflow the column); they are looked up as slugs and not found.
MAX_ID = 2**31 - 1
# Deeper than any real nesting (nation > state > county > city > district); bounds a walk up bad data.
MAX_DEPTH = 32
NOUN = "jurisdiction"
CODES = ("slug", "ocd_id", "fips", "iso_code")


def _listing() -> Select[Jurisdiction, str | None]:
    return (
        select(Jurisdiction, col(_parent.slug))
        .outerjoin(_parent, col(_parent.id) == col(Jurisdiction.parent_id))
        .order_by(col(Jurisdiction.name), col(Jurisdiction.id))
    )


def public(jurisdiction: Jurisdiction, parent_slug: str | None) -> JurisdictionPublic:
    """The public shape; other services listing jurisdictions build it here."""
    return JurisdictionPublic(
        slug=jurisdiction.slug,
        name=jurisdiction.name,
        kind=jurisdiction.kind,
        parent=parent_slug,
        ocd_id=jurisdiction.ocd_id,
        fips=jurisdiction.fips,
        iso_code=jurisdiction.iso_code,
        version=jurisdiction.version,
    )


def _matches(ref: str) -> Any:
    """Which column a reference names: an OCD ID, a numeric id, or a slug."""
    if ref.startswith(OCD_PREFIX):
        return col(Jurisdiction.ocd_id) == ref
    if ref.isdigit() and int(ref) <= MAX_ID:
        return col(Jurisdiction.id) == int(ref)
    return col(Jurisdiction.slug) == ref


def _not_found(ref: str) -> NotFound:
    return NotFound(f"No jurisdiction matches {ref!r} (try a slug, an id or an OCD division ID).")


def resolve_id(*, session: Session, ref: str) -> int:
    """The id of the jurisdiction a slug, id or OCD division ID names; NotFound naming the ref."""
    found = session.execute(select(col(Jurisdiction.id)).where(_matches(ref))).scalar()
    if found is None:
        raise _not_found(ref)
    return int(found)


def descendant_ids_statement(jurisdiction_id: int) -> Select[int]:
    """SELECT the id of a jurisdiction and of everything under it, for use inside `IN (...)`."""
    tree = (
        select(col(Jurisdiction.id).label("id"))
        .where(col(Jurisdiction.id) == jurisdiction_id)
        .cte("jurisdiction_tree", recursive=True)
    )
    child = aliased(Jurisdiction, name="child_jurisdiction")
    # UNION, not UNION ALL: it ends even if bad data ever held a cycle.
    tree = tree.union(select(col(child.id)).where(col(child.parent_id) == tree.c.id))
    return select(tree.c.id)


def get(*, session: Session, ref: str) -> JurisdictionPublic:
    """One jurisdiction by slug, id or OCD division ID."""
    row = session.execute(_listing().where(_matches(ref))).first()
    if row is None:
        raise _not_found(ref)
    return public(row[0], row[1])


def get_all(
    *,
    session: Session,
    page: PageRequest,
    kind: JurisdictionKind | None = None,
    parent: str | None = None,
    search: str | None = None,
) -> Page[JurisdictionPublic]:
    """Jurisdictions by name, filtered by kind, direct parent or words in the name."""
    statement = _listing()
    if kind is not None:
        statement = statement.where(col(Jurisdiction.kind) == kind)
    if parent is not None:
        statement = statement.where(col(Jurisdiction.parent_id) == resolve_id(session=session, ref=parent))
    if search:
        statement = statement.where(
            func.lower(col(Jurisdiction.name)).contains(search.lower(), autoescape=True)
        )
    return paginate(
        session=session,
        statement=statement,
        page=page,
        build=lambda rows: [public(j, parent_slug) for j, parent_slug in rows],
    )


def get_children(*, session: Session, ref: str, page: PageRequest) -> Page[JurisdictionPublic]:
    """The places directly under one, by name."""
    return get_all(session=session, page=page, parent=ref)


def get_ancestors(*, session: Session, ref: str) -> JurisdictionChain:
    """The places enclosing one, nearest first and ending at the root, in one recursive query."""
    start = resolve_id(session=session, ref=ref)
    chain = (
        select(col(Jurisdiction.parent_id).label("id"), literal(1).label("depth"))
        .where(col(Jurisdiction.id) == start)
        .cte("ancestor_chain", recursive=True)
    )
    up = aliased(Jurisdiction, name="step_jurisdiction")
    chain = chain.union_all(
        select(col(up.parent_id), chain.c.depth + 1).where(
            col(up.id) == chain.c.id, col(up.parent_id).is_not(None), chain.c.depth < MAX_DEPTH
        )
    )
    rows = session.execute(
        select(Jurisdiction, col(_parent.slug))
        .join(chain, chain.c.id == col(Jurisdiction.id))
        .outerjoin(_parent, col(_parent.id) == col(Jurisdiction.parent_id))
        .order_by(chain.c.depth)
    ).all()
    return JurisdictionChain(data=[public(j, parent_slug) for j, parent_slug in rows])


def _row(session: Session, ref: str) -> Jurisdiction:
    jurisdiction = session.exec(sqlmodel.select(Jurisdiction).where(_matches(ref))).first()
    if jurisdiction is None:
        raise _not_found(ref)
    return jurisdiction


def _refuse_taken_codes(session: Session, values: dict[str, Any], exclude_id: int | None = None) -> None:
    """409 naming each slug or code another jurisdiction already has."""
    wanted = {name: values[name] for name in CODES if values.get(name) is not None}
    if not wanted:
        return
    statement = select(
        col(Jurisdiction.slug), col(Jurisdiction.ocd_id), col(Jurisdiction.fips), col(Jurisdiction.iso_code)
    ).where(or_(*[getattr(Jurisdiction, name) == value for name, value in wanted.items()]))
    if exclude_id is not None:
        statement = statement.where(col(Jurisdiction.id) != exclude_id)
    taken = []
    for row in session.execute(statement):
        holder = dict(zip(CODES, row, strict=True))
        taken += [
            f"{name} {value!r} (used by {holder['slug']!r})"
            for name, value in wanted.items()
            if holder[name] == value
        ]
    if taken:
        raise Conflict(f"Another jurisdiction already has the {', '.join(taken)}.")


def _parent_id(session: Session, ref: str | None, moving_id: int | None = None) -> int | None:
    """The id of the new parent; refuses one that is the jurisdiction itself or lies under it."""
    if ref is None:
        return None
    parent_id = resolve_id(session=session, ref=ref)
    if moving_id is not None:
        below = count_of(
            session,
            select(func.count()).where(
                col(Jurisdiction.id) == parent_id,
                col(Jurisdiction.id).in_(descendant_ids_statement(moving_id)),
            ),
        )
        if below:
            raise Invalid(
                f"The jurisdiction {ref!r} is this jurisdiction or lies under it; "
                "making it the parent would create a cycle.",
                extra={"errors": [{"location": ["body", "parent"], "message": "cycle", "type": "cycle"}]},
            )
    return parent_id


def create(*, session: Session, principal: Principal, data: JurisdictionCreate) -> JurisdictionPublic:
    """A new place under an existing parent (or a new root)."""
    authorize(principal, Action.MANAGE_JURISDICTIONS)
    values = data.model_dump()
    _refuse_taken_codes(session, values)
    jurisdiction = Jurisdiction(
        slug=data.slug,
        name=data.name,
        kind=data.kind,
        parent_id=_parent_id(session, data.parent),
        ocd_id=data.ocd_id,
        fips=data.fips,
        iso_code=data.iso_code,
    )
    insert_audited(
        session=session,
        principal=principal,
        row=jurisdiction,
        entity_type="jurisdiction",
        entity_key=jurisdiction.slug,
        conflict=f"A jurisdiction with the slug {data.slug!r} or its codes exists.",
    )
    return get(session=session, ref=jurisdiction.slug)


def update(
    *, session: Session, principal: Principal, ref: str, data: JurisdictionUpdate, expected: int | None
) -> JurisdictionPublic:
    """Rename, recode or move a place; a move under itself is refused."""
    authorize(principal, Action.MANAGE_JURISDICTIONS)
    jurisdiction = _row(session, ref)
    version = check_update_version(expected=expected, current=jurisdiction.version, noun=NOUN)
    values = {key: value for key, value in data.changes().items() if key != "version"}
    refuse_nulls(values, "name", "kind")
    if "parent" in values:
        values["parent_id"] = _parent_id(session, values.pop("parent"), moving_id=jurisdiction.id)
    _refuse_taken_codes(session, values, exclude_id=jurisdiction.id)
    before = audit.snapshot(jurisdiction)
    with conflict_on_integrity(session, "Another jurisdiction already has one of these codes."):
        save(session=session, row=jurisdiction, expected=version, values=values, noun=NOUN)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.UPDATE,
        entity_type="jurisdiction",
        entity_key=jurisdiction.slug,
        before=before,
        after=audit.snapshot(jurisdiction),
    )
    return get(session=session, ref=jurisdiction.slug)


def delete(*, session: Session, principal: Principal, ref: str, expected: int | None = None) -> None:
    """Remove a place nothing refers to; otherwise 409 naming what does."""
    authorize(principal, Action.MANAGE_JURISDICTIONS)
    jurisdiction = _row(session, ref)
    check_delete_version(expected=expected, current=jurisdiction.version, noun=NOUN)
    here = jurisdiction.id

    def counted(model: Any, column: Any) -> int:
        return count_of(session, select(func.count()).select_from(model).where(col(column) == here))

    refuse_if_referenced(
        noun=NOUN,
        slug=jurisdiction.slug,
        counts={
            "children": counted(Jurisdiction, Jurisdiction.parent_id),
            "targets": counted(Target, Target.jurisdiction_id),
            "campaigns": count_of(
                session,
                select(func.count())
                .select_from(Campaign)
                .join(Target, col(Target.id) == col(Campaign.target_id))
                .where(col(Target.jurisdiction_id) == here),
            ),
            "organizations": counted(Organization, Organization.jurisdiction_id),
            "examples": counted(Example, Example.jurisdiction_id),
            "coalition focuses": counted(CoalitionFocus, CoalitionFocus.jurisdiction_id),
            "resources": counted(ResourceJurisdiction, ResourceJurisdiction.jurisdiction_id),
            "submissions": counted(Submission, Submission.jurisdiction_id),
        },
    )
    delete_audited(
        session=session,
        principal=principal,
        row=jurisdiction,
        entity_type="jurisdiction",
        entity_key=jurisdiction.slug,
        conflict=f"Records still refer to the jurisdiction {jurisdiction.slug!r}.",
    )


def get_many(*, session: Session, refs: Sequence[str]) -> dict[str, JurisdictionPublic]:
    """Jurisdictions by slug in one query, for loaders."""
    rows = session.execute(_listing().where(col(Jurisdiction.slug).in_(list(refs)))).all()
    return {jurisdiction.slug: public(jurisdiction, parent) for jurisdiction, parent in rows}


def get_children_of(*, session: Session, slugs: Sequence[str]) -> dict[str, list[JurisdictionPublic]]:
    """The children of several jurisdictions in one query, keyed by the parent's slug, by name."""
    rows = session.execute(_listing().where(col(_parent.slug).in_(list(slugs)))).all()
    found: dict[str, list[JurisdictionPublic]] = {slug: [] for slug in slugs}
    for jurisdiction, parent in rows:
        found[parent].append(public(jurisdiction, parent))
    return found
