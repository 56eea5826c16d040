"""Birth dates: YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY or an Excel serial
number; day first, never month first; anything else is refused."""

import pytest

from registrations.import_format import read_date
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, problems_of, read, rows_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cell", "date"),
    [
        ("1980-05-15", "1980-05-15"),
        ("15-05-1980", "1980-05-15"),
        ("15/05/1980", "1980-05-15"),
        ("15.05.1980", "1980-05-15"),
        ("05/04/1980", "1980-04-05"),  # 5 April: day first
        ("5/4/1980", "1980-04-05"),
        ("29221", "1980-01-01"),  # an Excel serial number
        ("8132", "1922-04-06"),
        ("'15-05-1980", "1980-05-15"),
    ],
)
def test_it_reads_the_formats_of_the_file(cell, date):
    assert read_date(cell) == (date, "")


@pytest.mark.parametrize(
    "cell", ["05/31/1980", "1980", "2026", "15-05-80", "15 Mei 1980", "31-02-1980", "15-05/1980", "0", "19800515"],
)
def test_it_refuses_a_date_it_cannot_read_rather_than_guess(cell):
    value, message = read_date(cell)

    assert message.startswith(f"The date {cell} cannot be read.")
    assert value == cell


@pytest.mark.parametrize(("cell", "date"), [(29221, "1980-01-01"), (29221.75, "1980-01-01"), (8132, "1922-04-06")])
def test_it_reads_a_number_cell_as_the_excel_serial_it_is(cell, date):
    assert read_date(cell) == (date, "")


def test_it_refuses_a_number_cell_that_reads_as_a_year():
    assert read_date(1980)[1] == read_date("1980")[1] != ""


def test_it_reads_day_first_dates_of_a_file_into_the_form_s_iso_dates():
    data = household(size=3)
    rows = rows_of(data)
    births = [member["birth_date"] for member in data["members"]]
    rows[0]["tanggal_lahir"] = births[0]  # YYYY-MM-DD
    year, month, day = births[1].split("-")
    rows[1]["tanggal_lahir"] = f"{day}/{month}/{year}"
    rows[2]["tanggal_lahir"] = "{2}.{1}.{0}".format(*births[2].split("-"))

    result = read(csv_bytes(lines_of(rows)))

    assert [m["birth_date"] for m in result.accepted[0].data["members"]] == births


def test_it_refuses_the_row_of_an_unreadable_date_with_its_own_message_only():
    data = household(size=2)
    rows = rows_of(data)
    rows[1]["tanggal_lahir"] = "12/31/1990"

    result = read(csv_bytes(lines_of(rows)))

    # One message for the cell: not also the form's "Enter the birth date" nor a NIK mismatch.
    assert problems_of(result, 3) == {"tanggal_lahir": read_date("12/31/1990")[1]}


def test_it_refuses_a_birth_date_in_the_future_as_the_form_does():
    data = household(size=1)
    rows = rows_of(data)
    rows[0]["tanggal_lahir"] = "01-01-2999"

    result = read(csv_bytes(lines_of(rows)))

    assert problems_of(result, 2) == {"tanggal_lahir": "The birth date cannot be in the future."}
