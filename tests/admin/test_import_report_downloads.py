"""The report of an import downloads as CSV and as XLSX, from private storage,
with every line in full (row, KK, NIK, column, message) and no cell Excel
would run as a formula; each download is written to the access log. Staff of
another area, the auditor and the other roles get nothing."""

import csv
import io

import pytest
from openpyxl import load_workbook

from registrations.models import AccessLog
from registrations.roles import AUDITOR
from tests.admin.import_helpers import (
    city_user,
    csv_bytes,
    household,
    import_storage,  # noqa: F401 - fixture
    lines_of,
    report_url,
    rows_of,
    uploaded,
)
from tests.factories import KRANJI, MARGAJAYA, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]

REPORT_HEADER = ["baris", "no_kk", "nik", "kolom", "pesan"]


@pytest.fixture
def checked(client, django_capture_on_commit_callbacks):
    """A Kranji import whose report has four lines: a household with a wrong
    sex on its second row (rows 2 to 4), and one whose NIK is a formula (row 5)."""
    client.force_login(staff_user(KRANJI, username="kel.kranji"))
    family, formula = household(size=3), household(size=1)
    rows = rows_of(family) + rows_of(formula)
    rows[1]["jenis_kelamin"] = "X"
    rows[3]["nik"] = '=HYPERLINK("http://x")'
    record = uploaded(client, django_capture_on_commit_callbacks, csv_bytes(lines_of(rows)))
    client.logout()
    return record, family, formula


def formula_kk(checked) -> str:
    return checked[2]["kk_number"]


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_it_downloads_the_report_as_csv_with_every_line_in_full(client, checked):
    record, family, _formula = checked
    client.force_login(staff_user(KRANJI))

    response = client.get(report_url(record, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    lines = _csv(response)
    assert lines[0] == REPORT_HEADER
    assert [(line[0], line[1], line[2]) for line in lines[1:4]] == [
        (str(row), family["kk_number"], member["nik"]) for row, member in zip((2, 3, 4), family["members"])
    ]
    assert lines[2][3] == "jenis_kelamin" and lines[2][4].startswith("Tulis jenis kelamin")
    assert lines[4][:4] == ["5", formula_kk(checked), "'=HYPERLINK(\"http://x\")", "nik"]
    assert AccessLog.objects.filter(action="export", object_type="import_report", object_id=str(record.pk),
                                    detail="csv").count() == 1


def test_it_downloads_the_report_as_xlsx_with_no_formula(client, checked):
    record, family, _formula = checked
    client.force_login(staff_user(KRANJI))

    response = client.get(report_url(record, "xlsx"))

    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == REPORT_HEADER
    assert [(row[0], row[1], row[2]) for row in rows[1:4]] == [
        (number, family["kk_number"], member["nik"]) for number, member in zip((2, 3, 4), family["members"])
    ]
    assert rows[4][2] == "'=HYPERLINK(\"http://x\")"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert AccessLog.objects.filter(action="export", object_type="import_report", detail="xlsx").count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_refuses_the_report_to_other_areas_and_roles(client, checked, fmt):
    record, _family, _formula = checked

    client.force_login(staff_user(MARGAJAYA, username="kel.margajaya"))
    elsewhere = client.get(report_url(record, fmt))
    client.force_login(city_user("audit.kota", AUDITOR))
    auditor = client.get(report_url(record, fmt))
    client.logout()
    visitor = client.get(report_url(record, fmt))

    assert elsewhere.status_code == 404 and auditor.status_code == 403
    assert visitor.status_code == 302 and "/admin/login/" in visitor["Location"]
    assert not AccessLog.objects.filter(action="export").exists()
    denied = AccessLog.objects.filter(action="denied", object_type="import_report", object_id=str(record.pk))
    assert denied.count() == 2
