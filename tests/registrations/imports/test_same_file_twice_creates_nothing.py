"""Importing the same file again creates nothing new: every household is
reported as already registered (not as an error of the file), one line per row."""

import pytest
from django.utils import translation

from registrations.models import HouseholdImport, Registration, RegistrationMember
from tests.registrations.imports.helpers import household, household_csv, import_file, kranji_staff

pytestmark = pytest.mark.django_db


def test_it_creates_nothing_the_second_time():
    user = kranji_staff()
    content = household_csv(household(size=2), household(size=4))
    first = import_file(content, by=user)
    assert first.households_imported == 2

    with translation.override("id"):
        second = import_file(content, by=user)

    assert second.status == HouseholdImport.Status.DONE
    assert (second.households_imported, second.households_already, second.people_imported) == (0, 2, 0)
    assert (second.households_refused, second.report_lines) == (0, 6)
    assert Registration.objects.count() == 2 and RegistrationMember.objects.count() == 6
    assert not Registration.objects.filter(household_import=second).exists()
    with second.report.open("rb") as handle:
        report = handle.read().decode("utf-8-sig")
    assert report.lower().count("sudah terdaftar") == 6, report
