"""The public figures page shows the rollup the stats API reads, and that rollup
equals a recount from the raw tables; nothing personal (no name, NIK, KK or
phone of the households counted) is on the page."""

import re

import pytest

from figures import selectors, services
from registrations.models import Household, Member, Region
from tests.factories import BEKASI_BARAT, superuser, verified
from tests.figures.helpers import recount

pytestmark = pytest.mark.django_db


def _digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_it_shows_the_city_and_kecamatan_figures_of_a_recount(client):
    for _ in range(11):
        verified("32.75.02.1002")  # Kranji, Bekasi Barat
    services.figures_recompute()
    expected, _weekly = recount()

    page = client.get("/angka/").content.decode()

    verified_total = sum(row.get("households_verified", 0) for row in expected.values())
    people = sum(row.get("people_covered", 0) for row in expected.values())
    assert verified_total == 11
    assert _digits(page.split('id="city-verified">')[1].split("<")[0]) == verified_total
    assert _digits(page.split('id="city-people">')[1].split("<")[0]) == people
    coverage = selectors.coverage(selectors.figures_area(superuser()))
    barat = next(row for row in coverage["children"] if row["code"] == BEKASI_BARAT)
    row = page.split(f'<tr><th scope="row">{barat["name"]}</th>')[1].split("</tr>")[0]
    assert _digits(row.split("<td")[1].split("</td>")[0].split(">")[1]) == barat["households_verified"] == 11


def test_it_shows_no_name_nik_kk_or_phone(client):
    for _ in range(10):
        verified("32.75.02.1002")
    services.figures_recompute()

    page = client.get("/angka/").content.decode()

    for household in Household.objects.all():
        assert household.kk_number not in page
    for member in Member.objects.all():
        assert member.nik not in page
        assert member.full_name not in page
    for household in Household.objects.all():
        assert household.phone not in page
    assert Region.objects.filter(code=BEKASI_BARAT).exists()

