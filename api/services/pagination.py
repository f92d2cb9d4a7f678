"""Limit/offset pages with a total, the one way every list is cut."""

from dataclasses import dataclass
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, select
from sqlmodel import Session

Columns = TypeVarTuple("Columns")


@dataclass(frozen=True)
class PageRequest:
    """Validated by the transport against the configured maximum before it gets here."""

    limit: int
    offset: int = 0


def count_rows(*, session: Session, statement: Select[*tuple[Any, ...]]) -> int:
    """The total the filtered statement would return, without fetching it."""
    total = session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    return int(total)


def page_of(*, statement: Select[*Columns], page: PageRequest) -> Select[*Columns]:
    return statement.limit(page.limit).offset(page.offset)
