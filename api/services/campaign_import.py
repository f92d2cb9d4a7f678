"""Campaigns from a spreadsheet: every row goes through the same services as the API, all rows or none.

A dry run takes the very same path inside a savepoint that is rolled back, so what it reports is
what a real run would do.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from api.errors import DomainError, Invalid, Unauthorized
from api.services import campaign_status, campaigns, versioning
from api.services.campaign_export import unguard
from api.services.campaign_reads import get_visible_row
from api.services.permissions import Action, Principal, authorize
from schema import Campaign, Coalition, Demand, Jurisdiction, Organization, Target, UserAccount
from schema.campaigns import CampaignCreate, CampaignUpdate, StatusChange
from schema.enums import CampaignStatus
from schema.imports import (
    COLUMNS,
    READ_ONLY,
    CampaignImportAction,
    CampaignImportReport,
    CampaignImportRow,
    CampaignRow,
)

# Far above any coalition's spreadsheet, far below what one request can write in reasonable time.
MAX_ROWS = 5_000
# Fields a row may change with a plain update; status goes through the transition table.
EDITABLE = (
    "visibility",
    "summary",
    "notes",
    "notes_visibility",
    "lead_organization",
    "owner",
    "start_date",
    "due_date",
    "goal_count",
    "goal_unit",
    "progress_count",
)
# An empty cell in these columns leaves the field alone: they cannot be empty.
NOT_NULL = frozenset({"visibility", "notes_visibility", "progress_count", "status"})
REFERENCES = ("coalition", "demand", "target")


class ImportRefused(Invalid):
    """A real import with refused rows: nothing was applied, and the report says why, row by row."""

    code = "import_refused"

    def __init__(self, report: CampaignImportReport) -> None:
        refused = report.counts.get(CampaignImportAction.REFUSED, 0)
        super().__init__(
            f"{refused} of {len(report.rows)} row(s) were refused, so nothing was imported; "
            "see `rows` for each line and reason, fix them and import the file again.",
            extra=report.model_dump(mode="json"),
        )
        self.report = report


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Named:
    id: int
    slug: str
    name: str
    ocd_id: str | None = None
    # Targets: where they are.
    jurisdiction_id: int | None = None


class _Index:
    """Records of one kind, found by slug, OCD ID (jurisdictions) or exact name ignoring case."""

    def __init__(self, noun: str, records: Iterable[_Named]) -> None:
        self.noun = noun
        self.by_id: dict[int, _Named] = {}
        self.by_key: dict[str, _Named] = {}
        self.by_name: dict[str, list[_Named]] = {}
        for record in records:
            self.by_id[record.id] = record
            self.by_key[record.slug] = record
            if record.ocd_id:
                self.by_key[record.ocd_id] = record
            self.by_name.setdefault(record.name.casefold(), []).append(record)

    def candidates(self, value: str) -> list[_Named]:
        found = self.by_key.get(value)
        return [found] if found is not None else self.by_name.get(value.casefold(), [])

    def find(self, value: str) -> _Named:
        found = self.candidates(value)
        if not found:
            raise _Refused(f"No {self.noun} matches {value!r} (by slug or exact name).")
        if len(found) > 1:
            raise _Refused(
                f"Several {self.noun}s are named {value!r} ({', '.join(sorted(r.slug for r in found))}); "
                "use the slug."
            )
        return found[0]


def _parse_rows(content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows with the line each starts on; a file that is not CSV is a 422."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(
            "The file is not UTF-8 text; save the spreadsheet as “CSV UTF-8” and try again."
        ) from exc
    if "\x00" in text:
        raise Invalid("The file contains a NUL character; it is not a CSV spreadsheet.")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if header is None:
                header = [cell.strip().lower() for cell in cells]
            elif any(cell.strip() for cell in cells):
                rows.append((line, cells))
                if len(rows) > MAX_ROWS:
                    raise Invalid(f"The file has more than {MAX_ROWS} rows; split it into smaller files.")
    except csv.Error as exc:
        raise Invalid(f"Line {reader.line_num} is not valid CSV: {exc}.") from exc
    if header is None or not any(header):
        raise Invalid(f"The file is empty; its first line must name the columns ({', '.join(COLUMNS)}).")
    _check_header(header)
    return header, rows


def _check_header(header: list[str]) -> None:
    unknown = sorted({name for name in header if name not in COLUMNS})
    if unknown:
        raise Invalid(
            f"Unknown column(s) {', '.join(map(repr, unknown))}; the columns are {', '.join(COLUMNS)}.",
            extra={
                "errors": [
                    {"location": ["file", name], "message": "unknown column", "type": "column"}
                    for name in unknown
                ]
            },
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise Invalid(f"The column(s) {', '.join(map(repr, repeated))} appear more than once.")
    if "id" not in header and not all(name in header for name in REFERENCES):
        raise Invalid("The file needs an `id` column, or `coalition`, `demand` and `target` columns.")


def _reasons(exc: ValidationError) -> str:
    """Pydantic's messages without the offending input (which may be an A-number)."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'row'}: {error['msg']}" for error in exc.errors()
    )


class _Importer:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.coalitions = _Index("coalition", self._named(Coalition, Coalition.name))
        self.demands = _Index("demand", self._named(Demand, Demand.title))
        self.jurisdictions = _Index(
            "jurisdiction",
            (
                _Named(id=i, slug=s, name=n, ocd_id=o)
                for i, s, n, o in session.execute(
                    select(
                        col(Jurisdiction.id),
                        col(Jurisdiction.slug),
                        col(Jurisdiction.name),
                        col(Jurisdiction.ocd_id),
                    )
                )
            ),
        )
        self.targets = _Index(
            "target",
            (
                _Named(id=i, slug=s, name=n, jurisdiction_id=j)
                for i, s, n, j in session.execute(
                    select(col(Target.id), col(Target.slug), col(Target.name), col(Target.jurisdiction_id))
                )
            ),
        )
        self.organizations = dict(session.execute(select(col(Organization.id), col(Organization.slug))).all())
        self.existing: dict[tuple[int, int, int], int] = {
            (c, d, t): i
            for i, c, d, t in session.execute(
                select(
                    col(Campaign.id),
                    col(Campaign.coalition_id),
                    col(Campaign.demand_id),
                    col(Campaign.target_id),
                )
            )
        }
        self.usernames: dict[int, str] = {}
        # Campaign id -> the line that already changed it.
        self.seen: dict[int, int] = {}
        # The campaign the row being applied turned out to be, for its report.
        self.current: int | None = None

    def _named(self, model: Any, name: Any) -> Iterator[_Named]:
        for row_id, slug, text in self.session.execute(select(col(model.id), col(model.slug), col(name))):
            yield _Named(id=row_id, slug=slug, name=text)

    def _username(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self.usernames:
            user = self.session.get(UserAccount, user_id)
            self.usernames[user_id] = user.username if user else ""
        return self.usernames[user_id]

    def _current(self, campaign: Campaign, field: str) -> Any:
        if field == "lead_organization":
            return (
                self.organizations.get(campaign.lead_organization_id)
                if campaign.lead_organization_id
                else None
            )
        if field == "owner":
            return self._username(campaign.owner_id)
        return getattr(campaign, field)

    def _target(self, row: CampaignRow) -> _Named:
        """The target, narrowed by the row's jurisdiction when its name is shared; it must lie there."""
        assert row.target is not None
        place = self.jurisdictions.find(row.jurisdiction) if row.jurisdiction else None
        found = self.targets.candidates(row.target)
        if place is not None and len(found) > 1:
            found = [target for target in found if target.jurisdiction_id == place.id] or found
        target = self.targets.find(row.target) if len(found) != 1 else found[0]
        self._check_place(target, place)
        return target

    def _check_place(self, target: _Named, place: _Named | None) -> None:
        if place is not None and target.jurisdiction_id != place.id:
            actual = self.jurisdictions.by_id.get(target.jurisdiction_id or 0)
            raise _Refused(
                f"The target {target.slug!r} is in {actual.slug if actual else 'another jurisdiction'!r}, "
                f"not in {place.slug!r}."
            )

    def row(self, line: int, header: list[str], cells: list[str]) -> CampaignImportRow:
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            return _refused(
                line, None, f"The row has {len(cells)} cells but the header names {len(header)} columns."
            )
        given = {name: unguard(cells[i]) if i < len(cells) else "" for i, name in enumerate(header)}
        present = {name for name in header if name not in READ_ONLY}
        values = {
            name: (value if value.strip() else None)
            for name, value in given.items()
            if name in present and not (name in NOT_NULL and not value.strip())
        }
        present &= set(values)
        raw_id = (values.get("id") or "").strip()
        campaign_id = int(raw_id) if raw_id.isdigit() and len(raw_id) < 10 else None
        self.current = None
        try:
            data = CampaignRow.model_validate(values)
            with self.session.begin_nested():
                report = self._apply(line, data, present)
        except ValidationError as exc:
            return _refused(line, campaign_id, _reasons(exc))
        except _Refused as exc:
            return _refused(line, self.current or campaign_id, exc.reason)
        except DomainError as exc:
            return _refused(line, self.current or campaign_id, exc.detail)
        except IntegrityError:
            reason = "The row conflicts with a stored record (another change raced it)."
            return _refused(line, self.current or campaign_id, reason)
        if report.campaign_id is not None:
            self.seen[report.campaign_id] = line
        return report

    def _apply(self, line: int, row: CampaignRow, present: set[str]) -> CampaignImportRow:
        if row.id is not None:
            campaign = get_visible_row(session=self.session, principal=self.principal, campaign_id=row.id)
            self.current = campaign.id
            self._same_references(campaign, row)
            if row.version is None:
                raise _Refused("A row with an `id` needs the `version` it was exported at.")
            expected = row.version
        else:
            missing = [name for name in REFERENCES if getattr(row, name) is None]
            if missing:
                raise _Refused(f"A row without an `id` needs {', '.join(f'`{m}`' for m in missing)}.")
            coalition = self.coalitions.find(row.coalition or "")
            demand = self.demands.find(row.demand or "")
            target = self._target(row)
            existing = self.existing.get((coalition.id, demand.id, target.id))
            if existing is None:
                return self._create(line, row, present, coalition=coalition, demand=demand, target=target)
            campaign = get_visible_row(session=self.session, principal=self.principal, campaign_id=existing)
            expected = row.version if row.version is not None else campaign.version
        assert campaign.id is not None
        self.current = campaign.id
        if campaign.id in self.seen:
            raise _Refused(f"Line {self.seen[campaign.id]} already changes campaign {campaign.id}.")
        authorize(self.principal, Action.WRITE_CAMPAIGNS, coalition_id=campaign.coalition_id)
        versioning.require_version(expected=expected, current=campaign.version, noun="campaign")
        return self._update(line, campaign, row, present)

    def _same_references(self, campaign: Campaign, row: CampaignRow) -> None:
        """A campaign's coalition, demand and target never change; a row naming others is a mistake."""
        for name, index, stored in (
            ("coalition", self.coalitions, campaign.coalition_id),
            ("demand", self.demands, campaign.demand_id),
        ):
            value = getattr(row, name)
            if value is not None and index.find(value).id != stored:
                raise _Refused(f"Campaign {campaign.id}'s {name} is not {value!r}; it never changes.")
        if row.target is not None and self._target(row).id != campaign.target_id:
            raise _Refused(f"Campaign {campaign.id}'s target is not {row.target!r}; it never changes.")
        if row.target is None and row.jurisdiction is not None:
            target = self.targets.by_id[campaign.target_id]
            self._check_place(target, self.jurisdictions.find(row.jurisdiction))

    def _update(
        self, line: int, campaign: Campaign, row: CampaignRow, present: set[str]
    ) -> CampaignImportRow:
        changes = {
            name: getattr(row, name)
            for name in EDITABLE
            if name in present and getattr(row, name) != self._current(campaign, name)
        }
        assert campaign.id is not None
        if changes:
            campaigns.update(
                session=self.session,
                principal=self.principal,
                campaign_id=campaign.id,
                data=CampaignUpdate(**changes),
                expected=campaign.version,
            )
        changed = sorted(changes)
        if row.status is not None and row.status != campaign.status:
            campaign_status.change(
                session=self.session,
                principal=self.principal,
                campaign_id=campaign.id,
                data=StatusChange(status=row.status),
                expected=None,
            )
            changed.append("status")
            action = CampaignImportAction.STATUS_CHANGE
        else:
            action = CampaignImportAction.UPDATE if changes else CampaignImportAction.UNCHANGED
        return CampaignImportRow(
            line=line, action=action, campaign_id=campaign.id, changed=changed, reason=None
        )

    def _create(
        self,
        line: int,
        row: CampaignRow,
        present: set[str],
        *,
        coalition: _Named,
        demand: _Named,
        target: _Named,
    ) -> CampaignImportRow:
        fields = {name: getattr(row, name) for name in EDITABLE if name in present}
        created = campaigns.create(
            session=self.session,
            principal=self.principal,
            data=CampaignCreate(
                coalition=coalition.slug,
                demand=demand.slug,
                target=target.slug,
                status=row.status or CampaignStatus.NOT_STARTED,
                **fields,
            ),
        )
        assert created.id is not None
        self.existing[(coalition.id, demand.id, target.id)] = created.id
        return CampaignImportRow(
            line=line,
            action=CampaignImportAction.CREATE,
            campaign_id=created.id,
            changed=sorted({*fields, "status"} if row.status else fields),
            reason=None,
        )


def _refused(line: int, campaign_id: int | None, reason: str) -> CampaignImportRow:
    return CampaignImportRow(
        line=line, action=CampaignImportAction.REFUSED, campaign_id=campaign_id, changed=[], reason=reason
    )


def import_campaigns(
    *, session: Session, principal: Principal, content: bytes, dry_run: bool
) -> CampaignImportReport:
    """Check and apply every row of a CSV file; any refused row means nothing is applied (ImportRefused)."""
    if principal.is_anonymous:
        raise Unauthorized("Only signed-in organizers may import campaigns: send an API token.")
    header, rows = _parse_rows(content)
    outer = session.begin_nested()
    try:
        importer = _Importer(session, principal)
        results = [importer.row(line, header, cells) for line, cells in rows]
    except BaseException:
        outer.rollback()
        raise
    counts = Counter(result.action for result in results)
    refused = counts[CampaignImportAction.REFUSED] > 0
    applied = not dry_run and not refused
    if applied:
        outer.commit()
    else:
        outer.rollback()
    report = CampaignImportReport(
        dry_run=dry_run,
        applied=applied,
        counts={action: counts[action] for action in CampaignImportAction},
        rows=results,
    )
    if refused and not dry_run:
        raise ImportRefused(report)
    return report
