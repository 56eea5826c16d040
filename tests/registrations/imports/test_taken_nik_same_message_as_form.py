"""A NIK already in another household or a pending registration, or twice
in the same file, refuses its household with the online form's message."""

import pytest

from kartusehat.refusals import Invalid
from registrations import services
from registrations.models import Registration
from tests.registrations.imports.helpers import household, household_csv, import_file, kranji_staff

pytestmark = pytest.mark.django_db


def _form_message(data) -> str:
    with pytest.raises(Invalid) as refused:
        services.registration_submit(data=data, channel="online")
    return next(m for member in refused.value.errors["members"] for m in member.get("nik", []))


def test_it_gives_the_form_s_message_for_a_nik_taken_elsewhere():
    elsewhere = household(size=2)
    services.registration_submit(data=elsewhere, channel="online")
    family = household(size=3)
    family["members"][1] = dict(elsewhere["members"][1], relationship=family["members"][1]["relationship"])

    record = import_file(household_csv(family), by=kranji_staff())

    assert record.households_refused == 1 and Registration.objects.count() == 1
    with record.report.open("rb") as handle:
        report = handle.read().decode("utf-8-sig")
    assert _form_message(family) in report


def test_it_imports_a_nik_once_when_two_households_of_the_file_list_it():
    first, second = household(size=2), household(size=2)
    second["members"][1] = dict(first["members"][1], relationship=second["members"][1]["relationship"])

    record = import_file(household_csv(first, second), by=kranji_staff())

    assert list(Registration.objects.values_list("kk_number", flat=True)) == [first["kk_number"]]
    assert (record.households_imported, record.households_refused) == (1, 1)
