"""DataLoaders built fresh for each request: each batch is one service call in one worker thread."""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session
from strawberry.dataloader import DataLoader

from api.services import (
    campaign_reads,
    categories,
    coalitions,
    demands,
    jurisdictions,
    organizations,
    resources,
    targets,
)
from api.services.permissions import Principal
from schema.campaigns import ActivityPublic, CampaignPublic, StatusEventPublic
from schema.enums import CampaignStatus
from schema.organizations import CoalitionPublic, OrganizationPublic
from schema.public import CategoryPublic, DemandPublic, JurisdictionPublic, ResourcePublic, TargetPublic

Key = TypeVar("Key")
Value = TypeVar("Value")
Reader = Callable[[Callable[[Session], object]], Awaitable[object]]

# A jurisdiction's campaigns are asked for with these options; each distinct set is one query.
CampaignsKey = tuple[str, bool, tuple[CampaignStatus, ...]]
# A demand's campaigns, optionally in one jurisdiction (with or without what is inside it).
DemandCampaignsKey = tuple[str, str | None, bool]


def _loader(
    read: Reader, fetch: Callable[[Session, list[Key]], Mapping[Key, Value]], missing: Value
) -> DataLoader[Key, Value]:
    async def load(keys: Sequence[Key]) -> list[Value]:
        found = await read(lambda session: fetch(session, list(keys)))
        assert isinstance(found, Mapping)
        return [found.get(key, missing) for key in keys]

    return DataLoader(load_fn=load)


@dataclass(frozen=True)
class Loaders:
    category: DataLoader[str, CategoryPublic | None]
    demand: DataLoader[str, DemandPublic | None]
    jurisdiction: DataLoader[str, JurisdictionPublic | None]
    children: DataLoader[str, list[JurisdictionPublic]]
    target: DataLoader[str, TargetPublic | None]
    targets_in: DataLoader[str, list[TargetPublic]]
    coalition: DataLoader[str, CoalitionPublic | None]
    campaign: DataLoader[int, CampaignPublic | None]
    campaigns_in: DataLoader[CampaignsKey, list[CampaignPublic]]
    campaigns_of_demand: DataLoader[DemandCampaignsKey, list[CampaignPublic]]
    organization: DataLoader[str, OrganizationPublic | None]
    resource: DataLoader[str, ResourcePublic | None]
    resources_of_demand: DataLoader[str, list[ResourcePublic]]
    events: DataLoader[int, list[StatusEventPublic]]
    activities: DataLoader[int, list[ActivityPublic]]


def build_loaders(read: Reader, principal: Principal, stale_after_days: int) -> Loaders:
    def campaigns_in(session: Session, keys: list[CampaignsKey]) -> dict[CampaignsKey, list[CampaignPublic]]:
        found: dict[CampaignsKey, list[CampaignPublic]] = {}
        for options in {(descendants, statuses) for _, descendants, statuses in keys}:
            slugs = [slug for slug, descendants, statuses in keys if (descendants, statuses) == options]
            batch = campaign_reads.get_in_jurisdictions(
                session=session,
                principal=principal,
                slugs=slugs,
                include_descendants=options[0],
                statuses=options[1],
                stale_after_days=stale_after_days,
            )
            found.update({(slug, *options): campaigns for slug, campaigns in batch.items()})
        return found

    def campaigns_of_demand(
        session: Session, keys: list[DemandCampaignsKey]
    ) -> dict[DemandCampaignsKey, list[CampaignPublic]]:
        found: dict[DemandCampaignsKey, list[CampaignPublic]] = {}
        for place, descendants in {(place, descendants) for _, place, descendants in keys}:
            slugs = [slug for slug, p, d in keys if (p, d) == (place, descendants)]
            batch = campaign_reads.get_for_demands(
                session=session,
                principal=principal,
                slugs=slugs,
                jurisdiction=place,
                include_descendants=descendants,
                stale_after_days=stale_after_days,
            )
            found.update({(slug, place, descendants): campaigns for slug, campaigns in batch.items()})
        return found

    return Loaders(
        category=_loader(read, lambda s, keys: categories.get_many(session=s, slugs=keys), None),
        demand=_loader(read, lambda s, keys: demands.get_many(session=s, slugs=keys), None),
        jurisdiction=_loader(read, lambda s, keys: jurisdictions.get_many(session=s, refs=keys), None),
        children=_loader(read, lambda s, keys: jurisdictions.get_children_of(session=s, slugs=keys), []),
        target=_loader(read, lambda s, keys: targets.get_many(session=s, slugs=keys), None),
        targets_in=_loader(read, lambda s, keys: targets.get_in_jurisdictions(session=s, slugs=keys), []),
        coalition=_loader(read, lambda s, keys: coalitions.get_many(session=s, slugs=keys), None),
        campaign=_loader(
            read,
            lambda s, keys: campaign_reads.get_many(
                session=s, principal=principal, ids=keys, stale_after_days=stale_after_days
            ),
            None,
        ),
        campaigns_in=_loader(read, campaigns_in, []),
        campaigns_of_demand=_loader(read, campaigns_of_demand, []),
        organization=_loader(read, lambda s, keys: organizations.get_many(session=s, slugs=keys), None),
        resource=_loader(read, lambda s, keys: resources.get_many(session=s, slugs=keys), None),
        resources_of_demand=_loader(
            read, lambda s, keys: resources.get_for_demands(session=s, slugs=keys), []
        ),
        events=_loader(
            read,
            lambda s, keys: campaign_reads.get_events_for(session=s, principal=principal, campaign_ids=keys),
            [],
        ),
        activities=_loader(
            read,
            lambda s, keys: campaign_reads.get_activities_for(
                session=s, principal=principal, campaign_ids=keys
            ),
            [],
        ),
    )
