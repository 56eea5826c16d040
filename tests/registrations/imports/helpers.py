"""Shared helpers for the import tests: a kelurahan user and files of households."""

from __future__ import annotations

from django.test import TestCase

from registrations import imports
from registrations.models import HouseholdImport
from tests.factories import KRANJI, staff_user
from tests.registrations.import_format.helpers import household, household_csv  # noqa: F401 - re-exported


def kranji_staff(username: str = "petugas.kranji"):
    return staff_user(KRANJI, username=username)


def import_file(content: bytes, *, by, filename: str = "rw02.csv", update_pending: bool = False,
                confirm: bool = True) -> HouseholdImport:
    """Upload and confirm, as the page does: each step hands its task over when
    its transaction commits (run in-process here, as without a broker)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        record = imports.household_import_create(content=content, filename=filename, by=by,
                                                 update_pending=update_pending)
    record.refresh_from_db()
    if confirm and record.status == HouseholdImport.Status.CHECKED:
        with TestCase.captureOnCommitCallbacks(execute=True):
            imports.household_import_confirm(import_id=record.pk, by=by)
        record.refresh_from_db()
    return record
