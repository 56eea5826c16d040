"""A column missing altogether refuses the whole file before any row is read,
naming the column and its aliases."""

import pytest

from registrations.import_format import FileRefused, Table, convert_households, read_table
from tests.factories import BINTARA, KRANJI
from tests.registrations.import_format.helpers import HEADER, csv_bytes, household, lines_of, read, rows_of

pytestmark = pytest.mark.django_db

REQUIRED = ["no_kk", "nik", "nama_lengkap", "tanggal_lahir", "jenis_kelamin", "hubungan", "alamat", "rt", "rw", "no_hp"]


@pytest.mark.parametrize("missing", REQUIRED)
def test_it_refuses_the_file_naming_the_missing_column_and_its_aliases(missing):
    columns = [column for column in HEADER if column != missing]
    data = csv_bytes(lines_of(rows_of(household()), columns=columns))

    with pytest.raises(FileRefused) as refused:
        read(data)

    assert list(refused.value.errors) == [missing]
    (message,) = refused.value.errors[missing]
    assert missing in message
    if missing == "no_kk":
        assert "No KK" in message and "Nomor KK" in message and "Nomor Kartu Keluarga" in message
    if missing == "no_hp":
        assert all(alias in message for alias in ["HP", "No HP", "No. Telp", "Telepon", "Nomor HP"])


def test_it_names_every_missing_column_at_once():
    columns = [column for column in HEADER if column not in ("rt", "rw")]

    with pytest.raises(FileRefused) as refused:
        read_table(csv_bytes(lines_of(rows_of(household()), columns=columns)), filename="warga.csv")

    assert set(refused.value.errors) == {"rt", "rw"}


def test_it_needs_no_kelurahan_column_when_the_area_is_one_kelurahan():
    data = household(KRANJI, size=2)
    columns = [column for column in HEADER if column != "kelurahan"]

    result = read(csv_bytes(lines_of(rows_of(data), columns=columns)), allowed=[KRANJI])

    assert [h.data["kelurahan_code"] for h in result.accepted] == [KRANJI]


def test_it_needs_no_email_column():
    data = household(KRANJI, size=2, email="")
    columns = [column for column in HEADER if column != "email"]

    result = read(csv_bytes(lines_of(rows_of(data), columns=columns)))

    assert [h.data for h in result.accepted] == [data]


def test_it_refuses_a_file_without_kelurahan_when_the_area_has_several():
    columns = [column for column in HEADER if column != "kelurahan"]
    data = csv_bytes(lines_of(rows_of(household(KRANJI)), columns=columns))

    with pytest.raises(FileRefused) as refused:
        read(data, allowed=[KRANJI, BINTARA])

    message = refused.value.errors["kelurahan"][0]
    assert "Desa/Kelurahan" in message and "Kode Kelurahan" in message


def test_it_refuses_before_any_row_is_read():
    def rows():
        raise AssertionError("a row was read")
        yield

    columns = {name: index for index, name in enumerate(HEADER) if name != "kelurahan"}
    table = Table(kind="csv", header_row=1, columns=columns, headers={}, rows=rows())

    with pytest.raises(FileRefused):
        convert_households(table, allowed_kelurahan_codes=[KRANJI, BINTARA])


def test_it_refuses_a_column_that_appears_twice():
    rows = [{**row, "telepon": row.get("no_hp", "")} for row in rows_of(household())]
    lines = lines_of(rows, columns=[*HEADER, "telepon"], names={"telepon": "Telepon"})

    with pytest.raises(FileRefused) as refused:
        read(csv_bytes(lines))

    assert "(columns K and M)" in refused.value.errors["no_hp"][0]
