"""A file that cannot be read, or is in an unknown format, is refused whole."""

import pytest

from registrations.import_format import FileRefused
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, read, rows_of, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"%PDF-1.7\n...", "warga.pdf"),
        (b"no_kk,nik\n", "warga"),
        (b"not a workbook", "warga.xlsx"),
        (b"PK\x03\x04 not really a zip", "warga.xlsx"),
        ("no_kk\tnik".encode("utf-16"), "warga.csv"),
        (b"no_kk,nik\x00\x00\x00", "warga.csv"),
    ],
)
def test_it_refuses_a_file_it_cannot_read(content, filename):
    with pytest.raises(FileRefused) as refused:
        read(content, filename)

    assert refused.value.errors["non_field_errors"][0].startswith("This file cannot be read.")


def test_it_refuses_an_old_excel_file_saying_how_to_save_it():
    with pytest.raises(FileRefused) as refused:
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "warga.xls")

    assert ".xlsx" in refused.value.errors["non_field_errors"][0]


def test_it_reads_a_workbook_whatever_its_name_says():
    data = household(size=1)
    content = xlsx_bytes({"Warga": lines_of(rows_of(data))})

    assert [h.data for h in read(content, "warga.csv").accepted] == [data]


def test_it_refuses_an_empty_file_naming_the_columns():
    with pytest.raises(FileRefused) as refused:
        read(b"", "warga.csv")

    assert "no_kk" in refused.value.errors and "nik" in refused.value.errors


def test_it_refuses_a_file_whose_header_is_too_far_down():
    lines = [["DAFTAR WARGA"]] * 60 + lines_of(rows_of(household()))

    with pytest.raises(FileRefused):
        read(csv_bytes(lines), "warga.csv")
