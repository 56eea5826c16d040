"""Every install has the Kemendagri regions: the city's 12 kecamatan and 56
kelurahan, and every kecamatan of Indonesia, historic codes included."""

import pytest

from registrations.models import Region
from registrations.regions import load_regions

pytestmark = pytest.mark.django_db


def test_it_has_kota_bekasi_with_12_kecamatan_and_56_kelurahan():
    city = Region.objects.get(code="32.75")
    kecamatan = Region.objects.filter(parent=city, level="kecamatan")

    assert city.name == "Kota Bekasi"
    assert kecamatan.count() == 12
    assert Region.objects.filter(parent__in=kecamatan, level="kelurahan").count() == 56


def test_it_uses_kemendagri_codes_not_bps_codes():
    assert Region.objects.get(code="32.75.01").name == "Bekasi Timur"
    assert Region.objects.get(code="32.75.08").name == "Pondokgede"
    assert Region.objects.get(code="32.75.02.1002").name == "Kranji"


def test_it_keeps_historic_codes_that_old_niks_still_carry():
    historic = Region.objects.get(code="91.01.01")

    assert historic.current is False
    assert historic.parent.code == "91.01"


def test_it_loads_again_without_duplicates():
    before = Region.objects.count()

    created, updated = load_regions(Region)

    assert (created, updated) == (0, 0)
    assert Region.objects.count() == before
