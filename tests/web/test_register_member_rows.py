"""Member rows of the registration form: numbered as the browser sent them
(gaps allowed), empty rows ignored, and the no-JavaScript add/remove buttons."""

import re

import pytest

from registrations.models import Registration
from tests.factories import KRANJI, registration_data
from tests.web.helpers import REGISTER_URL, attributes, element, form_data

pytestmark = pytest.mark.django_db


def member_rows(html: str) -> list[str]:
    """The NIK typed in each member row, in page order."""
    members = element(html, "members")
    return re.findall(r'<input id="members-[0-9]+-nik" name="members-[0-9]+-nik" value="([^"]*)"', members)


def test_it_accepts_member_indexes_with_gaps(client):
    data = registration_data(KRANJI, size=2)

    response = client.post(REGISTER_URL, form_data(data, indexes=[0, 5]))

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert [m.nik for m in registration.members.order_by("position")] == [m["nik"] for m in data["members"]]


def test_it_orders_members_by_their_index_as_numbers(client):
    data = registration_data(KRANJI, size=3)

    client.post(REGISTER_URL, form_data(data, indexes=[2, 10, 100]))

    registration = Registration.objects.get()
    assert [m.nik for m in registration.members.order_by("position")] == [m["nik"] for m in data["members"]]


def test_it_ignores_member_rows_left_entirely_empty(client):
    data = registration_data(KRANJI, size=2)
    post = form_data(data, indexes=[0, 3])
    for index in (1, 2, 7):
        post |= {f"members-{index}-{field}": "" for field in ("nik", "full_name", "birth_date", "sex", "relationship")}

    response = client.post(REGISTER_URL, post)

    assert response.status_code == 302
    assert Registration.objects.get().members.count() == 2


def test_it_refuses_a_row_with_only_part_filled_in(client):
    data = registration_data(KRANJI, size=1)
    post = form_data(data) | {"members-1-full_name": "Dewi Lestari"}

    response = client.post(REGISTER_URL, post)

    assert response.status_code == 400
    assert "aria-invalid" in attributes(response.content, "members-1-nik")
    assert Registration.objects.count() == 0


def test_it_adds_a_member_row_without_javascript_and_keeps_what_was_typed(client):
    data = registration_data(KRANJI, size=2)
    post = form_data(data) | {"add_member": "1"}
    del post["submit"]

    response = client.post(REGISTER_URL, post)

    assert response.status_code == 200
    html = response.content.decode()
    assert member_rows(html) == [data["members"][0]["nik"], data["members"][1]["nik"], ""]
    assert attributes(html, "members-1-full_name")["value"] == data["members"][1]["full_name"]
    assert attributes(html, "address")["value"] == data["address"]
    assert "checked" in attributes(html, "consent")
    assert "error-summary" not in html  # nothing is checked yet
    assert Registration.objects.count() == 0


def test_it_removes_the_chosen_member_row_without_javascript(client):
    data = registration_data(KRANJI, size=3)
    post = form_data(data) | {"remove_member": "1"}
    del post["submit"]

    response = client.post(REGISTER_URL, post)

    assert response.status_code == 200
    html = response.content.decode()
    assert member_rows(html) == [data["members"][0]["nik"], data["members"][2]["nik"]]
    assert attributes(html, "members-1-full_name")["value"] == data["members"][2]["full_name"]
    assert attributes(html, "kk_number")["value"] == data["kk_number"]
    assert Registration.objects.count() == 0


def test_it_keeps_one_head_row_when_the_last_member_is_removed(client):
    data = registration_data(KRANJI, size=1)
    post = form_data(data) | {"remove_member": "0"}
    del post["submit"]

    html = client.post(REGISTER_URL, post).content.decode()

    assert member_rows(html) == [""]
    assert '<option value="kepala_keluarga" selected>' in element(html, "members-0-relationship")


def test_it_ignores_a_remove_button_value_that_is_not_a_row(client):
    data = registration_data(KRANJI, size=2)
    post = form_data(data) | {"remove_member": "x"}
    del post["submit"]

    response = client.post(REGISTER_URL, post)

    assert response.status_code == 200
    assert member_rows(response.content.decode()) == [m["nik"] for m in data["members"]]


def test_it_removes_the_row_whose_button_was_pressed_when_an_earlier_row_is_empty(client):
    # Without JavaScript: head filled, an added row left empty, then a child.
    data = registration_data(KRANJI, size=2)
    empty_row = {f"members-1-{f}": "" for f in ("nik", "full_name", "birth_date", "sex", "relationship")}
    post = form_data(data, indexes=[0, 2]) | empty_row
    del post["submit"]

    html = client.post(REGISTER_URL, post | {"remove_member": "1"}).content.decode()

    # The empty row was the one removed: both people are still there.
    assert member_rows(html) == [m["nik"] for m in data["members"]]
