"""GET /api/v1/hospitals/: a plain list of the partner facilities in force
today (the shipped starting roster, #5); each contract filter narrows it, and
a bad one is a 400 on that filter."""

import pytest

from tests.api.helpers import HOSPITALS_URL
from tests.hospitals.helpers import empty_roster

pytestmark = pytest.mark.django_db

SHIPPED = 27


def test_it_answers_the_shipped_roster_as_a_plain_list(api):
    response = api.get(HOSPITALS_URL)

    assert response.status_code == 200, response.content
    body = response.json()
    assert isinstance(body, list)
    assert len(body) == SHIPPED
    names = {item["name"] for item in body}
    assert {"RSUD dr. Chasbullah Abdulmadjid", "RS Hermina Bekasi", "Siloam Hospitals Sepanjang Jaya"} <= names
    assert all(item["agreement_valid_until"] == "2027-12-31" for item in body)


def test_it_answers_an_empty_plain_list_without_partners(api):
    empty_roster()

    response = api.get(HOSPITALS_URL)

    assert response.status_code == 200, response.content
    assert response.json() == []


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"kecamatan": "32.75.04"}, {
            "RSUD dr. Chasbullah Abdulmadjid", "RS Hermina Bekasi", "RS Awal Bros Bekasi", "RS Anna",
            "RS Hermina Galaxy",
        }),
        ({"type": "rsud"}, {
            "RSUD dr. Chasbullah Abdulmadjid", "RSUD Jatisampurna", "RS Umum Pondok Gede", "RSUD Bantar Gebang",
            "RSUD Kabupaten Bekasi", "RSUD Budhi Asih", "RSUP Persahabatan", "RSUPN dr. Cipto Mangunkusumo",
        }),
        ({"type": "rs_swasta"}, 15),
        ({"type": "puskesmas"}, {"Puskesmas Kranji", "Puskesmas Bantargebang", "Puskesmas Pejuang",
            "Puskesmas Jatisampurna"}),
        ({"type": "klinik"}, set()),
        ({"inpatient": "true"}, SHIPPED - 2),
        ({"inpatient": "false"}, {"Puskesmas Kranji", "Puskesmas Pejuang"}),
        ({"emergency_24h": "true"}, SHIPPED - 2),
        ({"q": "hermina"}, {"RS Hermina Bekasi", "RS Hermina Galaxy"}),
        ({"q": "MITRA keluarga"}, {"RS Mitra Keluarga Bekasi Barat", "RS Mitra Keluarga Bekasi Timur"}),
        ({"q": ""}, SHIPPED),
        ({"kecamatan": "32.75.02", "type": "rsud", "inpatient": "true", "emergency_24h": "true", "q": "rsud"}, set()),
        ({"kecamatan": "32.75.04", "type": "rs_swasta", "inpatient": "true", "emergency_24h": "true", "q": "hermina"},
         {"RS Hermina Bekasi", "RS Hermina Galaxy"}),
    ],
)
def test_it_accepts_each_contract_filter(api, query, expected):
    response = api.get(HOSPITALS_URL, query)

    assert response.status_code == 200, response.content
    names = [item["name"] for item in response.json()]
    assert len(names) == len(set(names))
    if isinstance(expected, int):
        assert len(names) == expected
    else:
        assert set(names) == expected


def test_it_answers_only_items_that_match_the_filters(api):
    items = api.get(HOSPITALS_URL, {"kecamatan": "32.75.01", "type": "rs_swasta", "inpatient": "true"}).json()

    assert items
    for item in items:
        assert (item["kecamatan_code"], item["type"], item["inpatient"]) == ("32.75.01", "rs_swasta", True)
        assert (item["kecamatan"], item["city"]) == ("Bekasi Timur", "Kota Bekasi")


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("type", "xx", "rs_swasta"),
        ("type", "RSUD ", "rs_swasta"),
        ("kecamatan", "31.71.01", "Kota Bekasi"),
        ("kecamatan", "garbage", "32.75.04"),
        ("kecamatan", "32.75.02.1002", "32.75.04"),
        ("inpatient", "maybe", "true or false"),
        ("emergency_24h", "sometimes", "true or false"),
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
