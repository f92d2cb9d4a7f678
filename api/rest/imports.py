"""Campaign spreadsheets over REST: the list as CSV, and a CSV of edits imported all at once."""

from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Annotated

from fastapi import APIRouter, Body, Header, Query, Response

from api.errors import Invalid
from api.rest.campaign_filters import CampaignFiltersDep
from api.rest.deps import PrincipalDep, SessionDep, SettingsDep
from api.rest.responses import NOT_FOUND, WRITE, problems
from api.services import campaign_export, campaign_import
from schema.imports import CampaignImportReport

router = APIRouter(tags=["imports"])

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
TRUE = frozenset({"true", "1", "yes", "on"})
FALSE = frozenset({"false", "0", "no", "off", ""})
UPLOAD_BODY = {
    "required": True,
    "description": "The CSV file, either as the whole body (`text/csv`) or as the `file` part of a form.",
    "content": {
        "text/csv": {
            "schema": {"type": "string"},
            "example": (
                "id,version,coalition,demand,target,status,summary\r\n"
                "12,3,,,,in_progress,Hearing scheduled.\r\n"
                ",,immigrant-workplace-justice-coalition,document-raids,los-angeles-city-council,made,\r\n"
            ),
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "dry_run": {"type": "boolean", "description": "Same as the `dry_run` query parameter."},
                },
            }
        },
    },
}


@router.get(
    "/campaigns.csv",
    response_class=Response,
    summary="Export campaigns as CSV",
    operation_id="export_campaigns_csv",
    responses={
        200: {
            "description": "The campaigns as CSV.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **NOT_FOUND,
    },
)
def export_campaigns_csv(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    filters: CampaignFiltersDep,
) -> Response:
    """The campaigns you may see, with the same filters as `GET /campaigns`, as a spreadsheet to edit and
    import back (UTF-8, a header row). Columns, in order: `id`, `coalition`, `demand`, `target`,
    `jurisdiction`, `status`, `visibility`, `summary`, `notes`, `notes_visibility`, `lead_organization`,
    `owner`, `start_date`, `due_date`, `closed_date`, `goal_count`, `goal_unit`, `progress_count`,
    `version`, `updated_at`. `notes` is empty where you may not read it. Text cells starting with `=`,
    `+`, `-` or `@` are written behind a `'` so spreadsheets do not run them as formulas; an import
    removes it."""
    text = campaign_export.export(
        session=session, principal=principal, filters=filters, stale_after_days=settings.stale_after_days
    )
    return Response(
        content=text.encode("utf-8"),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="campaigns.csv"'},
    )


def _flag(value: str, where: list[str]) -> bool:
    lowered = value.strip().lower()
    if lowered in TRUE or lowered in FALSE:
        return lowered in TRUE
    raise Invalid(
        "dry_run must be true or false.",
        extra={"errors": [{"location": where, "message": "not a boolean", "type": "bool_parsing"}]},
    )


def _form_parts(body: bytes, content_type: str) -> tuple[bytes, bool]:
    """The `file` part (and a `dry_run` field) of a multipart/form-data body, read with the standard library."""
    try:
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    except UnicodeEncodeError as exc:
        raise Invalid("The Content-Type header is not valid.") from exc
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise Invalid("The form has no parts; send the CSV as its `file` part.")
    file: bytes | None = None
    dry_run = False
    parts = message.get_payload()
    for part in parts if isinstance(parts, list) else []:
        if not isinstance(part, Message):
            continue
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if name == "file":
            file = data
        elif name == "dry_run":
            dry_run = _flag(data.decode("utf-8", "replace"), ["body", "dry_run"])
    if file is None:
        raise Invalid(
            "The form has no `file` part; send the CSV as `file`.",
            extra={"errors": [{"location": ["body", "file"], "message": "missing", "type": "missing"}]},
        )
    return file, dry_run


@router.post(
    "/imports/campaigns",
    response_model=CampaignImportReport,
    summary="Import campaigns from CSV",
    operation_id="import_campaigns",
    responses={
        **WRITE,
        **problems(s413="The file is larger than the request body limit"),
    },
    openapi_extra={"requestBody": UPLOAD_BODY},
)
def import_campaigns(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    body: Annotated[bytes, Body(media_type="text/csv")] = b"",
    content_type: Annotated[str | None, Header(include_in_schema=False)] = None,
    dry_run: Annotated[
        bool, Query(description="Check every row and report what would happen; write nothing.")
    ] = False,
) -> CampaignImportReport:
    """Create and update campaigns from a spreadsheet in the columns of `GET /campaigns.csv`, at most
    5,000 rows. A row with an `id` and `version` updates that campaign (a stale version is refused);
    a row without one creates the campaign, or updates the one the coalition already has for that
    demand and target. A different `status` is a status change, checked against the transition table.
    Coalitions, demands, targets and jurisdictions are matched by slug, OCD ID or exact name.

    All or nothing: if any row is refused, nothing is written and the answer is a `422` problem with
    `code: import_refused` and the report (`rows`, `counts`). With `dry_run=true` the answer is the
    report, whatever it says, and nothing is written. You need organizer rights in each row's coalition."""
    content = body
    if content_type and content_type.lower().startswith("multipart/form-data"):
        content, form_dry_run = _form_parts(body, content_type)
        dry_run = dry_run or form_dry_run
    return campaign_import.import_campaigns(
        session=session, principal=principal, content=content, dry_run=dry_run
    )
