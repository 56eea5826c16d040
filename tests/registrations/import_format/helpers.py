"""Shared helpers for the import-format tests: files in the format, built from
valid households (``tests.factories.registration_data``)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook

from registrations.import_format import ImportResult, read_households
from tests.factories import KRANJI, registration_data

HEADER = [
    "no_kk", "nik", "nama_lengkap", "tanggal_lahir", "jenis_kelamin", "hubungan",
    "alamat", "rt", "rw", "kelurahan", "no_hp", "email",
]
CONTACT = ["alamat", "rt", "rw", "kelurahan", "no_hp", "email"]


def household(kelurahan_code: str = KRANJI, *, size: int = 3, **overrides) -> dict:
    """A valid household in the API's shape (new numbers on every call)."""
    return registration_data(kelurahan_code, size=size, **overrides)


def rows_of(data: dict, *, contact_on_every_row: bool = False) -> list[dict[str, object]]:
    """The household as an office types it: one row per person, the household
    columns on the head's row (or on every row)."""
    rows = []
    for index, member in enumerate(data["members"]):
        row: dict[str, object] = {
            "no_kk": data["kk_number"],
            "nik": member["nik"],
            "nama_lengkap": member["full_name"],
            "tanggal_lahir": dt.date.fromisoformat(member["birth_date"]).strftime("%d-%m-%Y"),
            "jenis_kelamin": member["sex"],
            "hubungan": member["relationship"].replace("_", " ").upper(),
        }
        if index == 0 or contact_on_every_row:
            row.update(
                alamat=data["address"], rt=data["rt"], rw=data["rw"], kelurahan=data["kelurahan_code"],
                no_hp=data["phone"], email=data["email"],
            )
        rows.append(row)
    return rows


def lines_of(
    rows: list[dict[str, object]], *, columns: list[str] = HEADER, names: dict[str, str] | None = None,
) -> list[list[object]]:
    """The header line (``names`` renames a column's header) and one line per row."""
    names = names or {}
    return [[names.get(column, column) for column in columns]] + [
        [row.get(column, "") for column in columns] for row in rows
    ]


def csv_bytes(lines: list[list[object]], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(lines)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def household_csv(*households: dict, contact_on_every_row: bool = False, **options) -> bytes:
    """A CSV file of whole households, in the format's own column names."""
    rows = [row for data in households for row in rows_of(data, contact_on_every_row=contact_on_every_row)]
    return csv_bytes(lines_of(rows), **options)


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook with these sheets (name -> lines of cells), in this order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, lines in sheets.items():
        sheet = workbook.create_sheet(title)
        for line in lines:
            sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data: bytes, filename: str = "warga.csv", *, allowed=(KRANJI,), **options) -> ImportResult:
    return read_households(data, filename=filename, allowed_kelurahan_codes=allowed, **options)


def refusal_of(result: ImportResult, row: int):
    """The report line of row ``row`` (fails when the row was not refused)."""
    lines = [line for line in result.refusals if line.row == row]
    assert len(lines) == 1, [line.as_report() for line in result.refusals]
    return lines[0]


def problems_of(result: ImportResult, row: int) -> dict[str, str]:
    """Column -> message for row ``row``'s refusal (one message per column)."""
    problems = refusal_of(result, row).problems
    found = {problem.column: problem.message for problem in problems}
    assert len(found) == len(problems), problems
    return found
