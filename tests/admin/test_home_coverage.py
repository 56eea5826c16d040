"""The home page of whoever reads figures opens on the area's coverage against
its target: the same numbers as /api/v1/stats/coverage/ (the rollup), the
area's children in a table, links only to lists the user may open."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from figures import services
from figures.roles import PIMPINAN
from registrations.models import Region, StaffArea
from tests.admin.home_helpers import count, home_page
from tests.factories import CITY, KRANJI, UserFactory, staff_user, submit, verified

pytestmark = pytest.mark.django_db


def _page(user):
    client = Client()
    client.force_login(user)
    return home_page(client)


def test_it_shows_the_kelurahan_its_coverage():
    for _ in range(3):
        verified(KRANJI, size=2)
    submit(KRANJI)
    services.figures_recompute()

    page = _page(staff_user(KRANJI))

    assert page.sections[0] == "coverage"
    assert (count(page, "households_verified"), count(page, "people_covered"),
            count(page, "households_pending")) == (3, 6, 1)
    assert "status__exact=active" in page.figures["households_verified"][1]


def test_it_shows_the_mayor_s_office_the_city_without_links():
    verified(KRANJI, size=3)
    services.figures_recompute()
    user = UserFactory(username="pimpinan.test")
    user.groups.add(Group.objects.get(name=PIMPINAN))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=CITY))

    page = _page(user)

    assert page.sections == ["coverage"]
    assert count(page, "households_verified") == 1 and count(page, "people_covered") == 3
    assert all(not url for _value, url in page.figures.values())
