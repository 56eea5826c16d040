"""A household of the file becomes the registration input the online form sends,
checked by the form's own rules."""

import pytest

from registrations.import_format import read_table
from registrations.validation import clean_registration
from tests.factories import KRANJI
from tests.registrations.import_format.helpers import household, household_csv, read

pytestmark = pytest.mark.django_db


def test_it_turns_a_household_into_the_form_s_registration_input():
    data = household(size=3)

    result = read(household_csv(data))

    assert result.refusals == []
    (accepted,) = result.accepted
    assert accepted.data == data
    assert accepted.kk_number == data["kk_number"]
    assert accepted.registration.kk_number == data["kk_number"]
    assert accepted.registration.kelurahan.code == KRANJI
    assert [m.nik for m in accepted.registration.members] == [m["nik"] for m in data["members"]]
    assert accepted.registration == clean_registration(data)


def test_it_gives_each_household_the_row_numbers_of_its_members():
    first, second = household(size=2), household(size=3)

    result = read(household_csv(first, second))

    assert [h.rows for h in result.accepted] == [(2, 3), (4, 5, 6)]


def test_it_counts_households_people_and_rows_in_the_summary():
    good, bad = household(size=3), household(size=2)
    bad["members"][1]["full_name"] = "B4dr1"

    result = read(household_csv(good, bad))

    summary = result.summary
    assert (summary.households_accepted, summary.households_refused) == (1, 1)
    assert summary.people_accepted == 3
    assert summary.rows_read == 5
    assert summary.rows_refused == 2


def test_it_streams_the_rows_below_the_header():
    table = read_table(household_csv(household(size=2)), filename="warga.csv")

    assert table.header_row == 1
    assert [number for number, _cells in table.rows] == [2, 3]
    assert list(table.rows) == []
