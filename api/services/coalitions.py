"""Coalitions, their member organizations and focus jurisdictions."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlmodel
from sqlalchemy import Select, func, select
from sqlalchemy import delete as delete_rows
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import Conflict, Invalid, NotFound
from api.services import audit, jurisdictions, organizations
from api.services.jurisdictions import _matches
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.versioning import require_version, save
from api.services.writes import flush_or_conflict, require_aware, save_audited
from schema import Campaign, Coalition, CoalitionFocus, CoalitionMembership, Jurisdiction, Organization
from schema.enums import AuditAction
from schema.organizations import CoalitionCreate, CoalitionPublic, CoalitionUpdate, OrganizationPublic
from schema.public import JurisdictionPublic, Page

NOUN = "coalition"

_parent = aliased(Jurisdiction, name="parent_jurisdiction")


def row(*, session: Session, slug: str) -> Coalition:
    """The coalition with `slug`, or NotFound naming it."""
    coalition: Coalition | None = session.execute(
        select(Coalition).where(col(Coalition.slug) == slug)
    ).scalar()
    if coalition is None:
        raise NotFound(f"No coalition has the slug {slug!r}.")
    return coalition


def _build(session: Session, coalitions: Sequence[Coalition]) -> list[CoalitionPublic]:
    """Attach member organizations and focus jurisdictions with one query each, whatever the page size."""
    ids = [coalition.id for coalition in coalitions]
    members: dict[int, list[str]] = defaultdict(list)
    for coalition_id, slug in session.execute(
        select(col(CoalitionMembership.coalition_id), col(Organization.slug))
        .join(Organization, col(Organization.id) == col(CoalitionMembership.organization_id))
        .where(col(CoalitionMembership.coalition_id).in_(ids))
        .order_by(col(Organization.name), col(Organization.id))
    ):
        members[coalition_id].append(slug)
    focus: dict[int, list[str]] = defaultdict(list)
    for coalition_id, slug in session.execute(
        select(col(CoalitionFocus.coalition_id), col(Jurisdiction.slug))
        .join(Jurisdiction, col(Jurisdiction.id) == col(CoalitionFocus.jurisdiction_id))
        .where(col(CoalitionFocus.coalition_id).in_(ids))
        .order_by(col(Jurisdiction.name), col(Jurisdiction.id))
    ):
        focus[coalition_id].append(slug)
    return [
        CoalitionPublic(
            slug=coalition.slug,
            name=coalition.name,
            description=coalition.description,
            website=coalition.website,
            organizations=members[coalition.id or 0],
            focus=focus[coalition.id or 0],
            version=coalition.version,
            created_at=coalition.created_at,
            updated_at=coalition.updated_at,
        )
        for coalition in coalitions
    ]


def get(*, session: Session, slug: str) -> CoalitionPublic:
    """One coalition by slug, with its organizations and focus."""
    return _build(session, [row(session=session, slug=slug)])[0]


def get_all(
    *,
    session: Session,
    page: PageRequest,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page[CoalitionPublic]:
    """Coalitions by name, filtered by words in the name or last change."""
    require_aware(updated_since)
    statement: Select[Coalition] = select(Coalition).order_by(col(Coalition.name), col(Coalition.id))
    if search:
        statement = statement.where(func.lower(col(Coalition.name)).contains(search.lower(), autoescape=True))
    if updated_since is not None:
        statement = statement.where(col(Coalition.updated_at) >= updated_since)

    def build(rows: Sequence[Row[Coalition]]) -> list[CoalitionPublic]:
        return _build(session, [coalition for (coalition,) in rows])

    return paginate(session=session, statement=statement, page=page, build=build)


def create(*, session: Session, principal: Principal, data: CoalitionCreate) -> CoalitionPublic:
    """A new coalition (site admins); it starts with no organizations, focus or members."""
    authorize(principal, Action.MANAGE_COALITIONS)
    message = f"A coalition already has the slug {data.slug!r}."
    if session.execute(select(col(Coalition.id)).where(col(Coalition.slug) == data.slug)).first() is not None:
        raise Conflict(message)
    coalition = Coalition(**data.model_dump())
    session.add(coalition)
    flush_or_conflict(session, message)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.CREATE,
        entity_type=NOUN,
        entity_key=coalition.slug,
        coalition_id=coalition.id,
        after=audit.snapshot(coalition),
    )
    return _build(session, [coalition])[0]


def update(
    *, session: Session, principal: Principal, slug: str, data: CoalitionUpdate, expected: int | None
) -> CoalitionPublic:
    """Change a coalition's profile (its admins) if it is still at the version the caller read."""
    coalition = row(session=session, slug=slug)
    authorize(principal, Action.EDIT_COALITION, coalition_id=coalition.id)
    require_version(expected=expected, current=coalition.version, noun=NOUN)
    assert expected is not None
    changes: dict[str, Any] = data.changes()
    changes.pop("version", None)
    if "name" in changes and changes["name"] is None:
        raise Invalid("A coalition's name cannot be removed.")
    save_audited(
        session=session,
        principal=principal,
        row=coalition,
        expected=expected,
        values=changes,
        noun=NOUN,
        entity_type=NOUN,
        entity_key=slug,
        coalition_id=coalition.id,
    )
    return _build(session, [coalition])[0]


def delete(*, session: Session, principal: Principal, slug: str, expected: int | None = None) -> None:
    """Delete a coalition with no campaigns (site admins); its members, organizations, focus and webhooks go too."""
    authorize(principal, Action.MANAGE_COALITIONS)
    coalition = row(session=session, slug=slug)
    if expected is not None:
        require_version(expected=expected, current=coalition.version, noun=NOUN)
    campaigns = session.execute(
        select(func.count()).where(col(Campaign.coalition_id) == coalition.id)
    ).scalar_one()
    if campaigns:
        raise Conflict(
            f"{organizations.plural(campaigns, 'campaign')} belong to the coalition {slug!r}; "
            "campaign history is kept, so the coalition cannot be deleted.",
            extra={"campaigns": campaigns},
        )
    before = audit.snapshot(coalition)
    coalition_id = coalition.id
    session.delete(coalition)
    flush_or_conflict(session, f"Records still refer to the coalition {slug!r}.")
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.DELETE,
        entity_type=NOUN,
        entity_key=slug,
        coalition_id=coalition_id,
        before=before,
    )


# Member organizations.


def get_organizations(*, session: Session, slug: str, page: PageRequest) -> Page[OrganizationPublic]:
    """The coalition's member organizations, by name."""
    return organizations.get_all(session=session, page=page, coalition=slug)


def _organization_id(session: Session, slug: str) -> int:
    found = session.execute(select(col(Organization.id)).where(col(Organization.slug) == slug)).scalar()
    if found is None:
        raise NotFound(f"No organization has the slug {slug!r}.")
    return int(found)


def _changed(session: Session, coalition: Coalition) -> None:
    """A coalition's organizations and focus are part of it: its version and `updated_at` move with them."""
    save(session=session, row=coalition, expected=coalition.version, values={}, noun=NOUN)


def _add_link(
    *,
    session: Session,
    principal: Principal,
    coalition: Coalition,
    link: CoalitionMembership | CoalitionFocus,
    key: tuple[int | None, int],
    entity_type: str,
    related: str,
) -> bool:
    """Add one link row (idempotent); True if it was added."""
    if session.get(type(link), key) is not None:
        return False
    session.add(link)
    flush_or_conflict(session, f"{related!r} was added to {coalition.slug!r} concurrently.")
    _changed(session, coalition)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.CREATE,
        entity_type=entity_type,
        entity_key=f"{coalition.slug}/{related}",
        coalition_id=coalition.id,
        after={"coalition": coalition.slug, entity_type.removeprefix("coalition_"): related},
    )
    return True


def _remove_link(
    *,
    session: Session,
    principal: Principal,
    coalition: Coalition,
    statement: Any,
    entity_type: str,
    related: str,
    missing: str,
) -> None:
    """Delete one link row, or 404 with `missing` if there was none."""
    if session.execute(statement).rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(missing)
    _changed(session, coalition)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.DELETE,
        entity_type=entity_type,
        entity_key=f"{coalition.slug}/{related}",
        coalition_id=coalition.id,
        before={"coalition": coalition.slug, entity_type.removeprefix("coalition_"): related},
    )


def add_organization(*, session: Session, principal: Principal, slug: str, organization: str) -> bool:
    """Make an organization a member; True if it was added, False if it already was one."""
    coalition = row(session=session, slug=slug)
    authorize(principal, Action.EDIT_COALITION, coalition_id=coalition.id)
    organization_id = _organization_id(session, organization)
    return _add_link(
        session=session,
        principal=principal,
        coalition=coalition,
        link=CoalitionMembership(coalition_id=coalition.id or 0, organization_id=organization_id),
        key=(coalition.id, organization_id),
        entity_type="coalition_organization",
        related=organization,
    )


def remove_organization(*, session: Session, principal: Principal, slug: str, organization: str) -> None:
    """End an organization's membership of the coalition."""
    coalition = row(session=session, slug=slug)
    authorize(principal, Action.EDIT_COALITION, coalition_id=coalition.id)
    organization_id = _organization_id(session, organization)
    _remove_link(
        session=session,
        principal=principal,
        coalition=coalition,
        statement=delete_rows(CoalitionMembership).where(
            col(CoalitionMembership.coalition_id) == coalition.id,
            col(CoalitionMembership.organization_id) == organization_id,
        ),
        entity_type="coalition_organization",
        related=organization,
        missing=f"The organization {organization!r} is not a member of the coalition {slug!r}.",
    )


# Focus jurisdictions.


def get_focus(*, session: Session, slug: str, page: PageRequest) -> Page[JurisdictionPublic]:
    """The coalition's focus jurisdictions, by name."""
    coalition = row(session=session, slug=slug)
    statement = (
        select(Jurisdiction, col(_parent.slug))
        .join(CoalitionFocus, col(CoalitionFocus.jurisdiction_id) == col(Jurisdiction.id))
        .outerjoin(_parent, col(_parent.id) == col(Jurisdiction.parent_id))
        .where(col(CoalitionFocus.coalition_id) == coalition.id)
        .order_by(col(Jurisdiction.name), col(Jurisdiction.id))
    )

    def build(rows: Sequence[Row[Jurisdiction, str | None]]) -> list[JurisdictionPublic]:
        return [jurisdictions.public(jurisdiction, parent) for jurisdiction, parent in rows]

    return paginate(session=session, statement=statement, page=page, build=build)


def _jurisdiction(session: Session, ref: str) -> tuple[int, str]:
    found = session.execute(select(col(Jurisdiction.id), col(Jurisdiction.slug)).where(_matches(ref))).first()
    if found is None:
        raise NotFound(f"No jurisdiction matches {ref!r} (try a slug, an id or an OCD division ID).")
    return int(found[0]), str(found[1])


def add_focus(*, session: Session, principal: Principal, slug: str, jurisdiction: str) -> bool:
    """Add a focus jurisdiction; True if it was added, False if it already was one."""
    coalition = row(session=session, slug=slug)
    authorize(principal, Action.EDIT_COALITION, coalition_id=coalition.id)
    jurisdiction_id, jurisdiction_slug = _jurisdiction(session, jurisdiction)
    return _add_link(
        session=session,
        principal=principal,
        coalition=coalition,
        link=CoalitionFocus(coalition_id=coalition.id or 0, jurisdiction_id=jurisdiction_id),
        key=(coalition.id, jurisdiction_id),
        entity_type="coalition_focus",
        related=jurisdiction_slug,
    )


def remove_focus(*, session: Session, principal: Principal, slug: str, jurisdiction: str) -> None:
    """Drop a focus jurisdiction."""
    coalition = row(session=session, slug=slug)
    authorize(principal, Action.EDIT_COALITION, coalition_id=coalition.id)
    jurisdiction_id, jurisdiction_slug = _jurisdiction(session, jurisdiction)
    _remove_link(
        session=session,
        principal=principal,
        coalition=coalition,
        statement=delete_rows(CoalitionFocus).where(
            col(CoalitionFocus.coalition_id) == coalition.id,
            col(CoalitionFocus.jurisdiction_id) == jurisdiction_id,
        ),
        entity_type="coalition_focus",
        related=jurisdiction_slug,
        missing=f"The jurisdiction {jurisdiction_slug!r} is not a focus of the coalition {slug!r}.",
    )


def get_many(*, session: Session, slugs: Sequence[str]) -> dict[str, CoalitionPublic]:
    """Coalitions by slug with their organizations and focus, in three queries, for loaders."""
    rows = list(session.exec(sqlmodel.select(Coalition).where(col(Coalition.slug).in_(list(slugs)))).all())
    return {coalition.slug: coalition for coalition in _build(session, rows)}
