"""A kelurahan clerk signs in on a phone and lands on the area's work: the
counts match the records, a count opens the list behind it, and the browser
reports no policy violation."""

import pytest
from django.contrib.auth.models import Group

from registrations.models import Region, Registration, StaffArea
from registrations.roles import KELURAHAN_STAFF
from tests.admin.test_home_kelurahan import recount, world
from tests.factories import KRANJI, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "beranda-kranji-uji-7c1"
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => window.__csp.push(event.violatedDirective));
"""


def _clerk():
    user = UserFactory(username="beranda.kranji")
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=KELURAHAN_STAFF))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=KRANJI))
    return user


def test_it_opens_on_the_areas_counts_and_each_leads_to_its_list(page):
    world()
    clerk = _clerk()
    expected = {key: len(rows) for key, rows in recount([KRANJI]).items()}
    page.add_init_script(LISTEN)

    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")

    assert page.url.endswith("/admin/")
    shown = {key: int(page.locator(f"[data-figure='{key}'] .work-count").inner_text()) for key in expected}
    assert shown == expected == {"waiting": 3, "urgent": 1, "imports": 1, "ready": 3, "overdue": 1,
                                 "dispatches": 1}
    assert page.locator("#work-registrations").is_visible()
    assert page.locator(".app-registrations").count() == 1  # the apps stay below
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with page.expect_navigation():
        page.tap("[data-figure='urgent'] a.work-count")

    urgent = Registration.objects.get(kelurahan__code=KRANJI, status="submitted", urgent_requested_at__isnull=False)
    assert "/admin/registrations/registration/" in page.url
    assert page.locator("#result_list tbody tr").count() == 1
    assert urgent.reference in page.locator("#result_list").inner_text()
    assert page.evaluate("window.__csp") == []
