"""Household columns (alamat, rt, rw, kelurahan, no_hp, email) on the head's row
only or on every row; where filled on several rows of one KK they must agree."""

import pytest

from tests.factories import BINTARA, KRANJI
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, problems_of, read, rows_of

pytestmark = pytest.mark.django_db


def test_it_takes_the_household_columns_from_the_head_s_row_only():
    data = household(size=3)
    rows = rows_of(data)
    assert all("alamat" not in row for row in rows[1:])

    result = read(csv_bytes(lines_of(rows)))

    assert [h.data for h in result.accepted] == [data]


def test_it_takes_them_from_another_row_when_the_head_s_row_has_none():
    data = household(size=3)
    rows = rows_of(data, contact_on_every_row=True)
    for column in ("alamat", "rt", "rw", "kelurahan", "no_hp", "email"):
        rows[0][column] = ""

    result = read(csv_bytes(lines_of(rows)))

    assert [h.data for h in result.accepted] == [data]


def test_it_accepts_them_repeated_on_every_row_written_differently():
    data = household(size=3)
    data["email"] = "warga@example.com"
    rows = rows_of(data, contact_on_every_row=True)
    rows[1].update(alamat=data["address"].upper(), rt=f"RT {int(data['rt'])}", no_hp="+62" + data["phone"][1:])
    rows[2].update(kelurahan="Kranji", email="WARGA@example.com")

    result = read(csv_bytes(lines_of(rows)))

    assert result.refusals == []
    assert result.accepted[0].data == data  # the head's row's values


@pytest.mark.parametrize(
    ("column", "other"),
    [("alamat", "Jl. Lain No. 1"), ("rt", "099"), ("rw", "099"), ("kelurahan", BINTARA), ("no_hp", "081399990000"),
     ("email", "lain@example.com")],
)
def test_it_refuses_a_row_that_disagrees_with_the_head_s_row(column, other):
    data = household(size=3, email="warga@example.com")
    rows = rows_of(data, contact_on_every_row=True)
    rows[2][column] = other

    result = read(csv_bytes(lines_of(rows)), allowed=[KRANJI, BINTARA])

    assert problems_of(result, 4) == {
        column: f"This differs from row 2 of the same KK: fill {column} on the head's row only, or the same on "
                "every row.",
    }
    assert result.accepted == []


def test_it_refuses_the_disagreeing_row_not_the_head_even_when_the_head_comes_last():
    data = household(size=2)
    rows = rows_of(data, contact_on_every_row=True)
    rows[1]["rt"] = "099"
    rows.reverse()  # the head's row is now row 3

    result = read(csv_bytes(lines_of(rows)))

    assert set(problems_of(result, 2)) == {"rt"}
    assert "row 3" in problems_of(result, 2)["rt"]


def test_it_reports_a_missing_household_value_on_the_head_s_row():
    data = household(size=2)
    rows = rows_of(data)
    rows.reverse()  # the head's row (row 3) has the household columns
    rows[1]["no_hp"] = ""

    result = read(csv_bytes(lines_of(rows)))

    assert problems_of(result, 3) == {"no_hp": "Enter an Indonesian mobile number, e.g. 081234567890."}
    assert set(problems_of(result, 2)) == {""}


def test_it_reports_a_bad_household_value_on_the_row_it_came_from():
    data = household(size=3)
    rows = rows_of(data)
    rows[2].update({column: rows[0].pop(column) for column in ("alamat", "rt", "rw", "kelurahan", "no_hp", "email")})
    rows[2]["no_hp"] = "021-8894455"

    result = read(csv_bytes(lines_of(rows)))

    assert problems_of(result, 4) == {"no_hp": "Enter an Indonesian mobile number, e.g. 081234567890."}
    assert problems_of(result, 2) == {"": "The household was not imported because of row 4."}
