"""Campaigns over REST: the asks, their status history and their activities."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.errors import Invalid
from api.rest.campaign_filters import CampaignFiltersDep
from api.rest.deps import IfMatchDep, PageDep, PrincipalDep, SessionDep, SettingsDep, expected_version
from api.rest.responses import NOT_FOUND, UPDATE, WRITE, set_etag
from api.services import activities, campaign_reads, campaign_status, campaigns
from api.services.campaign_reads import CampaignInclude
from schema.campaigns import (
    ActivityCreate,
    ActivityPublic,
    ActivityUpdate,
    CampaignCreate,
    CampaignPublic,
    CampaignUpdate,
    StatusChange,
    StatusEventPublic,
)
from schema.public import Page

router = APIRouter(tags=["campaigns"])

MAX_ID = 2**31 - 1
CampaignId = Annotated[int, Path(ge=1, le=MAX_ID, description="The campaign's id.")]
ActivityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The activity's id.")]
IncludeQuery = Annotated[
    list[str] | None,
    Query(
        description="Related records to expand into `included`, comma-separated or repeated: "
        + ", ".join(f"`{i.value}`" for i in CampaignInclude)
        + ". Costs one query per list asked for, whatever the page size.",
    ),
]


def _includes(raw: list[str] | None) -> set[CampaignInclude]:
    names = {name.strip() for value in raw or [] for name in value.split(",") if name.strip()}
    known = {i.value for i in CampaignInclude}
    unknown = sorted(names - known)
    if unknown:
        raise Invalid(
            f"Cannot include {', '.join(map(repr, unknown))}; choose from {', '.join(sorted(known))}.",
            extra={
                "errors": [{"location": ["query", "include"], "message": "unknown expansion", "type": "enum"}]
            },
        )
    return {CampaignInclude(name) for name in names}


@router.get(
    "/campaigns",
    response_model=Page[CampaignPublic],
    summary="List campaigns",
    operation_id="list_campaigns",
    responses=NOT_FOUND,
)
def list_campaigns(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    page: PageDep,
    filters: CampaignFiltersDep,
    include: IncludeQuery = None,
) -> Page[CampaignPublic]:
    """Campaigns you may see, oldest first. Anonymous readers see public campaigns only; members also see
    their coalition's private ones. The total counts only what you may see."""
    return campaign_reads.get_all(
        session=session,
        principal=principal,
        page=page,
        filters=filters,
        stale_after_days=settings.stale_after_days,
        include=_includes(include),
    )


@router.post(
    "/campaigns",
    response_model=CampaignPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Record an ask",
    operation_id="create_campaign",
    responses=WRITE,
)
def create_campaign(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    data: CampaignCreate,
    response: Response,
) -> CampaignPublic:
    """Record that a coalition asks (or will ask) a target for a leaf demand. Organizers of the coalition
    may do this. A starting status other than `not_started` becomes the first status event."""
    campaign = campaigns.create(session=session, principal=principal, data=data)
    created = campaign_reads.get(
        session=session,
        principal=principal,
        campaign_id=campaign.id,  # type: ignore[arg-type]
        stale_after_days=settings.stale_after_days,
    )
    response.headers["Location"] = f"/api/v1/campaigns/{created.id}"
    set_etag(response, created.version)
    return created


@router.get(
    "/campaigns/{campaign_id}",
    response_model=CampaignPublic,
    summary="Get a campaign",
    operation_id="get_campaign",
    responses=NOT_FOUND,
)
def get_campaign(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    campaign_id: CampaignId,
    response: Response,
    include: IncludeQuery = None,
) -> CampaignPublic:
    """One campaign, with its `ETag` for a later update. A private campaign is a 404 to outsiders."""
    found = campaign_reads.get(
        session=session,
        principal=principal,
        campaign_id=campaign_id,
        stale_after_days=settings.stale_after_days,
        include=_includes(include),
    )
    set_etag(response, found.version)
    return found


@router.patch(
    "/campaigns/{campaign_id}",
    response_model=CampaignPublic,
    summary="Edit a campaign",
    operation_id="update_campaign",
    responses=UPDATE,
)
def update_campaign(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    campaign_id: CampaignId,
    data: CampaignUpdate,
    if_match: IfMatchDep,
    response: Response,
) -> CampaignPublic:
    """Change the fields you send. Name the version you edited (If-Match or `version`): if someone else
    changed the campaign since, nothing is saved and you get 412 with the current version."""
    campaigns.update(
        session=session,
        principal=principal,
        campaign_id=campaign_id,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    updated = campaign_reads.get(
        session=session,
        principal=principal,
        campaign_id=campaign_id,
        stale_after_days=settings.stale_after_days,
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/campaigns/{campaign_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a campaign without history",
    operation_id="delete_campaign",
    responses=UPDATE,
)
def delete_campaign(
    *, session: SessionDep, principal: PrincipalDep, campaign_id: CampaignId, if_match: IfMatchDep
) -> Response:
    """Delete a campaign recorded by mistake. One with status events or activities is kept (409):
    move it to `withdrawn` instead."""
    campaigns.delete(session=session, principal=principal, campaign_id=campaign_id, expected=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/campaigns/{campaign_id}/status",
    response_model=CampaignPublic,
    summary="Change a campaign's status",
    operation_id="change_campaign_status",
    responses=UPDATE,
)
def change_campaign_status(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    campaign_id: CampaignId,
    data: StatusChange,
    if_match: IfMatchDep,
    response: Response,
) -> CampaignPublic:
    """Move the campaign to a new status and append the change (who, when, note, evidence) to its history.
    A move the transition table does not allow is a 409 naming the statuses allowed next."""
    campaign_status.change(
        session=session,
        principal=principal,
        campaign_id=campaign_id,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    updated = campaign_reads.get(
        session=session,
        principal=principal,
        campaign_id=campaign_id,
        stale_after_days=settings.stale_after_days,
        include={CampaignInclude.EVENTS},
    )
    response.headers["Location"] = f"/api/v1/campaigns/{campaign_id}/events"
    set_etag(response, updated.version)
    return updated


@router.get(
    "/campaigns/{campaign_id}/events",
    response_model=Page[StatusEventPublic],
    summary="A campaign's status history",
    operation_id="list_status_events",
    responses=NOT_FOUND,
)
def list_status_events(
    *, session: SessionDep, principal: PrincipalDep, campaign_id: CampaignId, page: PageDep
) -> Page[StatusEventPublic]:
    """Every status change in the order it happened. Notes show to the coalition, or to everyone when the
    campaign's notes are public."""
    return campaign_reads.get_events(session=session, principal=principal, campaign_id=campaign_id, page=page)


@router.get(
    "/campaigns/{campaign_id}/activities",
    response_model=Page[ActivityPublic],
    summary="A campaign's activities",
    operation_id="list_activities",
    responses=NOT_FOUND,
)
def list_activities(
    *, session: SessionDep, principal: PrincipalDep, campaign_id: CampaignId, page: PageDep
) -> Page[ActivityPublic]:
    """Activities you may see, newest first: public ones, and all of them for the coalition's members."""
    return campaign_reads.get_activities(
        session=session, principal=principal, campaign_id=campaign_id, page=page
    )


@router.post(
    "/campaigns/{campaign_id}/activities",
    response_model=ActivityPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Log an activity",
    operation_id="create_activity",
    responses=WRITE,
)
def create_activity(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    campaign_id: CampaignId,
    data: ActivityCreate,
    response: Response,
) -> ActivityPublic:
    """Log a meeting, letter, call, testimony, rally... Private to the coalition unless `visibility` is public."""
    activity = activities.create(session=session, principal=principal, campaign_id=campaign_id, data=data)
    created = campaign_reads.get_activity(session=session, principal=principal, activity_id=activity.id)  # type: ignore[arg-type]
    response.headers["Location"] = f"/api/v1/activities/{created.id}"
    set_etag(response, created.version)
    return created


@router.get(
    "/activities/{activity_id}",
    response_model=ActivityPublic,
    summary="Get an activity",
    operation_id="get_activity",
    responses=NOT_FOUND,
)
def get_activity(
    *, session: SessionDep, principal: PrincipalDep, activity_id: ActivityId, response: Response
) -> ActivityPublic:
    """One activity; a private one is a 404 outside its coalition."""
    found = campaign_reads.get_activity(session=session, principal=principal, activity_id=activity_id)
    set_etag(response, found.version)
    return found


@router.patch(
    "/activities/{activity_id}",
    response_model=ActivityPublic,
    summary="Edit an activity",
    operation_id="update_activity",
    responses=UPDATE,
)
def update_activity(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    activity_id: ActivityId,
    data: ActivityUpdate,
    if_match: IfMatchDep,
    response: Response,
) -> ActivityPublic:
    """Correct an activity; name the version you edited (If-Match or `version`)."""
    activities.update(
        session=session,
        principal=principal,
        activity_id=activity_id,
        data=data,
        expected=expected_version(if_match, data.version),
    )
    updated = campaign_reads.get_activity(session=session, principal=principal, activity_id=activity_id)
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/activities/{activity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an activity",
    operation_id="delete_activity",
    responses=UPDATE,
)
def delete_activity(
    *, session: SessionDep, principal: PrincipalDep, activity_id: ActivityId, if_match: IfMatchDep
) -> Response:
    """Remove an activity logged by mistake; the audit log keeps what it said."""
    activities.delete(session=session, principal=principal, activity_id=activity_id, expected=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
