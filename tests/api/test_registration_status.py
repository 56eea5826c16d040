"""GET /api/v1/registrations/{reference}/?nik=: the contract's shape, for any
member of the household, with the reference typed as people type it."""

import datetime as dt
import re
from urllib.parse import quote

import pytest

from registrations import services
from registrations.models import Registration
from tests.api.helpers import post_json, status_url
from tests.factories import KRANJI, registration_data, staff_user

pytestmark = pytest.mark.django_db

KEYS = {"reference", "status", "submitted_at", "status_history", "card", "rejection_reason"}
JAKARTA = dt.timedelta(hours=7)


@pytest.fixture
def household(api):
    data = registration_data(KRANJI, size=3)
    response = post_json(api, data)
    assert response.status_code == 201, response.content
    return response.json()["reference"], data


def _status(api, reference, nik, **extra):
    return api.get(status_url(reference), {"nik": nik}, **extra)


def _at_jakarta_offset(value: str) -> dt.datetime:
    assert isinstance(value, str) and value.endswith("+07:00"), value
    parsed = dt.datetime.fromisoformat(value)
    assert parsed.utcoffset() == JAKARTA
    return parsed


def test_it_shows_a_submitted_registration_in_the_contracts_shape(api, household):
    reference, data = household

    response = _status(api, reference, data["members"][0]["nik"])

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == KEYS
    assert body["reference"] == reference
    assert body["status"] == "submitted"
    assert body["card"] is None
    assert body["rejection_reason"] is None
    submitted_at = _at_jakarta_offset(body["submitted_at"])
    assert abs(submitted_at - Registration.objects.get().submitted_at) < dt.timedelta(seconds=1)
    assert isinstance(body["status_history"], list) and len(body["status_history"]) == 1
    event = body["status_history"][0]
    assert set(event) == {"status", "at"}
    assert event["status"] == "submitted"
    _at_jakarta_offset(event["at"])


@pytest.mark.parametrize("index", [0, 1, 2])
def test_it_answers_any_member_of_the_household(api, household, index):
    reference, data = household

    response = _status(api, reference, data["members"][index]["nik"])

    assert response.status_code == 200, response.content
    assert response.json()["reference"] == reference


def test_it_accepts_the_nik_with_separators(api, household):
    reference, data = household
    nik = data["members"][1]["nik"]

    response = _status(api, reference, f"{nik[:4]} {nik[4:8]}.{nik[8:12]}-{nik[12:]}")

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "typed",
    [
        lambda ref: ref.lower(),
        lambda ref: ref.replace("-", " "),
        lambda ref: ref.lower().replace("-", " "),
        lambda ref: ref[3:],                              # without the KS- prefix
        lambda ref: " " + ref.replace("-", "") + " ",
    ],
)
def test_it_accepts_the_reference_typed_lowercase_or_with_spaces(api, household, typed):
    reference, data = household
    assert re.fullmatch(r"KS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)

    response = api.get(f"/api/v1/registrations/{quote(typed(reference))}/", {"nik": data["members"][0]["nik"]})

    assert response.status_code == 200, response.content
    assert response.json()["reference"] == reference


def test_it_shows_verified_with_two_history_entries_after_verification(api, household):
    reference, data = household
    registration = Registration.objects.get(reference=reference)
    services.registration_verify(registration_id=registration.pk, by=staff_user(KRANJI))

    body = _status(api, reference, data["members"][2]["nik"]).json()

    assert body["status"] == "verified"
    assert [e["status"] for e in body["status_history"]] == ["submitted", "verified"]
    first, second = (_at_jakarta_offset(e["at"]) for e in body["status_history"])
    assert first <= second
    assert body["rejection_reason"] is None
    card = body["card"]
    assert {k: card[k] for k in ("status", "pickup_location", "pickup_deadline")} == {
        "status": "queued", "pickup_location": None, "pickup_deadline": None,
    }
    assert [step["event"] for step in card["history"]] == ["queued"]


def test_it_shows_the_rejection_reason_after_rejection(api, household):
    reference, data = household
    registration = Registration.objects.get(reference=reference)
    reason = "Scan KK tidak terbaca; silakan datang ke kelurahan membawa KK asli."
    services.registration_reject(registration_id=registration.pk, by=staff_user(KRANJI), reason=reason)

    body = _status(api, reference, data["members"][0]["nik"]).json()

    assert body["status"] == "rejected"
    assert body["rejection_reason"] == reason
    assert [e["status"] for e in body["status_history"]] == ["submitted", "rejected"]
    assert body["card"] is None


def test_it_does_not_show_member_data_or_numbers(api, household):
    reference, data = household

    text = _status(api, reference, data["members"][0]["nik"]).content.decode()

    for member in data["members"]:
        assert member["nik"] not in text
        assert member["full_name"] not in text
    assert data["kk_number"] not in text
