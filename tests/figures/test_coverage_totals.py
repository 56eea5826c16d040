"""Coverage against the KK totals: a kelurahan's own total, a kecamatan's only
when every one of its kelurahan has one (else null, and so its percentage),
the city's CITY_HOUSEHOLD_TARGET until every kelurahan has a total and their
sum after; one decimal."""

import pytest

from figures import selectors, services
from registrations.models import KelurahanHouseholdTotal, Region
from tests.factories import BEKASI_BARAT, BINTARA, KRANJI, staff_user, superuser, verified

pytestmark = pytest.mark.django_db


def _total(code: str, n: int) -> None:
    KelurahanHouseholdTotal.objects.update_or_create(kelurahan=Region.objects.get(code=code),
                                                     defaults={"households_total": n})


def _coverage(user) -> dict:
    services.figures_recompute()
    return selectors.coverage(selectors.figures_area(user))


def test_it_gives_a_kelurahan_its_own_total_and_one_decimal(settings):
    verified(KRANJI)
    _total(KRANJI, 3)

    figures = _coverage(staff_user(KRANJI))

    assert figures["area"] == {"code": KRANJI, "name": "Kranji", "households_total": 3, "households_verified": 1,
                               "households_pending": 0, "people_covered": 3, "coverage_pct": 33.3}
    assert figures["children"] == []
    assert figures["target_pct"] == 95.0


def test_it_leaves_a_kecamatan_total_unknown_until_each_of_its_kelurahan_has_one():
    verified(KRANJI)
    _total(KRANJI, 10)

    figures = _coverage(staff_user(BEKASI_BARAT))
    assert (figures["area"]["households_total"], figures["area"]["coverage_pct"]) == (None, None)
    by_code = {row["code"]: row for row in figures["children"]}
    assert (by_code[KRANJI]["households_total"], by_code[KRANJI]["coverage_pct"]) == (10, 10.0)
    assert (by_code[BINTARA]["households_total"], by_code[BINTARA]["coverage_pct"]) == (None, None)

    for region in Region.objects.filter(parent__code=BEKASI_BARAT, level="kelurahan", current=True):
        if region.code != KRANJI:
            _total(region.code, 10)
    figures = _coverage(staff_user(BEKASI_BARAT))
    kelurahan = Region.objects.filter(parent__code=BEKASI_BARAT, level="kelurahan", current=True).count()
    assert figures["area"]["households_total"] == 10 * kelurahan
    assert figures["area"]["coverage_pct"] == round(100 / (10 * kelurahan), 1)


def test_it_uses_the_city_target_until_every_kelurahan_has_a_total(settings):
    settings.KARTUSEHAT_CITY = {**settings.KARTUSEHAT_CITY, "household_target": 400}
    verified(KRANJI)
    _total(KRANJI, 10)

    city = _coverage(superuser())["area"]
    assert (city["households_total"], city["coverage_pct"]) == (400, 0.2)

    for region in Region.objects.filter(level="kelurahan", current=True, code__startswith="32.75."):
        _total(region.code, 2)
    city = _coverage(superuser())["area"]
    kelurahan = Region.objects.filter(level="kelurahan", current=True, code__startswith="32.75.").count()
    assert city["households_total"] == 2 * kelurahan
    assert city["coverage_pct"] == round(100 / (2 * kelurahan), 1)
