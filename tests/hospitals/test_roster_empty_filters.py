"""An empty filter is no filter: the public form sends ``?type=&kecamatan=``
when "All" is chosen, and that lists everything the other filters allow.
The search ``q`` looks at names only, never at addresses."""

import pytest

from hospitals.models import Facility
from tests.hospitals.helpers import HOSPITALS_URL, empty_roster, facility

pytestmark = pytest.mark.django_db

PAGE_URL = "/rumah-sakit/"


def listed_names(html: str) -> list[str]:
    return [item.split("<h2>", 1)[1].split("</h2>", 1)[0] for item in html.split('<li class="facility">')[1:]]


def test_it_lists_the_page_searched_with_all_kecamatan_and_all_types(client):
    response = client.get(f"{PAGE_URL}?q=hermina&kecamatan=&type=")

    assert response.status_code == 200
    assert sorted(listed_names(response.content.decode())) == ["RS Hermina Bekasi", "RS Hermina Galaxy"]


def test_it_answers_the_api_with_empty_filters_as_with_none(api):
    response = api.get(f"{HOSPITALS_URL}?type=&kecamatan=&inpatient=")

    assert response.status_code == 200, response.content
    listed = {item["id"] for item in response.json()}
    assert len(listed) == 27
    assert listed == {item["id"] for item in api.get(HOSPITALS_URL).json()}


def test_it_answers_the_api_with_every_filter_empty(api):
    response = api.get(f"{HOSPITALS_URL}?type=&kecamatan=&inpatient=&emergency_24h=&q=")

    assert response.status_code == 200, response.content
    assert len(response.json()) == 27


def test_it_still_applies_the_filters_that_are_given_beside_empty_ones(api):
    response = api.get(f"{HOSPITALS_URL}?type=&kecamatan=32.75.04&inpatient=")

    assert response.status_code == 200
    body = response.json()
    assert body and len(body) < 27
    assert {item["kecamatan_code"] for item in body} == {"32.75.04"}


def test_it_searches_names_not_addresses(api, client):
    empty_roster()
    named = facility("RS Galaxy Medika")
    only_address = facility("RS Cahaya Pekayon")
    Facility.objects.filter(pk=only_address.pk).update(address="Kawasan Galaxy Blok A, Pekayonjaya")

    response = api.get(HOSPITALS_URL, {"q": "galaxy"})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [named.pk]
    # The facility is listed without a search: it is its address that is not searched.
    assert only_address.pk in {item["id"] for item in api.get(HOSPITALS_URL).json()}
    assert listed_names(client.get(PAGE_URL, {"q": "galaxy"}).content.decode()) == ["RS Galaxy Medika"]
    assert api.get(HOSPITALS_URL, {"q": "blok"}).json() == []
