"""The audit log over REST, for site admins and coalition admins."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.rest.deps import PageDep, PrincipalDep, SessionDep
from api.rest.responses import WRITE
from api.services import audit
from schema.audit import AuditEntryPublic
from schema.public import Page

router = APIRouter(tags=["audit"])


@router.get(
    "/audit",
    response_model=Page[AuditEntryPublic],
    summary="Read the audit log",
    operation_id="list_audit_entries",
    responses={code: WRITE[code] for code in (401, 403, 404)},
)
def list_audit_entries(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    coalition: Annotated[
        str | None, Query(max_length=120, description="Only this coalition's entries.")
    ] = None,
    entity_type: Annotated[
        str | None, Query(max_length=40, description="Only this kind of record, e.g. `coalition_member`.")
    ] = None,
    entity_key: Annotated[
        str | None,
        Query(max_length=300, description="Only this record: a slug, an id or `coalition/username`."),
    ] = None,
    actor: Annotated[str | None, Query(max_length=80, description="Only writes by this username.")] = None,
    since: Annotated[
        datetime | None, Query(description="Only entries at or after this time (with a time zone).")
    ] = None,
) -> Page[AuditEntryPublic]:
    """Every recorded write, newest first. Site admins read all of it; coalition admins read the
    entries of the coalitions they administer (silently scoped; naming another coalition is a 403)."""
    return audit.get_all(
        session=session,
        principal=principal,
        page=page,
        coalition=coalition,
        entity_type=entity_type,
        entity_key=entity_key,
        actor=actor,
        since=since,
    )
