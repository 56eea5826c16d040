"""XLSX workbooks: the first sheet unless one is named, date cells, serial
numbers and number cells read as Excel stored them."""

import datetime as dt
import io
import re
import zipfile

import pytest

from registrations.import_format import FileRefused, excel_number_message
from tests.registrations.import_format.helpers import household, lines_of, problems_of, read, rows_of, xlsx_bytes

pytestmark = pytest.mark.django_db


def _lines(data: dict) -> list[list[object]]:
    return lines_of(rows_of(data))


def test_it_reads_the_first_sheet():
    first, second = household(size=2), household(size=2)

    result = read(xlsx_bytes({"RW 01": _lines(first), "RW 02": _lines(second)}), filename="warga.xlsx")

    assert result.table.kind == "xlsx"
    assert result.table.sheet == "RW 01"
    assert result.table.other_sheets == ("RW 02",)
    assert [h.data for h in result.accepted] == [first]


def test_it_reads_the_sheet_it_is_told_to_read_in_any_case():
    data = household(size=2)
    content = xlsx_bytes({"Petunjuk": [["Isi data mulai baris 3"]], "Data Warga": _lines(data)})

    result = read(content, filename="warga.xlsx", sheet="data warga")

    assert [h.data for h in result.accepted] == [data]
    with pytest.raises(FileRefused) as refused:
        read(content, filename="warga.xlsx", sheet="RW 09")
    assert "RW 09" in refused.value.errors["non_field_errors"][0]


def test_it_reads_date_cells_and_excel_serial_numbers_as_their_dates():
    data = household(size=3)
    lines = _lines(data)
    births = [dt.date.fromisoformat(member["birth_date"]) for member in data["members"]]
    lines[1][3] = dt.datetime.combine(births[0], dt.time())  # a date cell
    lines[2][3] = (births[1] - dt.date(1899, 12, 30)).days  # a number cell holding the serial
    lines[3][3] = births[2]

    result = read(xlsx_bytes({"Warga": lines}), filename="warga.xlsx")

    assert result.refusals == []
    assert [m["birth_date"] for m in result.accepted[0].data["members"]] == [b.isoformat() for b in births]


def test_it_reads_numbers_typed_in_number_cells():
    data = household(size=1)
    lines = _lines(data)
    lines[1][7], lines[1][8] = 3, 12.0  # rt, rw
    lines[1][10] = int(data["phone"])  # Excel drops the leading 0

    result = read(xlsx_bytes({"Warga": lines}), filename="warga.xlsx")

    (accepted,) = result.accepted
    assert (accepted.registration.rt, accepted.registration.rw) == ("003", "012")
    assert accepted.registration.phone == "+62" + data["phone"][1:]


def test_it_reports_a_nik_in_a_number_cell_that_lost_its_last_digit():
    data = household(size=2)
    lines = _lines(data)
    nik = data["members"][1]["nik"]
    lines[2][1] = float(nik[:15] + "0")  # what Excel keeps of a 16-digit number: 15 digits

    result = read(xlsx_bytes({"Warga": lines}), filename="warga.xlsx")

    assert problems_of(result, 3) == {"nik": excel_number_message()}


def test_it_takes_an_exact_number_cell_that_a_program_wrote():
    data = household(size=1)
    # A number cell ending in 0 cannot be told from a rounded one; this one ends in 7,
    # and is below 2**53 (Bekasi Barat's region), so a float holds it exactly.
    nik = data["members"][0]["nik"]
    data["members"][0]["nik"] = "327502" + nik[6:12] + "0007"
    lines = _lines(data)
    lines[1][1] = int(data["members"][0]["nik"])

    result = read(xlsx_bytes({"Warga": lines}), filename="warga.xlsx")

    assert [h.data for h in result.accepted] == [data]


def test_it_reports_a_number_cell_too_large_for_a_float_to_hold():
    data = household(size=1)
    nik = data["members"][0]["nik"]
    lines = _lines(data)
    lines[1][1] = int("930114" + nik[6:12] + "0007")  # Papua: above 2**53

    result = read(xlsx_bytes({"Warga": lines}), filename="warga.xlsx")

    assert problems_of(result, 2) == {"nik": excel_number_message()}


def _with_cached_values(content: bytes, values: dict[str, str]) -> bytes:
    """Give formula cells the value Excel would have stored beside the formula
    (openpyxl writes formulas without one)."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                for ref, value in values.items():
                    text, count = re.subn(
                        rf'<c r="{ref}"><f>(.*?)</f><v ?/>', rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>', text,
                    )
                    assert count == 1
                body = text.encode()
            out.writestr(item, body)
    return target.getvalue()


def test_it_reads_the_value_of_a_formula_cell_not_the_formula():
    data = household(size=2)
    lines = _lines(data)
    name = data["members"][1]["full_name"]
    lines[2][2] = f'=PROPER("{name.lower()}")'
    content = _with_cached_values(xlsx_bytes({"Warga": lines}), {"C3": name})

    result = read(content, filename="warga.xlsx")

    assert [h.data for h in result.accepted] == [data]


def test_it_refuses_a_damaged_workbook():
    content = xlsx_bytes({"Warga": _lines(household())})

    with pytest.raises(FileRefused):
        read(content[: len(content) // 2], filename="warga.xlsx")
