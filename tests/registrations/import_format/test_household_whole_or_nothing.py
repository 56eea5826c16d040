"""A household goes in whole or not at all: one refused row refuses its KK, and
every row of it is reported. A household is all rows with the same KK, adjacent
or not."""

import pytest

from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, problems_of, read, rows_of

pytestmark = pytest.mark.django_db


def test_it_refuses_a_household_with_one_bad_row_and_reports_all_its_rows():
    before, bad, after = household(size=2), household(size=3), household(size=1)
    rows = rows_of(bad)
    rows[1]["nama_lengkap"] = "Siti 4minah"

    result = read(csv_bytes(lines_of(rows_of(before) + rows + rows_of(after))))

    assert [h.data for h in result.accepted] == [before, after]
    assert [line.row for line in result.refusals] == [4, 5, 6]
    assert set(problems_of(result, 5)) == {"nama_lengkap"}
    for row in (4, 6):
        assert problems_of(result, row) == {"": "The household was not imported because of row 5."}
    assert {line.kk_number for line in result.refusals} == {bad["kk_number"]}
    assert [line.nik for line in result.refusals] == [m["nik"] for m in bad["members"]]


def test_it_names_every_refused_row_of_the_household():
    rows = rows_of(household(size=4))
    rows[1]["nama_lengkap"] = rows[2]["nama_lengkap"] = "N4ma"

    result = read(csv_bytes(lines_of(rows)))

    for row in (2, 5):
        assert problems_of(result, row) == {"": "The household was not imported because of rows 3, 4."}


def test_it_gathers_a_household_s_rows_wherever_they_are_in_the_file():
    first, second = household(size=3), household(size=2)
    a, b = rows_of(first), rows_of(second)
    lines = lines_of([a[0], b[0], a[1], b[1], a[2]])

    result = read(csv_bytes(lines))

    assert [(h.data, h.rows) for h in result.accepted] == [(first, (2, 4, 6)), (second, (3, 5))]


def test_it_refuses_a_scattered_household_on_all_its_rows():
    first, second = household(size=2), household(size=2)
    a, b = rows_of(first), rows_of(second)
    a[1]["jenis_kelamin"] = "L" if a[1]["jenis_kelamin"] == "P" else "P"  # disagrees with the NIK

    result = read(csv_bytes(lines_of([a[0], b[0], b[1], a[1]])))

    assert [h.data for h in result.accepted] == [second]
    assert [line.row for line in result.refusals] == [2, 5]
    assert set(problems_of(result, 5)) == {"nik"}
    assert problems_of(result, 2) == {"": "The household was not imported because of row 5."}


def test_it_refuses_a_row_without_a_kk_number_on_its_own():
    data = household(size=2)
    rows = rows_of(data)
    stray = {**rows_of(household(size=1))[0], "no_kk": ""}

    result = read(csv_bytes(lines_of(rows + [stray])))

    assert [h.data for h in result.accepted] == [data]
    assert problems_of(result, 4) == {"no_kk": "Enter the KK number."}
