"""The family's receipt prints from the registration's page: the reference,
the household and its members with every number masked; only for staff who
register families, of the registration's area; each printing is logged."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from registrations.models import AccessLog, Region, Registration, StaffArea
from registrations.roles import AUDITOR
from tests.admin.desk_helpers import change_url, desk_url, receipt_url
from tests.factories import CITY, KRANJI, MARGAJAYA, UserFactory, registration_data, staff_user, submit
from tests.web.helpers import element, form_data, text

pytestmark = pytest.mark.django_db


def test_it_prints_the_reference_household_and_masked_members(client):
    data = registration_data(KRANJI, size=3)
    staff = staff_user(KRANJI, username="kel.kranji", first_name="Siti", last_name="Rahma")
    client.force_login(staff)
    client.post(desk_url(), form_data(data))
    registration = Registration.objects.get()

    response = client.get(receipt_url(registration))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert text(element(html, "reference")) == registration.reference
    receipt = text(element(html, "receipt"))
    assert f"{data['kk_number'][:4]}••••••••{data['kk_number'][-4:]}" in receipt
    members = text(element(html, "receipt-members"))
    for member in data["members"]:
        assert member["full_name"] in members
        assert f"{member['nik'][:4]}••••••••{member['nik'][-4:]}" in members
        assert member["nik"] not in html
    assert data["kk_number"] not in html
    assert "Kranji" in receipt and "Siti Rahma" in receipt
    assert 'data-print' in element(html, "print-receipt")


def test_it_records_each_printing_in_the_access_log(client):
    registration = submit(KRANJI)
    staff = staff_user(KRANJI)
    client.force_login(staff)

    client.get(receipt_url(registration))
    client.get(receipt_url(registration))

    printed = AccessLog.objects.filter(action="export")
    assert printed.count() == 2
    assert {(e.user, e.object_type, e.object_id, e.detail) for e in printed} == {
        (staff, "registration", str(registration.pk), "receipt")
    }


def test_the_registrations_page_links_to_it(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    html = client.get(change_url(registration)).content.decode()

    assert f'href="{receipt_url(registration)}"' in element(html, "print-receipt-link")


def test_it_hides_another_areas_receipt_and_logs_the_attempt(client):
    other = submit(MARGAJAYA)
    staff = staff_user(KRANJI)
    client.force_login(staff)

    response = client.get(receipt_url(other))

    assert response.status_code == 404
    assert other.reference not in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()
    assert AccessLog.objects.get(action="denied").object_id == str(other.pk)


def test_it_refuses_the_auditor_who_reads_registrations_but_takes_no_file(client):
    registration = submit(KRANJI)
    auditor = UserFactory(username="audit.kota")
    auditor.groups.add(Group.objects.get(name=AUDITOR))
    StaffArea.objects.create(user=auditor, region=Region.objects.get(code=CITY))
    client.force_login(auditor)

    assert client.get(change_url(registration)).status_code == 200
    response = client.get(receipt_url(registration))

    assert response.status_code == 403
    assert not AccessLog.objects.filter(action="export").exists()


def test_it_is_in_bahasa_indonesia(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    html = client.get(receipt_url(registration)).content.decode()

    with translation.override("id"):
        from django.utils.translation import gettext

        assert gettext("Registration received") in html
    assert "Registration received" not in html
