"""A kelurahan clerk and the city open the dashboard from the admin home page:
the charts are drawn (SVG, no script), the coverage table shows the rollup's
numbers, the downloads are offered, and the browser reports no policy violation."""

import pytest
from django.test import Client

from figures import services
from registrations.models import KelurahanHouseholdTotal, Region
from tests.factories import CITY, KRANJI, staff_user, verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => window.__csp.push(event.violatedDirective));
"""


def _signed_in(new_page, live_server, user):
    client = Client()
    client.force_login(user)
    page = new_page(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.add_init_script(LISTEN)
    return page


@pytest.mark.parametrize("who", ["kelurahan", "city"])
def test_it_draws_the_dashboard_from_the_home_page(new_page, live_server, who):
    for _ in range(3):
        verified(KRANJI)
    KelurahanHouseholdTotal.objects.create(kelurahan=Region.objects.get(code=KRANJI), households_total=10)
    services.figures_recompute()
    user = staff_user(KRANJI) if who == "kelurahan" else staff_user(CITY, username="kota.dasbor")
    page = _signed_in(new_page, live_server, user)

    page.goto(live_server.url + "/admin/", wait_until="networkidle")
    # The home page opens on the area's coverage: the three households verified above.
    home = page.locator("#work-coverage")
    assert home.locator("[data-figure='households_verified'] .work-count").inner_text() == "3"
    assert home.locator("[data-figure='people_covered'] .work-count").inner_text() != ""
    with page.expect_navigation():
        page.click("#dashboard-link a")

    assert page.url.endswith("/admin/figures/dashboard/")
    coverage = page.locator("[data-table='coverage']")
    assert coverage.locator("svg.chart rect").count() >= 2  # the background and a bar (30 % for Kranji)
    assert coverage.locator("svg.chart line").count() >= 1  # the target
    first_row = coverage.locator("tbody tr").first.locator("td")
    assert first_row.nth(1).inner_text() == (KRANJI if who == "kelurahan" else CITY)
    assert first_row.nth(3).inner_text() == "3"
    assert page.locator("[data-table='cards-printed'] svg.chart").is_visible()
    assert (page.locator("#dashboard-blanko").count() == 1) == (who == "city")
    assert coverage.locator("a[href$='coverage.xlsx']").count() == 1
    assert page.evaluate("window.__csp") == []
