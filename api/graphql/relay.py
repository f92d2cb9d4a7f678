"""Relay conventions: global object ids, and cursor connections with `totalCount` on every list."""

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from api.graphql.errors import bad_input
from api.services.pagination import PageRequest
from api.settings import Settings
from schema.public import Page

Item = TypeVar("Item")
Node_ = TypeVar("Node_")


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID


def global_id(type_name: str, key: str | int) -> strawberry.ID:
    """Opaque to clients; `Type:key` inside, where key is a slug or a number."""
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode())


def parse_global_id(value: str) -> tuple[str, str]:
    try:
        type_name, _, key = base64.urlsafe_b64decode(value.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_input(f"{value!r} is not an id this API issued.") from None
    if not type_name or not key:
        raise bad_input(f"{value!r} is not an id this API issued.")
    return type_name, key


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[Node_]):
    cursor: str
    node: Node_


@strawberry.type(description="A page of a list, with the total across all pages.")
class Connection(Generic[Node_]):
    edges: list[Edge[Node_]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Items matching the filters, across all pages.")

    @strawberry.field(description="The page's items, without cursors.")
    def nodes(self) -> list[Node_]:
        return [edge.node for edge in self.edges]


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def page_request(*, settings: Settings, first: int | None, after: str | None) -> PageRequest:
    """Forward pagination within the configured maximum; an out-of-range `first` is refused, not cut."""
    limit = settings.default_page_size if first is None else first
    if not 1 <= limit <= settings.max_page_size:
        raise bad_input(f"`first` must be between 1 and {settings.max_page_size}.")
    offset = 0
    if after is not None:
        try:
            kind, _, number = base64.urlsafe_b64decode(after.encode()).decode().partition(":")
            offset = int(number) + 1
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise bad_input(f"{after!r} is not a cursor this API issued.") from None
        if kind != "offset" or not 1 <= offset <= 1_000_000_000:
            raise bad_input(f"{after!r} is not a cursor this API issued.")
    return PageRequest(limit=limit, offset=offset)


def connection(
    items: Sequence[Item], *, total: int, offset: int, convert: Callable[[Item], Node_]
) -> Connection[Node_]:
    edges = [Edge(cursor=_cursor(offset + index), node=convert(item)) for index, item in enumerate(items)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=offset + len(edges) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def from_page(page: Page[Item], convert: Callable[[Item], Node_]) -> Connection[Node_]:
    """A connection over one page the services cut in SQL."""
    return connection(page.data, total=page.count, offset=page.offset, convert=convert)


def from_list(
    items: Sequence[Item], page: PageRequest, convert: Callable[[Item], Node_]
) -> Connection[Node_]:
    """A connection over a loader's full list of a parent's children, cut here."""
    return connection(
        items[page.offset : page.offset + page.limit], total=len(items), offset=page.offset, convert=convert
    )
