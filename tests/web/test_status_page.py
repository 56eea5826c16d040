"""The status page at /status/: reference + any member's NIK, posted, shows the
status and its history; every miss looks the same and shows nothing personal."""

import pytest
from django.urls import reverse
from django.utils import translation

from registrations import services
from registrations.models import Registration
from tests.factories import KRANJI, staff_user, submit
from tests.web.helpers import STATUS_URL, attributes, element, text

pytestmark = pytest.mark.django_db


def label(status: str) -> str:
    with translation.override("id"):
        return str(Registration.Status(status).label)


def lookup(client, reference: str, nik: str):
    return client.post(STATUS_URL, {"reference": reference, "nik": nik})


def test_it_shows_an_empty_form_that_posts(client):
    response = client.get(STATUS_URL)

    assert reverse("registrations:status") == STATUS_URL
    assert response.status_code == 200
    html = response.content.decode()
    assert attributes(html, "reference")["value"] == ""
    assert attributes(html, "nik")["value"] == ""
    form = element(html, "main").split("<form", 2)[1]
    assert form.startswith(' method="post"')
    assert "lookup-result" not in html


def test_it_prefills_the_reference_from_the_link(client):
    registration = submit(KRANJI)

    html = client.get(STATUS_URL, {"ref": registration.reference}).content.decode()

    assert attributes(html, "reference")["value"] == registration.reference
    assert attributes(html, "nik")["value"] == ""


def test_it_never_looks_up_a_nik_sent_in_the_url(client):
    registration = submit(KRANJI)
    nik = registration.members.get(position=0).nik

    response = client.get(STATUS_URL, {"ref": registration.reference, "nik": nik})

    assert response.status_code == 200
    assert "lookup-result" not in response.content.decode()


def test_it_shows_the_status_and_history_for_the_reference_and_a_members_nik(client):
    registration = submit(KRANJI, size=3)
    nik = registration.members.get(position=2).nik

    response = lookup(client, registration.reference, nik)

    assert response.status_code == 200
    result = element(response.content, "lookup-result")
    assert registration.reference in result
    assert text(element(result, "status")) == label("submitted")
    history = result.split('class="timeline"', 1)[1]
    assert history.count("<li>") == 1 and label("submitted") in history


def test_it_accepts_the_reference_and_nik_as_people_type_them(client):
    registration = submit(KRANJI)
    nik = registration.members.get(position=0).nik
    typed_reference = registration.reference.lower().replace("-", " ")
    typed_nik = f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"

    response = lookup(client, typed_reference, typed_nik)

    assert response.status_code == 200
    assert registration.reference in element(response.content, "lookup-result")


def test_it_answers_every_miss_with_the_same_message_and_nothing_personal(client):
    registration = submit(KRANJI, size=3)
    members = list(registration.members.order_by("position"))
    other = submit(KRANJI)
    other_nik = other.members.get(position=0).nik

    wrong_nik = lookup(client, registration.reference, other_nik)
    unknown_reference = lookup(client, "KS-ABCD-EFGH-JKMN", members[0].nik)
    malformed_nik = lookup(client, registration.reference, "3275-not-a-nik")

    fragments = []
    for response in (wrong_nik, unknown_reference, malformed_nik):
        assert response.status_code == 404
        html = response.content.decode()
        fragments.append(element(html, "lookup-result"))
        for member in members:
            assert member.full_name not in html
        assert registration.kk_number not in html
        assert registration.address not in html
        assert label("submitted") not in html
    assert fragments[0] == fragments[1] == fragments[2]
    assert 'role="alert"' in fragments[0]
    assert registration.reference not in fragments[0]


def test_it_shows_verified_after_the_kelurahan_verifies(client):
    registration = submit(KRANJI)
    services.registration_verify(registration_id=registration.pk, by=staff_user(KRANJI))

    response = lookup(client, registration.reference, registration.members.get(position=0).nik)

    assert response.status_code == 200
    result = element(response.content, "lookup-result")
    assert text(element(result, "status")) == label("verified")
    assert 'class="status status-verified"' in result
    history = result.split('class="timeline"', 1)[1]
    assert history.count("<li>") == 2
    assert history.index(label("submitted")) < history.index(label("verified"))


def test_it_shows_the_reason_after_a_rejection(client):
    registration = submit(KRANJI, size=2)
    reason = "Nomor KK tidak terdaftar di Disdukcapil; bawa KK asli ke kelurahan."
    services.registration_reject(registration_id=registration.pk, by=staff_user(KRANJI), reason=reason)

    response = lookup(client, registration.reference, registration.members.get(position=1).nik)

    assert response.status_code == 200
    result = element(response.content, "lookup-result")
    assert text(element(result, "status")) == label("rejected")
    assert reason in text(result)
