"""REST transport: thin routes over the services."""

from fastapi import APIRouter

from api.rest import catalog, jurisdictions

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(catalog.router)
api_router.include_router(jurisdictions.router)
