"""POST /api/v1/registrations/: a KK or NIK that already belongs to an active
household or a pending registration is refused with 400 on that number,
the message sending the person to their kelurahan, and nothing is written."""

import pytest

from registrations import services
from registrations.models import Registration
from tests.api.helpers import member_messages, messages, post_json, refused, row_counts
from tests.factories import BINTARA, KRANJI, registration_data, staff_user

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _submitted(api, data):
    response = post_json(api, data)
    assert response.status_code == 201, response.content
    return response.json()["reference"]


def _verified(api, data):
    reference = _submitted(api, data)
    registration = Registration.objects.get(reference=reference)
    services.registration_verify(registration_id=registration.pk, by=staff_user(KRANJI))
    registration.refresh_from_db()
    assert registration.status == "verified"
    return registration


def _borrow(data, index, member):
    """Put ``member`` (a person already claimed elsewhere) at ``index``, as a child."""
    data["members"][index] = dict(member, relationship="anak")
    return data


def test_it_refuses_a_nik_already_active_in_another_household(api):
    first = registration_data(KRANJI, size=2)
    _verified(api, first)
    before = row_counts()

    data = _borrow(registration_data(BINTARA, size=3), 2, first["members"][1])
    errors = refused(post_json(api, data, **EN), before)

    assert "kelurahan" in member_messages(errors, 2, "nik")


def test_it_refuses_a_nik_in_another_pending_registration(api):
    first = registration_data(KRANJI, size=2)
    _submitted(api, first)
    before = row_counts()

    data = _borrow(registration_data(BINTARA, size=3), 1, first["members"][1])
    errors = refused(post_json(api, data, **EN), before)

    message = member_messages(errors, 1, "nik")
    assert "kelurahan" in message and "moves between KKs" in message


def test_it_refuses_a_pending_nik_typed_with_separators(api):
    first = registration_data(KRANJI, size=2)
    _submitted(api, first)
    before = row_counts()
    member = dict(first["members"][1])
    member["nik"] = f"{member['nik'][:6]} {member['nik'][6:12]} {member['nik'][12:]}"

    data = _borrow(registration_data(BINTARA, size=2), 1, member)
    errors = refused(post_json(api, data), before)

    member_messages(errors, 1, "nik")


def test_it_refuses_a_kk_with_an_active_household(api):
    first = registration_data(KRANJI, size=2)
    _verified(api, first)
    before = row_counts()

    errors = refused(post_json(api, registration_data(KRANJI, size=2, kk_number=first["kk_number"]), **EN), before)

    assert list(errors) == ["kk_number"]
    assert "kelurahan" in messages(errors, "kk_number")


def test_it_refuses_a_kk_with_a_pending_registration(api):
    first = registration_data(KRANJI, size=2)
    _submitted(api, first)
    before = row_counts()

    errors = refused(post_json(api, registration_data(KRANJI, size=2, kk_number=first["kk_number"]), **EN), before)

    assert list(errors) == ["kk_number"]
    assert "being processed" in messages(errors, "kk_number")


def test_it_accepts_the_kk_again_after_its_registration_was_rejected(api):
    first = registration_data(KRANJI, size=2)
    reference = _submitted(api, first)
    services.registration_reject(
        registration_id=Registration.objects.get(reference=reference).pk,
        by=staff_user(KRANJI), reason="Scan KK tidak terbaca",
    )

    response = post_json(api, first)

    assert response.status_code == 201, response.content
