"""A figures reader whose account has no area of work yet gets the page with a
note saying so and no figure, and a 404 for every download: scoping fails
closed, never an error page."""

import pytest
from django.contrib.auth.models import Group

from registrations.roles import KELURAHAN_STAFF
from tests.factories import UserFactory
from tests.figures.dashboard_helpers import counted_city, signed_in

pytestmark = pytest.mark.django_db


def test_it_shows_no_figure_without_an_area():
    counted_city()
    user = UserFactory(username="kel.tanpawilayah")
    user.groups.add(Group.objects.get(name=KELURAHAN_STAFF))
    client = signed_in(user)

    page = client.get("/admin/figures/dashboard/")

    assert page.status_code == 200
    assert 'class="errornote"' in page.text
    assert "data-table=" not in page.text
    for key in ("coverage", "registrations", "cards", "blanko", "hospital-days"):
        assert client.get(f"/admin/figures/dashboard/{key}.csv").status_code == 404
