"""The registrations list shows each flag a registration carries (a KK
issued in another kecamatan) as a warning icon with its label, and filters by
flag: none, any, or one in particular."""

import pytest
from django.utils import translation

from registrations import services
from tests.factories import KRANJI, registration_data, staff_user, submit

pytestmark = pytest.mark.django_db

URL = "/admin/registrations/registration/"


@pytest.fixture
def registrations():
    data = registration_data(KRANJI)
    data["kk_number"] = "327501" + data["kk_number"][6:]  # issued in Bekasi Timur, address in Bekasi Barat
    return services.registration_submit(data=data, channel="online"), submit(KRANJI)


def _row(html: str, reference: str) -> str:
    start = html.index(reference)
    return html[start:html.index("</tr>", start)]


def test_it_shows_the_flag_in_its_column(client, registrations):
    flagged, clean = registrations
    client.force_login(staff_user(KRANJI))

    with translation.override("id"):
        html = client.get(URL).content.decode()

    assert 'icon-alert.svg' in _row(html, flagged.reference)
    assert "KK diterbitkan di kecamatan lain" in _row(html, flagged.reference)
    assert 'icon-alert.svg' not in _row(html, clean.reference)


@pytest.mark.parametrize(("value", "expected"), [("tanpa", "clean"), ("ada", "flagged"),
                                                 ("kk_kecamatan_mismatch", "flagged"), ("anything", "both")])
def test_it_filters_by_flag(client, registrations, value, expected):
    flagged, clean = registrations
    client.force_login(staff_user(KRANJI))

    shown = {r.pk for r in client.get(URL, {"tanda": value}).context["cl"].result_list}

    assert shown == {"clean": {clean.pk}, "flagged": {flagged.pk}, "both": {clean.pk, flagged.pk}}[expected]
