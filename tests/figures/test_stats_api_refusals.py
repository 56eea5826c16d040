"""401 without credentials, 403 for users who may not read figures (a hospital
desk, a staff account without a role, the print office) and for a figures
reader without an area; a staff token works as a session does."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cards.roles import PRINT_OFFICE
from figures.roles import PIMPINAN
from tests.factories import KRANJI, UserFactory, staff_user
from tests.figures.helpers import city_staff
from tests.hospitals.helpers import hospital_user

pytestmark = pytest.mark.django_db

URLS = ["/api/v1/stats/coverage/", "/api/v1/stats/cards/", "/api/v1/stats/coverage/?format=csv"]


@pytest.mark.parametrize("url", URLS)
def test_it_answers_401_without_credentials(url):
    response = APIClient().get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("who", ["hospital desk", "staff, no role", "print office"])
def test_it_answers_403_to_who_may_not_read_figures(url, who):
    user = {"hospital desk": lambda: hospital_user().user,
            "staff, no role": lambda: city_staff("staf.kota", None),
            "print office": lambda: city_staff("cetak.kota", PRINT_OFFICE)}[who]()
    api = APIClient()
    api.force_login(user)

    assert api.get(url).status_code == 403


def test_it_answers_403_to_a_reader_without_an_area():
    from django.contrib.auth.models import Group

    user = UserFactory(username="pimpinan.baru")
    user.groups.add(Group.objects.get(name=PIMPINAN))
    api = APIClient()
    api.force_login(user)

    response = api.get(URLS[0])
    assert response.status_code == 403
    assert response.json()["detail"]


def test_it_takes_a_staff_token():
    token = Token.objects.create(user=staff_user(KRANJI))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.get(URLS[0])
    assert response.status_code == 200
    assert response.json()["area"]["code"] == KRANJI
