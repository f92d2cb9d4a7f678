"""Loading the seed document into the database: idempotent upserts keyed by slug.

Seeding adds and updates; it never deletes, so campaigns, history and anything added
through the API survive a re-seed. The caller owns the transaction: all or nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from api.services import demand_history
from api.services.permissions import Principal
from schema import (
    Coalition,
    CoalitionFocus,
    CoalitionMembership,
    Demand,
    DemandResource,
    Example,
    Jurisdiction,
    Organization,
    Resource,
    ResourceJurisdiction,
    ResourceLanguage,
    Target,
    TargetCategory,
)
from schema.seed_file import SeedFile

Row = TypeVar("Row", bound=SQLModel)


@dataclass
class SeedReport:
    """What a seed run did, per kind of record."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def count(self, outcome: str, kind: str) -> None:
        tally: dict[str, int] = getattr(self, outcome)
        tally[kind] = tally.get(kind, 0) + 1

    def summary(self) -> str:
        kinds = sorted({*self.created, *self.updated, *self.unchanged})
        return "\n".join(
            f"{kind}: {self.created.get(kind, 0)} created, {self.updated.get(kind, 0)} updated, "
            f"{self.unchanged.get(kind, 0)} unchanged"
            for kind in kinds
        )


class _Upserter:
    """Per-table slug index plus the bookkeeping of what changed."""

    def __init__(self, session: Session, report: SeedReport) -> None:
        self.session = session
        self.report = report

    def index(self, model: type[Row]) -> dict[str, Row]:
        rows = self.session.exec(select(model)).all()
        return {row.slug: row for row in rows}  # type: ignore[attr-defined]

    def upsert(self, kind: str, model: type[Row], existing: dict[str, Row], values: dict[str, Any]) -> Row:
        row = existing.get(values["slug"])
        if row is None:
            row = model(**values)
            self.session.add(row)
            self.session.flush()
            existing[values["slug"]] = row
            self.report.count("created", kind)
            return row
        changes = {k: v for k, v in values.items() if getattr(row, k) != v}
        for name, value in changes.items():
            setattr(row, name, value)
        self.report.count("updated" if changes else "unchanged", kind)
        return row

    def link(
        self, kind: str, model: type[SQLModel], wanted: Iterable[tuple[Any, ...]], columns: tuple[str, str]
    ) -> None:
        """Add missing rows of a link table; links made elsewhere are left alone."""
        first, second = (getattr(model, name) for name in columns)
        present = set(self.session.exec(select(first, second)).all())
        for pair in dict.fromkeys(wanted):
            if pair in present:
                self.report.count("unchanged", kind)
                continue
            self.session.add(model(**dict(zip(columns, pair, strict=True))))
            self.report.count("created", kind)
        self.session.flush()


# Changes made by the seed file have no user behind them.
SEED_AUTHOR = Principal()


def _demand_text(demand: Demand) -> tuple[Any, ...]:
    return (demand.title, demand.description, demand.category_id, demand.parent_id)


def apply_seed(*, session: Session, seed: SeedFile) -> SeedReport:
    """Bring the database in line with `seed`; flushes, never commits."""
    report = SeedReport()
    up = _Upserter(session, report)

    jurisdictions = up.index(Jurisdiction)
    for j in seed.jurisdictions:
        up.upsert(
            "jurisdictions",
            Jurisdiction,
            jurisdictions,
            {
                "slug": j.slug,
                "name": j.name,
                "kind": j.kind,
                "parent_id": jurisdictions[j.parent].id if j.parent else None,
                "ocd_id": j.ocd_id,
                "fips": j.fips,
                "iso_code": j.iso_code,
            },
        )

    def jurisdiction_id(slug: str | None) -> int | None:
        return jurisdictions[slug].id if slug else None

    organizations = up.index(Organization)
    for o in seed.organizations:
        up.upsert(
            "organizations",
            Organization,
            organizations,
            {
                "slug": o.slug,
                "name": o.name,
                "kind": o.kind,
                "description": o.description,
                "website": str(o.website) if o.website else None,
                "jurisdiction_id": jurisdiction_id(o.jurisdiction),
            },
        )

    coalitions = up.index(Coalition)
    for c in seed.coalitions:
        up.upsert(
            "coalitions",
            Coalition,
            coalitions,
            {
                "slug": c.slug,
                "name": c.name,
                "description": c.description,
                "website": str(c.website) if c.website else None,
            },
        )
    up.link(
        "coalition memberships",
        CoalitionMembership,
        ((coalitions[c.slug].id, organizations[m].id) for c in seed.coalitions for m in c.members),
        ("coalition_id", "organization_id"),
    )
    up.link(
        "coalition focus jurisdictions",
        CoalitionFocus,
        (
            (coalitions[c.slug].id, jurisdictions[j].id)
            for c in seed.coalitions
            for j in c.focus_jurisdictions
        ),
        ("coalition_id", "jurisdiction_id"),
    )

    resources = up.index(Resource)
    for r in seed.resources:
        up.upsert(
            "resources",
            Resource,
            resources,
            {
                "slug": r.slug,
                "title": r.title,
                "kind": r.kind,
                "description": r.description,
                "url": str(r.url) if r.url else None,
                "phone": r.phone,
                "organization_id": organizations[r.organization].id if r.organization else None,
            },
        )
    up.link(
        "resource languages",
        ResourceLanguage,
        ((resources[r.slug].id, language) for r in seed.resources for language in r.languages),
        ("resource_id", "language"),
    )
    up.link(
        "resource jurisdictions",
        ResourceJurisdiction,
        ((resources[r.slug].id, jurisdictions[j].id) for r in seed.resources for j in r.jurisdictions),
        ("resource_id", "jurisdiction_id"),
    )

    categories = up.index(TargetCategory)
    for position, category in enumerate(seed.categories):
        up.upsert(
            "categories",
            TargetCategory,
            categories,
            {
                "slug": category.slug,
                "name": category.name,
                "description": category.description,
                "position": position,
            },
        )

    demands = up.index(Demand)
    examples = up.index(Example)
    demand_resources: list[tuple[int | None, int | None]] = []
    for category, parent, demand in seed.walk_demands():
        siblings = parent.children if parent else category.demands
        previous = demands.get(demand.slug)
        text_before = None if previous is None else _demand_text(previous)
        row = up.upsert(
            "demands",
            Demand,
            demands,
            {
                "slug": demand.slug,
                "category_id": categories[category.slug].id,
                "parent_id": demands[parent.slug].id if parent else None,
                "position": siblings.index(demand),
                "title": demand.title,
                "description": demand.description,
            },
        )
        if text_before != _demand_text(row):
            # A new or reworded item starts a new version in its history, authored by the seed.
            if text_before is not None:
                row.version += 1
            session.flush()
            demand_history.record(session=session, demand=row, principal=SEED_AUTHOR)
        for position, example in enumerate(demand.examples):
            up.upsert(
                "examples",
                Example,
                examples,
                {
                    "slug": example.slug,
                    "demand_id": row.id,
                    "position": position,
                    "title": example.title,
                    "kind": example.kind,
                    "description": example.description,
                    "url": str(example.url) if example.url else None,
                    "jurisdiction_id": jurisdiction_id(example.jurisdiction),
                },
            )
        demand_resources.extend((row.id, resources[slug].id) for slug in demand.resources)
    up.link("demand resources", DemandResource, demand_resources, ("demand_id", "resource_id"))

    targets = up.index(Target)
    for t in seed.targets:
        up.upsert(
            "targets",
            Target,
            targets,
            {
                "slug": t.slug,
                "name": t.name,
                "category_id": categories[t.category].id,
                "jurisdiction_id": jurisdictions[t.jurisdiction].id,
                "description": t.description,
                "website": str(t.website) if t.website else None,
            },
        )
    session.flush()
    return report
