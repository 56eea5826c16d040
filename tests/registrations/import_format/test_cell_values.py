"""The values the format accepts for sex, relationship, RT/RW and phone, read
into the API's values."""

import pytest

from registrations.import_format import read_phone, read_relationship, read_rt_rw, read_sex
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, problems_of, read, rows_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cell", "sex"),
    [("L", "L"), ("p", "P"), ("LK", "L"), ("Pr", "P"), ("LAKI-LAKI", "L"), ("Laki-laki", "L"), ("perempuan", "P")],
)
def test_it_reads_each_way_of_writing_the_sex(cell, sex):
    assert read_sex(cell) == (sex, "")


@pytest.mark.parametrize(
    ("cell", "relationship"),
    [
        ("KEPALA KELUARGA", "kepala_keluarga"), ("kepala_keluarga", "kepala_keluarga"),
        ("Kepala  Keluarga", "kepala_keluarga"), ("SUAMI", "suami"), ("istri", "istri"), ("Anak", "anak"),
        ("MENANTU", "menantu"), ("CUCU", "cucu"), ("ORANG TUA", "orang_tua"), ("orang_tua", "orang_tua"),
        ("MERTUA", "mertua"), ("FAMILI LAIN", "famili_lain"), ("PEMBANTU", "lainnya"), ("LAINNYA", "lainnya"),
    ],
)
def test_it_reads_each_relationship_of_the_format(cell, relationship):
    assert read_relationship(cell) == (relationship, "")


@pytest.mark.parametrize("cell", ["3", "03", "003", "RT 03", "RT. 003", "rt.3", 3, 3.0])
def test_it_reads_each_way_of_writing_an_rt(cell):
    assert read_rt_rw(cell, kind="rt") == "003"


def test_it_reads_an_rw_with_its_own_prefix():
    assert read_rt_rw("RW 02", kind="rw") == "002"
    assert read_rt_rw("RW 02", kind="rt") == "RW 02"  # left for the form's rule to refuse


@pytest.mark.parametrize("cell", ["081234567890", "6281234567890", "+6281234567890", "81234567890", "0812-3456-7890"])
def test_it_reads_each_way_of_writing_a_mobile_number(cell):
    data = household(size=1)
    rows = rows_of(data)
    rows[0]["no_hp"] = cell

    result = read(csv_bytes(lines_of(rows)))

    assert result.accepted[0].registration.phone == "+6281234567890"


def test_it_reports_a_phone_number_excel_wrote_as_a_number():
    assert read_phone("8.12346E+10")[1].startswith("This number was saved as a number by Excel")


def test_it_refuses_a_sex_and_a_relationship_it_does_not_know_naming_the_accepted_values():
    data = household(size=2)
    rows = rows_of(data)
    rows[1]["jenis_kelamin"] = "W"
    rows[1]["hubungan"] = "SEPUPU"

    result = read(csv_bytes(lines_of(rows)))

    problems = problems_of(result, 3)
    assert set(problems) == {"jenis_kelamin", "hubungan"}
    assert "LAKI-LAKI" in problems["jenis_kelamin"] and "(not W)" in problems["jenis_kelamin"]
    assert "PEMBANTU" in problems["hubungan"] and "(not SEPUPU)" in problems["hubungan"]


def test_it_sends_household_help_as_other():
    data = household(size=2)
    rows = rows_of(data)
    rows[1]["hubungan"] = "PEMBANTU"

    result = read(csv_bytes(lines_of(rows)))

    assert result.accepted[0].data["members"][1]["relationship"] == "lainnya"
