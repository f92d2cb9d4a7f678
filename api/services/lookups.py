"""Resolving a public slug to a row id, the one check behind every `?filter=slug`."""

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from api.errors import NotFound


def id_by_slug(*, session: Session, model: type[SQLModel], slug: str, noun: str) -> int:
    """The id of the `model` row with `slug`, or NotFound naming what was asked for."""
    row_id = session.execute(
        select(model.id).where(model.slug == slug)  # type: ignore[attr-defined]
    ).scalar()
    if row_id is None:
        raise NotFound(f"No {noun} has the slug {slug!r}.")
    return int(row_id)
