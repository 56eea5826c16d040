"""Each refused row is one line of the report: baris, no_kk, nik, kolom, pesan."""

import pytest

from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, read, refusal_of, rows_of

pytestmark = pytest.mark.django_db


def test_it_gives_one_line_per_refused_row_in_the_report_s_fields():
    data = household(size=2)
    rows = rows_of(data)
    rows[1]["nama_lengkap"] = "Siti 4minah"

    result = read(csv_bytes(lines_of(rows)))

    assert [line.as_report() for line in result.refusals] == [
        {"baris": 2, "no_kk": data["kk_number"], "nik": data["members"][0]["nik"], "kolom": "",
         "pesan": "The household was not imported because of row 3."},
        {"baris": 3, "no_kk": data["kk_number"], "nik": data["members"][1]["nik"], "kolom": "nama_lengkap",
         "pesan": "A name may contain only letters, spaces, dots, commas, apostrophes and dashes."},
    ]


def test_it_puts_several_problems_of_one_row_on_its_one_line():
    rows = rows_of(household(size=2))
    rows[1].update(nama_lengkap="Siti 4minah", tanggal_lahir="31/31/1990")

    result = read(csv_bytes(lines_of(rows)))

    line = refusal_of(result, 3)
    assert line.column == "tanggal_lahir, nama_lengkap"
    assert line.message.startswith("tanggal_lahir: The date 31/31/1990 cannot be read.")
    assert "nama_lengkap: A name may contain only letters" in line.message


def test_it_lets_the_caller_report_a_whole_accepted_household_as_skipped():
    data = household(size=2)
    (accepted,) = read(csv_bytes(lines_of(rows_of(data)))).accepted

    lines = accepted.report_lines("sudah terdaftar")

    assert [line.as_report() for line in lines] == [
        {"baris": row, "no_kk": data["kk_number"], "nik": member["nik"], "kolom": "", "pesan": "sudah terdaftar"}
        for row, member in zip((2, 3), data["members"])
    ]
