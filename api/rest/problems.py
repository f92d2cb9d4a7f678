"""RFC 9457 problem details for every REST error, so clients parse one error shape."""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import DomainError

PROBLEM_MEDIA_TYPE = "application/problem+json"
logger = logging.getLogger("demands.errors")


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def problem(
    request: Request, *, status: int, code: str, detail: str, title: str | None = None, **extra: Any
) -> ProblemResponse:
    """A problem document; `code` is a stable machine-readable name for the failure."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
        **extra,
    }
    return ProblemResponse(body, status_code=status)


def _field_errors(errors: Any) -> list[dict[str, Any]]:
    return [
        {
            "location": [str(part) for part in error.get("loc", ())],
            "message": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in errors
    ]


async def _domain_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, DomainError)
    response = problem(
        request, status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, **exc.extra
    )
    response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc.errors())
    return problem(
        request,
        status=422,
        code="validation_failed",
        detail=f"The request has {len(errors)} invalid field(s); see `errors`.",
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = HTTPStatus(exc.status_code)
    detail = exc.detail if isinstance(exc.detail, str) else status.description
    response = problem(
        request, status=exc.status_code, code=status.name.lower(), detail=detail or status.description
    )
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _unexpected_error(request: Request, exc: Exception) -> ProblemResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        request,
        status=500,
        code="internal_error",
        detail="The service failed to handle this request. It has been logged; nothing was saved.",
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
