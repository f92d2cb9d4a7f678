"""Resources: toolkits, flyers, memos, laws and hotlines, linked to languages, demands and places."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlmodel
from sqlalchemy import Select, exists, func, insert, or_, select
from sqlalchemy import delete as delete_rows
from sqlalchemy.engine import Row
from sqlmodel import Session, col

from api.errors import Invalid, NotFound
from api.services import audit, jurisdictions
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.versioning import save
from api.services.writes import (
    check_delete_version,
    check_update_version,
    conflict_on_integrity,
    refuse_nulls,
    refuse_slug_taken,
    require_aware,
)
from schema import (
    Demand,
    DemandResource,
    Jurisdiction,
    Organization,
    Resource,
    ResourceJurisdiction,
    ResourceLanguage,
)
from schema.enums import AuditAction, ResourceKind
from schema.public import Page, ResourcePublic
from schema.resources import ResourceCreate, ResourceUpdate

NOUN = "resource"
LINKS = ("languages", "demands", "jurisdictions")


def _listing() -> Select[Resource, str | None]:
    return (
        select(Resource, col(Organization.slug))
        .outerjoin(Organization, col(Organization.id) == col(Resource.organization_id))
        .order_by(col(Resource.title), col(Resource.id))
    )


def _links(session: Session, ids: list[int | None]) -> dict[str, dict[int, list[str]]]:
    """Languages, demand slugs and jurisdiction slugs of many resources: one query each."""
    found: dict[str, dict[int, list[str]]] = {name: defaultdict(list) for name in LINKS}
    statements: dict[str, Select[int, str]] = {
        "languages": select(col(ResourceLanguage.resource_id), col(ResourceLanguage.language))
        .where(col(ResourceLanguage.resource_id).in_(ids))
        .order_by(col(ResourceLanguage.language)),
        "demands": select(col(DemandResource.resource_id), col(Demand.slug))
        .join(Demand, col(Demand.id) == col(DemandResource.demand_id))
        .where(col(DemandResource.resource_id).in_(ids))
        .order_by(col(Demand.slug)),
        "jurisdictions": select(col(ResourceJurisdiction.resource_id), col(Jurisdiction.slug))
        .join(Jurisdiction, col(Jurisdiction.id) == col(ResourceJurisdiction.jurisdiction_id))
        .where(col(ResourceJurisdiction.resource_id).in_(ids))
        .order_by(col(Jurisdiction.slug)),
    }
    for name, statement in statements.items():
        for resource_id, value in session.execute(statement):
            found[name][resource_id].append(value)
    return found


def _build(session: Session, rows: Sequence[Row[Resource, str | None]]) -> list[ResourcePublic]:
    links = _links(session, [resource.id for resource, _ in rows])
    return [
        ResourcePublic(
            slug=resource.slug,
            title=resource.title,
            kind=resource.kind,
            description=resource.description,
            url=resource.url,
            phone=resource.phone,
            organization=organization_slug,
            languages=links["languages"][resource.id or 0],
            demands=links["demands"][resource.id or 0],
            jurisdictions=links["jurisdictions"][resource.id or 0],
            version=resource.version,
            created_at=resource.created_at,
            updated_at=resource.updated_at,
        )
        for resource, organization_slug in rows
    ]


def get_all(
    *,
    session: Session,
    page: PageRequest,
    kind: ResourceKind | None = None,
    language: str | None = None,
    demand: str | None = None,
    jurisdiction: str | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page[ResourcePublic]:
    """Resources by title, filtered by kind, language, demand, jurisdiction, words or age."""
    require_aware(updated_since)
    statement = _listing()
    if kind is not None:
        statement = statement.where(col(Resource.kind) == kind)
    if language is not None:
        statement = statement.where(
            exists().where(
                col(ResourceLanguage.resource_id) == col(Resource.id),
                func.lower(col(ResourceLanguage.language)) == language.lower(),
            )
        )
    if demand is not None:
        demand_id = id_by_slug(session=session, model=Demand, slug=demand, noun="demand")
        statement = statement.where(
            exists().where(
                col(DemandResource.resource_id) == col(Resource.id),
                col(DemandResource.demand_id) == demand_id,
            )
        )
    if jurisdiction is not None:
        place_id = jurisdictions.resolve_id(session=session, ref=jurisdiction)
        statement = statement.where(
            exists().where(
                col(ResourceJurisdiction.resource_id) == col(Resource.id),
                col(ResourceJurisdiction.jurisdiction_id) == place_id,
            )
        )
    if search:
        words = search.lower()
        statement = statement.where(
            func.lower(col(Resource.title)).contains(words, autoescape=True)
            | func.lower(func.coalesce(col(Resource.description), "")).contains(words, autoescape=True)
        )
    if updated_since is not None:
        statement = statement.where(col(Resource.updated_at) >= updated_since)
    return paginate(session=session, statement=statement, page=page, build=lambda rows: _build(session, rows))


def get(*, session: Session, slug: str) -> ResourcePublic:
    rows = session.execute(_listing().where(col(Resource.slug) == slug)).all()
    if not rows:
        raise NotFound(f"No resource has the slug {slug!r}.")
    return _build(session, rows)[0]


def _row(session: Session, slug: str) -> Resource:
    resource = session.exec(sqlmodel.select(Resource).where(col(Resource.slug) == slug)).first()
    if resource is None:
        raise NotFound(f"No resource has the slug {slug!r}.")
    return resource


def _demand_ids(session: Session, slugs: list[str]) -> list[int]:
    """Ids of the named demands in one query; 404 naming every unknown slug."""
    # `.all()` first: a Result has `keys()`, so `dict()` would take it for a mapping.
    rows = session.execute(
        select(col(Demand.slug), col(Demand.id)).where(col(Demand.slug).in_(set(slugs)))
    ).all()
    found = dict(rows)
    missing = [slug for slug in dict.fromkeys(slugs) if slug not in found]
    if missing:
        raise NotFound(f"No demand has the slug {', '.join(repr(slug) for slug in missing)}.")
    return sorted({found[slug] for slug in slugs})


def _jurisdiction_ids(session: Session, refs: list[str]) -> list[int]:
    """Ids of the named jurisdictions (slug, id or OCD ID) in one query; 404 naming every unknown one."""
    if not refs:
        return []
    rows = session.execute(
        select(col(Jurisdiction.id), col(Jurisdiction.slug), col(Jurisdiction.ocd_id)).where(
            or_(*[jurisdictions._matches(ref) for ref in set(refs)])
        )
    ).all()
    by_ref: dict[str, int] = {}
    for row_id, slug, ocd_id in rows:
        by_ref.update({str(row_id): row_id, slug: row_id})
        if ocd_id is not None:
            by_ref[ocd_id] = row_id
    missing = [ref for ref in dict.fromkeys(refs) if ref not in by_ref]
    if missing:
        raise NotFound(f"No jurisdiction matches {', '.join(repr(ref) for ref in missing)}.")
    return sorted({by_ref[ref] for ref in refs})


def _replace_links(session: Session, resource_id: int, wanted: dict[str, Any]) -> None:
    """Swap the link rows named in `wanted` for new ones."""
    if "languages" in wanted:
        session.execute(delete_rows(ResourceLanguage).where(col(ResourceLanguage.resource_id) == resource_id))
        languages = sorted(set(wanted["languages"]))
        if languages:
            session.execute(
                insert(ResourceLanguage),
                [{"resource_id": resource_id, "language": code} for code in languages],
            )
    if "demands" in wanted:
        session.execute(delete_rows(DemandResource).where(col(DemandResource.resource_id) == resource_id))
        if wanted["demands"]:
            session.execute(
                insert(DemandResource),
                [{"resource_id": resource_id, "demand_id": i} for i in wanted["demands"]],
            )
    if "jurisdictions" in wanted:
        session.execute(
            delete_rows(ResourceJurisdiction).where(col(ResourceJurisdiction.resource_id) == resource_id)
        )
        if wanted["jurisdictions"]:
            session.execute(
                insert(ResourceJurisdiction),
                [{"resource_id": resource_id, "jurisdiction_id": i} for i in wanted["jurisdictions"]],
            )


def _refuse_personal_phone(kind: ResourceKind, phone: str | None, organization_id: int | None) -> None:
    if phone is not None and (kind != ResourceKind.HOTLINE or organization_id is None):
        raise Invalid(
            "A phone number is allowed only on an organization's hotline (kind `hotline` with an "
            "`organization`); never a person's number.",
            extra={"errors": [{"location": ["body", "phone"], "message": "hotlines only", "type": "phone"}]},
        )


def _state(public: ResourcePublic) -> dict[str, Any]:
    """What the audit log keeps of a resource, links included."""
    return public.model_dump(mode="json", exclude={"version", "created_at", "updated_at"})


def create(*, session: Session, principal: Principal, data: ResourceCreate) -> ResourcePublic:
    """New material with its links; phone numbers only on organizations' hotlines."""
    authorize(principal, Action.MANAGE_RESOURCES)
    refuse_slug_taken(session=session, model=Resource, slug=data.slug, noun=NOUN)
    organization_id = (
        None
        if data.organization is None
        else id_by_slug(session=session, model=Organization, slug=data.organization, noun="organization")
    )
    _refuse_personal_phone(data.kind, data.phone, organization_id)
    links = {
        "languages": data.languages,
        "demands": _demand_ids(session, data.demands),
        "jurisdictions": _jurisdiction_ids(session, data.jurisdictions),
    }
    resource = Resource(
        slug=data.slug,
        title=data.title,
        kind=data.kind,
        description=data.description,
        url=data.url,
        phone=data.phone,
        organization_id=organization_id,
    )
    with conflict_on_integrity(session, f"A resource with the slug {data.slug!r} already exists."):
        session.add(resource)
        session.flush()
        assert resource.id is not None
        _replace_links(session, resource.id, links)
    created = get(session=session, slug=resource.slug)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.CREATE,
        entity_type="resource",
        entity_key=resource.slug,
        after=_state(created),
    )
    return created


def update(
    *, session: Session, principal: Principal, slug: str, data: ResourceUpdate, expected: int | None
) -> ResourcePublic:
    """Edit a resource; each list sent replaces the stored links."""
    authorize(principal, Action.MANAGE_RESOURCES)
    resource = _row(session, slug)
    version = check_update_version(expected=expected, current=resource.version, noun=NOUN)
    before = _state(get(session=session, slug=slug))
    values = {key: value for key, value in data.changes().items() if key != "version"}
    refuse_nulls(values, "title", "kind", *LINKS)
    links: dict[str, Any] = {}
    if "languages" in values:
        links["languages"] = values.pop("languages")
    if "demands" in values:
        links["demands"] = _demand_ids(session, values.pop("demands"))
    if "jurisdictions" in values:
        links["jurisdictions"] = _jurisdiction_ids(session, values.pop("jurisdictions"))
    if "organization" in values:
        organization = values.pop("organization")
        values["organization_id"] = (
            None
            if organization is None
            else id_by_slug(session=session, model=Organization, slug=organization, noun="organization")
        )
    _refuse_personal_phone(
        values.get("kind", resource.kind),
        values.get("phone", resource.phone),
        values.get("organization_id", resource.organization_id),
    )
    assert resource.id is not None
    # The version moves even when only links change, so ETags follow what readers see.
    save(session=session, row=resource, expected=version, values=values, noun=NOUN)
    _replace_links(session, resource.id, links)
    updated = get(session=session, slug=slug)
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.UPDATE,
        entity_type="resource",
        entity_key=slug,
        before=before,
        after=_state(updated),
    )
    return updated


def delete(*, session: Session, principal: Principal, slug: str, expected: int | None = None) -> None:
    """Remove a resource and its links; nothing else refers to resources."""
    authorize(principal, Action.MANAGE_RESOURCES)
    resource = _row(session, slug)
    check_delete_version(expected=expected, current=resource.version, noun=NOUN)
    before = _state(get(session=session, slug=slug))
    _replace_links(session, resource.id or 0, {"languages": [], "demands": [], "jurisdictions": []})
    session.delete(resource)
    session.flush()
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.DELETE,
        entity_type="resource",
        entity_key=slug,
        before=before,
    )


def get_many(*, session: Session, slugs: Sequence[str]) -> dict[str, ResourcePublic]:
    """Resources by slug with their links, in four queries, for loaders."""
    rows = session.execute(_listing().where(col(Resource.slug).in_(list(slugs)))).all()
    return {resource.slug: resource for resource in _build(session, rows)}


def get_for_demands(*, session: Session, slugs: Sequence[str]) -> dict[str, list[ResourcePublic]]:
    """The resources of several demands, keyed by demand slug, in four queries."""
    rows = session.execute(
        _listing()
        .join(DemandResource, col(DemandResource.resource_id) == col(Resource.id))
        .join(Demand, col(Demand.id) == col(DemandResource.demand_id))
        .where(col(Demand.slug).in_(list(slugs)))
        .distinct()
    ).all()
    found: dict[str, list[ResourcePublic]] = {slug: [] for slug in slugs}
    for resource in _build(session, rows):
        for demand in resource.demands:
            if demand in found:
                found[demand].append(resource)
    return found
