import pytest

from tests.api.helpers import NOTHING, REGISTRATIONS_URL, row_counts

pytestmark = pytest.mark.django_db


def test_it_answers_too_many_form_fields_with_the_contracts_json_400(client):
    fields = {f"f{i}": "x" for i in range(1500)}

    response = client.post(REGISTRATIONS_URL, fields)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert list(response.json()) == ["non_field_errors"]
    assert row_counts() == NOTHING


def test_it_answers_an_oversized_form_field_with_the_contracts_json_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = client.post(REGISTRATIONS_URL, {"address": "x" * 20_000}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "too large" in response.json()["non_field_errors"][0]
    assert row_counts() == NOTHING


def test_it_answers_the_web_form_with_a_plain_400_not_a_500(client):
    response = client.post("/daftar/", {f"f{i}": "x" for i in range(1500)})

    assert response.status_code == 400
