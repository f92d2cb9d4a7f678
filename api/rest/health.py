"""Health check for load balancers and operators."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.services import health
from schema.public import HealthReport

router = APIRouter(tags=["operations"])


@router.get(
    "/healthz",
    response_model=HealthReport,
    summary="Health check",
    operation_id="healthz",
    responses={503: {"description": "The database is unreachable or not migrated", "model": HealthReport}},
)
def healthz(request: Request) -> JSONResponse:
    """200 when the database answers and is at the code's migration head; 503 otherwise."""
    report = health.check(engine=request.app.state.engine)
    return JSONResponse(report.model_dump(mode="json"), status_code=200 if report.status == "ok" else 503)
