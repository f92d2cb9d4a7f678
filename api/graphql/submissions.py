"""Proposals over GraphQL: anyone submits; the checklist coalition's moderators decide."""

from datetime import datetime
from typing import Any

import strawberry

from api.graphql.context import read, write
from api.graphql.relay import Connection, Node, from_page, global_id, page_request
from api.graphql.types import After, First, Info
from api.services import submissions
from schema.enums import SubmissionKind, SubmissionResolution, SubmissionStatus
from schema.submissions import (
    Acceptance,
    Merge,
    Rejection,
    SubmissionCreate,
    SubmissionForModerators,
    SubmissionPublic,
)

for _enum in (SubmissionKind, SubmissionResolution, SubmissionStatus):
    strawberry.enum(_enum, description=(_enum.__doc__ or "").strip())


def _public_fields(public: SubmissionPublic) -> dict[str, Any]:
    return {
        "id": global_id("Submission", public.id),
        "database_id": public.id,
        "kind": public.kind,
        "status": public.status,
        "resolution": public.resolution,
        "title": public.title,
        "body": public.body,
        "category": public.category,
        "jurisdiction": public.jurisdiction,
        "demand": public.demand,
        "links": list(public.links),
        "language": public.language,
        "moderation_note": public.moderation_note,
        "created_at": public.created_at,
        "reviewed_at": public.reviewed_at,
    }


@strawberry.type(description="A proposal as anyone sees it: never who sent it.")
class Submission(Node):
    database_id: int
    kind: SubmissionKind
    status: SubmissionStatus
    resolution: SubmissionResolution | None
    title: str
    body: str
    category: str | None
    jurisdiction: str | None
    demand: str | None = strawberry.field(description="Slug of the catalog item it concerns or became.")
    links: list[str]
    language: str
    moderation_note: str | None
    created_at: datetime
    reviewed_at: datetime | None

    @classmethod
    def from_public(cls, public: SubmissionPublic) -> "Submission":
        return cls(**_public_fields(public))


@strawberry.type(description="A proposal as its moderators see it, with the submitter's contact.")
class ModeratedSubmission(Submission):
    submitter_name: str | None
    submitter_contact: str | None
    contact_purged: bool
    claimed_by: str | None
    claimed_until: datetime | None
    moderator: str | None

    @classmethod
    def from_moderation(cls, public: SubmissionForModerators) -> "ModeratedSubmission":
        return cls(
            **_public_fields(public),
            submitter_name=public.submitter_name,
            submitter_contact=public.submitter_contact,
            contact_purged=public.contact_purged,
            claimed_by=public.claimed_by,
            claimed_until=public.claimed_until,
            moderator=public.moderator,
        )


def _sent(data: object) -> dict[str, Any]:
    return {
        key: value for key, value in vars(data).items() if value is not strawberry.UNSET and value is not None
    }


@strawberry.input(description="A proposal to the checklist; the contact reaches moderators only.")
class SubmitInput:
    kind: SubmissionKind
    title: str
    body: str
    category: str | None = strawberry.UNSET
    jurisdiction: str | None = strawberry.UNSET
    demand: str | None = strawberry.UNSET
    links: list[str] | None = strawberry.UNSET
    language: str | None = strawberry.UNSET
    submitter_name: str | None = strawberry.UNSET
    submitter_contact: str | None = strawberry.UNSET


@strawberry.input(description="How a moderator folds a proposal into the catalog (English texts).")
class AcceptInput:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    parent: str | None = strawberry.UNSET
    demand: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    note: str | None = strawberry.UNSET


@strawberry.type
class SubmissionQuery:
    @strawberry.field(description="A proposal's text and fate.")
    async def submission(self, info: Info, id: int) -> Submission:
        found = await read(info.context, lambda s: submissions.get(session=s, submission_id=id))
        return Submission.from_public(found)

    @strawberry.field(
        description="The moderation queue, oldest first (moderators of the checklist coalition)."
    )
    async def moderation_queue(
        self,
        info: Info,
        *,
        status: SubmissionStatus = SubmissionStatus.PENDING,
        kind: SubmissionKind | None = None,
        first: First = None,
        after: After = None,
    ) -> Connection[ModeratedSubmission]:
        context = info.context
        page = page_request(settings=context.settings, first=first, after=after)
        found = await read(
            context,
            lambda s: submissions.get_queue(
                session=s,
                principal=context.principal,
                settings=context.settings,
                page=page,
                status=status,
                kind=kind,
            ),
        )
        return from_page(found, ModeratedSubmission.from_moderation)


@strawberry.type
class SubmissionMutation:
    @strawberry.mutation(
        description="Propose a demand, strategy, example, resource or correction; no account needed."
    )
    async def submit_proposal(self, info: Info, input: SubmitInput) -> Submission:
        context = info.context
        request = getattr(context, "request", None)
        address = request.client.host if request is not None and request.client else "unknown"
        data = _sent(input)
        created = await write(
            context,
            lambda s: submissions.create(
                session=s,
                data=SubmissionCreate.model_validate(data),
                client_address=address,
                settings=context.settings,
            ),
        )
        return Submission.from_public(created)

    @strawberry.mutation(description="Work on a proposal for a while so no other moderator does.")
    async def claim_submission(self, info: Info, id: int) -> ModeratedSubmission:
        context = info.context
        found = await write(
            context,
            lambda s: submissions.claim(
                session=s, principal=context.principal, settings=context.settings, submission_id=id
            ),
        )
        return ModeratedSubmission.from_moderation(found)

    @strawberry.mutation(description="Fold a proposal into the catalog, with provenance back to it.")
    async def accept_submission(self, info: Info, id: int, input: AcceptInput) -> ModeratedSubmission:
        context = info.context
        data = _sent(input)
        found = await write(
            context,
            lambda s: submissions.accept(
                session=s,
                principal=context.principal,
                settings=context.settings,
                submission_id=id,
                data=Acceptance.model_validate(data),
            ),
        )
        return ModeratedSubmission.from_moderation(found)

    @strawberry.mutation(description="Turn a proposal down with a written reason.")
    async def reject_submission(self, info: Info, id: int, reason: str) -> ModeratedSubmission:
        context = info.context
        found = await write(
            context,
            lambda s: submissions.reject(
                session=s,
                principal=context.principal,
                settings=context.settings,
                submission_id=id,
                data=Rejection.model_validate({"reason": reason}),
            ),
        )
        return ModeratedSubmission.from_moderation(found)

    @strawberry.mutation(description="Record a proposal as a duplicate of an existing item.")
    async def merge_submission(
        self, info: Info, id: int, demand: str, note: str | None = None
    ) -> ModeratedSubmission:
        context = info.context
        found = await write(
            context,
            lambda s: submissions.merge(
                session=s,
                principal=context.principal,
                settings=context.settings,
                submission_id=id,
                data=Merge.model_validate({"demand": demand, "note": note}),
            ),
        )
        return ModeratedSubmission.from_moderation(found)
