"""The print office sees each emergency request with the hospital's letter;
every opening of a letter is recorded, and nobody else gets the letter."""

import pytest
from django.contrib.auth.models import Group

from cards.roles import PRINT_OFFICE
from hospitals.models import EmergencyRequest
from registrations.models import AccessLog, Region, StaffArea
from tests.factories import CITY, KRANJI, MARGAJAYA, UserFactory, staff_user
from tests.hospitals.helpers import (
    EMERGENCY_URL,
    facility,
    hospital_key,
    hospital_user,
    keyed,
    pdf_bytes,
    upload,
    verified_household,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/hospitals/emergencyrequest/"


def change_url(pk) -> str:
    return f"/admin/hospitals/emergencyrequest/{pk}/change/"


def letter_url(pk) -> str:
    return f"/admin/hospitals/emergencyrequest/{pk}/letter/"


def print_officer(area: str = CITY):
    """An operator of the print office, working for the whole city (or ``area``)."""
    user = UserFactory(username="operator.cetak")
    user.groups.add(Group.objects.get(name=PRINT_OFFICE))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=area))
    return user


@pytest.fixture
def hospital():
    return facility("RS Uji Melati")


@pytest.fixture
def sent(api, hospital, private_dir):
    """(request, letter bytes, head, card) of one emergency request sent over the API."""
    _household, head, card = verified_household()
    _staff, key = hospital_key(hospital_user(hospital))
    letter = pdf_bytes("Surat keterangan rawat inap RS Uji Melati")
    response = keyed(api, key).post(
        EMERGENCY_URL, {"nik": head.nik, "reason": "rawat_inap", "letter": upload(letter)}, format="multipart",
    )
    assert response.status_code == 201, response.content
    return EmergencyRequest.objects.get(pk=response.json()["id"]), letter, head, card


def read(response) -> bytes:
    # The test client closes the file once the content is read (closing the
    # response again would close the test's database connection).
    return b"".join(response.streaming_content)


def test_it_lists_the_request_for_the_print_office(client, sent, hospital):
    request, _letter, head, card = sent
    client.force_login(print_officer())

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [request]
    page = response.content.decode()
    assert hospital.name in page
    assert card.number in page
    assert letter_url(request.pk) in page
    assert head.nik not in page


def test_it_opens_the_requests_page_with_its_card_and_letter(client, sent, hospital):
    request, _letter, head, card = sent
    client.force_login(print_officer())

    response = client.get(change_url(request.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert hospital.name in page
    assert head.full_name in page
    assert f"/admin/cards/card/{card.pk}/change/" in page
    assert letter_url(request.pk) in page
    assert head.nik not in page
    assert request.household.kk_number not in page


def test_it_records_the_opening_of_the_requests_page(client, sent):
    request, *_ = sent
    officer = print_officer()
    client.force_login(officer)

    client.get(change_url(request.pk))

    entry = AccessLog.objects.get(object_type="emergency_request")
    assert (entry.user, entry.action, entry.object_id) == (officer, "view", str(request.pk))


def test_it_hands_over_exactly_the_uploaded_letter(client, sent):
    request, letter, *_ = sent
    client.force_login(print_officer())

    response = client.get(letter_url(request.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    assert "public" not in directives
    assert read(response) == letter


def test_it_records_every_opening_of_the_letter(client, sent):
    request, *_ = sent
    officer = print_officer()
    client.force_login(officer)

    for _ in range(2):
        read(client.get(letter_url(request.pk)))

    entries = AccessLog.objects.filter(object_type="emergency_letter")
    assert entries.count() == 2
    assert {(e.user, e.action, e.object_id) for e in entries} == {(officer, "view", str(request.pk))}


def test_it_links_the_cards_page_to_the_request(client, sent, hospital):
    request, _letter, _head, card = sent
    client.force_login(print_officer())

    response = client.get(f"/admin/cards/card/{card.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert change_url(request.pk) in page
    assert hospital.name in page


def test_it_keeps_the_request_read_only(client, sent):
    request, *_ = sent
    client.force_login(print_officer())

    assert client.get("/admin/hospitals/emergencyrequest/add/").status_code == 403
    assert client.post(f"/admin/hospitals/emergencyrequest/{request.pk}/delete/", {"post": "yes"}).status_code == 403
    assert EmergencyRequest.objects.filter(pk=request.pk).exists()


def test_it_refuses_the_letter_to_kelurahan_staff_and_records_it(client, sent):
    request, letter, *_ = sent
    staff = staff_user(KRANJI)
    client.force_login(staff)

    response = client.get(letter_url(request.pk))

    assert response.status_code in (403, 404)
    assert letter not in response.content
    assert not AccessLog.objects.filter(object_type="emergency_letter", action="view").exists()
    denied = AccessLog.objects.get(object_type="emergency_letter", action="denied")
    assert (denied.user, denied.object_id) == (staff, str(request.pk))


def test_it_refuses_the_letter_to_a_print_office_of_another_area_and_records_it(client, sent):
    request, letter, *_ = sent
    officer = print_officer(area=MARGAJAYA)
    client.force_login(officer)

    response = client.get(letter_url(request.pk))

    assert response.status_code == 404
    assert letter not in response.content
    denied = AccessLog.objects.get(object_type="emergency_letter", action="denied")
    assert (denied.user, denied.object_id) == (officer, str(request.pk))


def test_it_refuses_the_list_to_kelurahan_staff(client, sent):
    client.force_login(staff_user(KRANJI))

    assert client.get(LIST_URL).status_code == 403


def test_it_sends_a_visitor_without_login_to_the_admin_login(client, sent):
    request, *_ = sent

    response = client.get(letter_url(request.pk))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not AccessLog.objects.filter(object_type="emergency_letter", action="view").exists()
