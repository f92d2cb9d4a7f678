"""Crowd-sourced proposals: anyone submits, the checklist coalition's moderators claim, accept or reject.

Accepting folds the proposal into the catalog with provenance back to the submission; the
submitter's name and contact reach moderators only, and can be purged.
"""

import hashlib
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.errors import Conflict, Invalid, NotFound, TooManyRequests
from api.services import audit, demand_history, jurisdictions, translations, versioning, webhook_events
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.settings import Settings
from schema import Coalition, Demand, Example, Jurisdiction, Resource, Submission, TargetCategory, UserAccount
from schema.base import utcnow
from schema.enums import (
    AuditAction,
    DemandProvenance,
    ExampleKind,
    ResourceKind,
    SubmissionKind,
    SubmissionResolution,
    SubmissionStatus,
    TranslatedEntity,
)
from schema.public import Page
from schema.submissions import (
    Acceptance,
    Merge,
    Rejection,
    SubmissionCreate,
    SubmissionForModerators,
    SubmissionPublic,
)

NOUN = "submission"
_category = aliased(TargetCategory, name="proposed_category")
_place = aliased(Jurisdiction, name="proposed_place")
_item = aliased(Demand, name="item")
_claimer = aliased(UserAccount, name="claimer")
_moderator = aliased(UserAccount, name="moderator")


def _normalized(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def content_hash(kind: SubmissionKind, title: str, body: str) -> str:
    """The same proposal, whatever its spacing, punctuation or capitals, has the same hash."""
    return hashlib.sha256(f"{kind}\n{_normalized(title)}\n{_normalized(body)}".encode()).hexdigest()


def fingerprint(client_address: str) -> str:
    """Counts one client's submissions today without keeping its address: the day is in the hash."""
    return hashlib.sha256(f"{utcnow().date()}|{client_address}".encode()).hexdigest()


def _listing() -> Any:
    return (
        select(
            Submission,
            col(_category.slug),
            col(_place.slug),
            col(_item.slug),
            col(_claimer.username),
            col(_moderator.username),
        )
        .outerjoin(_category, col(_category.id) == col(Submission.category_id))
        .outerjoin(_place, col(_place.id) == col(Submission.jurisdiction_id))
        .outerjoin(_item, col(_item.id) == col(Submission.demand_id))
        .outerjoin(_claimer, col(_claimer.id) == col(Submission.claimed_by_id))
        .outerjoin(_moderator, col(_moderator.id) == col(Submission.moderator_id))
    )


def _public_fields(row: Any) -> dict[str, Any]:
    submission, category, place, item, _, _ = row
    return {
        "id": submission.id,
        "kind": submission.kind,
        "status": submission.status,
        "resolution": submission.resolution,
        "title": submission.title,
        "body": submission.body,
        "category": category,
        "jurisdiction": place,
        "demand": item,
        "links": list(submission.links),
        "language": submission.language,
        "moderation_note": submission.moderation_note,
        "created_at": submission.created_at,
        "reviewed_at": submission.reviewed_at,
        "version": submission.version,
    }


def _for_moderators(row: Any) -> SubmissionForModerators:
    submission, _, _, _, claimer, moderator = row
    active = submission.claimed_until is not None and submission.claimed_until > utcnow()
    return SubmissionForModerators(
        **_public_fields(row),
        submitter_name=submission.submitter_name,
        submitter_contact=submission.submitter_contact,
        contact_purged=submission.contact_purged_at is not None,
        claimed_by=claimer if active else None,
        claimed_until=submission.claimed_until if active else None,
        moderator=moderator,
    )


def _checklist_coalition_id(session: Session, settings: Settings) -> int:
    return id_by_slug(session=session, model=Coalition, slug=settings.checklist_coalition, noun="coalition")


def _authorize_moderation(session: Session, principal: Principal, settings: Settings) -> None:
    authorize(principal, Action.REVIEW_SUBMISSIONS, coalition_id=_checklist_coalition_id(session, settings))


def create(
    *, session: Session, data: SubmissionCreate, client_address: str, settings: Settings
) -> SubmissionPublic:
    """Take a proposal from anyone, within the rate limit, refusing exact repeats."""
    client = fingerprint(client_address)
    recent = session.execute(
        select(func.count())
        .select_from(Submission)
        .where(
            col(Submission.client_fingerprint) == client,
            col(Submission.created_at) >= utcnow() - timedelta(hours=1),
        )
    ).scalar_one()
    if recent >= settings.submissions_per_hour:
        raise TooManyRequests(
            f"This address has sent {recent} proposals in the last hour, the most we take; try again later.",
            headers={"Retry-After": "3600"},
        )
    digest = content_hash(data.kind, data.title, data.body)
    duplicate = session.execute(
        select(col(Submission.id)).where(
            col(Submission.content_hash) == digest, col(Submission.status) != SubmissionStatus.REJECTED
        )
    ).scalar()
    if duplicate is not None:
        raise Conflict(
            f"The same proposal was already received (submission {duplicate}); it is in the queue.",
            extra={"existing_submission": duplicate},
        )
    submission = Submission(
        kind=data.kind,
        title=data.title,
        body=data.body,
        category_id=None
        if data.category is None
        else id_by_slug(session=session, model=TargetCategory, slug=data.category, noun="target category"),
        jurisdiction_id=None
        if data.jurisdiction is None
        else jurisdictions.resolve_id(session=session, ref=data.jurisdiction),
        demand_id=None
        if data.demand is None
        else id_by_slug(session=session, model=Demand, slug=data.demand, noun="demand"),
        links=list(data.links),
        language=data.language.lower(),
        submitter_name=data.submitter_name,
        submitter_contact=data.submitter_contact,
        content_hash=digest,
        client_fingerprint=client,
    )
    session.add(submission)
    session.flush()
    audit.record(
        session=session,
        actor=Principal(),
        action=AuditAction.CREATE,
        entity_type=NOUN,
        entity_key=submission.id,  # type: ignore[arg-type]
        # Never the contact or name: the audit log outlives a purge.
        after={"kind": data.kind.value, "title": data.title, "language": submission.language},
    )
    return get(session=session, submission_id=submission.id)  # type: ignore[arg-type]


def _row(session: Session, submission_id: int) -> Any:
    row = session.execute(_listing().where(col(Submission.id) == submission_id)).first()
    if row is None:
        raise NotFound(f"No submission has the id {submission_id}.")
    return row


def get(*, session: Session, submission_id: int) -> SubmissionPublic:
    """What anyone may see of a proposal: its text and fate, never who sent it."""
    return SubmissionPublic(**_public_fields(_row(session, submission_id)))


def get_for_moderators(
    *, session: Session, principal: Principal, settings: Settings, submission_id: int
) -> SubmissionForModerators:
    _authorize_moderation(session, principal, settings)
    return _for_moderators(_row(session, submission_id))


def get_queue(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    page: PageRequest,
    status: SubmissionStatus = SubmissionStatus.PENDING,
    kind: SubmissionKind | None = None,
    language: str | None = None,
    category: str | None = None,
) -> Page[SubmissionForModerators]:
    """The moderation queue, oldest first."""
    _authorize_moderation(session, principal, settings)
    statement = _listing().where(col(Submission.status) == status)
    if kind is not None:
        statement = statement.where(col(Submission.kind) == kind)
    if language is not None:
        statement = statement.where(col(Submission.language) == language.lower())
    if category is not None:
        statement = statement.where(col(_category.slug) == category)
    statement = statement.order_by(col(Submission.created_at), col(Submission.id))
    return paginate(
        session=session, statement=statement, page=page, build=lambda rows: [_for_moderators(r) for r in rows]
    )


def _pending(session: Session, principal: Principal, submission_id: int) -> Submission:
    """A pending submission nobody else holds a live claim on."""
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"No submission has the id {submission_id}.")
    if submission.status != SubmissionStatus.PENDING:
        raise Conflict(f"Submission {submission_id} was already {submission.status.value}.")
    if (
        submission.claimed_by_id not in (None, principal.user_id)
        and submission.claimed_until is not None
        and submission.claimed_until > utcnow()
    ):
        holder = session.get(UserAccount, submission.claimed_by_id)
        raise Conflict(
            f"{holder.username if holder else 'Another moderator'} is working on submission {submission_id} "
            f"until {submission.claimed_until.isoformat()}.",
            extra={"claimed_until": submission.claimed_until.isoformat()},
        )
    return submission


def claim(
    *, session: Session, principal: Principal, settings: Settings, submission_id: int
) -> SubmissionForModerators:
    """Take a submission for `claim_minutes`, so two moderators never work on the same one."""
    _authorize_moderation(session, principal, settings)
    submission = _pending(session, principal, submission_id)
    versioning.save(
        session=session,
        row=submission,
        expected=submission.version,
        values={
            "claimed_by_id": principal.user_id,
            "claimed_until": utcnow() + timedelta(minutes=settings.claim_minutes),
        },
        noun=NOUN,
    )
    return get_for_moderators(
        session=session, principal=principal, settings=settings, submission_id=submission_id
    )


def _slug_for(session: Session, model: Any, wanted: str | None, title: str) -> str:
    base = wanted or "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:100].strip("-") or "item"
    slug, counter = base, 1
    while session.execute(select(col(model.id)).where(col(model.slug) == slug)).first() is not None:
        if wanted:
            raise Conflict(f"The slug {wanted!r} is taken.")
        counter += 1
        slug = f"{base}-{counter}"
    return slug


def _texts(submission: Submission, data: Acceptance) -> tuple[str, str | None]:
    """The catalog's English texts: the moderator's, or the proposal's own when it is in English."""
    if data.title is None and submission.language != translations.DEFAULT_LANGUAGE:
        raise Invalid(
            f"This proposal is in {submission.language!r}: give the English `title` the catalog will carry; "
            "the original text is kept as its translation."
        )
    return (
        data.title or submission.title,
        data.description if data.description is not None else submission.body,
    )


def _keep_original(
    session: Session, submission: Submission, entity: TranslatedEntity, entity_id: int
) -> None:
    """A proposal in another language becomes the item's text in that language."""
    if submission.language == translations.DEFAULT_LANGUAGE:
        return
    for field, text in ((translations.FIELDS[entity][0], submission.title), ("description", submission.body)):
        translations.set_text(
            session=session,
            entity=entity,
            entity_id=entity_id,
            field=field,
            language=translations.primary(submission.language),
            text=text,
            needs_review=False,
        )


def _target_demand(session: Session, submission: Submission, slug: str | None) -> Demand:
    if slug is not None:
        demand_id = id_by_slug(session=session, model=Demand, slug=slug, noun="demand")
    elif submission.demand_id is not None:
        demand_id = submission.demand_id
    else:
        raise Invalid("Name the `demand` this proposal amends or exemplifies.")
    demand = session.get(Demand, demand_id)
    assert demand is not None
    return demand


def _fold_in(
    session: Session, principal: Principal, submission: Submission, data: Acceptance
) -> tuple[SubmissionResolution, int | None]:
    """Create or amend the catalog item; returns what was done and the demand it concerns."""
    title, description = _texts(submission, data)
    kind = submission.kind
    if kind in (SubmissionKind.NEW_DEMAND, SubmissionKind.STRATEGY):
        group = None if data.parent is None else _target_demand(session, submission, data.parent)
        if group is not None and group.parent_id is not None:
            raise Invalid(f"{data.parent!r} is an item, not a group; demands nest one level only.")
        if data.category is not None:
            category_id = id_by_slug(
                session=session, model=TargetCategory, slug=data.category, noun="target category"
            )
        elif group is not None:
            category_id = group.category_id
        elif submission.category_id is not None:
            category_id = submission.category_id
        else:
            raise Invalid("Name the target `category` the new demand belongs to.")
        position = session.execute(
            select(func.coalesce(func.max(col(Demand.position)) + 1, 0)).where(
                col(Demand.category_id) == category_id,
                col(Demand.parent_id) == group.id if group else col(Demand.parent_id).is_(None),
            )
        ).scalar_one()
        demand = Demand(
            slug=_slug_for(session, Demand, data.slug, title),
            category_id=category_id,
            parent_id=group.id if group else None,
            position=int(position),
            title=title,
            description=description,
            provenance=DemandProvenance.SUBMISSION,
        )
        session.add(demand)
        session.flush()
        demand_history.record(
            session=session, demand=demand, principal=principal, submission_id=submission.id
        )
        _keep_original(session, submission, TranslatedEntity.DEMAND, demand.id)  # type: ignore[arg-type]
        return SubmissionResolution.CREATED, demand.id
    demand = _target_demand(session, submission, data.demand)
    if kind == SubmissionKind.CORRECTION:
        versioning.save(
            session=session,
            row=demand,
            expected=demand.version,
            values={"title": title, "description": description},
            noun="demand",
        )
        demand_history.record(
            session=session, demand=demand, principal=principal, submission_id=submission.id
        )
        return SubmissionResolution.AMENDED, demand.id
    if kind == SubmissionKind.EXAMPLE:
        position = session.execute(
            select(func.coalesce(func.max(col(Example.position)) + 1, 0)).where(
                col(Example.demand_id) == demand.id
            )
        ).scalar_one()
        example = Example(
            slug=_slug_for(session, Example, data.slug, title),
            demand_id=demand.id,  # type: ignore[arg-type]
            position=int(position),
            title=title,
            kind=ExampleKind.PRACTICE,
            description=description,
            url=submission.links[0] if submission.links else None,
            jurisdiction_id=submission.jurisdiction_id,
        )
        session.add(example)
        session.flush()
        _keep_original(session, submission, TranslatedEntity.EXAMPLE, example.id)  # type: ignore[arg-type]
        return SubmissionResolution.CREATED, demand.id
    resource = Resource(
        slug=_slug_for(session, Resource, data.slug, title),
        title=title,
        kind=ResourceKind.GUIDE,
        description=description,
        url=submission.links[0] if submission.links else None,
    )
    session.add(resource)
    session.flush()
    _keep_original(session, submission, TranslatedEntity.RESOURCE, resource.id)  # type: ignore[arg-type]
    return SubmissionResolution.CREATED, demand.id


def _close(
    session: Session,
    principal: Principal,
    submission: Submission,
    *,
    status: SubmissionStatus,
    resolution: SubmissionResolution,
    note: str | None,
    demand_id: int | None,
) -> None:
    before = {"status": submission.status.value}
    versioning.save(
        session=session,
        row=submission,
        expected=submission.version,
        values={
            "status": status,
            "resolution": resolution,
            "moderation_note": note,
            "moderator_id": principal.user_id,
            "reviewed_at": utcnow(),
            "demand_id": demand_id,
            "claimed_by_id": None,
            "claimed_until": None,
        },
        noun=NOUN,
    )
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.UPDATE,
        entity_type=NOUN,
        entity_key=submission.id,  # type: ignore[arg-type]
        before=before,
        after={"status": status.value, "resolution": resolution.value, "note": note},
    )


def accept(
    *, session: Session, principal: Principal, settings: Settings, submission_id: int, data: Acceptance
) -> SubmissionForModerators:
    """Fold the proposal into the catalog, with provenance back to it."""
    _authorize_moderation(session, principal, settings)
    submission = _pending(session, principal, submission_id)
    resolution, demand_id = _fold_in(session, principal, submission, data)
    _close(
        session,
        principal,
        submission,
        status=SubmissionStatus.ACCEPTED,
        resolution=resolution,
        note=data.note,
        demand_id=demand_id,
    )
    webhook_events.submission_accepted(
        session=session, submission_id=submission_id, coalition_id=_checklist_coalition_id(session, settings)
    )
    return get_for_moderators(
        session=session, principal=principal, settings=settings, submission_id=submission_id
    )


def reject(
    *, session: Session, principal: Principal, settings: Settings, submission_id: int, data: Rejection
) -> SubmissionForModerators:
    """Turn a proposal down, saying why; it is kept, never deleted."""
    _authorize_moderation(session, principal, settings)
    submission = _pending(session, principal, submission_id)
    _close(
        session,
        principal,
        submission,
        status=SubmissionStatus.REJECTED,
        resolution=SubmissionResolution.REJECTED,
        note=data.reason,
        demand_id=submission.demand_id,
    )
    return get_for_moderators(
        session=session, principal=principal, settings=settings, submission_id=submission_id
    )


def merge(
    *, session: Session, principal: Principal, settings: Settings, submission_id: int, data: Merge
) -> SubmissionForModerators:
    """Record the proposal as a duplicate of an existing item."""
    _authorize_moderation(session, principal, settings)
    submission = _pending(session, principal, submission_id)
    demand_id = id_by_slug(session=session, model=Demand, slug=data.demand, noun="demand")
    _close(
        session,
        principal,
        submission,
        status=SubmissionStatus.ACCEPTED,
        resolution=SubmissionResolution.MERGED,
        note=data.note,
        demand_id=demand_id,
    )
    webhook_events.submission_accepted(
        session=session, submission_id=submission_id, coalition_id=_checklist_coalition_id(session, settings)
    )
    return get_for_moderators(
        session=session, principal=principal, settings=settings, submission_id=submission_id
    )


def purge_contact(
    *, session: Session, principal: Principal, settings: Settings, submission_id: int
) -> SubmissionForModerators:
    """Erase the submitter's name and contact for good, on request or once no longer needed."""
    _authorize_moderation(session, principal, settings)
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"No submission has the id {submission_id}.")
    if submission.contact_purged_at is None:
        versioning.save(
            session=session,
            row=submission,
            expected=submission.version,
            values={"submitter_name": None, "submitter_contact": None, "contact_purged_at": utcnow()},
            noun=NOUN,
        )
        audit.record(
            session=session,
            actor=principal,
            action=AuditAction.UPDATE,
            entity_type=NOUN,
            entity_key=submission_id,
            after={"contact_purged": True},
        )
    return get_for_moderators(
        session=session, principal=principal, settings=settings, submission_id=submission_id
    )
