"""Full backups over REST, for site admins: download one, or restore one into an empty database."""

from typing import Any

from fastapi import APIRouter, Response

from api.rest.deps import PrincipalDep, SessionDep
from api.rest.responses import WRITE, problems
from api.services import backup

router = APIRouter(tags=["backups"])

_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The backup, as an attachment (format in docs/backup.md)",
        "content": {"application/json": {"schema": {"type": "object"}}},
        "headers": {"Content-Disposition": {"schema": {"type": "string"}, "description": "attachment"}},
    },
    **{code: WRITE[code] for code in (401, 403)},
}
_UPLOAD: dict[int | str, dict[str, Any]] = {
    **{code: WRITE[code] for code in (401, 403)},
    **problems(s409="The database is not empty", s413="Larger than the request body limit"),
}


@router.get(
    "/backup",
    response_class=Response,
    summary="Download a full backup",
    operation_id="export_backup",
    responses=_DOWNLOAD,
)
def export_backup(*, session: SessionDep, principal: PrincipalDep) -> Response:
    """Every row of every table (accounts and token hashes included) as one JSON document, for site
    admins. Big databases are better exported with `demands export FILE`."""
    document = backup.download(session=session, principal=principal)
    stamp = document["exported_at"][:19].replace(":", "").replace("-", "")
    return Response(
        content=backup.dumps(document).encode("utf-8"),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="demands-backup-{stamp}.json"'},
    )
