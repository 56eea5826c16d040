"""The desk form and the citizen's form give the same message, beside the same
field, for the same bad member: one form and one validation path."""

import pytest

from registrations.models import Registration
from tests.admin.desk_helpers import desk_url
from tests.factories import KRANJI, registration_data, staff_user
from tests.web.helpers import REGISTER_URL, element, form_data, parse, text

pytestmark = pytest.mark.django_db


def _errors(html: str) -> dict[str, str]:
    """Every message shown beside a field, by the field's id."""
    shown = {}
    for element_id, outer in parse(html).outer.items():
        if element_id.endswith("-error") and "hidden" not in parse(outer).tags[element_id][1]:
            shown[element_id] = text(outer)
    return shown


def _bad_households() -> list[dict]:
    wrong_sex = registration_data(KRANJI, size=3)
    member = wrong_sex["members"][1]
    member["sex"] = "L" if member["sex"] == "P" else "P"
    short_nik = registration_data(KRANJI, size=2)
    short_nik["members"][1]["nik"] = "3275 0115 0580"
    two_heads = registration_data(KRANJI, size=2)
    two_heads["members"][1]["relationship"] = "kepala_keluarga"
    twice = registration_data(KRANJI, size=2)
    twice["members"][1]["nik"] = twice["members"][0]["nik"]
    return [wrong_sex, short_nik, two_heads, twice]


@pytest.mark.parametrize("case", range(4))
def test_it_shows_the_same_messages_as_the_online_form(client, case):
    data = _bad_households()[case]
    online = client.post(REGISTER_URL, form_data(data))
    client.force_login(staff_user(KRANJI))

    desk = client.post(desk_url(), form_data(data))

    assert online.status_code == desk.status_code == 400
    online_html, desk_html = online.content.decode(), desk.content.decode()
    online_errors = _errors(online_html)
    assert online_errors, "the online form showed no message"
    assert _errors(desk_html) == online_errors
    assert any(element_id.startswith("members-") for element_id in online_errors)  # a row, or the list of members
    assert text(element(desk_html, "error-summary")) == text(element(online_html, "error-summary"))
    assert Registration.objects.count() == 0
