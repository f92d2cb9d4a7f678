"""What the API shows: public shapes of catalog records and the list envelope, and their field types."""

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from schema.enums import DemandProvenance, ExampleKind, JurisdictionKind, ResourceKind

# Field types shared by the public shapes and the write payloads beside the tables.
MAX_INT = 2**31 - 1
Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=120,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        description="Lower-case words joined by dashes; never changes once published.",
    ),
]
# A reference to another record: its slug (jurisdictions also take an id or an OCD division ID).
Ref = Annotated[str, Field(min_length=1, max_length=300)]
Name = Annotated[str, Field(min_length=1, max_length=300)]
LongText = Annotated[str, Field(max_length=20_000)]
Url = Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\s]+$", examples=["https://example.org/"])]
Position = Annotated[int, Field(ge=0, le=MAX_INT, description="Order among siblings; omit to append.")]
Version = Annotated[
    int | None,
    Field(default=None, ge=1, le=MAX_INT, description="The version you edited (instead of If-Match)."),
]


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
    version: int
    language: str = Field(
        default="en", description="The language of the texts served (English if no translation)."
    )
    translation_needs_review: bool = Field(
        default=False, description="The translation served is a draft awaiting a native speaker's review."
    )


class ExamplePublic(PublicModel):
    """A real instance showing a demand is winnable."""

    slug: str
    title: str
    kind: ExampleKind
    description: str | None
    url: str | None
    jurisdiction: str | None = Field(description="Slug of the jurisdiction, if the example has one.")
    demand: str = Field(description="Slug of the demand it shows to be winnable.")
    position: int = Field(description="Order among the demand's examples.")
    version: int
    language: str = Field(
        default="en", description="The language of the texts served (English if no translation)."
    )
    translation_needs_review: bool = Field(
        default=False, description="The translation served is a draft awaiting a native speaker's review."
    )


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
    version: int
    retired_at: datetime | None = Field(
        default=None,
        description="When the item was retired: kept for history, left out of lists and new scorecards.",
    )
    language: str = Field(
        default="en", description="The language of the texts served (English if no translation)."
    )
    translation_needs_review: bool = Field(
        default=False, description="The translation served is a draft awaiting a native speaker's review."
    )


class JurisdictionPublic(PublicModel):
    """A place where asks are made, with its public codes."""

    slug: str
    name: str
    kind: JurisdictionKind
    parent: str | None = Field(description="Slug of the enclosing jurisdiction.")
    ocd_id: str | None = Field(description="Open Civic Data division ID.")
    fips: str | None
    iso_code: str | None = Field(description="ISO 3166-1 (nations) or ISO 3166-2 (subdivisions).")
    version: int


class JurisdictionChain(PublicModel):
    """The jurisdictions enclosing one, nearest first, ending at the root."""

    data: list[JurisdictionPublic]


class TargetPublic(PublicModel):
    """A concrete body asks are made of, in one category and one jurisdiction."""

    slug: str
    name: str
    category: str = Field(description="Slug of the target category.")
    jurisdiction: str = Field(description="Slug of the jurisdiction.")
    description: str | None
    website: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class ResourcePublic(PublicModel):
    """Material organizers share, with the languages, demands and places it serves."""

    slug: str
    title: str
    kind: ResourceKind
    description: str | None
    url: str | None
    phone: str | None = Field(description="An organization's public hotline number; never a person's.")
    organization: str | None = Field(description="Slug of the organization behind it.")
    languages: list[str] = Field(description="BCP 47 codes, sorted.")
    demands: list[str] = Field(description="Slugs of the demands it helps make.")
    jurisdictions: list[str] = Field(description="Slugs of the jurisdictions it serves.")
    version: int
    created_at: datetime
    updated_at: datetime
    language: str = Field(
        default="en", description="The language of the texts served (English if no translation)."
    )
    translation_needs_review: bool = Field(
        default=False, description="The translation served is a draft awaiting a native speaker's review."
    )


class HealthReport(PublicModel):
    """Whether the service can reach its database and which schema revision it is on."""

    status: str = Field(description="`ok` when the database answers and migrations are current.")
    database: str
    revision: str | None
    head_revision: str | None
