"""Writing many rows at once: PostgreSQL ``COPY``, or batched ``INSERT`` on SQLite.

For loading a whole city (``manage.py load_city``) and, later, imports:
rows go in as tuples in a model's column order, without a model instance or
a query per row. On PostgreSQL a loader can also set a table's indexes and
constraints aside while it copies (:func:`constraints_set_aside`): building
an index once is much faster than updating it for each of millions of rows,
and putting every constraint back re-checks every row, so the data is proven
valid against all of them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Model

COPY_CHUNK = 50_000


def columns_of(model: type[Model], *, omit: tuple[str, ...] = ()) -> list[str]:
    """The table's columns, in the order rows are given (concrete fields, ``attname`` order);
    ``omit``: columns (by ``attname``) the database fills, e.g. an identity key."""
    return [field.column for field in model._meta.concrete_fields if field.attname not in omit]


def row_maker(model: type[Model], *, omit: tuple[str, ...] = (), **defaults):
    """A function that turns keyword values (by ``attname``) into a row tuple in
    column order (``columns_of(model, omit=omit)``); ``defaults`` fill what a call
    leaves out. Every column must be given one way or the other: the database
    applies no Django default."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname not in omit]
    missing = [name for name in names if name not in defaults]

    def make(**values):
        try:
            return tuple(values[name] if name in values else defaults[name] for name in names)
        except KeyError:
            # A column added to the model since the caller was written: name it.
            absent = [name for name in missing if name not in values]
            raise TypeError(f"{model.__name__}: no value for {', '.join(absent)}") from None

    return make


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_rows(model: type[Model], rows: Iterable[tuple], *, columns: list[str] | None = None) -> int:
    """Write ``rows`` (tuples in ``columns`` order, default every column) into the model's table; how many."""
    columns = columns or columns_of(model)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    written = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, COPY_CHUNK):
            if connection.vendor == "postgresql":
                buffer = io.StringIO("".join("\t".join(map(_text, row)) + "\n" for row in chunk))
                cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)
            else:
                fields = {field.column: field for field in model._meta.concrete_fields}
                converters = [_sqlite_converter(fields[column]) for column in columns]
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({placeholders})",
                    [tuple(convert(value) for convert, value in zip(converters, row)) for row in chunk],
                )
            written += len(chunk)
    return written


def _sqlite_converter(field):
    """Values as Django itself would store them in SQLite (datetimes in UTC, decimals as text)."""
    def convert(value):
        return field.get_db_prep_save(value, connection) if value is not None else None
    return convert


def next_id(model: type[Model], *, column: str = "id") -> int:
    """The first free key of the model's table (ids are given by the loader)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({_q(column)}), 0) + 1 FROM {_q(model._meta.db_table)}")
        return cursor.fetchone()[0]


def reset_sequences(models: Iterable[type[Model]]) -> None:
    """After rows were written with their own ids, new rows get the next ones."""
    statements = connection.ops.sequence_reset_sql(_NoStyle(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


@contextmanager
def constraints_set_aside(models: Iterable[type[Model]]):
    """PostgreSQL: drop the tables' indexes and constraints (not their primary
    keys) for the duration, and create them again at the end, which checks
    every row against every one of them. Elsewhere: nothing (SQLite checks
    each row as it is written)."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    saved = []
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still owed in this transaction (rows
        # written just before) would forbid altering the tables: settle them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype <> 'p'", [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)", [table],
            )
            indexes = cursor.fetchall()
            saved.append((table, constraints, indexes))
        # Foreign keys first: they may lean on the unique indexes dropped next.
        for table, constraints, _indexes in saved:
            for name, _definition, kind in sorted(constraints, key=lambda c: c[2] != "f"):
                cursor.execute(f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(name)}")
        for _table, _constraints, indexes in saved:
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {_q(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _table, _constraints, indexes in saved:
            for _name, definition in indexes:
                cursor.execute(definition)
        for table, constraints, _indexes in saved:
            for name, definition, kind in sorted(constraints, key=lambda c: c[2] == "f"):
                cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def analyse(models: Iterable[type[Model]]) -> None:
    """Fresh statistics for tables just loaded; on PostgreSQL outside a
    transaction also the visibility map that index-only scans need (VACUUM
    cannot run inside one)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in models:
            table = _q(model._meta.db_table)
            cursor.execute(f"VACUUM ANALYZE {table}" if vacuum else f"ANALYZE {table}")
