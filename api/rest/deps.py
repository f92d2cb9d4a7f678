"""Shared FastAPI dependencies: the request's session, settings and page."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from api.errors import Invalid, Unauthorized
from api.services import tokens, translations
from api.services.pagination import PageRequest
from api.services.permissions import ANONYMOUS, Principal
from api.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, committed once if the handler succeeds and rolled back otherwise."""
    state = request.app.state
    factory = state.session_factory if request.method in READ_METHODS else state.write_session_factory
    with factory() as session, session.begin():
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


_bearer = HTTPBearer(
    auto_error=False,
    description="An API token from `demands token create`. Without one you read public data only.",
)


def get_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Principal:
    """Anonymous without an Authorization header; a bad or revoked token is refused, never downgraded."""
    if credentials is None:
        if authorization:
            raise Unauthorized(
                "The Authorization header must be `Bearer <token>`.", headers={"WWW-Authenticate": "Bearer"}
            )
        return ANONYMOUS
    try:
        return tokens.authenticate(session=session, secret=credentials.credentials)
    except Unauthorized as exc:
        exc.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        raise


PrincipalDep = Annotated[Principal, Depends(get_principal)]

# Versions are small positive integers; anything else in If-Match cannot match.
MAX_VERSION = 2**31 - 1


def get_if_match(
    if_match: Annotated[
        str | None,
        Header(
            description='The ETag you read (`"3"`). Updates need it (or `version` in the body); '
            "a stale one is refused with 412 and nothing changes.",
        ),
    ] = None,
) -> int | None:
    """The version an If-Match header names; `W/` and unquoted forms are accepted too."""
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or not 1 <= int(text) <= MAX_VERSION:
        raise Invalid(
            'If-Match must be the ETag of the record you read, such as "3".',
            extra={
                "errors": [{"location": ["header", "if-match"], "message": "not an ETag", "type": "etag"}]
            },
        )
    return int(text)


IfMatchDep = Annotated[int | None, Depends(get_if_match)]


def expected_version(if_match: int | None, body_version: int | None) -> int | None:
    """The version the caller edited, from If-Match or the body; they must agree when both are sent."""
    if if_match is not None and body_version is not None and if_match != body_version:
        raise Invalid(
            f"If-Match names version {if_match} but the body says version {body_version}; send one.",
        )
    return if_match if if_match is not None else body_version


def get_language(
    session: SessionDep,
    response: Response,
    lang: Annotated[
        str | None,
        Query(
            max_length=35,
            pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
            description="Language of the texts (`es`, `ko`...); overrides Accept-Language. English is the fallback.",
        ),
    ] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    """The language to serve, said back in `Content-Language`; items without a translation stay in English."""
    language = translations.negotiate(session=session, lang=lang, accept_language=accept_language)
    response.headers["Content-Language"] = language
    return language


LanguageDep = Annotated[str, Depends(get_language)]
