"""A kelurahan clerk signs in to the admin in Chromium, registers a walk-in
family with the citizen's form (member rows added in the page), and opens and
prints the family's receipt; the browser reports no policy violation."""

import pytest
from django.contrib.auth.models import Group

from registrations.models import AccessLog, Region, Registration, StaffArea
from registrations.roles import KELURAHAN_STAFF
from tests.browser.helpers import add_member_row, fill_household, fill_member, send_registration
from tests.factories import KRANJI, UserFactory, registration_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "loket-kranji-uji-9f3"
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => window.__csp.push(event.violatedDirective));
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""


def _clerk():
    user = UserFactory(username="loket.kranji", first_name="Siti", last_name="Rahma")
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=KELURAHAN_STAFF))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=KRANJI))
    return user


def test_it_registers_a_walk_in_family_and_prints_its_receipt(new_page):
    clerk = _clerk()
    data = registration_data(KRANJI, size=3)
    page = new_page(viewport={"width": 1280, "height": 900}, is_mobile=False)
    page.add_init_script(LISTEN)

    page.goto("/admin/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto("/admin/registrations/registration/")
    with page.expect_navigation():
        page.click("a.addlink[href$='/registrations/registration/add/']")

    assert page.url.endswith("/admin/registrations/registration/add/")
    assert page.input_value("#kelurahan_code") == KRANJI  # the clerk's own kelurahan, chosen already
    fill_household(page, data)
    fill_member(page, 1, data["members"][0])
    add_member_row(page)
    add_member_row(page)
    fill_member(page, 2, data["members"][1])
    fill_member(page, 3, data["members"][2])
    assert page.evaluate("window.__csp") == []
    send_registration(page)

    registration = Registration.objects.get()
    assert page.url.endswith(f"/admin/registrations/registration/{registration.pk}/change/"), \
        page.locator("#error-summary").all_inner_texts()
    assert (registration.channel, registration.submitted_by) == ("kelurahan", clerk)
    assert registration.members.count() == 3
    assert "Siti Rahma (loket.kranji)" in page.inner_text("#content")

    with page.expect_navigation():
        page.click("#print-receipt-link")
    assert page.inner_text("#reference").strip() == registration.reference
    members = page.inner_text("#receipt-members")
    for member in data["members"]:
        assert member["full_name"] in members and member["nik"] not in page.content()
    page.click("#print-receipt")  # shown by the page's script, which calls the browser's print
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert page.is_visible("#receipt") and not page.is_visible("#print-receipt")
    assert not page.is_visible("header.site")

    assert page.evaluate("window.__csp") == []
    assert AccessLog.objects.filter(action="export", object_id=str(registration.pk), user=clerk).count() == 1
