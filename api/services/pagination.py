"""Limit/offset pages with a total, the one way every list is cut."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Row
from sqlmodel import Session

from schema.public import Page

Columns = TypeVarTuple("Columns")
Item = TypeVar("Item")


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


def paginate(
    *,
    session: Session,
    statement: Select[*Columns],
    page: PageRequest,
    build: Callable[[Sequence[Row[*Columns]]], list[Item]],
) -> Page[Item]:
    """Run one page of `statement` and its total; `build` turns the rows into items in one go."""
    rows = session.execute(statement.limit(page.limit).offset(page.offset)).all()
    return Page[Item](
        data=build(rows),
        count=count_rows(session=session, statement=statement),
        limit=page.limit,
        offset=page.offset,
    )
