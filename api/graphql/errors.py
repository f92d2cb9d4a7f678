"""Expected failures as GraphQL errors with a stable `extensions.code`, never a stack trace."""

from pydantic import ValidationError
from strawberry.exceptions import StrawberryGraphQLError

from api.errors import DomainError


def domain_error(exc: DomainError) -> StrawberryGraphQLError:
    """The REST problem's code, upper-cased as GraphQL clients expect (`version_mismatch` → `VERSION_MISMATCH`)."""
    return StrawberryGraphQLError(exc.detail, extensions={"code": exc.code.upper(), **exc.extra})


def validation_error(exc: ValidationError) -> StrawberryGraphQLError:
    """Field-level problems of an input, located by field name, with the offending text never echoed."""
    errors = [
        {
            "location": [str(part) for part in error.get("loc", ())],
            "message": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in exc.errors()
    ]
    return StrawberryGraphQLError(
        f"The input has {len(errors)} invalid field(s); see `extensions.errors`.",
        extensions={"code": "VALIDATION_FAILED", "errors": errors},
    )


def bad_input(message: str) -> StrawberryGraphQLError:
    return StrawberryGraphQLError(message, extensions={"code": "VALIDATION_FAILED"})
