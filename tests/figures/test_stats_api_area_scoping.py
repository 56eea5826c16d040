"""Each role gets the figures of its own area: a kelurahan user its kelurahan
(no children), a kecamatan user its kecamatan with its kelurahan as children,
the population office, the auditor, the pimpinan and the superuser the city
with its kecamatan; a kelurahan user's cards are its kelurahan's only."""

import pytest
from rest_framework.test import APIClient

from figures import services
from figures.roles import PIMPINAN
from registrations.models import Region
from registrations.roles import AUDITOR
from tests.factories import BEKASI_BARAT, BINTARA, CITY, KRANJI, MARGAJAYA, staff_user, superuser
from tests.figures.helpers import city_staff, recount, region_id, small_city

pytestmark = pytest.mark.django_db

COVERAGE = "/api/v1/stats/coverage/"
CARDS = "/api/v1/stats/cards/"


@pytest.fixture
def figures():
    small_city()
    services.figures_recompute()
    return recount()[0]


def _get(user, url: str) -> dict:
    api = APIClient()
    api.force_login(user)
    response = api.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_gives_a_kelurahan_user_its_kelurahan_only(figures):
    body = _get(staff_user(KRANJI), COVERAGE)

    assert body["area"]["code"] == KRANJI
    assert body["area"]["households_verified"] == figures[region_id(KRANJI)]["households_verified"]
    assert body["children"] == []
    cards = _get(staff_user(KRANJI), CARDS)
    kranji = figures[region_id(KRANJI)]
    assert cards["by_status"]["ready_for_pickup"] == kranji["cards_ready_for_pickup"]
    assert cards["by_status"]["dispatched"] == 0  # Margajaya's card on its way is not Kranji's
    assert sum(cards["by_status"].values()) == sum(kranji.get(f"cards_{s}", 0) for s in cards["by_status"])


def test_it_gives_a_kecamatan_user_its_kelurahan_as_children(figures):
    body = _get(staff_user(BEKASI_BARAT), COVERAGE)

    assert body["area"]["code"] == BEKASI_BARAT
    expected = list(Region.objects.filter(parent__code=BEKASI_BARAT, level="kelurahan", current=True)
                    .order_by("code").values_list("code", flat=True))
    assert [child["code"] for child in body["children"]] == expected
    assert MARGAJAYA not in expected
    assert body["area"]["households_verified"] == sum(
        figures.get(region_id(code), {}).get("households_verified", 0) for code in (KRANJI, BINTARA))


@pytest.mark.parametrize("who", ["population office", "auditor", "pimpinan", "superuser"])
def test_it_gives_the_city_to_city_wide_roles(figures, who):
    user = {"population office": lambda: staff_user(CITY, username="kota.bekasi"),
            "auditor": lambda: city_staff("audit.kota", AUDITOR),
            "pimpinan": lambda: city_staff("pimpinan.kota", PIMPINAN),
            "superuser": superuser}[who]()

    body = _get(user, COVERAGE)

    assert body["area"]["code"] == CITY
    kecamatan = list(Region.objects.filter(level="kecamatan", current=True, code__startswith=CITY + ".")
                     .order_by("code").values_list("code", flat=True))
    assert [child["code"] for child in body["children"]] == kecamatan
    assert body["area"]["households_verified"] == sum(row.get("households_verified", 0) for row in figures.values())
    cards = _get(user, CARDS)
    assert cards["by_status"]["dispatched"] == 1
    assert len(cards["printed_per_week"]) == 12
