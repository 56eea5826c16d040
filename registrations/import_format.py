"""The bulk-import file of households (CSV or XLSX), read into registration input.

Kelurahan offices and RW coordinators hand over lists of households, one row per
person, in a fixed format (headers, aliases and outcomes: ``import-format.md``).
This module turns such a file into the registration dicts the online form and the
API send, and checks each with :func:`registrations.validation.clean_registration`,
so every rule of the form applies with the form's messages. Errors come back per
row of the file, numbered as Excel shows them.

It reads and converts only: it writes nothing to the database and queries it once
per file (the city's kelurahan, with their kecamatan). Deciding what is "already registered", saving,
the upload page and the report files are built on top of it:

- :func:`read_table` finds the header row and the columns; its rows are streamed;
- :func:`convert_households` groups the rows by KK and yields one
  :class:`Household` at a time (accepted, with its cleaned registration, or
  refused, with one :class:`RowRefusal` per row), counting a :class:`Summary`;
- :func:`read_households` does both and keeps everything, for small files and tests.

A household's rows need not be adjacent, so every row is read before the first
household is yielded. The rows are held in compact form: the whole city's file
(250 MB, 2.7 million rows) takes about 1.3 GB besides the file itself.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

from kartusehat import identity
from kartusehat.refusals import NON_FIELD, Invalid
from kartusehat.text import normalize_phone, single_spaced

from .models import Region, Relationship
from .validation import KELURAHAN_CODE, CleanRegistration, clean_registration

# Title rows sit above the header ("DAFTAR WARGA RW 02 KELURAHAN KRANJI"); a file
# whose header is not within this many rows is not in the format.
HEADER_SEARCH_ROWS = 50
CSV_DELIMITERS = (";", ",")
# Validating UTF-8 in slices keeps a 250 MB file from being decoded twice in memory.
UTF8_CHECK_CHUNK = 1 << 20
REPORT_FIELDS = ("baris", "no_kk", "nik", "kolom", "pesan")
# Longest cell text quoted back in a message.
QUOTE_MAX = 40


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...]
    # Always required in the header; ``kelurahan`` is required by the uploader's area instead.
    required: bool
    household: bool = False


COLUMNS = (
    Column("no_kk", ("No KK", "Nomor KK", "Nomor Kartu Keluarga"), True),
    Column("nik", ("NIK", "No NIK", "Nomor Induk Kependudukan"), True),
    Column("nama_lengkap", ("Nama", "Nama Lengkap"), True),
    Column("tanggal_lahir", ("Tgl Lahir", "Tanggal Lahir"), True),
    Column("jenis_kelamin", ("JK", "L/P", "Jenis Kelamin"), True),
    Column("hubungan", ("SHDK", "Hubungan", "Hubungan Keluarga", "Status Hubungan Dalam Keluarga"), True),
    Column("alamat", ("Alamat",), True, household=True),
    Column("rt", ("RT",), True, household=True),
    Column("rw", ("RW",), True, household=True),
    Column("kelurahan", ("Kelurahan", "Desa/Kelurahan", "Kode Kelurahan"), False, household=True),
    Column("no_hp", ("HP", "No HP", "No. Telp", "Telepon", "Nomor HP"), True, household=True),
    Column("email", ("Email", "E-mail"), False, household=True),
)
COLUMN_BY_NAME = {column.name: column for column in COLUMNS}
REQUIRED = frozenset(column.name for column in COLUMNS if column.required)
# The order of the values in _Row.contact.
CONTACT_COLUMNS = tuple(column.name for column in COLUMNS if column.household)

# clean_registration's field -> the file's column.
FIELD_COLUMNS = {
    "kk_number": "no_kk", "nik": "nik", "full_name": "nama_lengkap", "birth_date": "tanggal_lahir",
    "sex": "jenis_kelamin", "relationship": "hubungan", "address": "alamat", "rt": "rt", "rw": "rw",
    "phone": "no_hp", "email": "email", "kelurahan_code": "kelurahan",
}
MEMBER_COLUMNS = frozenset({"nik", "nama_lengkap", "tanggal_lahir", "jenis_kelamin", "hubungan"})

SEXES = {"L": "L", "P": "P", "LK": "L", "PR": "P", "LAKILAKI": "L", "PEREMPUAN": "P"}
SEX_WORDS = "L, P, LK, PR, LAKI-LAKI, PEREMPUAN"
RELATIONSHIPS = {
    "KEPALAKELUARGA": Relationship.KEPALA_KELUARGA.value,
    "SUAMI": Relationship.SUAMI.value,
    "ISTRI": Relationship.ISTRI.value,
    "ANAK": Relationship.ANAK.value,
    "MENANTU": Relationship.MENANTU.value,
    "CUCU": Relationship.CUCU.value,
    "ORANGTUA": Relationship.ORANG_TUA.value,
    "MERTUA": Relationship.MERTUA.value,
    "FAMILILAIN": Relationship.FAMILI_LAIN.value,
    # The API has no household-help value; the format maps it, as the spec says.
    "PEMBANTU": Relationship.LAINNYA.value,
    "LAINNYA": Relationship.LAINNYA.value,
}
RELATIONSHIP_WORDS = (
    "KEPALA KELUARGA, SUAMI, ISTRI, ANAK, MENANTU, CUCU, ORANG TUA, MERTUA, FAMILI LAIN, PEMBANTU, LAINNYA"
)

HEADER_NOISE = re.compile(r"[\s._\ufeff]+")
# 3.27502E+15, or 3,27502E+15 from a spreadsheet in an Indonesian locale.
SCIENTIFIC = re.compile(r"^[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$")
# 3275011505800003.0: a float written out as text. Ten digits or more, so a number
# typed with dots as separators ("3275.0115.0580.0003") is not mistaken for it.
DECIMAL_ZERO = re.compile(r"^[0-9]{10,}[.,]0+$")
ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
DAY_FIRST_DATE = re.compile(r"^([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})$")
# Excel serials up to 99999 (the year 2173). A misread serial cannot slip through:
# the NIK beside it encodes the birth date. But 1900 to 2100 reads as a year (the
# serials of 1905, when nobody alive was born), so it is refused rather than guessed.
EXCEL_SERIAL = re.compile(r"^[0-9]{1,5}$")
SERIAL_MAX = 99_999
YEARS = range(1900, 2101)
RT_CELL = re.compile(r"^(?:RT)?\s*\.?\s*([0-9]{1,3})$", re.IGNORECASE)
RW_CELL = re.compile(r"^(?:RW)?\s*\.?\s*([0-9]{1,3})$", re.IGNORECASE)
PHONE_NOISE = re.compile(r"[\s.\-()]")
KELURAHAN_DIGITS = re.compile(r"^[0-9]{10}$")
NAME_NOISE = re.compile(r"[^0-9a-z]+")
NOT_LETTERS = re.compile(r"[^A-Z]+")
RELATIONSHIP_NOISE = re.compile(r"[\s_]+")
# From 2**53 on, a float cannot hold every whole number.
FLOAT_EXACT_LIMIT = 2**53


def _header_key(text: object) -> str:
    return HEADER_NOISE.sub("", str(text)).casefold()


HEADER_KEYS = {
    _header_key(name): column.name for column in COLUMNS for name in (column.name, *column.aliases)
}


# --- Messages ---------------------------------------------------------------------


def _quote(value: object) -> str:
    text = single_spaced(value)
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"


def excel_number_message() -> str:
    return _("This number was saved as a number by Excel: format the column as Text and type it again.")


def _missing_column_message(column: Column) -> str:
    return _("The column %(column)s is missing. Its header may read: %(names)s.") % {
        "column": column.name, "names": ", ".join((column.name, *column.aliases)),
    }


def _unreadable_message() -> str:
    return _(
        "This file cannot be read. Upload a CSV file (UTF-8 or Windows-1252, separated by commas or semicolons) "
        "or an Excel workbook (.xlsx)."
    )


def _old_excel_message() -> str:
    return _("This is an old Excel file (.xls). Save it as Excel Workbook (.xlsx) or as CSV and upload that.")


# --- Reading a table ----------------------------------------------------------------


class FileRefused(Invalid):
    """The whole file is refused before any row is read: it cannot be read, or its
    header lacks a column. ``errors`` is keyed by the missing column's name, or
    ``non_field_errors``."""


@dataclass
class Table:
    """A file's header and its data rows.

    ``rows`` yields ``(row number as Excel shows it, cells)`` for each row below the
    header, once: it reads the file as it goes. Cells are strings (CSV) or what
    openpyxl gives for a cell value (str, int, float, datetime, None).
    """

    kind: str  # "csv" or "xlsx"
    header_row: int
    columns: dict[str, int]  # the format's column name -> cell index
    headers: dict[str, str]  # the format's column name -> the header as written
    rows: Iterator[tuple[int, Sequence[object]]]
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    # Sheets of the workbook that were not read: a page can say so.
    other_sheets: tuple[str, ...] = ()
    excel_epoch: dt.datetime = WINDOWS_EPOCH


def read_table(data: bytes, *, filename: str, sheet: str | None = None) -> Table:
    """Find the header row and the columns of an uploaded CSV or XLSX file.

    ``sheet`` names the workbook's sheet to read (any case); without it the first
    sheet is read. Raises :class:`FileRefused` for a file that cannot be read, an
    unknown format, or a header that lacks a required column.
    """
    name = filename.lower()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, sheet=sheet)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 compound file: .xls of Excel 97-2003
        raise FileRefused(_old_excel_message())
    if name.endswith((".csv", ".txt")):
        return _read_csv(data)
    raise FileRefused(_unreadable_message())


def _match_header(cells: Sequence[object]) -> tuple[dict[str, int], dict[str, str], list[tuple[str, int, int]]]:
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    duplicates = []
    for index, cell in enumerate(cells):
        if cell is None or isinstance(cell, (int, float)):
            continue
        name = HEADER_KEYS.get(_header_key(cell))
        if name is None:
            continue
        if name in columns:
            duplicates.append((name, columns[name], index))
            continue
        columns[name] = index
        headers[name] = single_spaced(cell)
    return columns, headers, duplicates


@dataclass
class _Header:
    row: int
    columns: dict[str, int]
    headers: dict[str, str]
    duplicates: list[tuple[str, int, int]]

    @property
    def complete(self) -> bool:
        return REQUIRED <= self.columns.keys()


def _find_header(rows: Iterator[tuple[int, Sequence[object]]]) -> _Header | None:
    """The first row naming every required column; else the row naming the most
    columns (for the refusal), or None."""
    best = None
    for number, cells in itertools.islice(rows, HEADER_SEARCH_ROWS):
        header = _Header(number, *_match_header(cells))
        if header.complete:
            return header
        if header.columns and (best is None or len(header.columns) > len(best.columns)):
            best = header
    return best


def _require_header(header: _Header | None) -> _Header:
    found = header.columns if header else {}
    missing = [column for column in COLUMNS if column.required and column.name not in found]
    if missing:
        raise FileRefused({column.name: [_missing_column_message(column)] for column in missing})
    if header.duplicates:
        name, first, second = header.duplicates[0]
        raise FileRefused({name: [
            _("The column %(column)s appears twice (columns %(first)s and %(second)s): keep one of them.")
            % {"column": name, "first": get_column_letter(first + 1), "second": get_column_letter(second + 1)}
        ]})
    return header


def _csv_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise FileRefused(_unreadable_message())
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), UTF8_CHECK_CHUNK):
            decoder.decode(view[start:start + UTF8_CHECK_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _csv_rows(data: bytes, encoding: str, delimiter: str) -> Iterator[tuple[int, Sequence[object]]]:
    # A few bytes cp1252 leaves undefined become U+FFFD and fail the rules of
    # their cell, instead of refusing the whole file.
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    try:
        # Excel shows one row per record, also when a quoted cell holds a line break.
        yield from enumerate(csv.reader(text, delimiter=delimiter), start=1)
    except csv.Error as exc:
        raise FileRefused(_unreadable_message()) from exc


def _read_csv(data: bytes) -> Table:
    encoding = _csv_encoding(data)
    found: list[tuple[_Header | None, str]] = [
        (_find_header(_csv_rows(data, encoding, delimiter)), delimiter) for delimiter in CSV_DELIMITERS
    ]
    complete = [(header, delimiter) for header, delimiter in found if header and header.complete]
    if complete:
        header, delimiter = min(complete, key=lambda pair: pair[0].row)
    else:
        header, delimiter = max(found, key=lambda pair: len(pair[0].columns) if pair[0] else 0)
    header = _require_header(header)
    rows = itertools.islice(_csv_rows(data, encoding, delimiter), header.row, None)
    return Table(
        kind="csv", header_row=header.row, columns=header.columns, headers=header.headers, rows=rows,
        encoding="utf-8" if encoding == "utf-8-sig" else encoding, delimiter=delimiter,
    )


def _xlsx_rows(workbook, worksheet) -> Iterator[tuple[int, Sequence[object]]]:
    try:
        # Some writers store a wrong sheet size; without it every row is read.
        worksheet.reset_dimensions()
        yield from enumerate(worksheet.iter_rows(values_only=True), start=1)
    except Exception as exc:  # openpyxl fails on a damaged sheet in many ways
        raise FileRefused(_unreadable_message()) from exc
    finally:
        workbook.close()


def _read_xlsx(data: bytes, *, sheet: str | None) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign zip fails inside openpyxl in many ways
        raise FileRefused(_unreadable_message()) from exc
    worksheets = workbook.worksheets
    if sheet is not None:
        chosen = [ws for ws in worksheets if ws.title.casefold() == sheet.strip().casefold()]
        if not chosen:
            workbook.close()
            raise FileRefused(_("The workbook has no sheet named %(sheet)s.") % {"sheet": _quote(sheet)})
        worksheet = chosen[0]
    elif worksheets:
        worksheet = worksheets[0]
    else:
        workbook.close()
        raise FileRefused(_unreadable_message())
    rows = _xlsx_rows(workbook, worksheet)
    try:
        header = _require_header(_find_header(rows))
    except FileRefused:
        rows.close()
        raise
    return Table(
        kind="xlsx", header_row=header.row, columns=header.columns, headers=header.headers, rows=rows,
        sheet=worksheet.title, other_sheets=tuple(ws.title for ws in worksheets if ws is not worksheet),
        excel_epoch=workbook.epoch,
    )


# --- Cells ---------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _without_apostrophe(text: str) -> str:
    # Spreadsheet users type a leading apostrophe to keep digits as text.
    return text[1:].strip() if text.startswith("'") else text


def _passes_rules(kind: str, number: str, today: dt.date) -> bool:
    try:
        if kind == "nik":
            identity.parse_nik(number, today=today)
        else:
            identity.parse_kk(number, today=today)
    except identity.InvalidNumber:
        return False
    return True


def read_identity_number(value: object, *, kind: str, today: dt.date) -> tuple[str, str]:
    """A NIK (``kind="nik"``) or KK number (``"kk"``) cell -> (number, "") or
    (the cell as written, why the file must be fixed).

    The number is returned with spaces, dots, dashes and a leading apostrophe
    dropped; whether it is a valid number is left to ``clean_registration``.
    """
    if value is None:
        return "", ""
    if _is_number(value):
        # A number cell: Excel keeps 15 significant digits, so a 16-digit number
        # ending in 0 may have lost its last digit. A wrong NIK would cover
        # someone else, so it is refused rather than trusted.
        # From 2**53 on, the number went through a float and its last digits are not
        # the ones typed (whatever wrote the file).
        if abs(value) >= FLOAT_EXACT_LIMIT or (isinstance(value, float) and not value.is_integer()):
            return _text(value), excel_number_message()
        digits = str(int(value))
        if len(digits) >= 16 and digits.endswith("0"):
            return digits, excel_number_message()
        return digits, ""
    text = _without_apostrophe(str(value).strip())
    if len(text) == 16 and text.isascii() and text.isdigit():
        number = text  # the usual cell: nothing to drop, nothing Excel did to it
    elif SCIENTIFIC.match(text) or DECIMAL_ZERO.match(text):
        return text, excel_number_message()
    else:
        number = identity.normalize(text)
    if (
        len(number) == 16 and number.endswith("000") and number.isascii() and number.isdigit()
        and not _passes_rules(kind, number, today)
    ):
        return number, excel_number_message()
    return number, ""


def _date_message(value: object) -> str:
    return _(
        "The date %(value)s cannot be read. Write it day first: DD-MM-YYYY, DD/MM/YYYY or DD.MM.YYYY, "
        "or as YYYY-MM-DD."
    ) % {"value": _quote(value)}


def _serial_date(serial: float, epoch: dt.datetime) -> str:
    return from_excel(serial, epoch=epoch).date().isoformat()


def read_date(value: object, *, epoch: dt.datetime = WINDOWS_EPOCH) -> tuple[str, str]:
    """A birth-date cell -> ("YYYY-MM-DD", "") or (the cell as written, why not).

    Day first, never month first. An Excel date cell, and an Excel serial number
    (a date Excel stored as a number: 29221 is 1980-01-01), are read as their date.
    """
    if value is None:
        return "", ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), ""
    if isinstance(value, dt.date):
        return value.isoformat(), ""
    if _is_number(value):
        if 1 <= value <= SERIAL_MAX and int(value) not in YEARS:
            return _serial_date(value, epoch), ""
        return _text(value), _date_message(value)
    text = _without_apostrophe(str(value).strip())
    if not text:
        return "", ""
    if EXCEL_SERIAL.match(text):
        if int(text) and int(text) not in YEARS:
            return _serial_date(int(text), WINDOWS_EPOCH), ""
        return text, _date_message(text)
    if match := ISO_DATE.match(text):
        year, month, day = match.group(1, 2, 3)
    elif match := DAY_FIRST_DATE.match(text):
        day, month, year = match.group(1, 3, 4)
    else:
        return text, _date_message(text)
    try:
        return dt.date(int(year), int(month), int(day)).isoformat(), ""
    except ValueError:
        return text, _date_message(text)


def read_sex(value: object) -> tuple[str, str]:
    """``L``, ``P``, ``LK``, ``PR``, ``LAKI-LAKI``, ``PEREMPUAN`` (any case) -> ``L``/``P``."""
    text = _text(value)
    if not text:
        return "", ""
    upper = text.upper()
    sex = SEXES.get(upper) or SEXES.get(NOT_LETTERS.sub("", upper))
    if sex is None:
        return text, _("Write the sex as one of %(values)s (not %(value)s).") % {
            "values": SEX_WORDS, "value": _quote(text),
        }
    return sex, ""


def read_relationship(value: object) -> tuple[str, str]:
    """``KEPALA KELUARGA``, ``ORANG_TUA``, ``pembantu``… -> the API's relationship value."""
    text = _text(value)
    if not text:
        return "", ""
    relationship = RELATIONSHIPS.get(RELATIONSHIP_NOISE.sub("", text.upper()))
    if relationship is None:
        return text, _("Write the relationship as one of %(values)s (not %(value)s).") % {
            "values": RELATIONSHIP_WORDS, "value": _quote(text),
        }
    return relationship, ""


def read_rt_rw(value: object, *, kind: str) -> str:
    """``3``, ``03``, ``003``, ``RT 03``, ``RT. 003`` -> ``003``. Anything else is
    returned as written, for ``clean_registration`` to refuse with the form's message."""
    text = _text(value)
    match = (RT_CELL if kind == "rt" else RW_CELL).match(text)
    if match and int(match.group(1)):
        return f"{int(match.group(1)):03d}"
    return text


def read_phone(value: object) -> tuple[str, str]:
    """``08…``, ``628…``, ``+628…``, or ``8…`` (Excel dropped the 0) -> the number
    as the form takes it; the form's rule decides whether it is a mobile number."""
    text = _without_apostrophe(_text(value))
    if SCIENTIFIC.match(text):
        return text, excel_number_message()
    compact = PHONE_NOISE.sub("", text)
    if compact.startswith("8"):
        compact = "0" + compact
    return compact, ""


# --- Rows and households -----------------------------------------------------------------


class _Row:
    """One person's row, normalised. Slots: the whole city is 2.6 million of them."""

    __slots__ = ("number", "kk", "nik", "name", "birth", "sex", "relationship", "contact", "errors")

    def __init__(
        self, number: int, kk: str, nik: str, name: str, birth: str, sex: str, relationship: str,
        contact: tuple[str, ...] | None, errors: dict[str, str] | None,
    ):
        self.number = number
        self.kk = kk
        self.nik = nik
        self.name = name
        self.birth = birth
        self.sex = sex
        self.relationship = relationship
        # The household columns' values, in CONTACT_COLUMNS order; None when all are empty.
        self.contact = contact
        # The format's column -> why its cell could not be read; None when every cell could.
        self.errors = errors


@dataclass(frozen=True)
class Problem:
    column: str  # the format's column, "" for the household as a whole
    message: str


@dataclass(frozen=True)
class RowRefusal:
    """Why one row was not imported: one line of the report."""

    row: int
    kk_number: str
    nik: str
    problems: tuple[Problem, ...]

    @property
    def column(self) -> str:
        return ", ".join(dict.fromkeys(problem.column for problem in self.problems if problem.column))

    @property
    def message(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0].message
        return " ".join(
            f"{problem.column}: {problem.message}" if problem.column else problem.message
            for problem in self.problems
        )

    def as_report(self) -> dict[str, object]:
        """The report's line: ``baris``, ``no_kk``, ``nik``, ``kolom``, ``pesan``."""
        return dict(zip(REPORT_FIELDS, (self.row, self.kk_number, self.nik, self.column, self.message)))


@dataclass(frozen=True)
class Household:
    """One KK of the file: accepted (``registration`` set) or refused (``refusals``).

    ``data`` is the registration input in the API's shape and ``rows`` the row
    numbers of its members, in the same order. An accepted household is not yet
    checked against the database: whether its KK is already registered is for the
    caller to ask, for many households at once.
    """

    kk_number: str
    rows: tuple[int, ...]
    data: dict
    registration: CleanRegistration | None
    refusals: tuple[RowRefusal, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.registration is not None

    def report_lines(self, message: str) -> tuple[RowRefusal, ...]:
        """One report line per row of the household, saying ``message``: for a
        household skipped after reading (e.g. its KK is already registered)."""
        return tuple(
            RowRefusal(row, self.kk_number, member["nik"], (Problem("", message),))
            for row, member in zip(self.rows, self.data["members"])
        )


@dataclass
class Summary:
    """What a file held. ``rows_read`` counts the rows below the header that name
    anyone (empty rows and a repeated header are not rows of the file's data)."""

    rows_read: int = 0
    households_accepted: int = 0
    households_refused: int = 0
    people_accepted: int = 0
    rows_refused: int = 0


@dataclass(frozen=True)
class CityKelurahan:
    """The city's kelurahan, read once per file: code -> name, and name -> codes."""

    names: Mapping[str, str]
    codes_by_name: Mapping[str, tuple[str, ...]]
    # The rows themselves (with their kecamatan), for clean_registration: no query per household.
    regions: Mapping[str, Region]

    @classmethod
    def load(cls) -> CityKelurahan:
        city = settings.CITY_REGION_CODE
        regions = {
            region.code: region for region in
            Region.objects.filter(level=Region.Level.KELURAHAN, current=True, code__startswith=city + ".")
            .select_related("parent")
        }
        names = {code: region.name for code, region in regions.items()}
        codes_by_name: dict[str, tuple[str, ...]] = {}
        for code, name in names.items():
            key = NAME_NOISE.sub("", name.casefold())
            codes_by_name[key] = (*codes_by_name.get(key, ()), code)
        return cls(names=names, codes_by_name=codes_by_name, regions=regions)


class Conversion:
    """The households of one table, converted one at a time (see :func:`convert_households`)."""

    def __init__(
        self, table: Table, *, allowed_kelurahan_codes: Collection[str], default_kelurahan_code: str | None,
        today: dt.date, kelurahan: CityKelurahan,
    ):
        self.table = table
        self.allowed = frozenset(allowed_kelurahan_codes)
        self.default_kelurahan_code = default_kelurahan_code
        self.today = today
        self.kelurahan = kelurahan
        self.summary = Summary()
        self._started = False
        self._city_name = settings.KARTUSEHAT_CITY["name"]
        self._indexes = [(name, table.columns.get(name)) for name in COLUMN_BY_NAME]

    def __iter__(self) -> Iterator[Household]:
        if self._started:
            raise RuntimeError("A conversion reads its table once; read the file again to convert it again.")
        self._started = True
        for rows, orphan in self._groups():
            household = self._convert(rows, orphan=orphan)
            if household.accepted:
                self.summary.households_accepted += 1
                self.summary.people_accepted += len(household.rows)
            else:
                self.summary.households_refused += 1
                self.summary.rows_refused += len(household.rows)
            yield household

    # Reading rows

    def _groups(self) -> Iterator[tuple[list[_Row], bool]]:
        """Every row, grouped by KK in the order the KKs first appear. A row whose
        KK is empty or unreadable belongs to no household: it is a group of its own."""
        groups: dict[str, list[_Row]] = {}
        orphans: set[str] = set()
        for number, cells in self.table.rows:
            row = self._read_row(number, cells)
            if row is None:
                continue
            self.summary.rows_read += 1
            if not row.kk or (row.errors and "no_kk" in row.errors):
                key = f"\x00{number}"
                orphans.add(key)
                groups[key] = [row]
            else:
                group = groups.get(row.kk)
                if group is None:
                    groups[row.kk] = [row]
                else:
                    row.kk = group[0].kk  # one copy of the number per household
                    group.append(row)
        for key, rows in groups.items():
            yield rows, key in orphans

    def _read_row(self, number: int, cells: Sequence[object]) -> _Row | None:
        count = len(cells)
        values = {name: cells[index] if index is not None and index < count else None for name, index in self._indexes}
        if not any(values.values()) or all(_blank(value) for value in values.values()):
            return None
        if _is_repeated_header(values):  # a printout repeats its header on every page
            return None
        errors: dict[str, str] = {}

        def keep(column: str, value: str, error: str) -> str:
            if error:
                errors[column] = error
            return value

        kk = keep("no_kk", *read_identity_number(values["no_kk"], kind="kk", today=self.today))
        nik = keep("nik", *read_identity_number(values["nik"], kind="nik", today=self.today))
        birth = keep("tanggal_lahir", *read_date(values["tanggal_lahir"], epoch=self.table.excel_epoch))
        sex = keep("jenis_kelamin", *read_sex(values["jenis_kelamin"]))
        relationship = keep("hubungan", *read_relationship(values["hubungan"]))
        contact = None
        # Most rows leave the household columns to the head's row.
        if any(values[column] for column in CONTACT_COLUMNS):
            contact = (
                _text(values["alamat"]),
                # Few distinct values, repeated on many rows: one copy each.
                sys.intern(read_rt_rw(values["rt"], kind="rt")),
                sys.intern(read_rt_rw(values["rw"], kind="rw")),
                sys.intern(keep("kelurahan", *self._read_kelurahan(values["kelurahan"]))),
                keep("no_hp", *read_phone(values["no_hp"])),
                _text(values["email"]),
            )
            if not any(contact):
                contact = None
        return _Row(number, kk, nik, _text(values["nama_lengkap"]), birth, sex, relationship, contact, errors or None)

    def _read_kelurahan(self, value: object) -> tuple[str, str]:
        text = _text(value)
        if not text:
            return "", ""
        if KELURAHAN_DIGITS.match(text):
            text = f"{text[0:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
        if KELURAHAN_CODE.match(text):
            if text not in self.kelurahan.names:
                # The form's message for the same code.
                return text, _("%(code)s is not a kelurahan of %(city)s.") % {"code": text, "city": self._city_name}
            code = text
        else:
            codes = self.kelurahan.codes_by_name.get(NAME_NOISE.sub("", text.casefold()), ())
            if not codes:
                return text, _("%(name)s is not the name or the code of a kelurahan of %(city)s.") % {
                    "name": _quote(text), "city": self._city_name,
                }
            if len(codes) > 1:
                return text, _("More than one kelurahan of %(city)s is named %(name)s: write its code instead.") % {
                    "name": _quote(text), "city": self._city_name,
                }
            code = codes[0]
        if code not in self.allowed:
            return text, _("Kelurahan %(name)s (%(code)s) is outside your area.") % {
                "name": self.kelurahan.names[code], "code": code,
            }
        return code, ""

    # Converting a household

    def _convert(self, rows: list[_Row], *, orphan: bool) -> Household:
        problems: list[list[Problem]] = [[] for _row in rows]
        unreadable: set[tuple[int, str]] = set()
        for index, row in enumerate(rows):
            for column, message in (row.errors or {}).items():
                problems[index].append(Problem(column, message))
                unreadable.add((index, column))
        heads = [index for index, row in enumerate(rows) if row.relationship == Relationship.KEPALA_KELUARGA]
        anchor = heads[0] if heads else 0

        contact, sources = self._contact(rows, anchor, problems, unreadable)
        data = {
            "kk_number": "" if (0, "no_kk") in unreadable else rows[0].kk,
            **contact,
            # The kelurahan collected the list and the consent of each household in person,
            # which is how an import may stand in for the citizen's own tick on the form.
            "consent": True,
            "members": [
                {
                    # An unreadable cell goes in empty: its own message says what is wrong,
                    # and it must neither be reported twice nor be compared with other cells.
                    "nik": "" if (index, "nik") in unreadable else row.nik,
                    "full_name": row.name,
                    "birth_date": "" if (index, "tanggal_lahir") in unreadable else row.birth,
                    "sex": "" if (index, "jenis_kelamin") in unreadable else row.sex,
                    "relationship": "" if (index, "hubungan") in unreadable else row.relationship,
                }
                for index, row in enumerate(rows)
            ],
        }
        registration = None
        try:
            registration = clean_registration(data, today=self.today, regions=self.kelurahan.regions)
        except Invalid as refusal:
            placed = _Placement(rows, data, problems, unreadable, heads, anchor, sources)
            placed.place(refusal.errors, orphan=orphan)

        numbers = tuple(row.number for row in rows)
        if registration is not None and not any(problems):
            return Household(rows[0].kk, numbers, data, registration)
        refused_rows = [row.number for row, found in zip(rows, problems) if found]
        refusals = tuple(
            RowRefusal(row.number, row.kk, row.nik, tuple(found or [not_imported_problem(refused_rows)]))
            for row, found in zip(rows, problems)
        )
        return Household(rows[0].kk, numbers, data, None, refusals)

    def _contact(
        self, rows: list[_Row], anchor: int, problems: list[list[Problem]], unreadable: set[tuple[int, str]],
    ) -> tuple[dict[str, str], dict[str, int]]:
        """The household's address, RT/RW, kelurahan, phone and email, taken from the
        head's row when it has them, else from the first row that does; a row that
        says otherwise is refused on that column."""
        values: dict[str, str] = {}
        sources: dict[str, int] = {}
        for position, column in enumerate(CONTACT_COLUMNS):
            filled = [
                (index, row.contact[position]) for index, row in enumerate(rows)
                if row.contact and row.contact[position] and (index, column) not in unreadable
            ]
            if not filled:
                # A row naming an unreadable kelurahan must not fall back on the default one.
                unread = any(key == column for _index, key in unreadable)
                default = self.default_kelurahan_code if column == "kelurahan" and not unread else None
                values[column] = default or ""
                continue
            source, value = next((pair for pair in filled if pair[0] == anchor), filled[0])
            sources[column] = source
            values[column] = value
            expected = _agreement_key(column, value)
            for index, other in filled:
                if _agreement_key(column, other) != expected:
                    problems[index].append(Problem(column, _(
                        "This differs from row %(row)d of the same KK: fill %(column)s on the head's row only, "
                        "or the same on every row."
                    ) % {"row": rows[source].number, "column": column}))
        return {
            "kelurahan_code": values["kelurahan"], "address": values["alamat"], "rt": values["rt"],
            "rw": values["rw"], "phone": values["no_hp"], "email": values["email"],
        }, sources


def _agreement_key(column: str, value: str) -> str:
    if column == "alamat":
        return single_spaced(value).casefold()
    if column == "no_hp":
        return normalize_phone(value) or value
    if column == "email":
        return value.casefold()
    return value


def _is_repeated_header(values: dict[str, object]) -> bool:
    kk = values["no_kk"]
    if not isinstance(kk, str) or kk[:1].isdigit():
        return False
    return all(
        isinstance(values[name], str) and HEADER_KEYS.get(_header_key(values[name])) == name
        for name in ("no_kk", "nik")
    )


def not_imported_problem(refused_rows: list[int]) -> Problem:
    return Problem("", ngettext(
        "The household was not imported because of row %(rows)s.",
        "The household was not imported because of rows %(rows)s.",
        len(refused_rows),
    ) % {"rows": ", ".join(str(number) for number in refused_rows)})


@dataclass
class _Placement:
    """Puts clean_registration's errors (the API contract's shape) on the rows they concern."""

    rows: list[_Row]
    data: dict
    problems: list[list[Problem]]
    unreadable: set[tuple[int, str]]
    heads: list[int]
    anchor: int
    sources: dict[str, int]
    _unreadable_columns: set[str] = field(init=False)

    def __post_init__(self):
        self._unreadable_columns = {column for _index, column in self.unreadable}

    def add(self, index: int, column: str, message: str) -> None:
        if (index, column) in self.unreadable:
            return  # the cell's own message already says what is wrong with it
        problem = Problem(column, message)
        if problem not in self.problems[index]:
            self.problems[index].append(problem)

    def place(self, errors: dict, *, orphan: bool) -> None:
        for field_name, value in errors.items():
            if field_name == "members" and isinstance(value, list) and value and isinstance(value[0], dict):
                for index, member_errors in enumerate(value):
                    for member_field, messages in member_errors.items():
                        column = FIELD_COLUMNS.get(member_field, "")
                        for message in messages:
                            self.add(index, column, message)
            elif field_name == NON_FIELD:
                if not orphan:
                    self._place_list_messages(value, _member_messages(errors))
            else:
                column = FIELD_COLUMNS.get(field_name, "")
                if orphan and column not in MEMBER_COLUMNS and column != "no_kk":
                    # A row without a readable KK belongs to no household: only its own cells count.
                    continue
                if column in CONTACT_COLUMNS and column in self._unreadable_columns:
                    continue  # the unreadable cell's message is the reason the value is missing
                index = self.sources.get(column, self.anchor)
                for message in value:
                    self.add(index, column, message)

    def _place_list_messages(self, messages: list[str], member_messages: dict[str, list[int]]) -> None:
        for message in messages:
            if message in member_messages:  # a NIK twice: also on the row it repeats
                for index in self._first_occurrences(member_messages[message]):
                    self.add(index, "nik", message)
            elif not self.heads:
                if any(column == "hubungan" for _index, column in self.unreadable):
                    continue  # the unreadable relationship may be the head's
                for index in range(len(self.rows)):
                    self.add(index, "hubungan", message)
            elif len(self.heads) > 1:
                for index in self.heads:
                    self.add(index, "hubungan", message)
            else:
                self.add(self.anchor, "", message)

    def _first_occurrences(self, indexes: list[int]) -> list[int]:
        niks = [identity.normalize(member["nik"]) for member in self.data["members"]]
        firsts = []
        for index in indexes:
            first = niks.index(niks[index])
            if first != index:
                firsts.append(first)
        return firsts


def _member_messages(errors: dict) -> dict[str, list[int]]:
    """Message -> the members it is on (from the contract's ``members`` list)."""
    found: dict[str, list[int]] = {}
    members = errors.get("members")
    if isinstance(members, list):
        for index, member_errors in enumerate(members):
            if isinstance(member_errors, dict):
                for messages in member_errors.values():
                    for message in messages:
                        found.setdefault(message, []).append(index)
    return found


# --- Entry points -----------------------------------------------------------------------


def convert_households(
    table: Table,
    *,
    allowed_kelurahan_codes: Collection[str],
    default_kelurahan_code: str | None = None,
    today: dt.date | None = None,
) -> Conversion:
    """The households of ``table``, to iterate once; ``.summary`` counts as they go.

    ``allowed_kelurahan_codes`` are the kelurahan of the uploader's area: a row for
    any other is refused. ``default_kelurahan_code`` is the kelurahan of a row that
    names none; with one allowed kelurahan it is that one, and then the file needs
    no ``kelurahan`` column. Raises :class:`FileRefused` (before any row is read)
    when the column is needed and missing. Queries the city's kelurahan once.
    """
    allowed = frozenset(allowed_kelurahan_codes)
    if default_kelurahan_code is None and len(allowed) == 1:
        (default_kelurahan_code,) = allowed
    if default_kelurahan_code is not None and default_kelurahan_code not in allowed:
        raise ValueError(f"default_kelurahan_code {default_kelurahan_code!r} is not in allowed_kelurahan_codes")
    if default_kelurahan_code is None and "kelurahan" not in table.columns:
        raise FileRefused({"kelurahan": [_missing_column_message(COLUMN_BY_NAME["kelurahan"])]})
    return Conversion(
        table, allowed_kelurahan_codes=allowed, default_kelurahan_code=default_kelurahan_code,
        today=today or timezone.localdate(), kelurahan=CityKelurahan.load(),
    )


@dataclass(frozen=True)
class ImportResult:
    """A whole file, read: households in the order their KK first appears."""

    table: Table
    accepted: list[Household]
    refused: list[Household]
    summary: Summary

    @property
    def refusals(self) -> list[RowRefusal]:
        """Every refused row, in the file's order: the report's lines."""
        return sorted((line for household in self.refused for line in household.refusals), key=lambda line: line.row)


def read_households(
    data: bytes,
    *,
    filename: str,
    allowed_kelurahan_codes: Collection[str],
    default_kelurahan_code: str | None = None,
    today: dt.date | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Read a whole file into accepted and refused households (kept in memory).

    Raises :class:`FileRefused` when the file as a whole cannot be read.
    """
    table = read_table(data, filename=filename, sheet=sheet)
    conversion = convert_households(
        table, allowed_kelurahan_codes=allowed_kelurahan_codes, default_kelurahan_code=default_kelurahan_code,
        today=today,
    )
    accepted: list[Household] = []
    refused: list[Household] = []
    for household in conversion:
        (accepted if household.accepted else refused).append(household)
    return ImportResult(table=table, accepted=accepted, refused=refused, summary=conversion.summary)
