"""The documented format of `seed_data/*.yaml`, validated before anything is written.

Every list keeps the order of the organizer brief; positions are taken from it.
Cross-references are by slug and are checked here, so a bad file fails with the
key that is wrong instead of half-way through loading.
"""

import re
from collections import Counter
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, model_validator

from schema.enums import (
    ExampleKind,
    JurisdictionKind,
    OrganizationKind,
    ResourceKind,
)

SEED_FORMAT_VERSION = 1

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
OCD_ID_PATTERN = r"^ocd-division/country:[a-z]{2}(?:/[a-z_]+:[a-z0-9_.~-]+)*$"
FIPS_PATTERN = r"^(?:\d{2}|\d{5}|\d{7})$"
ISO_CODE_PATTERN = r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Z]{2}|-[A-Z][a-z]{3})?$"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE_RE = re.compile(r"\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b")

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=120)]
Name = Annotated[str, Field(min_length=1, max_length=300)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]
LanguageCode = Annotated[str, Field(pattern=LANGUAGE_PATTERN)]


def _no_contact_details(value: str) -> str:
    """Seed texts are public: personal emails and phone numbers never belong in them."""
    if EMAIL_RE.search(value):
        raise ValueError("must not contain an email address")
    if PHONE_RE.search(value):
        raise ValueError("must not contain a phone number (hotlines go in a resource's `phone`)")
    return value


PublicText = Annotated[Text, AfterValidator(_no_contact_details)]
PublicName = Annotated[Name, AfterValidator(_no_contact_details)]


class SeedModel(BaseModel):
    """Unknown keys are errors: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SeedJurisdiction(SeedModel):
    """A place where asks are made, with the public codes that identify it."""

    slug: Slug
    name: PublicName
    kind: JurisdictionKind
    parent: Slug | None = None
    ocd_id: Annotated[str, Field(pattern=OCD_ID_PATTERN)] | None = None
    fips: Annotated[str, Field(pattern=FIPS_PATTERN)] | None = None
    iso_code: Annotated[str, Field(pattern=ISO_CODE_PATTERN)] | None = None


class SeedExample(SeedModel):
    """A real instance that shows a demand is winnable."""

    slug: Slug
    title: PublicName
    kind: ExampleKind
    description: PublicText | None = None
    jurisdiction: Slug | None = None
    url: HttpUrl | None = None


class SeedDemand(SeedModel):
    """One checklist item; an item with children is a group."""

    slug: Slug
    title: PublicText
    description: PublicText | None = None
    examples: list[SeedExample] = []
    resources: list[Slug] = []
    children: list["SeedDemand"] = []


class SeedCategory(SeedModel):
    """A kind of target, one heading of the brief."""

    slug: Slug
    name: PublicName
    description: PublicText | None = None
    demands: list[SeedDemand] = Field(min_length=1)


class SeedResource(SeedModel):
    """A toolkit, flyer, memo, webinar, law or organizational hotline."""

    slug: Slug
    title: PublicName
    kind: ResourceKind
    description: PublicText | None = None
    url: HttpUrl | None = None
    phone: Annotated[str, Field(pattern=r"^\d{3}-\d{3}-\d{4}$")] | None = None
    languages: list[LanguageCode] = Field(min_length=1)
    organization: Slug | None = None
    jurisdictions: list[Slug] = []

    @model_validator(mode="after")
    def _phone_only_on_hotlines(self) -> "SeedResource":
        if self.phone is not None and (self.kind != ResourceKind.HOTLINE or self.organization is None):
            raise ValueError("a phone number is allowed only on an organization's hotline")
        return self


class SeedOrganization(SeedModel):
    """A worker center, legal-services group, union or other member organization."""

    slug: Slug
    name: PublicName
    kind: OrganizationKind
    description: PublicText | None = None
    website: HttpUrl | None = None
    jurisdiction: Slug | None = None


class SeedCoalition(SeedModel):
    """Organizations working together on campaigns in their focus jurisdictions."""

    slug: Slug
    name: PublicName
    description: PublicText | None = None
    website: HttpUrl | None = None
    members: list[Slug] = []
    focus_jurisdictions: list[Slug] = []


class SeedTarget(SeedModel):
    """A concrete body that demands are made of."""

    slug: Slug
    name: PublicName
    category: Slug
    jurisdiction: Slug
    description: PublicText | None = None
    website: HttpUrl | None = None


class SeedFile(SeedModel):
    """The whole seed: the checklist and the world it is asked in."""

    format_version: Literal[1]
    jurisdictions: list[SeedJurisdiction] = []
    organizations: list[SeedOrganization] = []
    coalitions: list[SeedCoalition] = []
    resources: list[SeedResource] = []
    categories: list[SeedCategory] = []
    targets: list[SeedTarget] = []

    def walk_demands(self) -> Iterator[tuple[SeedCategory, SeedDemand | None, SeedDemand]]:
        """Every demand depth-first in brief order, with its category and parent."""

        def walk(
            category: SeedCategory, parent: SeedDemand | None, demands: list[SeedDemand]
        ) -> Iterator[tuple[SeedCategory, SeedDemand | None, SeedDemand]]:
            for demand in demands:
                yield category, parent, demand
                yield from walk(category, demand, demand.children)

        for category in self.categories:
            yield from walk(category, None, category.demands)

    @model_validator(mode="after")
    def _references_resolve(self) -> "SeedFile":
        """Slugs are unique per kind and every reference names something declared."""
        demands = [demand for _, _, demand in self.walk_demands()]
        for _, parent, demand in self.walk_demands():
            if parent is not None and demand.children:
                raise ValueError(
                    f"demand {demand.slug!r}: demands nest one level only (a group and its items)"
                )
        examples = [example for demand in demands for example in demand.examples]
        for label, slugs in (
            ("jurisdiction", [j.slug for j in self.jurisdictions]),
            ("organization", [o.slug for o in self.organizations]),
            ("coalition", [c.slug for c in self.coalitions]),
            ("resource", [r.slug for r in self.resources]),
            ("category", [c.slug for c in self.categories]),
            ("demand", [d.slug for d in demands]),
            ("example", [e.slug for e in examples]),
            ("target", [t.slug for t in self.targets]),
        ):
            repeated = sorted(slug for slug, n in Counter(slugs).items() if n > 1)
            if repeated:
                raise ValueError(f"{label} slugs must be unique; repeated: {', '.join(repeated)}")

        jurisdictions = {j.slug for j in self.jurisdictions}
        known = {
            "jurisdiction": jurisdictions,
            "organization": {o.slug for o in self.organizations},
            "resource": {r.slug for r in self.resources},
            "category": {c.slug for c in self.categories},
        }
        declared: set[str] = set()
        for jurisdiction in self.jurisdictions:
            if jurisdiction.parent is not None and jurisdiction.parent not in declared:
                raise ValueError(
                    f"jurisdiction {jurisdiction.slug!r}: parent {jurisdiction.parent!r} "
                    "must be declared before it"
                )
            declared.add(jurisdiction.slug)

        def check(owner: str, kind: str, refs: list[str | None]) -> None:
            for ref in refs:
                if ref is not None and ref not in known[kind]:
                    raise ValueError(f"{owner}: unknown {kind} {ref!r}")

        for org in self.organizations:
            check(f"organization {org.slug!r}", "jurisdiction", [org.jurisdiction])
        for coalition in self.coalitions:
            check(f"coalition {coalition.slug!r}", "organization", list(coalition.members))
            check(f"coalition {coalition.slug!r}", "jurisdiction", list(coalition.focus_jurisdictions))
        for resource in self.resources:
            check(f"resource {resource.slug!r}", "organization", [resource.organization])
            check(f"resource {resource.slug!r}", "jurisdiction", list(resource.jurisdictions))
        for demand in demands:
            check(f"demand {demand.slug!r}", "resource", list(demand.resources))
            for example in demand.examples:
                check(f"example {example.slug!r}", "jurisdiction", [example.jurisdiction])
        for target in self.targets:
            check(f"target {target.slug!r}", "category", [target.category])
            check(f"target {target.slug!r}", "jurisdiction", [target.jurisdiction])
        return self


def iter_strings(value: Any) -> Iterator[str]:
    """Every string inside a parsed seed document, for safety scans in tests and tools."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from iter_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from iter_strings(item)
