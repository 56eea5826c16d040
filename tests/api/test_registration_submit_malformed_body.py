"""POST /api/v1/registrations/: a body that is not a registration object,
broken JSON, control characters and oversized values give 400 (never a
5xx) with a message where it belongs, and nothing is written."""

import json

import pytest

from tests.api.helpers import (
    NOTHING,
    member_messages,
    messages,
    post_json,
    post_multipart,
    post_raw,
    refused,
    row_counts,
)
from tests.factories import registration_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize("body", [[], [registration_data(size=1)], "registration", 42, 3.5, True, None])
def test_it_refuses_a_json_body_that_is_not_an_object(api, body):
    errors = refused(post_json(api, body, **EN))

    assert list(errors) == ["non_field_errors"]
    assert "JSON object" in messages(errors, "non_field_errors")


@pytest.mark.parametrize("text", ['{"kk_number": ', "{'kk_number': '1'}", "not json", '{"a": 1,}', "\ufeff{}x"])
def test_it_refuses_malformed_json_with_a_message(api, text):
    errors = refused(post_raw(api, text, **EN))

    assert list(errors) == ["non_field_errors"]
    assert "JSON" in errors["non_field_errors"][0]


def test_it_refuses_invalid_utf8(api):
    body = json.dumps(registration_data(size=1, address="Jl. Kranji No. 5")).encode()
    body = body.replace(b"Kranji No", b"Kranji\xff\xfe No")
    assert b"\xff\xfe" in body

    errors = refused(post_raw(api, body))

    assert list(errors) == ["non_field_errors"]


@pytest.mark.parametrize("field", ["address", "kelurahan_code", "phone", "email", "kk_number", "rt"])
def test_it_refuses_a_nul_character_in_a_household_field_on_that_field(api, field):
    data = registration_data(size=2)
    data[field] = str(data.get(field) or "warga@example.com")[:2] + "\x00" + str(data.get(field) or "")[2:]

    errors = refused(post_json(api, data))

    assert list(errors) == [field]


@pytest.mark.parametrize("field", ["full_name", "nik", "birth_date"])
def test_it_refuses_a_nul_character_in_a_member_field_on_that_member(api, field):
    data = registration_data(size=2)
    data["members"][1][field] = data["members"][1][field][:3] + "\x00" + data["members"][1][field][3:]

    errors = refused(post_json(api, data))

    member_messages(errors, 1, field)


def test_it_refuses_a_lone_surrogate_in_the_address(api):
    body = json.dumps(registration_data(size=1)).replace('"address": "', '"address": "\\ud800')
    assert "\\ud800" in body

    errors = refused(post_raw(api, body))

    assert list(errors) == ["address"]


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("address", "Jl. Kranji " * 5000, "200 characters"),
        ("kk_number", "3" * 100_000, "16 digits"),
        ("kelurahan_code", "32.75.02." + "1" * 10_000, "not a kelurahan"),
        ("phone", "08" + "1" * 10_000, "mobile number"),
        ("email", "a" * 10_000 + "@example.com", "email"),
        ("rt", "0" * 10_000 + "3", "RT"),
    ],
)
def test_it_refuses_very_long_household_values_on_their_field(api, field, value, words):
    errors = refused(post_json(api, registration_data(size=1, **{field: value}), **EN))

    assert list(errors) == [field]
    message = messages(errors, field)
    assert words in message
    assert len(message) < 500, "the message must not echo the whole value back"


@pytest.mark.parametrize(
    "field, value",
    [("full_name", "Budi " * 10_000), ("nik", "3" * 100_000), ("birth_date", "1" * 10_000)],
)
def test_it_refuses_very_long_member_values_on_that_member(api, field, value):
    data = registration_data(size=2)
    data["members"][1][field] = value

    errors = refused(post_json(api, data, **EN))

    assert len(member_messages(errors, 1, field)) < 500


@pytest.mark.parametrize("field", ["phone", "kk_number", "kelurahan_code", "rt", "email"])
@pytest.mark.parametrize("value", [{"a": 1}, [1, 2], 12.5])
def test_it_refuses_a_value_of_the_wrong_json_type_on_that_field(api, field, value):
    data = registration_data(size=1)
    data[field] = value

    errors = refused(post_json(api, data))

    assert list(errors) == [field]


@pytest.mark.parametrize("field", ["full_name", "birth_date", "nik"])
@pytest.mark.parametrize("value", [{"a": 1}, ["Budi", "Santoso"]])
def test_it_refuses_a_member_value_of_the_wrong_json_type_on_that_member(api, field, value):
    data = registration_data(size=2)
    data["members"][1][field] = value

    errors = refused(post_json(api, data))

    member_messages(errors, 1, field)


@pytest.mark.parametrize("value", [{"street": "Jl. Kranji Raya", "no": 5}, ["Jl. Kranji Raya", "No. 5"]])
def test_it_refuses_an_address_that_is_a_json_object_or_array(api, value):
    data = registration_data(size=1)
    data["address"] = value

    errors = refused(post_json(api, data))

    assert list(errors) == ["address"]


def test_it_refuses_a_nul_character_in_a_multipart_field_and_writes_nothing(api):
    data = registration_data(size=1)
    data["address"] = "Jl. Kranji\x00 No. 5"

    response = post_multipart(api, data, {})

    assert response.status_code == 400
    assert row_counts() == NOTHING


def test_it_refuses_a_nul_character_in_a_multipart_field_with_a_json_error(api):
    data = registration_data(size=1)
    data["address"] = "Jl. Kranji\x00 No. 5"

    response = post_multipart(api, data, {})

    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json(), dict)


def _oversized(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = registration_data(size=1)
    data["remarks"] = "x" * 50_000
    return data


def test_it_refuses_a_body_over_the_request_size_limit_without_a_5xx(api, settings):
    response = post_json(api, _oversized(settings))

    assert response.status_code == 400
    assert row_counts() == NOTHING


def test_it_refuses_a_body_over_the_request_size_limit_with_a_json_message(api, settings):
    response = post_json(api, _oversized(settings), **EN)

    assert response["Content-Type"].startswith("application/json")
    assert response.json()
