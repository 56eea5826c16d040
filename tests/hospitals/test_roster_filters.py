"""GET /api/v1/hospitals/ filters: each contract filter, alone and combined,
returns exactly the partner facilities it should; items have the contract's
shape."""

import pytest

from tests.hospitals.helpers import HOSPITALS_URL, days, empty_roster, facility

pytestmark = pytest.mark.django_db

CONTRACT_KEYS = {
    "id", "name", "type", "address", "kecamatan", "city", "phone", "inpatient", "emergency_24h",
    "agreement_valid_until",
}
EXTRA_KEYS = {"hospital_class", "kecamatan_code", "poned"}


@pytest.fixture
def roster():
    empty_roster()
    return {
        "rsud": facility("RSUD Kota Satu", type="rsud", kecamatan="32.75.04", inpatient=True, emergency_24h=True),
        "swasta": facility("RS Swasta Dua", type="rs_swasta", kecamatan="32.75.02", inpatient=True,
            emergency_24h=False),
        "puskesmas": facility("Puskesmas Tiga", type="puskesmas", kecamatan="32.75.04", inpatient=False,
            emergency_24h=False),
        "klinik": facility("Klinik Empat", type="klinik", kecamatan="32.75.02", inpatient=False, emergency_24h=True),
        "jakarta": facility("RSUD Luar Kota", type="rsud", kecamatan=None, city="DKI Jakarta", inpatient=True,
                            emergency_24h=True),
        # Matches most filters, but its agreement lapsed: never listed.
        "lapsed": facility("RSUD Kota Lama", type="rsud", kecamatan="32.75.04", inpatient=True, emergency_24h=True,
                           start=days(-500), end=days(-1)),
    }


def ids(api, query=None) -> set[int]:
    response = api.get(HOSPITALS_URL, query or {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert isinstance(body, list)
    return {item["id"] for item in body}


def pks(roster, *names) -> set[int]:
    return {roster[name].pk for name in names}


def test_it_lists_every_partner_without_filters(api, roster):
    assert ids(api) == pks(roster, "rsud", "swasta", "puskesmas", "klinik", "jakarta")


def test_it_filters_by_kecamatan_and_leaves_out_facilities_outside_the_city(api, roster):
    assert ids(api, {"kecamatan": "32.75.04"}) == pks(roster, "rsud", "puskesmas")
    assert ids(api, {"kecamatan": "32.75.02"}) == pks(roster, "swasta", "klinik")
    assert ids(api, {"kecamatan": "32.75.10"}) == set()


@pytest.mark.parametrize(
    "type_, expected",
    [
        ("rsud", {"rsud", "jakarta"}),
        ("rs_swasta", {"swasta"}),
        ("puskesmas", {"puskesmas"}),
        ("klinik", {"klinik"}),
    ],
)
def test_it_filters_by_type(api, roster, type_, expected):
    assert ids(api, {"type": type_}) == pks(roster, *expected)


def test_it_filters_by_inpatient_care(api, roster):
    assert ids(api, {"inpatient": "true"}) == pks(roster, "rsud", "swasta", "jakarta")
    assert ids(api, {"inpatient": "false"}) == pks(roster, "puskesmas", "klinik")


def test_it_filters_by_24_hour_emergency(api, roster):
    assert ids(api, {"emergency_24h": "true"}) == pks(roster, "rsud", "klinik", "jakarta")
    assert ids(api, {"emergency_24h": "false"}) == pks(roster, "swasta", "puskesmas")


@pytest.mark.parametrize("query", ["satu", "SATU", "Satu", "sAtU"])
def test_it_searches_names_ignoring_case(api, roster, query):
    assert ids(api, {"q": query}) == pks(roster, "rsud")


def test_it_searches_part_of_a_name(api, roster):
    assert ids(api, {"q": "rsud"}) == pks(roster, "rsud", "jakarta")
    assert ids(api, {"q": "kota"}) == pks(roster, "rsud", "jakarta")
    assert ids(api, {"q": "puskes"}) == pks(roster, "puskesmas")
    assert ids(api, {"q": "tidak ada"}) == set()


def test_it_needs_every_word_of_a_search(api, roster):
    assert ids(api, {"q": "rsud luar"}) == pks(roster, "jakarta")
    assert ids(api, {"q": "  luar   KOTA "}) == pks(roster, "jakarta")


def test_it_treats_an_empty_search_as_no_filter(api, roster):
    assert ids(api, {"q": ""}) == ids(api)


def test_it_combines_filters(api, roster):
    assert ids(api, {"kecamatan": "32.75.04", "type": "rsud", "inpatient": "true", "emergency_24h": "true",
                     "q": "satu"}) == pks(roster, "rsud")
    assert ids(api, {"kecamatan": "32.75.02", "emergency_24h": "true"}) == pks(roster, "klinik")
    assert ids(api, {"type": "rsud", "inpatient": "true"}) == pks(roster, "rsud", "jakarta")
    assert ids(api, {"kecamatan": "32.75.04", "type": "rsud"}) == pks(roster, "rsud")
    assert ids(api, {"kecamatan": "32.75.04", "inpatient": "true", "type": "puskesmas"}) == set()


def test_it_lists_facilities_outside_the_city_after_those_in_it(api, roster):
    names = [item["name"] for item in api.get(HOSPITALS_URL).json()]

    assert names[-1] == "RSUD Luar Kota"


def test_it_shapes_an_item_of_the_city_with_the_contract_keys(api, roster):
    item = next(i for i in api.get(HOSPITALS_URL).json() if i["id"] == roster["rsud"].pk)

    assert CONTRACT_KEYS <= set(item)
    assert set(item) == CONTRACT_KEYS | EXTRA_KEYS
    assert item == {
        "id": roster["rsud"].pk,
        "name": "RSUD Kota Satu",
        "type": "rsud",
        "hospital_class": "C",
        "address": "Jl. Uji No. 1",
        "kecamatan": "Bekasi Selatan",
        "kecamatan_code": "32.75.04",
        "city": "Kota Bekasi",
        "phone": "",
        "inpatient": True,
        "emergency_24h": True,
        "poned": False,
        "agreement_valid_until": days(365).isoformat(),
    }


def test_it_shapes_an_item_outside_the_city_with_its_city_and_no_kecamatan(api, roster):
    item = next(i for i in api.get(HOSPITALS_URL).json() if i["id"] == roster["jakarta"].pk)

    assert set(item) == CONTRACT_KEYS | EXTRA_KEYS
    assert (item["kecamatan"], item["kecamatan_code"], item["city"]) == (None, None, "DKI Jakarta")


def test_it_gives_no_class_to_a_puskesmas(api, roster):
    item = next(i for i in api.get(HOSPITALS_URL).json() if i["id"] == roster["puskesmas"].pk)

    assert item["hospital_class"] is None
    assert (item["kecamatan"], item["city"]) == ("Bekasi Selatan", "Kota Bekasi")
