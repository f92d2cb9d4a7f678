"""REST transport: thin routes over the services."""

from fastapi import APIRouter, Depends

from api.rest import (
    accounts,
    audit,
    backups,
    campaigns,
    catalog,
    coalitions,
    imports,
    jurisdictions,
    organizations,
    resources,
    scorecards,
    submissions,
    targets,
    webhooks,
)
from api.rest.deps import refuse_nul_characters
from api.rest.responses import VALIDATION

# Every route can refuse input (at least a NUL character), always as a problem document.
api_router = APIRouter(prefix="/api/v1", dependencies=[Depends(refuse_nul_characters)], responses=VALIDATION)
# Scorecards first: their `/jurisdictions/{ref}/scorecard` paths must win over `/jurisdictions/{ref:path}`.
for module in (
    scorecards,
    catalog,
    jurisdictions,
    targets,
    organizations,
    coalitions,
    campaigns,
    resources,
    accounts,
    audit,
    submissions,
    webhooks,
    imports,
    backups,
):
    api_router.include_router(module.router)
