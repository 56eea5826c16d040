"""GET /api/v1/regions/: Kota Bekasi's 12 kecamatan with their 56 kelurahan."""

import pytest

from tests.api.helpers import REGIONS_URL, post_json
from tests.factories import registration_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(api):
    response = api.get(REGIONS_URL)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_lists_the_12_kecamatan_and_56_kelurahan(regions):
    assert len(regions) == 12
    assert sum(len(k["kelurahan"]) for k in regions) == 56
    assert len({kel["code"] for k in regions for kel in k["kelurahan"]}) == 56


def test_it_answers_in_the_contracts_shape(regions):
    for kecamatan in regions:
        assert set(kecamatan) == {"code", "name", "kelurahan"}
        assert isinstance(kecamatan["name"], str) and kecamatan["name"]
        assert kecamatan["kelurahan"], kecamatan
        for kelurahan in kecamatan["kelurahan"]:
            assert set(kelurahan) == {"code", "name"}
            assert isinstance(kelurahan["name"], str) and kelurahan["name"]


def test_it_puts_kranji_in_bekasi_barat(regions):
    bekasi_barat = next(k for k in regions if k["code"] == "32.75.02")

    assert bekasi_barat["name"] == "Bekasi Barat"
    assert {"code": "32.75.02.1002", "name": "Kranji"} in bekasi_barat["kelurahan"]


def test_it_lists_only_kota_bekasi_codes_each_under_its_own_kecamatan(regions):
    assert [k["code"] for k in regions] == [f"32.75.{n:02d}" for n in range(1, 13)]
    for kecamatan in regions:
        for kelurahan in kecamatan["kelurahan"]:
            assert kelurahan["code"].startswith(kecamatan["code"] + ".")


def test_it_lists_codes_that_a_registration_accepts(api, regions):
    last = regions[-1]["kelurahan"][-1]["code"]

    response = post_json(api, registration_data(last, size=1))

    assert response.status_code == 201, response.content
