"""The campaign list's filters as one dependency, shared by the JSON list and the CSV export."""

from typing import Annotated

from fastapi import Depends, Query
from pydantic import AwareDatetime

from api.services.campaign_reads import CampaignFilters
from schema.enums import CampaignStatus


def campaign_filters(
    *,
    coalition: Annotated[str | None, Query(max_length=120, description="Coalition slug.")] = None,
    demand: Annotated[
        str | None, Query(max_length=120, description="Demand slug; a group means its items.")
    ] = None,
    target: Annotated[str | None, Query(max_length=120, description="Target slug.")] = None,
    category: Annotated[str | None, Query(max_length=120, description="Target category slug.")] = None,
    jurisdiction: Annotated[
        str | None, Query(max_length=300, description="Jurisdiction of the target: slug, id or OCD ID.")
    ] = None,
    include_descendants: Annotated[
        bool, Query(description="With `jurisdiction`: also every jurisdiction inside it.")
    ] = False,
    status: Annotated[
        list[CampaignStatus] | None, Query(description="One or more statuses (repeat).")
    ] = None,
    stale: Annotated[
        bool | None,
        Query(description="Only stale (true) or only not stale (false) campaigns; see `is_stale`."),
    ] = None,
    updated_since: Annotated[
        AwareDatetime | None, Query(description="Changed at or after this moment (with a time zone).")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words in the target, coalition, demand or summary.")
    ] = None,
) -> CampaignFilters:
    return CampaignFilters(
        coalition=coalition,
        demand=demand,
        target=target,
        category=category,
        jurisdiction=jurisdiction,
        include_descendants=include_descendants,
        statuses=status or (),
        stale=stale,
        updated_since=updated_since,
        search=q,
    )


CampaignFiltersDep = Annotated[CampaignFilters, Depends(campaign_filters)]
