"""Hand-written GraphQL types over the services' public shapes; relations resolve through DataLoaders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from api.graphql.context import Context
from api.graphql.relay import Connection, Node, from_list, global_id, page_request
from schema.campaigns import ActivityPublic, CampaignPublic, StatusEventPublic
from schema.enums import (
    ActivityKind,
    CampaignStatus,
    DemandProvenance,
    ExampleKind,
    JurisdictionKind,
    OrganizationKind,
    ResourceKind,
    Visibility,
)
from schema.organizations import CoalitionPublic, OrganizationPublic
from schema.public import (
    CategoryPublic,
    DemandPublic,
    ExamplePublic,
    JurisdictionPublic,
    ResourcePublic,
    TargetPublic,
)

Info = strawberry.Info[Context, None]
Lang = Annotated[
    str | None,
    strawberry.argument(
        description="Language of the texts (`es`, `ko`...); English where there is no translation."
    ),
]

# The domain's own enums, registered as GraphQL enums (values in UPPER_CASE, like NOT_STARTED).
for _enum in (
    CampaignStatus,
    Visibility,
    JurisdictionKind,
    ActivityKind,
    ExampleKind,
    DemandProvenance,
    OrganizationKind,
    ResourceKind,
):
    strawberry.enum(_enum, description=(_enum.__doc__ or "").strip())

First = Annotated[int | None, strawberry.argument(description="Page size (default 100, at most 500).")]
After = Annotated[str | None, strawberry.argument(description="The `endCursor` of the previous page.")]


@strawberry.type(description="A kind of target: elected officials, business, labor...")
class Category(Node):
    slug: str
    name: str
    description: str | None
    position: int
    demand_count: int = strawberry.field(description="Leaf demands: the ones campaigns attach to.")
    language: str = strawberry.field(
        description="The language of the texts served (English if untranslated)."
    )

    @classmethod
    def from_public(cls, public: CategoryPublic) -> Category:
        return cls(
            id=global_id("Category", public.slug),
            language=public.language,
            slug=public.slug,
            name=public.name,
            description=public.description,
            position=public.position,
            demand_count=public.demand_count,
        )


@strawberry.type(description="A real instance showing a demand is winnable.")
class Example(Node):
    slug: str
    title: str
    kind: ExampleKind
    description: str | None
    url: str | None
    language: str
    jurisdiction_slug: strawberry.Private[str | None]

    @classmethod
    def from_public(cls, public: ExamplePublic) -> Example:
        return cls(
            id=global_id("Example", public.slug),
            language=public.language,
            slug=public.slug,
            title=public.title,
            kind=public.kind,
            description=public.description,
            url=public.url,
            jurisdiction_slug=public.jurisdiction,
        )

    @strawberry.field
    async def jurisdiction(self, info: Info) -> Jurisdiction | None:
        return await _jurisdiction(info, self.jurisdiction_slug)


@strawberry.type(description="A checklist item; a group holds items, and campaigns attach to leaves.")
class Demand(Node):
    slug: str
    title: str
    description: str | None
    position: int
    provenance: DemandProvenance
    is_group: bool
    examples: list[Example]
    language: str = strawberry.field(
        description="The language of the texts served (English if untranslated)."
    )
    retired_at: datetime | None = strawberry.field(description="Retired items stay for history only.")
    category_slug: strawberry.Private[str]
    parent_slug: strawberry.Private[str | None]
    children_slugs: strawberry.Private[list[str]]

    @classmethod
    def from_public(cls, public: DemandPublic) -> Demand:
        return cls(
            id=global_id("Demand", public.slug),
            language=public.language,
            retired_at=public.retired_at,
            slug=public.slug,
            title=public.title,
            description=public.description,
            position=public.position,
            provenance=public.provenance,
            is_group=public.is_group,
            examples=[Example.from_public(example) for example in public.examples],
            category_slug=public.category,
            parent_slug=public.parent,
            children_slugs=public.children,
        )

    @strawberry.field
    async def category(self, info: Info) -> Category:
        found = await info.context.loaders.category.load(self.category_slug)
        return Category.from_public(found)

    @strawberry.field(description="The group this item belongs to.")
    async def parent(self, info: Info) -> Demand | None:
        if self.parent_slug is None:
            return None
        found = await info.context.loaders.demand.load(self.parent_slug)
        return Demand.from_public(found) if found else None

    @strawberry.field(description="A group's items, in checklist order.")
    async def children(self, info: Info) -> list[Demand]:
        found = await info.context.loaders.demand.load_many(self.children_slugs)
        return [Demand.from_public(demand) for demand in found if demand is not None]

    @strawberry.field(description="Toolkits, memos, laws and hotlines that help make this demand.")
    async def resources(self, info: Info) -> list[Resource]:
        found = await info.context.loaders.resources_of_demand.load(self.slug)
        return [Resource.from_public(resource) for resource in found]

    @strawberry.field(description="Campaigns you may see for this demand, optionally in one jurisdiction.")
    async def campaigns(
        self,
        info: Info,
        *,
        jurisdiction: str | None = None,
        include_descendants: bool = False,
        first: First = None,
        after: After = None,
    ) -> Connection[Campaign]:
        page = page_request(settings=info.context.settings, first=first, after=after)
        found = await info.context.loaders.campaigns_of_demand.load(
            (self.slug, jurisdiction, include_descendants)
        )
        return from_list(found, page, Campaign.from_public)


@strawberry.type(description="A place where asks are made, from nation down to district.")
class Jurisdiction(Node):
    slug: str
    name: str
    kind: JurisdictionKind
    ocd_id: str | None = strawberry.field(description="Open Civic Data division ID.")
    fips: str | None
    iso_code: str | None
    parent_slug: strawberry.Private[str | None]

    @classmethod
    def from_public(cls, public: JurisdictionPublic) -> Jurisdiction:
        return cls(
            id=global_id("Jurisdiction", public.slug),
            slug=public.slug,
            name=public.name,
            kind=public.kind,
            ocd_id=public.ocd_id,
            fips=public.fips,
            iso_code=public.iso_code,
            parent_slug=public.parent,
        )

    @strawberry.field
    async def parent(self, info: Info) -> Jurisdiction | None:
        return await _jurisdiction(info, self.parent_slug)

    @strawberry.field(description="The jurisdictions directly inside this one, by name.")
    async def children(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Jurisdiction]:
        page = page_request(settings=info.context.settings, first=first, after=after)
        found = await info.context.loaders.children.load(self.slug)
        return from_list(found, page, Jurisdiction.from_public)

    @strawberry.field(description="The bodies asked in this jurisdiction, by name.")
    async def targets(self, info: Info, first: First = None, after: After = None) -> Connection[Target]:
        page = page_request(settings=info.context.settings, first=first, after=after)
        found = await info.context.loaders.targets_in.load(self.slug)
        return from_list(found, page, Target.from_public)

    @strawberry.field(
        description="Campaigns you may see whose target is here (or, with includeDescendants, inside)."
    )
    async def campaigns(
        self,
        info: Info,
        *,
        include_descendants: bool = False,
        status: list[CampaignStatus] | None = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Campaign]:
        page = page_request(settings=info.context.settings, first=first, after=after)
        key = (self.slug, include_descendants, tuple(sorted(set(status or []))))
        found = await info.context.loaders.campaigns_in.load(key)
        return from_list(found, page, Campaign.from_public)


@strawberry.type(description="A concrete body asked: a council, a consulate, an attorney general.")
class Target(Node):
    slug: str
    name: str
    description: str | None
    website: str | None
    category_slug: strawberry.Private[str]
    jurisdiction_slug: strawberry.Private[str]

    @classmethod
    def from_public(cls, public: TargetPublic) -> Target:
        return cls(
            id=global_id("Target", public.slug),
            slug=public.slug,
            name=public.name,
            description=public.description,
            website=public.website,
            category_slug=public.category,
            jurisdiction_slug=public.jurisdiction,
        )

    @strawberry.field
    async def category(self, info: Info) -> Category:
        found = await info.context.loaders.category.load(self.category_slug)
        return Category.from_public(found)

    @strawberry.field
    async def jurisdiction(self, info: Info) -> Jurisdiction:
        found = await info.context.loaders.jurisdiction.load(self.jurisdiction_slug)
        return Jurisdiction.from_public(found)


@strawberry.type(description="Organizations making demands together.")
class Coalition(Node):
    slug: str
    name: str
    description: str | None
    website: str | None
    organization_slugs: strawberry.Private[list[str]]
    focus_slugs: strawberry.Private[list[str]]

    @classmethod
    def from_public(cls, public: CoalitionPublic) -> Coalition:
        return cls(
            id=global_id("Coalition", public.slug),
            slug=public.slug,
            name=public.name,
            description=public.description,
            website=public.website,
            organization_slugs=list(public.organizations),
            focus_slugs=list(public.focus),
        )

    @strawberry.field(description="The member organizations.")
    async def organizations(self, info: Info) -> list[Organization]:
        found = await info.context.loaders.organization.load_many(self.organization_slugs)
        return [Organization.from_public(organization) for organization in found if organization is not None]

    @strawberry.field(description="The jurisdictions the coalition concentrates on.")
    async def focus(self, info: Info) -> list[Jurisdiction]:
        found = await info.context.loaders.jurisdiction.load_many(self.focus_slugs)
        return [Jurisdiction.from_public(place) for place in found if place is not None]


@strawberry.type(description="A worker center, legal-services group, union or other member organization.")
class Organization(Node):
    slug: str
    name: str
    kind: OrganizationKind
    description: str | None
    website: str | None
    jurisdiction_slug: strawberry.Private[str | None]

    @classmethod
    def from_public(cls, public: OrganizationPublic) -> Organization:
        return cls(
            id=global_id("Organization", public.slug),
            slug=public.slug,
            name=public.name,
            kind=public.kind,
            description=public.description,
            website=public.website,
            jurisdiction_slug=public.jurisdiction,
        )

    @strawberry.field(description="Where the organization is based.")
    async def jurisdiction(self, info: Info) -> Jurisdiction | None:
        return await _jurisdiction(info, self.jurisdiction_slug)


@strawberry.type(
    description="A toolkit, flyer, memo, webinar, law or hotline, in the languages it exists in."
)
class Resource(Node):
    slug: str
    title: str
    kind: ResourceKind
    description: str | None
    url: str | None
    phone: str | None = strawberry.field(
        description="An organization's public hotline; never a person's number."
    )
    languages: list[str] = strawberry.field(description="BCP 47 language codes.")
    language: str = strawberry.field(
        description="The language of the title served (English if untranslated)."
    )
    organization_slug: strawberry.Private[str | None]
    jurisdiction_slugs: strawberry.Private[list[str]]

    @classmethod
    def from_public(cls, public: ResourcePublic) -> Resource:
        return cls(
            id=global_id("Resource", public.slug),
            language=public.language,
            slug=public.slug,
            title=public.title,
            kind=public.kind,
            description=public.description,
            url=public.url,
            phone=public.phone,
            languages=list(public.languages),
            organization_slug=public.organization,
            jurisdiction_slugs=list(public.jurisdictions),
        )

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        if self.organization_slug is None:
            return None
        found = await info.context.loaders.organization.load(self.organization_slug)
        return Organization.from_public(found) if found else None

    @strawberry.field(description="The jurisdictions it serves.")
    async def jurisdictions(self, info: Info) -> list[Jurisdiction]:
        found = await info.context.loaders.jurisdiction.load_many(self.jurisdiction_slugs)
        return [Jurisdiction.from_public(place) for place in found if place is not None]


@strawberry.type(description="One entry of a campaign's status history.")
class StatusEvent(Node):
    from_status: CampaignStatus | None
    to_status: CampaignStatus
    occurred_at: datetime
    recorded_at: datetime
    actor: str | None = strawberry.field(description="Username of who recorded it.")
    note: str | None = strawberry.field(
        description="Shown to the coalition, or to all when its notes are public."
    )
    evidence_url: str | None

    @classmethod
    def from_public(cls, public: StatusEventPublic) -> StatusEvent:
        return cls(
            id=global_id("StatusEvent", public.id),
            from_status=public.from_status,
            to_status=public.to_status,
            occurred_at=public.occurred_at,
            recorded_at=public.recorded_at,
            actor=public.actor,
            note=public.note,
            evidence_url=public.evidence_url,
        )


@strawberry.type(description="A dated action on a campaign.")
class Activity(Node):
    database_id: int
    kind: ActivityKind
    occurred_on: date
    title: str
    details: str | None
    visibility: Visibility
    created_by: str | None
    version: int

    @classmethod
    def from_public(cls, public: ActivityPublic) -> Activity:
        return cls(
            id=global_id("Activity", public.id),
            database_id=public.id,
            kind=public.kind,
            occurred_on=public.occurred_on,
            title=public.title,
            details=public.details,
            visibility=public.visibility,
            created_by=public.created_by,
            version=public.version,
        )


@strawberry.type(description="One ask: a coalition asking one target for one leaf demand.")
class Campaign(Node):
    database_id: int = strawberry.field(description="The id REST uses (`/api/v1/campaigns/{id}`).")
    status: CampaignStatus
    visibility: Visibility
    summary: str | None
    notes: str | None = strawberry.field(description="Null unless you may read the coalition's notes.")
    notes_visibility: Visibility
    start_date: date | None
    due_date: date | None
    closed_date: date | None
    goal_count: int | None
    goal_unit: str | None
    progress_count: int
    is_stale: bool
    last_activity_at: datetime | None
    version: int = strawberry.field(description="Send it back to update: a stale one is refused.")
    created_at: datetime
    updated_at: datetime
    lead_organization: str | None
    owner: str | None
    coalition_slug: strawberry.Private[str]
    demand_slug: strawberry.Private[str]
    target_slug: strawberry.Private[str]
    jurisdiction_slug: strawberry.Private[str]

    @classmethod
    def from_public(cls, public: CampaignPublic) -> Campaign:
        return cls(
            id=global_id("Campaign", public.id),
            database_id=public.id,
            status=public.status,
            visibility=public.visibility,
            summary=public.summary,
            notes=public.notes,
            notes_visibility=public.notes_visibility,
            start_date=public.start_date,
            due_date=public.due_date,
            closed_date=public.closed_date,
            goal_count=public.goal_count,
            goal_unit=public.goal_unit,
            progress_count=public.progress_count,
            is_stale=public.is_stale,
            last_activity_at=public.last_activity_at,
            version=public.version,
            created_at=public.created_at,
            updated_at=public.updated_at,
            lead_organization=public.lead_organization,
            owner=public.owner,
            coalition_slug=public.coalition,
            demand_slug=public.demand,
            target_slug=public.target,
            jurisdiction_slug=public.jurisdiction,
        )

    @strawberry.field(description="The member organization leading the ask.")
    async def lead(self, info: Info) -> Organization | None:
        if self.lead_organization is None:
            return None
        found = await info.context.loaders.organization.load(self.lead_organization)
        return Organization.from_public(found) if found else None

    @strawberry.field
    async def coalition(self, info: Info) -> Coalition:
        found = await info.context.loaders.coalition.load(self.coalition_slug)
        return Coalition.from_public(found)

    @strawberry.field
    async def demand(self, info: Info) -> Demand:
        found = await info.context.loaders.demand.load(self.demand_slug)
        return Demand.from_public(found)

    @strawberry.field
    async def target(self, info: Info) -> Target:
        found = await info.context.loaders.target.load(self.target_slug)
        return Target.from_public(found)

    @strawberry.field
    async def jurisdiction(self, info: Info) -> Jurisdiction:
        found = await info.context.loaders.jurisdiction.load(self.jurisdiction_slug)
        return Jurisdiction.from_public(found)

    @strawberry.field(description="Every status change, oldest first.")
    async def history(self, info: Info, last: int | None = None) -> list[StatusEvent]:
        found = await info.context.loaders.events.load(self.database_id)
        events = found[-last:] if last else found
        return [StatusEvent.from_public(event) for event in events]

    @strawberry.field(description="The activities you may see, newest first.")
    async def activities(self, info: Info) -> list[Activity]:
        found = await info.context.loaders.activities.load(self.database_id)
        return [Activity.from_public(activity) for activity in found]


async def _jurisdiction(info: Info, slug: str | None) -> Jurisdiction | None:
    if slug is None:
        return None
    found = await info.context.loaders.jurisdiction.load(slug)
    return Jurisdiction.from_public(found) if found else None
