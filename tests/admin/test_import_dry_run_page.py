"""A kelurahan clerk uploads an RW's list: the file is checked (the dry run),
and the import's page shows the summary and the report, row by row, with the
numbers masked; no registration is written until someone confirms."""

import pytest
from django.utils import translation

from registrations.models import AccessLog, HouseholdImport, Registration, RegistrationMember
from tests.admin.import_helpers import (
    csv_bytes,
    household,
    import_storage,  # noqa: F401 - fixture
    lines_of,
    page_url,
    rows_of,
    uploaded,
)
from tests.factories import KRANJI, staff_user
from tests.web.helpers import element, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]


def _file_with_one_bad_household():
    good, bad = household(size=2), household(size=3)
    rows = rows_of(good) + rows_of(bad)
    rows[3]["jenis_kelamin"] = "X"  # the bad household's second member, row 5 in Excel
    return good, bad, csv_bytes(lines_of(rows))


def test_it_checks_the_file_and_writes_nothing(client, django_capture_on_commit_callbacks):
    clerk = staff_user(KRANJI)
    client.force_login(clerk)
    good, bad, content = _file_with_one_bad_household()

    record = uploaded(client, django_capture_on_commit_callbacks, content)

    assert record.status == HouseholdImport.Status.CHECKED
    assert (record.households_imported, record.households_refused, record.people_imported, record.rows_read) == (
        1, 1, 2, 5)
    assert record.uploaded_by == clerk and record.default_kelurahan.code == KRANJI
    assert not Registration.objects.exists() and not RegistrationMember.objects.exists()


def test_it_shows_the_summary_and_the_report_with_masked_numbers(client, django_capture_on_commit_callbacks):
    client.force_login(staff_user(KRANJI))
    good, bad, content = _file_with_one_bad_household()
    record = uploaded(client, django_capture_on_commit_callbacks, content)

    with translation.override("id"):
        page = client.get(page_url(record))

    assert page.status_code == 200
    html = page.content.decode()
    summary = text(element(html, "import-summary"))
    assert "Keluarga yang akan diimpor 1" in summary and "Baris dibaca 5" in summary
    assert "Belum ada yang ditulis" in text(element(html, "nothing-written"))
    report = text(element(html, "import-report"))
    bad_nik = bad["members"][1]["nik"]
    assert f"5 {bad['kk_number'][:4]}" in report and "jenis_kelamin" in report
    assert bad_nik[:4] + "••••••••" + bad_nik[-4:] in report
    for member in bad["members"]:
        assert member["nik"] not in html
    assert bad["kk_number"] not in html
    actions = text(element(html, "import-actions"))
    assert "Impor" in actions and "Batal" in actions and "Laporan (CSV)" in actions
    assert AccessLog.objects.filter(action="view", object_type="householdimport", object_id=str(record.pk)).exists()


def test_it_says_the_report_is_empty_when_every_row_can_be_imported(client, django_capture_on_commit_callbacks):
    client.force_login(staff_user(KRANJI))
    record = uploaded(client, django_capture_on_commit_callbacks, csv_bytes(lines_of(rows_of(household()))))

    page = client.get(page_url(record)).content.decode()

    assert "report-empty" in page and "import-report" not in page
