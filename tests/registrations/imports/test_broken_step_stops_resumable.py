"""A step that breaks stops its import as resumable, with the reason, and keeps
the chunks it wrote; a run that has lost the import to another (its claim
replaced) never stops the one that holds it now."""

import pytest

from registrations import imports
from registrations.models import HouseholdImport, Registration
from tests.registrations.imports.helpers import household, household_csv, kranji_staff

pytestmark = pytest.mark.django_db

Status = HouseholdImport.Status


def _confirmed(families):
    user = kranji_staff()
    record = imports.household_import_create(content=household_csv(*families), filename="rw.csv", by=user,
                                             check=False)
    imports.household_import_check(import_id=record.pk)
    imports.household_import_confirm(import_id=record.pk, by=user, send=False)
    return record, user


def test_it_stops_as_resumable_and_the_resumed_run_finishes(monkeypatch):
    record, user = _confirmed([household() for _ in range(imports.CHUNK + 10)])
    real_write = imports._Importer._write
    calls = []

    def write_once_then_break(self, plan):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real_write(self, plan)

    monkeypatch.setattr(imports._Importer, "_write", write_once_then_break)
    with pytest.raises(RuntimeError):
        imports.household_import_run(import_id=record.pk)

    record.refresh_from_db()
    assert (record.status, record.error, record.claim) == (Status.FAILED, "RuntimeError", "")
    assert Registration.objects.filter(household_import=record).count() == imports.CHUNK  # the first chunk, whole

    monkeypatch.setattr(imports._Importer, "_write", real_write)
    imports.household_import_resume(import_id=record.pk, by=user)
    record = imports.household_import_run(import_id=record.pk)
    assert record.status == Status.DONE and record.households_imported == imports.CHUNK + 10
    assert Registration.objects.filter(household_import=record).count() == imports.CHUNK + 10


def test_a_run_that_lost_the_import_does_not_stop_the_other(monkeypatch):
    record, _user = _confirmed([household()])

    def taken_over_then_break(self, chunk, rows_total):
        # Its lease ran out meanwhile and the sweeper gave the import to another run.
        HouseholdImport.objects.filter(pk=record.pk).update(claim="another-run")
        raise RuntimeError("late")

    monkeypatch.setattr(imports._Importer, "_chunk", taken_over_then_break)
    with pytest.raises(RuntimeError):
        imports.household_import_run(import_id=record.pk)

    record.refresh_from_db()
    assert (record.status, record.claim) == (Status.IMPORTING, "another-run")
