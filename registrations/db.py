"""Database helpers shared by the services."""

from __future__ import annotations

import re

from django.db import IntegrityError

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")

# SQLite names the columns of a failed unique index, not the index; map the
# column sets back to the constraint names PostgreSQL reports.
_SQLITE_UNIQUE_COLUMNS = {
    "registrations_registration.kk_number": "registration_one_pending_per_kk",
    "registrations_registrationmember.nik": "regmember_nik_pending_once",
    "registrations_registrationmember.registration_id, registrations_registrationmember.nik": "regmember_nik_once_per_registration",
    "registrations_registrationmember.registration_id": "regmember_one_head",
    "registrations_member.nik": "member_nik_active_once",
    "registrations_member.household_id": "member_one_active_head",
    "registrations_household.kk_number": "household_kk_unique",
}


def constraint_of(exc: IntegrityError) -> str | None:
    """The name of the constraint an IntegrityError broke, on either backend."""
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name
    text = str(exc)
    if match := _SQLITE_UNIQUE.search(text):
        return _SQLITE_UNIQUE_COLUMNS.get(match.group("columns").strip(), match.group("columns"))
    if match := _SQLITE_CHECK.search(text):
        return match.group("name")
    return None
