"""An uploaded file, checked and confirmed, becomes pending registrations of
channel ``import``, each with its members, its status event and its history,
linked to the import and recorded as entered by the uploader."""

import pytest

from registrations.models import HouseholdImport, Registration, RegistrationEvent, RegistrationMember
from tests.registrations.imports.helpers import household, household_csv, import_file, kranji_staff

pytestmark = pytest.mark.django_db


def test_it_imports_every_household_of_the_file():
    user = kranji_staff()
    families = [household(size=size) for size in (1, 3, 5)]

    record = import_file(household_csv(*families), by=user)

    assert record.status == HouseholdImport.Status.DONE, record.error
    assert (record.households_imported, record.people_imported, record.rows_read) == (3, 9, 9)
    assert (record.households_refused, record.households_already, record.report_lines) == (0, 0, 0)
    registrations = Registration.objects.filter(household_import=record)
    assert sorted(registrations.values_list("kk_number", flat=True)) == sorted(f["kk_number"] for f in families)
    assert set(registrations.values_list("channel", "status", "submitted_by")) == {("import", "submitted", user.pk)}
    assert RegistrationMember.objects.filter(registration__household_import=record, pending=True).count() == 9
    assert RegistrationEvent.objects.filter(registration__household_import=record, status="submitted").count() == 3
    registration = registrations.get(kk_number=families[2]["kk_number"])
    assert [m.nik for m in registration.members.order_by("position")] == [m["nik"] for m in families[2]["members"]]
    assert registration.history.count() == 1 and registration.history.get().history_user == user
