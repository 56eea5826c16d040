"""Rules about a household's list of members (one head, no NIK twice) are
reported on the rows they concern."""

import pytest

from registrations.import_format import read_relationship
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, problems_of, read, rows_of

pytestmark = pytest.mark.django_db


def test_it_reports_a_household_without_a_head_on_every_row():
    rows = rows_of(household(size=2))
    rows[0]["hubungan"] = "SUAMI"

    result = read(csv_bytes(lines_of(rows)))

    message = "Mark exactly one member as head of household (kepala keluarga); none is marked."
    assert problems_of(result, 2) == {"hubungan": message}
    assert problems_of(result, 3) == {"hubungan": message}


def test_it_reports_two_heads_on_both_head_rows():
    rows = rows_of(household(size=3))
    rows[2]["hubungan"] = "KEPALA KELUARGA"

    result = read(csv_bytes(lines_of(rows)))

    message = "Mark exactly one member as head of household (kepala keluarga); 2 are marked."
    assert problems_of(result, 2) == {"hubungan": message}
    assert problems_of(result, 4) == {"hubungan": message}
    assert problems_of(result, 3) == {"": "The household was not imported because of rows 2, 4."}


def test_it_reports_a_nik_twice_on_both_rows():
    data = household(size=3)
    data["members"][2] = {**data["members"][1], "full_name": "Dewi Lestari"}

    result = read(csv_bytes(lines_of(rows_of(data))))

    message = "The NIK of member 3 is the same as that of member 2."
    assert problems_of(result, 3) == {"nik": message}
    assert problems_of(result, 4) == {"nik": message}
    assert problems_of(result, 2) == {"": "The household was not imported because of rows 3, 4."}


def test_it_does_not_say_the_head_is_missing_when_a_relationship_could_not_be_read():
    rows = rows_of(household(size=2))
    rows[0]["hubungan"] = "KEPALA KK"

    result = read(csv_bytes(lines_of(rows)))

    assert problems_of(result, 2) == {"hubungan": read_relationship("KEPALA KK")[1]}
    assert problems_of(result, 3) == {"": "The household was not imported because of row 2."}
