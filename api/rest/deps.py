"""Shared FastAPI dependencies: the request's session, settings and page."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlmodel import Session

from api.errors import Invalid
from api.services.pagination import PageRequest
from api.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, committed once if the handler succeeds and rolled back otherwise."""
    with request.app.state.session_factory() as session, session.begin():
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": commit before the response goes out, so a failed commit is never reported as success.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


# Offsets past this are refused: they could only return empty pages, and overflow database integers.
MAX_OFFSET = 1_000_000_000


def get_page(
    settings: SettingsDep,
    limit: Annotated[
        int | None, Query(ge=1, description="Items per page (default 100, at most 500).")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> PageRequest:
    """A page request within the configured maximum; a larger one is refused, not silently cut."""
    if limit is not None and limit > settings.max_page_size:
        raise Invalid(
            f"limit must be at most {settings.max_page_size}.",
            extra={
                "errors": [
                    {
                        "location": ["query", "limit"],
                        "message": f"at most {settings.max_page_size}",
                        "type": "less_than_equal",
                    }
                ]
            },
        )
    return PageRequest(limit=limit or settings.default_page_size, offset=offset)


PageDep = Annotated[PageRequest, Depends(get_page)]


def refuse_nul_characters(request: Request) -> None:
    """NUL cannot be stored or compared by PostgreSQL; refuse it in the path and query up front."""
    places = [(["path"], request.url.path)] + [
        (["query", key], value) for key, value in request.query_params.multi_items()
    ]
    bad = [location for location, value in places if "\x00" in value]
    if bad:
        raise Invalid(
            "The request contains a NUL character, which no field accepts.",
            extra={
                "errors": [
                    {"location": loc, "message": "contains a NUL character", "type": "nul_character"}
                    for loc in bad
                ]
            },
        )
