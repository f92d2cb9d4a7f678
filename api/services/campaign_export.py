"""The campaign list as a CSV spreadsheet, in the columns an import reads back."""

import csv
import io
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from api.errors import Invalid
from api.services import campaign_reads
from api.services.campaign_reads import CampaignFilters
from api.services.pagination import PageRequest
from api.services.permissions import Principal
from schema.campaigns import CampaignPublic
from schema.imports import COLUMNS

# One export is one query; past this many campaigns, filters must narrow it.
MAX_EXPORT_ROWS = 20_000
# A cell starting with one of these is a formula to a spreadsheet: exported behind a `'`, which an
# import takes off again (docs/imports.md).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(text: str) -> str:
    """Keep a text cell from being run as a spreadsheet formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unguard(text: str) -> str:
    """Undo `guard` on a cell read back from a spreadsheet."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if hasattr(value, "value"):
        return str(value.value)
    return guard(str(value))


def csv_text(rows: Iterable[CampaignPublic]) -> str:
    """UTF-8 text with a header row; `notes` is empty where the reader may not see it."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for campaign in rows:
        fields = campaign.model_dump()
        writer.writerow([_cell(fields[name]) for name in COLUMNS])
    return out.getvalue()


def export(*, session: Session, principal: Principal, filters: CampaignFilters, stale_after_days: int) -> str:
    """Every campaign the principal may see that the filters keep, oldest first."""
    page = campaign_reads.get_all(
        session=session,
        principal=principal,
        page=PageRequest(limit=MAX_EXPORT_ROWS),
        filters=filters,
        stale_after_days=stale_after_days,
    )
    if page.count > MAX_EXPORT_ROWS:
        raise Invalid(
            f"{page.count} campaigns match; an export holds at most {MAX_EXPORT_ROWS}. "
            "Narrow it with filters (coalition, jurisdiction, status...)."
        )
    return csv_text(page.data)
