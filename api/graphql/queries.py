"""Read entry points: every list a connection with the same filters as REST, every object a node."""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import strawberry
from sqlmodel import Session

from api.errors import NotFound
from api.graphql.context import read
from api.graphql.errors import bad_input
from api.graphql.relay import Connection, Node, from_page, page_request, parse_global_id
from api.graphql.types import (
    Activity,
    After,
    Campaign,
    Category,
    Coalition,
    Demand,
    Example,
    First,
    Info,
    Jurisdiction,
    Lang,
    Organization,
    Resource,
    Target,
)
from api.services import (
    campaign_reads,
    categories,
    coalitions,
    demands,
    examples,
    jurisdictions,
    organizations,
    resources,
    targets,
    translations,
)
from api.services.campaign_reads import CampaignFilters
from schema.enums import CampaignStatus, JurisdictionKind, ResourceKind, TranslatedEntity
from schema.public import CategoryPublic, DemandPublic, Page, ResourcePublic

MAX_ID = 2**31 - 1
Found = TypeVar("Found")


def _maybe(fetch: Callable[[], Found]) -> Found | None:
    """None for what does not exist (or is not the caller's to see), as `node(id:)` answers."""
    try:
        return fetch()
    except NotFound:
        return None


async def _node(info: Info, type_name: str, key: str) -> Node | None:
    """Fetch any object by global id through the same loaders (and so the same visibility) as everywhere."""
    loaders = info.context.loaders
    if type_name == "Campaign":
        if not key.isdigit() or int(key) > MAX_ID:
            return None
        campaign = await loaders.campaign.load(int(key))
        return Campaign.from_public(campaign) if campaign else None
    lookups = {
        "Category": (loaders.category, Category.from_public),
        "Demand": (loaders.demand, Demand.from_public),
        "Jurisdiction": (loaders.jurisdiction, Jurisdiction.from_public),
        "Target": (loaders.target, Target.from_public),
        "Coalition": (loaders.coalition, Coalition.from_public),
        "Organization": (loaders.organization, Organization.from_public),
        "Resource": (loaders.resource, Resource.from_public),
    }
    if type_name == "Example":
        example = await read(info.context, lambda s: _maybe(lambda: examples.get(session=s, slug=key)))
        return Example.from_public(example) if example else None
    if type_name == "Activity" and key.isdigit() and int(key) <= MAX_ID:
        principal = info.context.principal
        activity = await read(
            info.context,
            lambda s: _maybe(
                lambda: campaign_reads.get_activity(session=s, principal=principal, activity_id=int(key))
            ),
        )
        return Activity.from_public(activity) if activity else None
    if type_name not in lookups:
        return None
    loader, convert = lookups[type_name]
    found = await loader.load(key)
    return convert(found) if found else None  # type: ignore[operator]


@strawberry.type
class Query:
    @strawberry.field(
        description="Any object by its global `id`; null if it does not exist or is not yours to see."
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        type_name, key = parse_global_id(id)
        return await _node(info, type_name, key)

    @strawberry.field(description="Target categories in checklist order.")
    async def categories(
        self, info: Info, first: First = None, after: After = None, lang: Lang = None
    ) -> Connection[Category]:
        page = page_request(settings=info.context.settings, first=first, after=after)

        def work(s: Session) -> Page[CategoryPublic]:
            return translations.localize_page(
                session=s,
                page=categories.get_all(session=s, page=page),
                entity=TranslatedEntity.CATEGORY,
                language=translations.negotiate(session=s, lang=lang, accept_language=None),
            )

        return from_page(await read(info.context, work), Category.from_public)

    @strawberry.field(description="The checklist in the brief's order: each group, then its items.")
    async def demands(
        self,
        info: Info,
        *,
        category: str | None = None,
        group: str | None = None,
        q: str | None = None,
        include_retired: bool = False,
        lang: Lang = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Demand]:
        page = page_request(settings=info.context.settings, first=first, after=after)

        def work(s: Session) -> Page[DemandPublic]:
            found = demands.get_all(
                session=s,
                page=page,
                category=category,
                group=group,
                search=q,
                include_retired=include_retired,
            )
            language = translations.negotiate(session=s, lang=lang, accept_language=None)
            return translations.localize_demand_page(session=s, page=found, language=language)

        return from_page(await read(info.context, work), Demand.from_public)

    @strawberry.field(description="One demand by slug, in the language asked for.")
    async def demand(self, info: Info, slug: str, lang: Lang = None) -> Demand | None:
        if lang is None:
            found = await info.context.loaders.demand.load(slug)
            return Demand.from_public(found) if found else None

        def work(s: Session) -> DemandPublic:
            language = translations.negotiate(session=s, lang=lang, accept_language=None)
            (localized,) = translations.localize_demands(
                session=s, items=[demands.get_by_slug(session=s, slug=slug)], language=language
            )
            return localized

        return Demand.from_public(await read(info.context, work))

    @strawberry.field(description="Jurisdictions by name, filtered by kind, direct parent or name.")
    async def jurisdictions(
        self,
        info: Info,
        *,
        kind: JurisdictionKind | None = None,
        parent: str | None = None,
        q: str | None = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Jurisdiction]:
        page = page_request(settings=info.context.settings, first=first, after=after)
        found = await read(
            info.context,
            lambda s: jurisdictions.get_all(session=s, page=page, kind=kind, parent=parent, search=q),
        )
        return from_page(found, Jurisdiction.from_public)

    @strawberry.field(description="One jurisdiction by slug, numeric id or OCD division ID.")
    async def jurisdiction(self, info: Info, ref: str) -> Jurisdiction:
        found = await read(info.context, lambda s: jurisdictions.get(session=s, ref=ref))
        return Jurisdiction.from_public(found)

    @strawberry.field(description="Targets by name, filtered like REST.")
    async def targets(
        self,
        info: Info,
        *,
        category: str | None = None,
        jurisdiction: str | None = None,
        include_descendants: bool = False,
        q: str | None = None,
        updated_since: datetime | None = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Target]:
        page = page_request(settings=info.context.settings, first=first, after=after)
        found = await read(
            info.context,
            lambda s: targets.get_all(
                session=s,
                page=page,
                category=category,
                jurisdiction=jurisdiction,
                include_descendants=include_descendants,
                search=q,
                updated_since=updated_since,
            ),
        )
        return from_page(found, Target.from_public)

    @strawberry.field(description="One target by slug.")
    async def target(self, info: Info, slug: str) -> Target | None:
        found = await info.context.loaders.target.load(slug)
        return Target.from_public(found) if found else None

    @strawberry.field(description="Coalitions by name.")
    async def coalitions(
        self, info: Info, q: str | None = None, first: First = None, after: After = None
    ) -> Connection[Coalition]:
        page = page_request(settings=info.context.settings, first=first, after=after)
        found = await read(info.context, lambda s: coalitions.get_all(session=s, page=page, search=q))
        return from_page(found, Coalition.from_public)

    @strawberry.field(description="One coalition by slug.")
    async def coalition(self, info: Info, slug: str) -> Coalition | None:
        found = await info.context.loaders.coalition.load(slug)
        return Coalition.from_public(found) if found else None

    @strawberry.field(description="Organizations by name.")
    async def organizations(
        self, info: Info, *, q: str | None = None, first: First = None, after: After = None
    ) -> Connection[Organization]:
        page = page_request(settings=info.context.settings, first=first, after=after)
        found = await read(info.context, lambda s: organizations.get_all(session=s, page=page, search=q))
        return from_page(found, Organization.from_public)

    @strawberry.field(description="Resources by title, filtered like REST.")
    async def resources(
        self,
        info: Info,
        *,
        kind: ResourceKind | None = None,
        language: str | None = None,
        demand: str | None = None,
        jurisdiction: str | None = None,
        q: str | None = None,
        lang: Lang = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Resource]:
        page = page_request(settings=info.context.settings, first=first, after=after)

        def work(s: Session) -> Page[ResourcePublic]:
            found = resources.get_all(
                session=s,
                page=page,
                kind=kind,
                language=language,
                demand=demand,
                jurisdiction=jurisdiction,
                search=q,
            )
            served = translations.negotiate(session=s, lang=lang, accept_language=None)
            return translations.localize_page(
                session=s, page=found, entity=TranslatedEntity.RESOURCE, language=served
            )

        return from_page(await read(info.context, work), Resource.from_public)

    @strawberry.field(description="Campaigns you may see, oldest first, with the filters of REST.")
    async def campaigns(
        self,
        info: Info,
        *,
        coalition: str | None = None,
        demand: str | None = None,
        target: str | None = None,
        category: str | None = None,
        jurisdiction: str | None = None,
        include_descendants: bool = False,
        status: list[CampaignStatus] | None = None,
        stale: bool | None = None,
        updated_since: datetime | None = None,
        q: str | None = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Campaign]:
        context = info.context
        page = page_request(settings=context.settings, first=first, after=after)
        if updated_since is not None and updated_since.tzinfo is None:
            raise bad_input("`updatedSince` needs a time zone, such as 2026-01-31T00:00:00Z.")
        filters = CampaignFilters(
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
        found = await read(
            context,
            lambda s: campaign_reads.get_all(
                session=s,
                principal=context.principal,
                page=page,
                filters=filters,
                stale_after_days=context.settings.stale_after_days,
            ),
        )
        return from_page(found, Campaign.from_public)

    @strawberry.field(
        description="One campaign by its REST id; null if it does not exist or is not yours to see."
    )
    async def campaign(self, info: Info, id: int) -> Campaign | None:
        if not 1 <= id <= MAX_ID:
            return None
        found = await info.context.loaders.campaign.load(id)
        return Campaign.from_public(found) if found else None
