"""Each column is found under every alias of the format, whatever the case,
spaces, dots and underscores of its header."""

import pytest

from registrations.import_format import COLUMNS, read_table
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, read, rows_of

pytestmark = pytest.mark.django_db

ALIASES = {
    "no_kk": ["No KK", "Nomor KK", "Nomor Kartu Keluarga"],
    "nik": ["NIK", "No NIK", "Nomor Induk Kependudukan"],
    "nama_lengkap": ["Nama", "Nama Lengkap"],
    "tanggal_lahir": ["Tgl Lahir", "Tanggal Lahir"],
    "jenis_kelamin": ["JK", "L/P", "Jenis Kelamin"],
    "hubungan": ["SHDK", "Hubungan", "Hubungan Keluarga", "Status Hubungan Dalam Keluarga"],
    "alamat": ["Alamat"],
    "rt": ["RT"],
    "rw": ["RW"],
    "kelurahan": ["Kelurahan", "Desa/Kelurahan", "Kode Kelurahan"],
    "no_hp": ["HP", "No HP", "No. Telp", "Telepon", "Nomor HP"],
    "email": ["Email", "E-mail"],
}
EVERY_ALIAS = [(column, alias) for column, aliases in ALIASES.items() for alias in aliases]


def test_it_knows_exactly_the_aliases_of_the_format():
    assert {column.name: list(column.aliases) for column in COLUMNS} == ALIASES


@pytest.mark.parametrize(("column", "alias"), EVERY_ALIAS)
def test_it_finds_a_column_under_each_of_its_aliases(column, alias):
    data = household(size=2)
    lines = lines_of(rows_of(data), names={column: alias})

    result = read(csv_bytes(lines))

    assert result.table.headers[column] == alias
    assert result.refusals == []
    assert [h.data for h in result.accepted] == [data]


@pytest.mark.parametrize("header", ["NOMOR  KARTU KELUARGA", "nomor_kartu_keluarga", "No.KK", " no kk ", "NO_KK"])
def test_it_ignores_case_spaces_dots_and_underscores_in_a_header(header):
    lines = lines_of(rows_of(household(size=1)), names={"no_kk": header})

    table = read_table(csv_bytes(lines), filename="warga.csv")

    assert table.columns["no_kk"] == 0


def test_it_ignores_columns_the_format_does_not_name():
    data = household(size=2)
    rows = [{**row, "agama": "Islam", "no": str(number)} for number, row in enumerate(rows_of(data), start=1)]
    lines = lines_of(rows, columns=["no", "agama", *lines_of([])[0]])

    result = read(csv_bytes(lines))

    assert result.table.columns["no_kk"] == 2
    assert [h.data for h in result.accepted] == [data]
