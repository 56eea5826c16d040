"""A NIK or KK number that Excel damaged (scientific notation, a trailing .0, last
digits turned to zeros) is reported on its row with how to fix the file, never
guessed, and never also with the form's message for the same cell."""

import pytest

from tests.registrations.import_format.helpers import (
    csv_bytes,
    household,
    lines_of,
    problems_of,
    read,
    refusal_of,
    rows_of,
)

pytestmark = pytest.mark.django_db

EXCEL = "This number was saved as a number by Excel: format the column as Text and type it again."


def _read_with_nik(cell: str, *, member: int = 1):
    data = household(size=2)
    rows = rows_of(data)
    rows[member]["nik"] = cell
    return read(csv_bytes(lines_of(rows)))


@pytest.mark.parametrize("cell", ["3.27502E+15", "3,27502E+15", "3.275011505800003e15", "3275011505800003.0"])
def test_it_reports_a_nik_excel_wrote_as_a_number(cell):
    result = _read_with_nik(cell)

    assert problems_of(result, 3) == {"nik": EXCEL}
    assert refusal_of(result, 3).nik == cell


def test_it_reports_a_nik_whose_last_digits_a_float_turned_to_zeros():
    data = household(size=2)
    truncated = data["members"][1]["nik"][:12] + "0000"  # fails the rules: serial 0000

    result = _read_with_nik(truncated)

    assert problems_of(result, 3) == {"nik": EXCEL}


def test_it_keeps_a_valid_number_that_happens_to_end_in_000():
    data = household(size=2)
    nik = data["members"][1]["nik"][:12] + "1000"
    data["members"][1]["nik"] = nik

    result = read(csv_bytes(lines_of(rows_of(data))))

    assert result.refusals == []
    assert result.accepted[0].registration.members[1].nik == nik


def test_it_reports_a_kk_number_excel_wrote_as_a_number_on_every_row():
    data = household(size=2)
    rows = rows_of(data)
    for row in rows:
        row["no_kk"] = "3.27502E+15"

    result = read(csv_bytes(lines_of(rows)))

    assert problems_of(result, 2) == {"no_kk": EXCEL}
    assert problems_of(result, 3) == {"no_kk": EXCEL}


def test_it_reports_a_kk_number_that_lost_its_serial():
    data = household(size=2)
    rows = rows_of(data)
    for row in rows:
        row["no_kk"] = data["kk_number"][:12] + "0000"

    result = read(csv_bytes(lines_of(rows)))

    assert {line.row: line.column for line in result.refusals} == {2: "no_kk", 3: "no_kk"}
    assert {line.message for line in result.refusals} == {EXCEL}


def test_it_reports_the_same_damaged_nik_on_two_rows_without_calling_it_a_duplicate():
    data = household(size=3)
    rows = rows_of(data)
    rows[1]["nik"] = rows[2]["nik"] = "3.27502E+15"

    result = read(csv_bytes(lines_of(rows)))

    assert problems_of(result, 3) == {"nik": EXCEL}
    assert problems_of(result, 4) == {"nik": EXCEL}


def test_it_ignores_spaces_dots_dashes_and_a_leading_apostrophe():
    data = household(size=2)
    rows = rows_of(data)
    kk, nik = data["kk_number"], data["members"][1]["nik"]
    for row in rows:
        row["no_kk"] = f"'{kk[:6]}.{kk[6:12]}.{kk[12:]}"
    rows[1]["nik"] = f"{nik[:4]} {nik[4:8]}-{nik[8:12]} {nik[12:]}"

    result = read(csv_bytes(lines_of(rows)))

    assert [h.data for h in result.accepted] == [data]

