"""Verifying the clean registrations of an import: the confirmation page says
how many will be verified and how many each flag leaves out; verifying
verifies exactly the waiting registrations of that import without a flag,
each through the verify service, and with REQUIRE_SECOND_VERIFIER on, those
the user entered are refused, counted and reported, not verified."""

import pytest
from django.utils import translation

from registrations import services
from registrations.admin import imports as import_admin
from registrations.models import Household, Registration
from tests.admin.import_helpers import (
    confirmed,
    csv_bytes,
    household,
    import_storage,  # noqa: F401 - fixture
    lines_of,
    rows_of,
    step_url,
    uploaded,
)
from tests.factories import KRANJI, staff_user, submit
from tests.web.helpers import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]


@pytest.fixture
def imported(client, django_capture_on_commit_callbacks):
    """An import of four households of Kranji: one with a KK issued in another
    kecamatan (flagged), three clean, of which one is verified already."""
    uploader = staff_user(KRANJI, username="impor.kranji")
    client.force_login(uploader)
    flagged = household(KRANJI)
    flagged["kk_number"] = "327501" + flagged["kk_number"][6:]  # KK of Bekasi Timur, address in Bekasi Barat
    clean = [household(KRANJI) for _ in range(3)]
    content = csv_bytes(lines_of([row for data in (flagged, *clean) for row in rows_of(data)]))
    record = confirmed(client, django_capture_on_commit_callbacks, uploaded(client, django_capture_on_commit_callbacks,
                                                                            content))
    assert record.households_imported == 4
    done_before = Registration.objects.get(kk_number=clean[0]["kk_number"])
    services.registration_verify(registration_id=done_before.pk, by=staff_user(KRANJI, username="kepala.seksi"))
    return record, uploader, flagged, clean


def test_its_page_says_how_many_and_which_flags_are_left_out(client, imported):
    record, _uploader, _flagged, _clean = imported
    client.force_login(staff_user(KRANJI))

    with translation.override("id"):
        page = client.get(step_url(record, "verify_clean"))

    assert page.status_code == 200
    body = text(page.content.decode())
    assert "Pendaftaran yang akan diverifikasi (tanpa tanda) 2" in body
    assert "Tidak diikutkan, bertanda: KK diterbitkan di kecamatan lain 1" in body
    assert Registration.objects.filter(status="submitted").count() == 3  # the page changes nothing


def test_it_verifies_exactly_the_registrations_without_a_flag(client, imported):
    record, _uploader, flagged, clean = imported
    other = submit(KRANJI)  # waiting too, but not of this import
    client.force_login(staff_user(KRANJI))

    response = client.post(step_url(record, "verify_clean"))

    assert response.status_code == 302 and response["Location"].endswith(f"?impor={record.pk}")
    statuses = dict(Registration.objects.values_list("kk_number", "status"))
    assert statuses[flagged["kk_number"]] == "submitted" and statuses[other.kk_number] == "submitted"
    assert all(statuses[data["kk_number"]] == "verified" for data in clean)
    assert Household.objects.filter(kk_number__in=[data["kk_number"] for data in clean], status="active").count() == 3


def test_with_a_second_verifier_required_it_reports_what_the_uploader_may_not_verify(client, imported, settings):
    settings.REQUIRE_SECOND_VERIFIER = True
    record, uploader, _flagged, _clean = imported
    client.force_login(uploader)

    with translation.override("id"):
        page = text(client.get(step_url(record, "verify_clean")).content.decode())
        response = client.post(step_url(record, "verify_clean"), follow=True)

    assert "Di antaranya, dimasukkan oleh Anda: petugas lain harus memverifikasinya 2" in page
    assert Registration.objects.filter(status="verified").count() == 1  # the one verified before
    (message,) = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert message.startswith("2 pendaftaran tidak diverifikasi: Anda sendiri yang memasukkan pendaftaran ini")
    client.force_login(staff_user(KRANJI, username="petugas.kedua"))
    client.post(step_url(record, "verify_clean"))
    assert Registration.objects.filter(status="verified").count() == 3


def test_a_big_import_is_verified_in_steps_that_fit_a_request(client, imported, monkeypatch):
    record, _uploader, _flagged, clean = imported
    monkeypatch.setattr(import_admin, "VERIFY_CLEAN_AT_MOST", 1)
    client.force_login(staff_user(KRANJI))

    with translation.override("id"):
        page = text(client.get(step_url(record, "verify_clean")).content.decode())
        first = client.post(step_url(record, "verify_clean"), follow=True)

    assert "Pendaftaran yang akan diverifikasi (tanpa tanda) 2" in page
    assert "Diverifikasi pada langkah ini (sisanya pada langkah berikutnya) 1" in page
    assert Registration.objects.filter(status="verified").count() == 2  # one before, one now
    assert any("1 lagi menunggu tanpa tanda" in str(m) for m in first.context["messages"])
    client.post(step_url(record, "verify_clean"))
    assert Registration.objects.filter(status="verified").count() == 3
