"""Shared helpers for the import tests: a kelurahan user and files of households."""

from __future__ import annotations

from registrations import imports
from registrations.models import HouseholdImport
from tests.factories import KRANJI, staff_user
from tests.registrations.import_format.helpers import household, household_csv  # noqa: F401 - re-exported


def kranji_staff(username: str = "petugas.kranji"):
    return staff_user(KRANJI, username=username)


def import_file(content: bytes, *, by, filename: str = "rw02.csv", update_pending: bool = False,
                confirm: bool = True) -> HouseholdImport:
    """Upload (the check runs: in-process without a broker), and confirm."""
    record = imports.household_import_create(content=content, filename=filename, by=by,
                                             update_pending=update_pending)
    record.refresh_from_db()
    if confirm and record.status == HouseholdImport.Status.CHECKED:
        imports.household_import_confirm(import_id=record.pk, by=by)
        record.refresh_from_db()
    return record
