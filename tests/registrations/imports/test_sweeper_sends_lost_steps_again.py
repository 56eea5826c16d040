"""The sweeper sends again an import whose worker died (its lease ran out) or
whose message was lost (nobody claimed it within a lease), and stops one that
failed too often, for a person to resume."""

import datetime as dt

import pytest
from django.test import TestCase
from django.utils import timezone

from registrations import imports
from registrations.models import HouseholdImport, Registration
from tests.registrations.imports.helpers import household, household_csv, kranji_staff

pytestmark = pytest.mark.django_db

Status = HouseholdImport.Status


def _uploaded(user, families):
    return imports.household_import_create(content=household_csv(*families), filename="rw.csv", by=user,
                                           check=False)


def test_it_checks_a_file_whose_check_message_was_lost():
    record = _uploaded(kranji_staff(), [household()])
    later = timezone.now() + dt.timedelta(minutes=5)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert imports.household_imports_recover(now=later) == [record.pk]

    assert HouseholdImport.objects.get(pk=record.pk).status == Status.CHECKED


def test_it_imports_a_confirmed_file_whose_message_was_lost():
    user = kranji_staff()
    record = imports.household_import_check(import_id=_uploaded(user, [household(), household()]).pk)
    imports.household_import_confirm(import_id=record.pk, by=user, send=False)  # the message never left
    later = timezone.now() + dt.timedelta(minutes=5)

    with TestCase.captureOnCommitCallbacks(execute=True):
        imports.household_imports_recover(now=later)

    assert HouseholdImport.objects.get(pk=record.pk).status == Status.DONE
    assert Registration.objects.filter(household_import=record).count() == 2


def test_it_leaves_a_fresh_step_alone():
    _uploaded(kranji_staff(), [household()])

    assert imports.household_imports_recover() == []


def test_it_stops_an_import_whose_workers_kept_dying(settings):
    user = kranji_staff()
    record = imports.household_import_check(import_id=_uploaded(user, [household()]).pk)
    imports.household_import_confirm(import_id=record.pk, by=user, send=False)
    HouseholdImport.objects.filter(pk=record.pk).update(
        status=Status.IMPORTING, claim="dead", lease_until=timezone.now() - dt.timedelta(seconds=1),
        attempts=settings.IMPORT_MAX_ATTEMPTS,
    )

    assert imports.household_imports_recover() == []

    record.refresh_from_db()
    assert (record.status, record.claim) == (Status.FAILED, "")
    assert str(settings.IMPORT_MAX_ATTEMPTS) in record.error
