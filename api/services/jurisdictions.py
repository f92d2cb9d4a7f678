"""Jurisdictions, found by slug, numeric id or Open Civic Data division ID."""

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import NotFound
from api.services.pagination import PageRequest, paginate
from schema import Jurisdiction
from schema.enums import JurisdictionKind
from schema.public import JurisdictionPublic, Page

_parent = aliased(Jurisdiction, name="parent_jurisdiction")

OCD_PREFIX = "ocd-division/"
# Larger numbers cannot be ids (and overflow the column); they are looked up as slugs and not found.
MAX_ID = 2**31 - 1


def _listing() -> Select[Jurisdiction, str | None]:
    return (
        select(Jurisdiction, col(_parent.slug))
        .outerjoin(_parent, col(_parent.id) == col(Jurisdiction.parent_id))
        .order_by(col(Jurisdiction.name), col(Jurisdiction.id))
    )


def _public(jurisdiction: Jurisdiction, parent_slug: str | None) -> JurisdictionPublic:
    return JurisdictionPublic(
        slug=jurisdiction.slug,
        name=jurisdiction.name,
        kind=jurisdiction.kind,
        parent=parent_slug,
        ocd_id=jurisdiction.ocd_id,
        fips=jurisdiction.fips,
        iso_code=jurisdiction.iso_code,
    )


def _matches(ref: str) -> Any:
    """Which column a reference names: an OCD ID, a numeric id, or a slug."""
    if ref.startswith(OCD_PREFIX):
        return col(Jurisdiction.ocd_id) == ref
    if ref.isdigit() and int(ref) <= MAX_ID:
        return col(Jurisdiction.id) == int(ref)
    return col(Jurisdiction.slug) == ref


def get(*, session: Session, ref: str) -> JurisdictionPublic:
    """One jurisdiction by slug, id or OCD division ID."""
    row = session.execute(_listing().where(_matches(ref))).first()
    if row is None:
        raise NotFound(f"No jurisdiction matches {ref!r} (try a slug, an id or an OCD division ID).")
    return _public(row[0], row[1])


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
        parent_id = session.execute(select(col(Jurisdiction.id)).where(_matches(parent))).scalar()
        if parent_id is None:
            raise NotFound(f"No jurisdiction matches {parent!r} (try a slug, an id or an OCD division ID).")
        statement = statement.where(col(Jurisdiction.parent_id) == parent_id)
    if search:
        statement = statement.where(
            func.lower(col(Jurisdiction.name)).contains(search.lower(), autoescape=True)
        )
    return paginate(
        session=session,
        statement=statement,
        page=page,
        build=lambda rows: [_public(j, parent_slug) for j, parent_slug in rows],
    )
