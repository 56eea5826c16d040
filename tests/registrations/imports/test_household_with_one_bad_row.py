"""A household with one bad row is imported not at all; the good households
of the same file are, and the report names each refused row."""

import pytest

from registrations.models import Registration
from tests.registrations.imports.helpers import household, household_csv, import_file, kranji_staff

pytestmark = pytest.mark.django_db


def test_it_imports_the_good_households_and_none_of_a_damaged_one():
    good, damaged = household(size=2), household(size=4)
    damaged["members"][2]["birth_date"] = "2999-01-01"

    record = import_file(household_csv(good, damaged), by=kranji_staff())

    assert list(Registration.objects.values_list("kk_number", flat=True)) == [good["kk_number"]]
    assert (record.households_imported, record.households_refused, record.report_lines) == (1, 1, 4)
    with record.report.open("rb") as handle:
        lines = handle.read().decode("utf-8-sig").splitlines()[1:]
    rows = [line.split(",")[0] for line in lines]
    assert rows == ["4", "5", "6", "7"]  # the damaged household's rows: header is row 1, good ones 2-3
    assert "tanggal_lahir" in lines[2]
