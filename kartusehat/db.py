"""Database helpers shared by the services."""

from __future__ import annotations

import functools
import re

from django.apps import apps
from django.db import IntegrityError, models

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")


@functools.cache
def _unique_constraints_by_columns() -> dict[str, str]:
    """``"table.column, table.column"`` -> constraint name, for every unique
    constraint of every installed model.

    SQLite names the columns of a failed unique index, not the index;
    PostgreSQL names the constraint. This maps the one to the other, so the
    services read the same name on both. (No two unique constraints of this
    project cover the same columns of a table.)
    """
    names = {}
    for model in apps.get_models():
        table = model._meta.db_table
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                columns = [model._meta.get_field(name).column for name in constraint.fields]
                names.setdefault(", ".join(f"{table}.{column}" for column in columns), constraint.name)
    return names


def constraint_of(exc: IntegrityError) -> str | None:
    """The name of the constraint an IntegrityError broke, on either backend."""
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name
    text = str(exc)
    if match := _SQLITE_UNIQUE.search(text):
        columns = match.group("columns").strip()
        return _unique_constraints_by_columns().get(columns, columns)
    if match := _SQLITE_CHECK.search(text):
        return match.group("name")
    return None
