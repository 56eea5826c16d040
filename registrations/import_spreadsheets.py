"""Workbooks of the household import: the report as XLSX, and the template an
office fills in (``import-format.md``).

Every cell written from a file or a person's data goes through
``kartusehat.spreadsheets.escape_cell``: a report line quotes what the file
held, and a cell starting with ``=`` would run as a formula in Excel.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kartusehat.spreadsheets import escape_cell

from .demo import NumberSource, household_data
from .import_format import COLUMNS, RELATIONSHIP_WORDS, REPORT_FIELDS, SEX_WORDS

# Rows of the template that carry the dropdown lists and the Text format:
# more than any RW list (the 2017 Kranji list had 516 households).
TEMPLATE_ROWS = 5000
# The columns Excel must keep as text: long numbers lose their last digits as
# a Number (the most common damage the import reports), RT "003" its zeros.
TEXT_COLUMNS = ("no_kk", "nik", "tanggal_lahir", "rt", "rw", "no_hp")
# The example household is the same on every download: a fixed seed and date.
EXAMPLE_SEED = 2017
EXAMPLE_DATE = dt.date(2025, 1, 1)
# Serials far from those the demo data hands out, so the example does not
# collide with a demo household.
EXAMPLE_SERIAL = 9001


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_xlsx(rows: list[dict]) -> bytes:
    """The report's lines (``import_format.REPORT_FIELDS``) as a workbook."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Import report"))
    sheet.append(list(REPORT_FIELDS))
    for row in rows:
        line = [escape_cell(row.get(name, "")) for name in REPORT_FIELDS]
        baris = str(line[0])
        line[0] = int(baris) if baris.isdigit() else baris
        sheet.append(line)
    return _save(workbook)


def _example_rows(kelurahan_code: str) -> list[list[object]]:
    rng = random.Random(EXAMPLE_SEED)
    data = household_data(rng, NumberSource(rng, start=EXAMPLE_SERIAL), kelurahan_code=kelurahan_code, size=3,
                          today=EXAMPLE_DATE)
    rows = []
    for index, member in enumerate(data["members"]):
        row = {
            "no_kk": data["kk_number"], "nik": member["nik"], "nama_lengkap": member["full_name"].upper(),
            "tanggal_lahir": dt.date.fromisoformat(member["birth_date"]).strftime("%d-%m-%Y"),
            "jenis_kelamin": member["sex"], "hubungan": member["relationship"].replace("_", " ").upper(),
        }
        if index == 0:  # household columns on the head's row only, as most lists have them
            row.update(alamat=data["address"], rt=data["rt"], rw=data["rw"], kelurahan=kelurahan_code,
                       no_hp=data["phone"], email=data["email"])
        rows.append([escape_cell(row.get(column.name, "")) for column in COLUMNS])
    return rows


def _dropdown(sheet, column_name: str, words: str, title: str) -> None:
    letter = get_column_letter([column.name for column in COLUMNS].index(column_name) + 1)
    values = [word.strip() for word in words.split(",")]
    validation = DataValidation(
        type="list", formula1='"{}"'.format(",".join(values)), allow_blank=True, showDropDown=False,
        showErrorMessage=True, errorTitle=title,
        error=_("Choose one of: %(values)s") % {"values": ", ".join(values)},
    )
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    sheet.add_data_validation(validation)


def template_xlsx(*, kelurahan_code: str) -> bytes:
    """The format's headers, one example household of ``kelurahan_code`` (numbers
    that pass the NIK and KK rules, of nobody), in-cell lists of the values
    ``jenis_kelamin`` and ``hubungan`` accept, and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Household list")
    sheet.append([column.name for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _example_rows(kelurahan_code):
        sheet.append(row)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.name) + 4)
        if column.name in TEXT_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=TEMPLATE_ROWS, min_col=index, max_col=index):
                cell.number_format = "@"
    sheet.column_dimensions["C"].width = 28
    sheet.column_dimensions["G"].width = 30
    sheet.freeze_panes = "A2"
    _dropdown(sheet, "jenis_kelamin", SEX_WORDS, _("Sex"))
    _dropdown(sheet, "hubungan", RELATIONSHIP_WORDS, _("Relationship"))

    notes = workbook.create_sheet(_("Instructions"))
    for line in (
        _("One row per person; a household is every row with the same no_kk."),
        _("Replace the example household (rows 2 to 4) with your own before uploading."),
        _("Household columns (alamat, rt, rw, kelurahan, no_hp, email) may be filled on the head's row only."),
        _("Type NIK and KK numbers as text (this sheet keeps them as text): Excel turns long numbers into "
          "3.27502E+15 and drops the last digits."),
        _("Dates day first: DD-MM-YYYY."),
        _("jenis_kelamin: %(values)s") % {"values": SEX_WORDS},
        _("hubungan: %(values)s") % {"values": RELATIONSHIP_WORDS},
        _("kelurahan: a Kemendagri code (such as %(code)s) or a kelurahan name; empty on a row: the kelurahan "
          "chosen when uploading.") % {"code": kelurahan_code},
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    return _save(workbook)
