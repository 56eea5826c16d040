"""CSV in UTF-8 (with or without BOM) or Windows-1252, separated by commas or by
semicolons (Excel in an Indonesian locale)."""

import pytest

from registrations.import_format import read_table
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, read, rows_of

pytestmark = pytest.mark.django_db


def _household_named(name: str) -> dict:
    data = household(size=2)
    data["members"][1]["full_name"] = name
    data["address"] = "Jl. Kranji Raya No. 5, Blok C"  # a comma inside a cell
    return data


@pytest.mark.parametrize("delimiter", [";", ","])
def test_it_detects_the_separator(delimiter):
    data = _household_named("Siti Aminah")

    result = read(csv_bytes(lines_of(rows_of(data)), delimiter=delimiter))

    assert result.table.delimiter == delimiter
    assert [h.data for h in result.accepted] == [data]


def test_it_reads_windows_1252():
    data = _household_named("Andrée Nuñez")
    content = csv_bytes(lines_of(rows_of(data)), delimiter=";", encoding="cp1252")
    assert b"Andr\xe9e" in content

    result = read(content)

    assert result.table.encoding == "cp1252"
    assert result.accepted[0].data["members"][1]["full_name"] == "Andrée Nuñez"


@pytest.mark.parametrize("bom", [True, False])
def test_it_reads_utf_8_with_or_without_a_bom(bom):
    data = _household_named("Andrée Nuñez")

    result = read(csv_bytes(lines_of(rows_of(data)), bom=bom))

    assert result.table.encoding == "utf-8"
    assert result.table.columns["no_kk"] == 0  # the BOM is not part of the first header
    assert [h.data for h in result.accepted] == [data]


def test_it_counts_a_quoted_line_break_as_one_row_as_excel_does():
    first, second = household(size=1), household(size=1)
    rows = rows_of(first) + rows_of(second)
    rows[0]["alamat"] = "Jl. Melati No. 3\nBlok C"

    table = read_table(csv_bytes(lines_of(rows)), filename="warga.csv")

    assert [number for number, _cells in table.rows] == [2, 3]
