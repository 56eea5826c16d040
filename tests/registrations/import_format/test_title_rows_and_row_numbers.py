"""Title and empty rows above the header are skipped, and every row is numbered
as Excel shows it (the header row counts)."""

import pytest

from tests.registrations.import_format.helpers import (
    csv_bytes,
    household,
    lines_of,
    problems_of,
    read,
    refusal_of,
    rows_of,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

TITLE = [["DAFTAR WARGA RW 02 KELURAHAN KRANJI"], ["Tahun 2026", "", ""], []]


def _file_with_a_bad_second_household():
    good, bad = household(size=2), household(size=2)
    bad["members"][1]["full_name"] = "S1ti"
    lines = lines_of(rows_of(good) + rows_of(bad))
    # title rows, then the header (row 4), then the rows, with an empty line between households
    return good, bad, TITLE + lines[:3] + [[]] + lines[3:]


def test_it_skips_title_and_empty_rows_above_the_header():
    good, bad, lines = _file_with_a_bad_second_household()

    result = read(csv_bytes(lines, delimiter=";"))

    assert result.table.header_row == 4
    assert [h.data for h in result.accepted] == [good]
    assert result.summary.rows_read == 4


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_it_reports_rows_by_the_number_excel_shows(kind):
    _good, bad, lines = _file_with_a_bad_second_household()
    content = csv_bytes(lines) if kind == "csv" else xlsx_bytes({"Warga": lines})

    result = read(content, filename=f"warga.{kind}")

    assert result.accepted[0].rows == (5, 6)
    # row 7 is empty; the bad household is on rows 8 and 9, its bad name on 9
    assert [line.row for line in result.refusals] == [8, 9]
    assert set(problems_of(result, 9)) == {"nama_lengkap"}
    assert refusal_of(result, 9).nik == bad["members"][1]["nik"]


def test_it_skips_a_header_a_printout_repeats_on_a_new_page():
    first, second = household(size=1), household(size=1)
    lines = lines_of(rows_of(first) + rows_of(second))
    lines.insert(2, list(lines[0]))  # the header again above the second household

    result = read(csv_bytes(lines))

    assert result.refusals == []
    assert [h.rows for h in result.accepted] == [(2,), (4,)]
    assert result.summary.rows_read == 2
