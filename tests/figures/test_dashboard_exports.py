"""Every table of the dashboard downloads as CSV and XLSX with the numbers the
page shows; a name that starts like a formula is written as text; an unknown
table or format is a 404, never an error page."""

import csv
import io

import pytest
from openpyxl import load_workbook

from registrations.models import Region
from tests.factories import CITY, KRANJI, staff_user
from tests.figures.dashboard_helpers import counted_city, signed_in
from tests.figures.helpers import recount, region_id

pytestmark = pytest.mark.django_db

PAGE = "/admin/figures/dashboard/"


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_it_downloads_the_coverage_as_csv_and_xlsx():
    counted_city()
    client = signed_in(staff_user(CITY, username="kota.bekasi"))
    verified = sum(row.get("households_verified", 0) for row in recount()[0].values())

    as_csv = client.get(PAGE + "coverage.csv")
    as_xlsx = client.get(PAGE + "coverage.xlsx")

    assert as_csv.status_code == 200 and as_csv["Content-Disposition"] == 'attachment; filename="coverage.csv"'
    rows = _csv(as_csv)
    assert rows[1][1] == CITY and int(rows[1][3]) == verified
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == rows[0]
    assert cells[1][1] == CITY and cells[1][3] == verified
    assert len(cells) == len(rows) == 1 + 1 + Region.objects.filter(level="kecamatan", code__startswith=CITY).count()


@pytest.mark.parametrize("key", ["coverage", "registrations", "rejection-reasons", "decision-times", "cards",
                                 "cards-printed", "blanko", "blanko-used", "hospital-facilities", "hospital-days",
                                 "not-covered-reasons"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_downloads_every_table_of_the_city(key, fmt):
    counted_city()

    response = signed_in(staff_user(CITY, username="kota.bekasi")).get(f"{PAGE}{key}.{fmt}")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{key}.{fmt}"'


def test_it_writes_a_formula_like_name_as_text():
    Region.objects.filter(code=KRANJI).update(name="=HYPERLINK(\"http://x\")")
    counted_city()
    client = signed_in(staff_user(KRANJI))

    rows = _csv(client.get(PAGE + "coverage.csv"))
    sheet = load_workbook(io.BytesIO(client.get(PAGE + "coverage.xlsx").content)).active

    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=2, column=1).value == "'=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=2, column=4).value == recount()[0][region_id(KRANJI)]["households_verified"]


@pytest.mark.parametrize("path", ["nothing.csv", "coverage.pdf", "coverage.CSV", "blanko.csv", "..%2f.csv",
                                  "coverage", "coverage.csv.xlsx"])
def test_it_answers_an_unknown_download_with_404(path):
    counted_city()

    response = signed_in(staff_user(KRANJI)).get(PAGE + path)

    assert response.status_code == 404
