"""Confirming a checked import: the confirmation page says nothing is written
yet and writes nothing itself; the confirmation imports the households (in
the background, here in-process), once however often it is sent, and the
import's page then shows the result and links to its registrations."""

import pytest
from django.utils import translation

from registrations.models import HouseholdImport, Registration
from tests.admin.import_helpers import (
    confirmed,
    csv_bytes,
    household,
    import_storage,  # noqa: F401 - fixture
    lines_of,
    page_url,
    rows_of,
    step_url,
    uploaded,
)
from tests.factories import KRANJI, staff_user
from tests.web.helpers import element, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]


def _checked(client, capture, *families):
    client.force_login(staff_user(KRANJI))
    rows = [row for family in families for row in rows_of(family)]
    return uploaded(client, capture, csv_bytes(lines_of(rows)))


def test_its_confirmation_page_says_nothing_is_written_yet_and_writes_nothing(client,
                                                                            django_capture_on_commit_callbacks):
    record = _checked(client, django_capture_on_commit_callbacks, household(size=2), household(size=4))

    with translation.override("id"):
        page = client.get(step_url(record, "confirm"))

    assert page.status_code == 200
    body = text(page.content.decode())
    assert "Belum ada yang ditulis" in body and "Keluarga yang akan diimpor 2" in body
    assert "Orang yang akan diimpor 6" in body
    record.refresh_from_db()
    assert record.status == HouseholdImport.Status.CHECKED and not Registration.objects.exists()


def test_it_imports_the_households_once_confirmed(client, django_capture_on_commit_callbacks):
    families = [household(size=2), household(size=4)]
    record = _checked(client, django_capture_on_commit_callbacks, *families)

    record = confirmed(client, django_capture_on_commit_callbacks, record)

    assert record.status == HouseholdImport.Status.DONE
    imported = Registration.objects.filter(household_import=record)
    assert sorted(imported.values_list("kk_number", flat=True)) == sorted(f["kk_number"] for f in families)
    assert set(imported.values_list("status", "channel")) == {("submitted", "import")}
    with translation.override("id"):
        html = client.get(page_url(record)).content.decode()
    assert "Keluarga yang diimpor 2" in text(element(html, "import-summary"))
    assert 'href="/admin/registrations/registration/?impor=%d"' % record.pk in html
    listed = client.get(f"/admin/registrations/registration/?impor={record.pk}").content.decode()
    for family in families:
        assert family["kk_number"] in listed


def test_a_second_confirmation_imports_nothing_more(client, django_capture_on_commit_callbacks):
    record = _checked(client, django_capture_on_commit_callbacks, household(size=3))
    record = confirmed(client, django_capture_on_commit_callbacks, record)

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(step_url(record, "confirm"), follow=True)

    assert again.status_code == 200
    assert Registration.objects.filter(household_import=record).count() == 1
    assert [m.level_tag for m in again.context["messages"]][-1] == "warning"
