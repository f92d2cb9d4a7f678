"""Member organizations: public profiles that site admins keep, grouped into coalitions."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Row
from sqlmodel import Session, col

from api.errors import Conflict, Invalid, NotFound
from api.services import audit, jurisdictions
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.versioning import require_version
from api.services.writes import flush_or_conflict, require_aware, save_audited
from schema import Campaign, Coalition, CoalitionMembership, Jurisdiction, Organization, Resource
from schema.enums import AuditAction, OrganizationKind
from schema.organizations import OrganizationCreate, OrganizationPublic, OrganizationUpdate
from schema.public import Page

NOUN = "organization"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _listing() -> Select[Organization, str | None]:
    return (
        select(Organization, col(Jurisdiction.slug))
        .outerjoin(Jurisdiction, col(Jurisdiction.id) == col(Organization.jurisdiction_id))
        .order_by(col(Organization.name), col(Organization.id))
    )


def _public(organization: Organization, jurisdiction_slug: str | None) -> OrganizationPublic:
    return OrganizationPublic(
        slug=organization.slug,
        name=organization.name,
        kind=organization.kind,
        description=organization.description,
        website=organization.website,
        jurisdiction=jurisdiction_slug,
        version=organization.version,
        created_at=organization.created_at,
        updated_at=organization.updated_at,
    )


def _build(rows: Sequence[Row[Organization, str | None]]) -> list[OrganizationPublic]:
    return [_public(organization, slug) for organization, slug in rows]


def _row(session: Session, slug: str) -> Organization:
    organization: Organization | None = session.execute(
        select(Organization).where(col(Organization.slug) == slug)
    ).scalar()
    if organization is None:
        raise NotFound(f"No organization has the slug {slug!r}.")
    return organization


def get(*, session: Session, slug: str) -> OrganizationPublic:
    """One organization by slug."""
    row = session.execute(_listing().where(col(Organization.slug) == slug)).first()
    if row is None:
        raise NotFound(f"No organization has the slug {slug!r}.")
    return _public(row[0], row[1])


def get_all(
    *,
    session: Session,
    page: PageRequest,
    kind: OrganizationKind | None = None,
    jurisdiction: str | None = None,
    coalition: str | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page[OrganizationPublic]:
    """Organizations by name, filtered by kind, home jurisdiction, coalition, name words or last change."""
    require_aware(updated_since)
    statement = _listing()
    if kind is not None:
        statement = statement.where(col(Organization.kind) == kind)
    if jurisdiction is not None:
        statement = statement.where(
            col(Organization.jurisdiction_id) == jurisdictions.resolve_id(session=session, ref=jurisdiction)
        )
    if coalition is not None:
        coalition_id = id_by_slug(session=session, model=Coalition, slug=coalition, noun="coalition")
        statement = statement.where(
            col(Organization.id).in_(
                select(col(CoalitionMembership.organization_id)).where(
                    col(CoalitionMembership.coalition_id) == coalition_id
                )
            )
        )
    if search:
        statement = statement.where(
            func.lower(col(Organization.name)).contains(search.lower(), autoescape=True)
        )
    if updated_since is not None:
        statement = statement.where(col(Organization.updated_at) >= updated_since)
    return paginate(session=session, statement=statement, page=page, build=_build)


def create(*, session: Session, principal: Principal, data: OrganizationCreate) -> OrganizationPublic:
    """A new organization (site admins)."""
    authorize(principal, Action.MANAGE_ORGANIZATIONS)
    taken = session.execute(select(col(Organization.id)).where(col(Organization.slug) == data.slug)).first()
    if taken is not None:
        raise Conflict(f"An organization already has the slug {data.slug!r}.")
    values = data.model_dump(exclude={"jurisdiction"})
    if data.jurisdiction is not None:
        values["jurisdiction_id"] = jurisdictions.resolve_id(session=session, ref=data.jurisdiction)
    organization = Organization(**values)
    session.add(organization)
    flush_or_conflict(session, f"An organization already has the slug {data.slug!r}.")
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.CREATE,
        entity_type=NOUN,
        entity_key=organization.slug,
        after=audit.snapshot(organization),
    )
    return get(session=session, slug=organization.slug)


def update(
    *, session: Session, principal: Principal, slug: str, data: OrganizationUpdate, expected: int | None
) -> OrganizationPublic:
    """Change an organization's profile if it is still at the version the caller read."""
    authorize(principal, Action.MANAGE_ORGANIZATIONS)
    organization = _row(session, slug)
    require_version(expected=expected, current=organization.version, noun=NOUN)
    assert expected is not None
    changes: dict[str, Any] = data.changes()
    changes.pop("version", None)
    if "jurisdiction" in changes:
        ref = changes.pop("jurisdiction")
        changes["jurisdiction_id"] = (
            None if ref is None else jurisdictions.resolve_id(session=session, ref=ref)
        )
    for required in ("name", "kind"):
        if required in changes and changes[required] is None:
            raise Invalid(f"An organization's {required} cannot be removed.")
    save_audited(
        session=session,
        principal=principal,
        row=organization,
        expected=expected,
        values=changes,
        noun=NOUN,
        entity_type=NOUN,
        entity_key=slug,
    )
    return get(session=session, slug=slug)


def delete(*, session: Session, principal: Principal, slug: str, expected: int | None = None) -> None:
    """Delete an organization nothing refers to; its coalition memberships go with it."""
    authorize(principal, Action.MANAGE_ORGANIZATIONS)
    organization = _row(session, slug)
    if expected is not None:
        require_version(expected=expected, current=organization.version, noun=NOUN)
    campaigns = session.execute(
        select(func.count()).where(col(Campaign.lead_organization_id) == organization.id)
    ).scalar_one()
    resources = session.execute(
        select(func.count()).where(col(Resource.organization_id) == organization.id)
    ).scalar_one()
    if campaigns or resources:
        refs = [plural(n, noun) for n, noun in ((campaigns, "campaign"), (resources, "resource")) if n]
        raise Conflict(
            f"{' and '.join(refs)} refer to the organization {slug!r}; reassign them before deleting it.",
            extra={"campaigns": campaigns, "resources": resources},
        )
    before = audit.snapshot(organization)
    session.delete(organization)
    flush_or_conflict(session, f"Records still refer to the organization {slug!r}.")
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.DELETE,
        entity_type=NOUN,
        entity_key=slug,
        before=before,
    )


def get_many(*, session: Session, slugs: Sequence[str]) -> dict[str, OrganizationPublic]:
    """Organizations by slug in one query, for loaders."""
    rows = session.execute(_listing().where(col(Organization.slug).in_(list(slugs)))).all()
    return {organization.slug: organization for organization in _build(rows)}
