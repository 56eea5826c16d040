"""/rumah-sakit/: partner facilities with the API's filters: the shipped
starting roster by default, narrowed by the filters; an empty-state notice
only when nothing matches or no facility is a partner."""

import pytest
from django.urls import reverse

from tests.hospitals.helpers import empty_roster
from tests.web.helpers import attributes, element, parse, text

pytestmark = pytest.mark.django_db


def has_empty_notice(html) -> bool:
    return "empty" in parse(html).outer


def test_it_lists_the_shipped_partner_facilities(client):
    response = client.get("/rumah-sakit/")

    assert reverse("hospitals:list") == "/rumah-sakit/"
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("RSUD dr. Chasbullah Abdulmadjid", "RS Hermina Bekasi", "Siloam Hospitals Sepanjang Jaya",
                 "Puskesmas Kranji", "RSUD Budhi Asih"):
        assert name in html
    assert html.count('<li class="facility">') == 27
    assert not has_empty_notice(html)
    assert "hidden" in attributes(html, "type-error")


def test_it_shows_where_a_facility_is(client):
    html = client.get("/rumah-sakit/", {"q": "chasbullah"}).content.decode()

    assert html.count('<li class="facility">') == 1
    facility = html.split('<li class="facility">', 1)[1].split("</li>", 1)[0]
    assert "Margajaya" in facility
    assert "Bekasi Selatan" in facility
    assert "Kota Bekasi" in facility


def test_it_shows_the_empty_state_while_no_facility_is_published(client):
    empty_roster()

    response = client.get("/rumah-sakit/")

    assert response.status_code == 200
    assert text(element(response.content, "empty"))
    assert '<li class="facility">' not in response.content.decode()
    assert "hidden" in attributes(response.content, "type-error")


def test_it_narrows_the_list_with_the_filters(client):
    html = client.get("/rumah-sakit/", {"kecamatan": "32.75.04", "type": "rs_swasta"}).content.decode()

    assert "RS Hermina Bekasi" in html
    assert "RS Anna" in html
    assert "RSUD dr. Chasbullah Abdulmadjid" not in html
    assert "Siloam Hospitals Sepanjang Jaya" not in html
    assert '<option value="32.75.04" selected>' in element(html, "kecamatan")
    assert not has_empty_notice(html)


def test_it_shows_the_no_match_notice_when_the_filters_match_nothing(client):
    filtered = client.get("/rumah-sakit/", {"type": "klinik"})
    empty_roster()
    unfiltered = client.get("/rumah-sakit/")

    assert filtered.status_code == 200
    notice = text(element(filtered.content, "empty"))
    assert notice
    assert '<li class="facility">' not in filtered.content.decode()
    # Not the same notice as "no facility is a partner today".
    assert notice != text(element(unfiltered.content, "empty"))


def test_it_refuses_an_unknown_type_beside_the_type_field(client):
    response = client.get("/rumah-sakit/", {"type": "xx"})

    assert response.status_code == 400
    html = response.content.decode()
    error = attributes(html, "type-error")
    assert "hidden" not in error
    assert "rs_swasta" in text(element(html, "type-error"))
    assert "has-error" in html.split('id="type"', 1)[0].rsplit('<div class="field', 1)[1]
    assert "hidden" in attributes(html, "kecamatan-error")


def test_it_keeps_a_valid_filter_selected(client):
    html = client.get("/rumah-sakit/", {"type": "puskesmas"}).content.decode()

    assert '<option value="puskesmas" selected>' in element(html, "type")
    assert "Puskesmas Kranji" in html
    assert "RS Hermina Bekasi" not in html
    assert html.count('<li class="facility">') == 4
    assert not has_empty_notice(html)
