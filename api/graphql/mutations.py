"""The organizer's writes over GraphQL, through the same services (and permission checks) as REST.

Expected failures are GraphQL errors with `extensions.code`: NOT_FOUND, FORBIDDEN,
AUTHENTICATION_REQUIRED, VALIDATION_FAILED (with `errors`, e.g. type `a_number`),
VERSION_MISMATCH (with `current_version`), TRANSITION_NOT_ALLOWED (with `allowed`), CONFLICT.
"""

from datetime import date, datetime
from typing import Any

import strawberry

from api.graphql.context import write
from api.graphql.types import Activity, Campaign, Info
from api.services import activities, campaign_reads, campaign_status, campaigns
from schema.campaigns import ActivityCreate, CampaignCreate, CampaignUpdate, StatusChange
from schema.enums import ActivityKind, CampaignStatus, Visibility


def _sent(data: object) -> dict[str, Any]:
    """The fields the client actually sent; unsent ones stay out, so updates stay partial."""
    return {key: value for key, value in vars(data).items() if value is not strawberry.UNSET}


@strawberry.input(description="The fields of a campaign an organizer may set.")
class CampaignFieldsInput:
    visibility: Visibility | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    notes_visibility: Visibility | None = strawberry.UNSET
    lead_organization: str | None = strawberry.UNSET
    owner: str | None = strawberry.UNSET
    start_date: date | None = strawberry.UNSET
    due_date: date | None = strawberry.UNSET
    goal_count: int | None = strawberry.UNSET
    goal_unit: str | None = strawberry.UNSET
    progress_count: int | None = strawberry.UNSET


@strawberry.input(description="A new ask: one coalition asking one target for one leaf demand.")
class CreateCampaignInput(CampaignFieldsInput):
    coalition: str
    demand: str
    target: str
    status: CampaignStatus | None = strawberry.UNSET
    occurred_at: datetime | None = strawberry.UNSET


@strawberry.input(description="Fields to change; `version` is the one you read, and a stale one is refused.")
class UpdateCampaignInput(CampaignFieldsInput):
    version: int


@strawberry.input(description="A move along the transition table, appended to the campaign's history.")
class ChangeStatusInput:
    status: CampaignStatus
    note: str | None = strawberry.UNSET
    evidence_url: str | None = strawberry.UNSET
    occurred_at: datetime | None = strawberry.UNSET
    version: int | None = strawberry.field(
        default=strawberry.UNSET, description="Refuse the change if stale."
    )


@strawberry.input(description="A dated action on a campaign.")
class LogActivityInput:
    kind: ActivityKind
    occurred_on: date
    title: str
    details: str | None = strawberry.UNSET
    visibility: Visibility | None = strawberry.UNSET


def _without_nulls(fields: dict[str, Any]) -> dict[str, Any]:
    """On create, an explicit null means "the default", as leaving the field out does."""
    return {key: value for key, value in fields.items() if value is not None}


async def _campaign(info: Info, work: Any) -> Campaign:
    context = info.context

    def run(session: Any) -> Any:
        campaign_id = work(session)
        return campaign_reads.get(
            session=session,
            principal=context.principal,
            campaign_id=campaign_id,
            stale_after_days=context.settings.stale_after_days,
        )

    return Campaign.from_public(await write(context, run))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Record an ask (organizers of the coalition).")
    async def create_campaign(self, info: Info, input: CreateCampaignInput) -> Campaign:
        principal = info.context.principal

        def work(session: Any) -> int:
            data = CampaignCreate.model_validate(_without_nulls(_sent(input)))
            return int(campaigns.create(session=session, principal=principal, data=data).id or 0)

        return await _campaign(info, work)

    @strawberry.mutation(description="Edit a campaign's fields, if `version` is still current.")
    async def update_campaign(self, info: Info, id: int, input: UpdateCampaignInput) -> Campaign:
        principal = info.context.principal

        def work(session: Any) -> int:
            data = CampaignUpdate.model_validate(_sent(input))
            campaigns.update(
                session=session, principal=principal, campaign_id=id, data=data, expected=input.version
            )
            return id

        return await _campaign(info, work)

    @strawberry.mutation(description="Move a campaign to a new status; the change joins its history.")
    async def change_campaign_status(self, info: Info, id: int, input: ChangeStatusInput) -> Campaign:
        principal = info.context.principal

        def work(session: Any) -> int:
            data = StatusChange.model_validate(_sent(input))
            campaign_status.change(
                session=session, principal=principal, campaign_id=id, data=data, expected=data.version
            )
            return id

        return await _campaign(info, work)

    @strawberry.mutation(
        description="Log a meeting, letter, call... on a campaign (organizers of its coalition)."
    )
    async def log_activity(self, info: Info, campaign_id: int, input: LogActivityInput) -> Activity:
        context = info.context

        def work(session: Any) -> Any:
            data = ActivityCreate.model_validate(_without_nulls(_sent(input)))
            activity = activities.create(
                session=session, principal=context.principal, campaign_id=campaign_id, data=data
            )
            return campaign_reads.get_activity(
                session=session, principal=context.principal, activity_id=int(activity.id or 0)
            )

        return Activity.from_public(await write(context, work))
