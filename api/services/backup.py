"""Full backups: every row of every table as one versioned JSON document, and back, exactly.

The format is documented in docs/backup.md. The code walks `SQLModel.metadata`, so a table added by a
later migration is covered without changing anything here.
"""

import base64
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

import schema  # noqa: F401  (registers every table on SQLModel.metadata)
from api import migrations
from api.db import make_session_factory, transaction
from api.errors import Conflict, Invalid
from api.services.permissions import Action, Principal, authorize
from schema.public import PublicModel

FORMAT = "demands-backup"
FORMAT_VERSION = 1
# Rows sent to the database per executemany call: bounded memory, few round trips.
BATCH_ROWS = 5_000

logger = logging.getLogger(__name__)

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


class ImportReport(PublicModel):
    """What an import restored."""

    schema_revision: str
    rows: int
    tables: dict[str, int]


def tables() -> list[sa.Table]:
    """Every table, parents before children, so inserts never reference a row not yet there."""
    return list(SQLModel.metadata.sorted_tables)


# --- Values ----------------------------------------------------------------------------------------


def _python_type(column: sa.Column[Any]) -> type:
    """The Python type a column holds; a TypeDecorator (UTCDateTime) answers for the type it wraps."""
    type_: Any = column.type
    while isinstance(type_, sa.TypeDecorator):
        type_ = type_.impl_instance
    try:
        kind: type = type_.python_type
    except NotImplementedError:
        return object
    return kind


def _encoder(column: sa.Column[Any]) -> Encoder:
    """How one column's values become JSON without losing anything."""
    kind = _python_type(column)
    if issubclass(kind, datetime):
        return lambda value: value.astimezone(UTC).isoformat()
    if issubclass(kind, (date, time)):
        return lambda value: value.isoformat()
    if issubclass(kind, Enum):
        return lambda value: value.value if isinstance(value, Enum) else value
    if issubclass(kind, Decimal):
        return str
    if issubclass(kind, bytes):
        return lambda value: base64.b64encode(value).decode("ascii")
    return lambda value: value


def _expect(kinds: type | tuple[type, ...], label: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is int):
            raise ValueError(f"expected {label}")
        return value

    return check


def _parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 date-time")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("expected a date-time with its UTC offset")
    return parsed.astimezone(UTC)


def _enum_decoder(kind: type) -> Decoder:
    return lambda value: kind(_expect(str, "a string")(value))


# Checked in order: the first type a column's Python type is a subclass of decides.
_DECODERS: list[tuple[type, Callable[[type], Decoder]]] = [
    (datetime, lambda _: _parse_datetime),
    (date, lambda _: lambda value: date.fromisoformat(_expect(str, "an ISO 8601 date")(value))),
    (time, lambda _: lambda value: time.fromisoformat(_expect(str, "an ISO 8601 time")(value))),
    (Enum, _enum_decoder),
    (bool, lambda _: _expect(bool, "true or false")),
    (int, lambda _: _expect(int, "an integer")),
    (str, lambda _: _expect(str, "a string")),
    (Decimal, lambda _: lambda value: Decimal(_expect(str, "a decimal written as a string")(value))),
    (float, lambda _: lambda value: float(_expect((int, float), "a number")(value))),
    (bytes, lambda _: lambda value: base64.b64decode(_expect(str, "base64 text")(value), validate=True)),
]


def _decoder(column: sa.Column[Any]) -> Decoder:
    """How one column's JSON values become typed values again; anything unexpected is a ValueError."""
    kind = _python_type(column)
    for base, make in _DECODERS:
        if issubclass(kind, base):
            return make(kind)
    return lambda value: value


# --- Export ----------------------------------------------------------------------------------------


def export_database(*, session: Session, exported_at: datetime | None = None) -> dict[str, Any]:
    """Every row of every table, ordered by primary key; the caller makes the reads one snapshot."""
    connection = session.connection()
    revision = migrations.current_revision(connection)
    exported: dict[str, Any] = {}
    for table in tables():
        columns = list(table.columns)
        encoders = [_encoder(column) for column in columns]
        result = connection.execute(sa.select(*columns).order_by(*table.primary_key.columns))
        exported[table.name] = {
            "columns": [column.name for column in columns],
            "rows": [
                [
                    None if value is None else encode(value)
                    for encode, value in zip(encoders, row, strict=True)
                ]
                for row in result
            ],
        }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": revision,
        "exported_at": (exported_at or datetime.now(UTC)).astimezone(UTC).isoformat(),
        "tables": exported,
    }


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


def iter_dumps(document: dict[str, Any]) -> Iterator[str]:
    """The document as text, one row per line: stable, diffable, and streamable piece by piece."""
    yield "{\n"
    for key in ("format", "format_version", "schema_revision", "exported_at"):
        yield f"  {_dump(key)}: {_dump(document[key])},\n"
    yield '  "tables": {'
    names = list(document["tables"])
    for position, name in enumerate(names):
        table = document["tables"][name]
        yield f'\n    {_dump(name)}: {{\n      "columns": {_dump(table["columns"])},\n      "rows": ['
        rows = table["rows"]
        for index, row in enumerate(rows):
            yield f"\n        {_dump(row)}" + ("," if index < len(rows) - 1 else "")
        yield ("\n      ]" if rows else "]") + ("\n    }," if position < len(names) - 1 else "\n    }")
    yield "\n  }\n}\n"


def dumps(document: dict[str, Any]) -> str:
    """The canonical text of a backup: the same database always gives the same bytes."""
    return "".join(iter_dumps(document))


def _snapshot_connection(engine: Engine) -> sa.Connection:
    """A connection whose reads all see one moment: REPEATABLE READ on PostgreSQL, one read on SQLite."""
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(isolation_level="REPEATABLE READ")
    return engine.connect()


def write_export(engine: Engine, path: Path, *, exported_at: datetime | None = None) -> dict[str, int]:
    """Write a backup of the whole database to `path`; returns the number of rows per table."""
    with _snapshot_connection(engine) as connection, connection.begin():
        session = Session(bind=connection)
        document = export_database(session=session, exported_at=exported_at)
        session.close()
    temporary = path.with_name(path.name + ".partial")
    with temporary.open("w", encoding="utf-8") as handle:
        for piece in iter_dumps(document):
            handle.write(piece)
    temporary.replace(path)
    return {name: len(table["rows"]) for name, table in document["tables"].items()}


def download(*, session: Session, principal: Principal) -> dict[str, Any]:
    """A backup for a site admin over HTTP; on PostgreSQL writers wait while it is read, so it is consistent."""
    authorize(principal, Action.MANAGE_USERS)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # The request's transaction is READ COMMITTED: hold writers off so every table is read at one moment.
        names = ", ".join(connection.dialect.identifier_preparer.format_table(table) for table in tables())
        connection.exec_driver_sql(f"LOCK TABLE {names} IN SHARE MODE")
    return export_database(session=session)


# --- Import ----------------------------------------------------------------------------------------


def parse(text: str | bytes) -> dict[str, Any]:
    """A backup document from its text; anything that is not a JSON object is refused."""
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(f"This is not a Demands Tracker backup: it is not valid JSON ({exc}).") from exc
    if not isinstance(document, dict):
        raise Invalid("This is not a Demands Tracker backup: it is not a JSON object.")
    return document


def _check_header(document: dict[str, Any], database_revision: str | None) -> None:
    if document.get("format") != FORMAT:
        raise Invalid(f'This is not a Demands Tracker backup: `format` must be "{FORMAT}".')
    version = document.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:
        raise Invalid(
            f"This backup has format_version {version!r}; this version of Demands Tracker reads "
            f"format_version {FORMAT_VERSION} only. Export it again with a matching version."
        )
    revision = document.get("schema_revision")
    head = migrations.head_revision()
    if database_revision != head:
        raise Invalid(
            f"The database is at revision {database_revision or '(none)'}, not {head}. "
            "Run `demands db upgrade` first."
        )
    if revision != database_revision:
        raise Invalid(
            f"This backup was taken at schema revision {revision!r} but the database is at {database_revision}. "
            "Restore it with the version of Demands Tracker that exported it, or export it again "
            "from a database at the same revision (`demands db upgrade` there, then `demands export`)."
        )
    if not isinstance(document.get("tables"), dict):
        raise Invalid("This backup has no `tables` object.")


def _decode_table(table: sa.Table, data: Any) -> list[dict[str, Any]]:
    """One table's rows as dicts of typed values, checked column by column."""
    if not isinstance(data, dict) or not isinstance(data.get("columns"), list):
        raise Invalid(f"Table {table.name}: expected an object with `columns` and `rows`.")
    names: list[Any] = data["columns"]
    expected = [column.name for column in table.columns]
    if sorted(map(str, names)) != sorted(expected) or len(names) != len(expected):
        raise Invalid(
            f"Table {table.name}: the backup has columns {names} but the database has {expected}; "
            "it was not exported from this schema."
        )
    decoders = [_decoder(table.columns[name]) for name in names]
    rows = data.get("rows")
    if not isinstance(rows, list):
        raise Invalid(f"Table {table.name}: `rows` must be a list.")
    decoded: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(names):
            raise Invalid(f"Table {table.name}, row {index + 1}: expected a list of {len(names)} values.")
        values: dict[str, Any] = {}
        for name, decode, value in zip(names, decoders, row, strict=True):
            try:
                values[name] = None if value is None else decode(value)
            except (ValueError, TypeError) as exc:
                raise Invalid(f"Table {table.name}, row {index + 1}, column {name}: {exc}.") from exc
        decoded.append(values)
    return decoded


def _parents_first(table: sa.Table, rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows of a table that refers to itself, in waves where every row's parent came in an earlier wave."""
    links = [(fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table]
    if not links:
        return [rows]
    waves: list[list[dict[str, Any]]] = []
    inserted: dict[str, set[Any]] = {key: set() for _, key in links}
    pending = rows
    while pending:
        ready: list[dict[str, Any]] = []
        waiting: list[dict[str, Any]] = []
        for row in pending:
            if all(row[child] is None or row[child] in inserted[key] for child, key in links):
                ready.append(row)
            else:
                waiting.append(row)
        if not ready:
            raise Invalid(
                f"Table {table.name}: {len(waiting)} rows refer to parents that are missing or form a cycle."
            )
        for row in ready:
            for _, key in links:
                inserted[key].add(row[key])
        waves.append(ready)
        pending = waiting
    return waves


def _counts(connection: sa.Connection) -> dict[str, int]:
    found: dict[str, int] = {}
    for table in tables():
        count = connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        if count:
            found[table.name] = int(count)
    return found


def _wipe(connection: sa.Connection) -> None:
    """Delete every row, history included, inside the import's transaction (CLI `--force` only).

    The append-only guards refuse DELETE on history; PostgreSQL's TRUNCATE does not fire them, and on
    SQLite the triggers are dropped and recreated around the deletes, all in the same transaction.
    """
    preparer = connection.dialect.identifier_preparer
    ordered = tables()
    if connection.dialect.name == "postgresql":
        names = ", ".join(preparer.format_table(table) for table in ordered)
        connection.exec_driver_sql(f"TRUNCATE TABLE {names} RESTART IDENTITY")
        return
    triggers = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).all()
    for name, _ in triggers:
        connection.exec_driver_sql(f"DROP TRIGGER {preparer.quote(name)}")
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for table in reversed(ordered):
        # RESTRICT acts at once even when deferred: detach children from parents in the same table first.
        for fk in table.foreign_keys:
            if fk.column.table is table and fk.parent.nullable:
                connection.execute(table.update().values({fk.parent.name: None}))
        connection.execute(table.delete())
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = OFF")
    for _, sql in triggers:
        connection.exec_driver_sql(sql)


def _reset_sequences(connection: sa.Connection) -> None:
    """PostgreSQL: the next id of every table follows the largest one imported."""
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].name != "id" or _python_type(keys[0]) is not int:
            continue
        name = preparer.format_table(table)
        connection.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                f"FROM {name} WHERE pg_get_serial_sequence(:table, 'id') IS NOT NULL"
            ),
            {"table": name},
        )


def _insert(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    for wave in _parents_first(table, list(rows)):
        for start in range(0, len(wave), BATCH_ROWS):
            connection.execute(sa.insert(table), wave[start : start + BATCH_ROWS])


def import_database(*, session: Session, document: dict[str, Any], replace: bool = False) -> ImportReport:
    """Restore a backup into an empty database, exactly; the caller's transaction makes it all or nothing.

    `replace` first deletes every row the database holds, history included (the CLI's `--force`).
    """
    connection = session.connection()
    database_revision = migrations.current_revision(connection)
    _check_header(document, database_revision)
    known = {table.name: table for table in tables()}
    unknown = sorted(set(document["tables"]) - set(known))
    missing = sorted(set(known) - set(document["tables"]))
    if unknown or missing:
        raise Invalid(
            "This backup does not match the database's tables"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + "."
        )
    decoded = {table.name: _decode_table(table, document["tables"][table.name]) for table in tables()}
    if replace:
        _wipe(connection)
    else:
        present = _counts(connection)
        if present:
            listed = ", ".join(f"{count} {name}" for name, count in present.items())
            raise Conflict(
                f"The database is not empty ({listed} rows); a backup is restored only into an empty "
                "database. Create a new one (`demands db upgrade` on a new DEMANDS_DATABASE_URL), or "
                "replace everything in this one with `demands import FILE --force`.",
                extra={"rows": present},
            )
    current = ""
    try:
        for table in tables():
            current = table.name
            if decoded[current]:
                _insert(connection, table, decoded[current])
    except IntegrityError as exc:
        raise Conflict(
            f"Table {current}: the backup's rows break a database constraint, so nothing was imported "
            f"({str(exc.orig).splitlines()[0] if exc.orig else 'integrity error'})."
        ) from exc
    _reset_sequences(connection)
    counts = {name: len(rows) for name, rows in decoded.items()}
    return ImportReport(schema_revision=str(database_revision), rows=sum(counts.values()), tables=counts)


def read_import(engine: Engine, path: Path, force: bool = False) -> ImportReport:
    """Restore the backup at `path` in one transaction: everything is imported, or nothing."""
    document = parse(path.read_bytes())
    with transaction(make_session_factory(engine, for_writes=True)) as session:
        return import_database(session=session, document=document, replace=force)
