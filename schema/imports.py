"""Campaign spreadsheets: the columns a row may carry, and the row-by-row report of an import."""

from datetime import date
from enum import StrEnum

from pydantic import Field

from schema.campaigns import MAX_INT, TEXT_LIMIT
from schema.enums import CampaignStatus, Visibility
from schema.inputs import InputModel
from schema.public import PublicModel

# The export's columns, in order; an import accepts any subset of them (see docs/imports.md).
COLUMNS = (
    "id",
    "coalition",
    "demand",
    "target",
    "jurisdiction",
    "status",
    "visibility",
    "summary",
    "notes",
    "notes_visibility",
    "lead_organization",
    "owner",
    "start_date",
    "due_date",
    "closed_date",
    "goal_count",
    "goal_unit",
    "progress_count",
    "version",
    "updated_at",
)
# Written by the service, shown for reference, never read back.
READ_ONLY = frozenset({"closed_date", "updated_at"})


class CampaignRow(InputModel):
    """One spreadsheet row, as typed values; every text is checked like any payload (A-numbers, NUL)."""

    id: int | None = Field(default=None, ge=1, le=MAX_INT)
    version: int | None = Field(default=None, ge=1, le=MAX_INT)
    coalition: str | None = Field(default=None, max_length=300)
    demand: str | None = Field(default=None, max_length=300)
    target: str | None = Field(default=None, max_length=300)
    jurisdiction: str | None = Field(default=None, max_length=300)
    status: CampaignStatus | None = None
    visibility: Visibility | None = None
    summary: str | None = Field(default=None, max_length=TEXT_LIMIT)
    notes: str | None = Field(default=None, max_length=TEXT_LIMIT)
    notes_visibility: Visibility | None = None
    lead_organization: str | None = Field(default=None, max_length=120)
    owner: str | None = Field(default=None, max_length=80)
    start_date: date | None = None
    due_date: date | None = None
    goal_count: int | None = Field(default=None, ge=1, le=MAX_INT)
    goal_unit: str | None = Field(default=None, max_length=120)
    progress_count: int | None = Field(default=None, ge=0, le=MAX_INT)


class CampaignImportAction(StrEnum):
    """What an import did (or, in a dry run, would do) with one row."""

    CREATE = "create"
    UPDATE = "update"
    STATUS_CHANGE = "status_change"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


class CampaignImportRow(PublicModel):
    """One row of the spreadsheet and what became of it."""

    line: int = Field(description="Line number in the file (the header is line 1).")
    action: CampaignImportAction
    campaign_id: int | None = Field(description="The campaign the row created or changed, when known.")
    changed: list[str] = Field(description="Fields the row changes; `status` for a status change.")
    reason: str | None = Field(description="Why the row was refused.")


class CampaignImportReport(PublicModel):
    """The whole import: applied only if no row was refused and it was not a dry run."""

    dry_run: bool
    applied: bool = Field(description="True when the changes were written.")
    counts: dict[CampaignImportAction, int] = Field(description="Rows per action.")
    rows: list[CampaignImportRow]
