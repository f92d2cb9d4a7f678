"""Proposals to the checklist over REST: anyone submits; the checklist coalition's moderators decide."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from api.rest.deps import PageDep, PrincipalDep, SessionDep, SettingsDep
from api.rest.responses import NOT_FOUND, WRITE, problems
from api.services import submissions
from schema.enums import SubmissionKind, SubmissionStatus
from schema.public import Page
from schema.submissions import (
    Acceptance,
    Merge,
    Rejection,
    SubmissionCreate,
    SubmissionForModerators,
    SubmissionPublic,
)

router = APIRouter(tags=["submissions"])

SubmissionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The submission's id.")]
SUBMIT_ERRORS = {
    **problems(s409="The same proposal was already received", s429="Too many proposals from this address"),
    **NOT_FOUND,
}


@router.post(
    "/submissions",
    response_model=SubmissionPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Propose a demand, strategy, example, resource or correction",
    operation_id="create_submission",
    responses=SUBMIT_ERRORS,
)
def create_submission(
    session: SessionDep, settings: SettingsDep, data: SubmissionCreate, request: Request, response: Response
) -> SubmissionPublic:
    """Anyone may propose, no account needed. Your name and contact reach the moderators only and can be
    erased on request; the proposal itself becomes public. A few proposals per hour per address."""
    created = submissions.create(
        session=session,
        data=data,
        client_address=request.client.host if request.client else "unknown",
        settings=settings,
    )
    response.headers["Location"] = f"/api/v1/submissions/{created.id}"
    return created


@router.get(
    "/submissions/{submission_id}",
    response_model=SubmissionPublic,
    summary="Follow a proposal",
    operation_id="get_submission",
    responses=NOT_FOUND,
)
def get_submission(session: SessionDep, submission_id: SubmissionId) -> SubmissionPublic:
    """A proposal's text and fate (pending, accepted as a new or amended item, merged, or rejected with the
    reason); never who sent it."""
    return submissions.get(session=session, submission_id=submission_id)


@router.get(
    "/moderation/submissions",
    response_model=Page[SubmissionForModerators],
    summary="The moderation queue",
    operation_id="list_moderation_queue",
    responses=WRITE,
)
def list_moderation_queue(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    page: PageDep,
    status_: Annotated[SubmissionStatus, Query(alias="status", description="Which proposals.")] = (
        SubmissionStatus.PENDING
    ),
    kind: Annotated[SubmissionKind | None, Query(description="Only this kind.")] = None,
    language: Annotated[
        str | None, Query(max_length=16, description="Only proposals in this language.")
    ] = None,
    category: Annotated[str | None, Query(max_length=120, description="Only this proposed category.")] = None,
) -> Page[SubmissionForModerators]:
    """Proposals oldest first, with the submitter's contact and who is working on each (moderators of the
    checklist coalition)."""
    return submissions.get_queue(
        session=session,
        principal=principal,
        settings=settings,
        page=page,
        status=status_,
        kind=kind,
        language=language,
        category=category,
    )


@router.post(
    "/moderation/submissions/{submission_id}/claim",
    response_model=SubmissionForModerators,
    summary="Claim a proposal",
    operation_id="claim_submission",
    responses=WRITE,
)
def claim_submission(
    session: SessionDep, principal: PrincipalDep, settings: SettingsDep, submission_id: SubmissionId
) -> SubmissionForModerators:
    """Work on a proposal for a while (`DEMANDS_CLAIM_MINUTES`) so no other moderator does; the claim lapses
    on its own."""
    return submissions.claim(
        session=session, principal=principal, settings=settings, submission_id=submission_id
    )


@router.post(
    "/moderation/submissions/{submission_id}/accept",
    response_model=SubmissionForModerators,
    summary="Accept a proposal into the catalog",
    operation_id="accept_submission",
    responses=WRITE,
)
def accept_submission(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    submission_id: SubmissionId,
    data: Acceptance,
) -> SubmissionForModerators:
    """Create the new demand, example or resource, or amend the item corrected, with provenance back to the
    proposal. A proposal in another language needs the English `title`; its own text becomes the translation."""
    return submissions.accept(
        session=session, principal=principal, settings=settings, submission_id=submission_id, data=data
    )


@router.post(
    "/moderation/submissions/{submission_id}/reject",
    response_model=SubmissionForModerators,
    summary="Reject a proposal, saying why",
    operation_id="reject_submission",
    responses=WRITE,
)
def reject_submission(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    submission_id: SubmissionId,
    data: Rejection,
) -> SubmissionForModerators:
    """Turn a proposal down with a written reason the submitter can read; it is kept, never deleted."""
    return submissions.reject(
        session=session, principal=principal, settings=settings, submission_id=submission_id, data=data
    )


@router.post(
    "/moderation/submissions/{submission_id}/merge",
    response_model=SubmissionForModerators,
    summary="Merge a proposal into an existing item",
    operation_id="merge_submission",
    responses=WRITE,
)
def merge_submission(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    submission_id: SubmissionId,
    data: Merge,
) -> SubmissionForModerators:
    """Record the proposal as a duplicate of an item the checklist already has."""
    return submissions.merge(
        session=session, principal=principal, settings=settings, submission_id=submission_id, data=data
    )


@router.post(
    "/moderation/submissions/{submission_id}/purge-contact",
    response_model=SubmissionForModerators,
    summary="Erase the submitter's name and contact",
    operation_id="purge_submission_contact",
    responses=WRITE,
)
def purge_submission_contact(
    session: SessionDep, principal: PrincipalDep, settings: SettingsDep, submission_id: SubmissionId
) -> SubmissionForModerators:
    """Erase who sent a proposal, for good; the proposal itself stays."""
    return submissions.purge_contact(
        session=session, principal=principal, settings=settings, submission_id=submission_id
    )
