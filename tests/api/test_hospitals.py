"""GET /api/v1/hospitals/: a plain list (empty until the roster arrives, #5);
each contract filter is accepted, and a bad one is a 400 on that filter."""

import pytest

from tests.api.helpers import HOSPITALS_URL

pytestmark = pytest.mark.django_db


def test_it_answers_an_empty_plain_list(api):
    response = api.get(HOSPITALS_URL)

    assert response.status_code == 200, response.content
    assert response.json() == []


@pytest.mark.parametrize(
    "query",
    [
        {"kecamatan": "32.75.04"},
        {"type": "rsud"},
        {"type": "rs_swasta"},
        {"type": "puskesmas"},
        {"type": "klinik"},
        {"inpatient": "true"},
        {"inpatient": "false"},
        {"emergency_24h": "true"},
        {"q": "hermina"},
        {"q": ""},
        {"kecamatan": "32.75.02", "type": "rsud", "inpatient": "true", "emergency_24h": "true", "q": "rsud"},
    ],
)
def test_it_accepts_each_contract_filter(api, query):
    response = api.get(HOSPITALS_URL, query)

    assert response.status_code == 200, response.content
    assert response.json() == []


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("type", "xx", "valid choice"),
        ("type", "RSUD ", "valid choice"),
        ("kecamatan", "31.71.01", "Kota Bekasi"),
        ("kecamatan", "garbage", "does not match"),
        ("kecamatan", "32.75.02.1002", "does not match"),
        ("inpatient", "maybe", "boolean"),
        ("emergency_24h", "sometimes", "boolean"),
        ("q", "h" * 101, "100 characters"),
    ],
)
def test_it_refuses_a_bad_filter_on_that_filter(api, field, value, words):
    response = api.get(HOSPITALS_URL, {field: value}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400, response.content
    errors = response.json()
    assert list(errors) == [field]
    assert words in " ".join(errors[field])


def test_it_refuses_a_bad_filter_in_bahasa_indonesia_by_default(api):
    indonesian = api.get(HOSPITALS_URL, {"type": "xx"}).json()["type"]
    english = api.get(HOSPITALS_URL, {"type": "xx"}, HTTP_ACCEPT_LANGUAGE="en").json()["type"]

    assert indonesian != english


def test_it_refuses_a_kecamatan_of_another_city_in_bahasa_indonesia_by_default(api):
    indonesian = api.get(HOSPITALS_URL, {"kecamatan": "31.71.01"}).json()["kecamatan"]
    english = api.get(HOSPITALS_URL, {"kecamatan": "31.71.01"}, HTTP_ACCEPT_LANGUAGE="en").json()["kecamatan"]

    assert indonesian != english
