"""What the API shows: public shapes of catalog records and the list envelope."""

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from schema.enums import DemandProvenance, ExampleKind, JurisdictionKind


class PublicModel(BaseModel):
    """Read-only response shapes, built from rows or dicts."""

    model_config = ConfigDict(from_attributes=True, frozen=True)


ItemT = TypeVar("ItemT")


class Page(PublicModel, Generic[ItemT]):
    """One page of a list: the items, the total matching the filters, and where the page starts."""

    data: list[ItemT]
    count: int = Field(description="Total number of items matching the filters, across all pages.")
    limit: int
    offset: int


class CategoryPublic(PublicModel):
    """A target category, with how many trackable (leaf) demands it holds."""

    slug: str
    name: str
    description: str | None
    position: int
    demand_count: int = Field(description="Leaf demands in this category: the ones campaigns attach to.")


class ExamplePublic(PublicModel):
    """A real instance showing a demand is winnable."""

    slug: str
    title: str
    kind: ExampleKind
    description: str | None
    url: str | None
    jurisdiction: str | None = Field(description="Slug of the jurisdiction, if the example has one.")


class DemandPublic(PublicModel):
    """A checklist item. Groups list their items in `children`; campaigns attach to leaves."""

    slug: str
    category: str = Field(description="Slug of the target category.")
    parent: str | None = Field(description="Slug of the group this item belongs to, if any.")
    position: int = Field(description="Order among its siblings, as in the organizer brief.")
    title: str
    description: str | None
    provenance: DemandProvenance
    is_group: bool
    children: list[str] = Field(description="Slugs of the group's items, in order.")
    examples: list[ExamplePublic]


class JurisdictionPublic(PublicModel):
    """A place where asks are made, with its public codes."""

    slug: str
    name: str
    kind: JurisdictionKind
    parent: str | None = Field(description="Slug of the enclosing jurisdiction.")
    ocd_id: str | None = Field(description="Open Civic Data division ID.")
    fips: str | None
    iso_code: str | None = Field(description="ISO 3166-1 (nations) or ISO 3166-2 (subdivisions).")


class HealthReport(PublicModel):
    """Whether the service can reach its database and which schema revision it is on."""

    status: str = Field(description="`ok` when the database answers and migrations are current.")
    database: str
    revision: str | None
    head_revision: str | None
