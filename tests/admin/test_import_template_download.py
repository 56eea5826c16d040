"""The template an office fills in: an XLSX with the format's headers, one
example household whose numbers pass the NIK and KK rules, the columns of
numbers kept as text, and the values ``jenis_kelamin`` and ``hubungan``
accept as in-cell dropdown lists. Uploaded as it is, its example household
checks clean. Only for staff who import."""

import io

import pytest
from openpyxl import load_workbook

from registrations import import_format
from registrations.models import HouseholdImport
from registrations.roles import AUDITOR
from tests.admin.import_helpers import TEMPLATE_URL, city_user, import_storage, uploaded  # noqa: F401 - fixture
from tests.factories import KRANJI, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]


def _workbook(client):
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    return response.content, load_workbook(io.BytesIO(response.content))


def test_it_has_the_headers_an_example_household_and_text_columns(client):
    client.force_login(staff_user(KRANJI))

    _content, workbook = _workbook(client)

    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [column.name for column in import_format.COLUMNS]
    example = [row for row in rows[1:] if any(row)]
    assert len(example) == 3 and len({row[0] for row in example}) == 1  # one household, three people
    assert all(len(row[1]) == 16 and row[1].isdigit() for row in example)
    assert example[0][5] == "KEPALA KELUARGA" and example[0][9] == KRANJI
    for name in ("no_kk", "nik", "no_hp"):
        column = [c.name for c in import_format.COLUMNS].index(name) + 1
        assert sheet.cell(row=2, column=column).number_format == "@"
        assert sheet.cell(row=400, column=column).number_format == "@"


def test_it_offers_the_allowed_values_as_in_cell_lists(client):
    client.force_login(staff_user(KRANJI))

    _content, workbook = _workbook(client)

    validations = workbook.worksheets[0].data_validations.dataValidation
    by_range = {str(v.sqref).split(":")[0]: v for v in validations}
    sex, relationship = by_range["E2"], by_range["F2"]
    assert sex.type == relationship.type == "list"
    assert sex.formula1.strip('"').split(",") == ["L", "P", "LK", "PR", "LAKI-LAKI", "PEREMPUAN"]
    assert relationship.formula1.strip('"').split(",") == [
        "KEPALA KELUARGA", "SUAMI", "ISTRI", "ANAK", "MENANTU", "CUCU", "ORANG TUA", "MERTUA", "FAMILI LAIN",
        "PEMBANTU", "LAINNYA",
    ]
    assert str(sex.sqref).endswith("5000") and str(relationship.sqref).endswith("5000")


def test_its_example_household_checks_clean(client, django_capture_on_commit_callbacks):
    client.force_login(staff_user(KRANJI))
    content, _workbook_ = _workbook(client)

    record = uploaded(client, django_capture_on_commit_callbacks, content, filename="format.xlsx")

    assert record.status == HouseholdImport.Status.CHECKED, record.error
    assert (record.households_imported, record.people_imported, record.report_lines) == (1, 3, 0)


def test_it_is_only_for_staff_who_import(client):
    client.force_login(city_user("audit.kota", AUDITOR))
    assert client.get(TEMPLATE_URL).status_code == 403
    client.logout()
    assert client.get(TEMPLATE_URL).status_code == 302
