"""Live status changes for front-ends, filtered per subscriber and checked against their visibility."""

from collections.abc import AsyncGenerator
from datetime import datetime
from functools import partial

import strawberry
from sqlalchemy import select
from sqlmodel import Session

from api.graphql.context import read
from api.graphql.errors import bad_input
from api.graphql.types import Campaign, Info
from api.services import campaign_reads, jurisdictions
from api.services.lookups import id_by_slug
from api.services.permissions import Principal
from api.settings import Settings
from schema import Coalition
from schema.campaigns import CampaignPublic
from schema.enums import CampaignStatus


@strawberry.type(description="A campaign moved to a new status.")
class CampaignStatusChange:
    campaign: Campaign
    from_status: CampaignStatus | None
    to_status: CampaignStatus
    occurred_at: datetime


def _places_under(session: Session, ref: str) -> set[int]:
    root = jurisdictions.resolve_id(session=session, ref=ref)
    return set(session.execute(select(jurisdictions.descendant_ids_statement(root).subquery())).scalars())


def _visible(
    session: Session, *, principal: Principal, settings: Settings, campaign_id: int
) -> dict[int, CampaignPublic]:
    return campaign_reads.get_many(
        session=session, principal=principal, ids=[campaign_id], stale_after_days=settings.stale_after_days
    )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Status changes of the campaigns you may see, as they are recorded; optionally only in a "
        "jurisdiction (and everything inside it), of a coalition, or of a target category."
    )
    async def campaign_status_changed(
        self,
        info: Info,
        jurisdiction: str | None = None,
        coalition: str | None = None,
        category: str | None = None,
    ) -> AsyncGenerator[CampaignStatusChange, None]:
        context = info.context
        hub = context.event_hub
        if hub is None:
            raise bad_input("Live updates are not running on this server.")
        places = await read(context, lambda s: _places_under(s, jurisdiction)) if jurisdiction else None
        coalition_id = (
            await read(
                context, lambda s: id_by_slug(session=s, model=Coalition, slug=coalition, noun="coalition")
            )
            if coalition
            else None
        )
        async with hub.subscribe() as changes:
            async for change in changes:
                if places is not None and change.jurisdiction_id not in places:
                    continue
                if coalition_id is not None and change.coalition_id != coalition_id:
                    continue
                # Reload through the services with the subscriber's own rights: private campaigns stay private.
                found = await read(
                    context,
                    partial(
                        _visible,
                        principal=context.principal,
                        settings=context.settings,
                        campaign_id=change.campaign_id,
                    ),
                )
                campaign = found.get(change.campaign_id)
                if campaign is None or (category is not None and campaign.category != category):
                    continue
                yield CampaignStatusChange(
                    campaign=Campaign.from_public(campaign),
                    from_status=CampaignStatus(change.from_status) if change.from_status else None,
                    to_status=CampaignStatus(change.to_status),
                    occurred_at=datetime.fromisoformat(change.occurred_at),
                )
