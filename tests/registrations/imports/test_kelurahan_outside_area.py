"""A row for a kelurahan outside the uploader's area is refused on that
column, and its household is not imported."""

import pytest

from registrations.models import Registration
from tests.factories import KRANJI, MARGAJAYA
from tests.registrations.imports.helpers import household, household_csv, import_file, kranji_staff

pytestmark = pytest.mark.django_db


def test_it_refuses_the_household_of_another_kelurahan():
    mine, theirs = household(KRANJI), household(MARGAJAYA)

    record = import_file(household_csv(mine, theirs), by=kranji_staff())

    assert list(Registration.objects.values_list("kk_number", flat=True)) == [mine["kk_number"]]
    assert record.households_refused == 1
    with record.report.open("rb") as handle:
        report = handle.read().decode("utf-8-sig")
    head_row = report.splitlines()[1 + 0].split(",")  # the other household's head, on its kelurahan
    assert head_row[3] == "kelurahan" and MARGAJAYA in head_row[4] and "di luar wilayah" in head_row[4], report
