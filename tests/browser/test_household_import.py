"""A kelurahan clerk in Chromium uploads an RW's list, reads the dry run's
report, confirms, and sees the import through to its end; and an import's
page follows a worker's progress without being reloaded (its script, under
the Content-Security-Policy), then shows the summary once the step is over.
The browser reports no policy violation."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from registrations.models import HouseholdImport, Region, Registration, StaffArea
from registrations.roles import KELURAHAN_STAFF
from tests.factories import KRANJI, UserFactory
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, rows_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "impor-kranji-uji-4c1"
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => window.__csp.push(event.violatedDirective));
"""
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


@pytest.fixture
def private_files(settings, tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=str(tmp_path / "private"), base_url=None)
    for name in ("file", "report"):
        monkeypatch.setattr(HouseholdImport._meta.get_field(name), "storage", storage)


def _signed_in(new_page):
    clerk = UserFactory(username="impor.kranji")
    clerk.set_password(PASSWORD)
    clerk.save()
    clerk.groups.add(Group.objects.get(name=KELURAHAN_STAFF))
    StaffArea.objects.create(user=clerk, region=Region.objects.get(code=KRANJI))
    page = new_page(**DESKTOP)
    page.add_init_script(LISTEN)
    page.goto("/admin/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    return clerk, page


@pytest.mark.usefixtures("private_files")
def test_it_uploads_checks_confirms_and_imports_a_list(new_page):
    clerk, page = _signed_in(new_page)
    families = [household(size=3), household(size=2), household(size=2)]
    rows = [row for family in families for row in rows_of(family)]
    rows[6]["tanggal_lahir"] = "31-02-1990"  # the third household's second member: row 8 in Excel
    content = csv_bytes(lines_of(rows), delimiter=";")

    page.goto("/admin/registrations/householdimport/")
    with page.expect_navigation():
        page.click("a.addlink")
    page.set_input_files("#id_file", files=[{"name": "rw02-kranji.csv", "mimeType": "text/csv", "buffer": content}])
    with page.expect_navigation():
        page.click("#upload-form input[type=submit]")

    record = HouseholdImport.objects.get()
    assert page.url.endswith(f"/admin/registrations/householdimport/{record.pk}/change/")
    summary = page.inner_text("#import-summary")
    assert "Keluarga yang akan diimpor\t2" in summary and "Baris dibaca\t7" in summary
    report = page.inner_text("#import-report")
    assert "8\t" in report and "tanggal_lahir" in report and "Keluarga ini tidak diimpor karena baris 8." in report
    assert not Registration.objects.exists()  # the dry run wrote nothing

    with page.expect_navigation():
        page.click("#import-actions a.default")  # Impor
    assert "Belum ada yang ditulis" in page.inner_text("#content")
    with page.expect_navigation():
        page.click("#content input[type=submit]")

    assert page.url.endswith(f"/admin/registrations/householdimport/{record.pk}/change/")
    assert "Keluarga yang diimpor\t2" in page.inner_text("#import-summary")
    assert page.locator("#import-progress").count() == 0  # in-process (no broker): finished already
    assert sorted(Registration.objects.values_list("kk_number", flat=True)) == sorted(
        family["kk_number"] for family in families[:2])
    with page.expect_navigation():
        page.click("#import-registrations")
    listed = page.inner_text("#result_list")
    assert all(family["kk_number"] in listed for family in families[:2])
    assert page.evaluate("window.__csp") == []
    assert record.uploaded_by == clerk


@pytest.mark.usefixtures("private_files")
def test_its_page_follows_the_progress_without_reloading(new_page):
    clerk, page = _signed_in(new_page)
    record = HouseholdImport.objects.create(
        filename="rw05.csv", size=10, sha256="0" * 64, allowed_kelurahan=[KRANJI], uploaded_by=clerk,
        default_kelurahan=Region.objects.get(code=KRANJI), status=HouseholdImport.Status.IMPORTING,
        claim="worker-1", lease_until=timezone.now() + dt.timedelta(minutes=5), rows_total=1000, rows_done=400,
        households_imported=80, households_refused=3, people_imported=300,
    )
    page.goto(f"/admin/registrations/householdimport/{record.pk}/change/")
    page.evaluate("window.__loaded = true")  # gone if the page reloads
    assert page.get_attribute("#import-progress-bar", "value") == "40"

    HouseholdImport.objects.filter(pk=record.pk).update(rows_done=800, households_imported=160)
    # A locator, not a function: the policy forbids evaluating a string as script.
    page.wait_for_selector("#import-progress [data-field=rows_done]:text-is('800')")

    assert page.evaluate("window.__loaded") is True
    assert page.get_attribute("#import-progress-bar", "value") == "80"
    assert page.inner_text("[data-field=households_imported]") == "160"

    HouseholdImport.objects.filter(pk=record.pk).update(
        status=HouseholdImport.Status.DONE, claim="", lease_until=None, rows_done=1000, rows_read=1000,
        households_imported=200, people_imported=750, finished_at=timezone.now(),
    )
    page.wait_for_selector("#import-summary")  # the page reloaded itself to show the result
    assert "Keluarga yang diimpor\t200" in page.inner_text("#import-summary")
    assert page.evaluate("window.__csp") == []
