"""The other steps of an import's page: cancelling a checked file deletes the
file and its report and imports nothing; resuming a stopped import imports
the rest without writing a household twice; a step the import's state does
not allow now sends the clerk back with a message; the auditor takes no step."""

import datetime as dt

import pytest
from django.utils import timezone

from registrations.models import HouseholdImport, Registration
from registrations.roles import AUDITOR
from tests.admin.import_helpers import (
    city_user,
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]


@pytest.fixture
def checked(client, django_capture_on_commit_callbacks):
    client.force_login(staff_user(KRANJI))
    families = [household(size=2) for _ in range(3)]
    content = csv_bytes(lines_of([row for family in families for row in rows_of(family)]))
    return uploaded(client, django_capture_on_commit_callbacks, content), families


def test_cancelling_deletes_the_file_and_imports_nothing(client, checked):
    record, _families = checked
    storage = HouseholdImport._meta.get_field("file").storage
    stored = [record.file.name, record.report.name]
    assert all(storage.exists(name) for name in stored)

    assert client.get(step_url(record, "cancel")).status_code == 200
    response = client.post(step_url(record, "cancel"))

    record.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == page_url(record)
    assert record.status == HouseholdImport.Status.CANCELLED and not record.file and not record.report
    assert not any(storage.exists(name) for name in stored)
    assert not Registration.objects.exists()
    assert client.get(page_url(record)).status_code == 200


def test_resuming_a_stopped_import_imports_the_rest_once(client, checked, django_capture_on_commit_callbacks):
    record, families = checked
    record = confirmed(client, django_capture_on_commit_callbacks, record)
    # A worker stopped after writing the first household: the rest is still to do.
    Registration.objects.exclude(kk_number=families[0]["kk_number"]).delete()
    HouseholdImport.objects.filter(pk=record.pk).update(status=HouseholdImport.Status.FAILED, finished_at=None,
                                                        error="OperationalError")
    assert "resume" in client.get(page_url(record)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step_url(record, "resume"))

    record.refresh_from_db()
    assert response.status_code == 302 and record.status == HouseholdImport.Status.DONE
    assert sorted(Registration.objects.filter(household_import=record).values_list("kk_number", flat=True)) == sorted(
        family["kk_number"] for family in families)


@pytest.mark.parametrize("step", ["resume", "verify_clean"])
def test_a_step_the_state_does_not_allow_sends_back_with_a_message(client, checked, step):
    record, _families = checked

    response = client.post(step_url(record, step), follow=True)

    assert response.redirect_chain[-1][0] == page_url(record)
    assert [m.level_tag for m in response.context["messages"]][-1] == "warning"
    assert HouseholdImport.objects.get(pk=record.pk).status == HouseholdImport.Status.CHECKED


@pytest.mark.parametrize("step", ["confirm", "cancel"])
def test_the_auditor_reads_the_page_but_takes_no_step(client, checked, step):
    record, _families = checked
    client.force_login(city_user("audit.kota", AUDITOR))

    page = client.get(page_url(record)).content.decode()

    assert step_url(record, step) not in page
    assert client.post(step_url(record, step)).status_code == 403
    assert HouseholdImport.objects.get(pk=record.pk).status == HouseholdImport.Status.CHECKED


def test_a_file_refused_by_the_check_shows_why_and_can_be_cancelled(client, checked):
    record, _families = checked
    HouseholdImport.objects.filter(pk=record.pk).update(status=HouseholdImport.Status.REFUSED,
                                                        error="Kolom nik tidak ada.")

    html = client.get(page_url(record)).content.decode()

    assert "Kolom nik tidak ada." in html and step_url(record, "cancel") in html
    assert step_url(record, "confirm") not in html and "/admin/registrations/householdimport/add/" in html


def test_an_import_whose_worker_is_gone_can_be_resumed(client, checked, django_capture_on_commit_callbacks):
    record, families = checked
    HouseholdImport.objects.filter(pk=record.pk).update(
        status=HouseholdImport.Status.IMPORTING, claim="dead-worker", lease_until=timezone.now() - dt.timedelta(1))

    html = client.get(page_url(record)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(step_url(record, "resume"))

    assert "import-stalled" in html and step_url(record, "resume") in html and "import-progress.js" not in html
    record.refresh_from_db()
    assert record.status == HouseholdImport.Status.DONE
    assert Registration.objects.filter(household_import=record).count() == len(families)
