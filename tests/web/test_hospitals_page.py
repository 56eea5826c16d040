"""/rumah-sakit/: partner facilities with the API's filters; empty until the
health office publishes the list."""

import pytest
from django.urls import reverse

from tests.web.helpers import attributes, element, text

pytestmark = pytest.mark.django_db


def test_it_shows_the_empty_state_while_no_facility_is_published(client):
    response = client.get("/rumah-sakit/")

    assert reverse("hospitals:list") == "/rumah-sakit/"
    assert response.status_code == 200
    assert text(element(response.content, "empty"))
    assert "hidden" in attributes(response.content, "type-error")


def test_it_refuses_an_unknown_type_beside_the_type_field(client):
    response = client.get("/rumah-sakit/", {"type": "xx"})

    assert response.status_code == 400
    html = response.content.decode()
    error = attributes(html, "type-error")
    assert "hidden" not in error
    assert "xx" in text(element(html, "type-error"))
    assert "has-error" in html.split('id="type"', 1)[0].rsplit('<div class="field', 1)[1]
    assert "hidden" in attributes(html, "kecamatan-error")


def test_it_keeps_a_valid_filter_selected(client):
    html = client.get("/rumah-sakit/", {"type": "puskesmas"}).content.decode()

    assert '<option value="puskesmas" selected>' in element(html, "type")
    assert text(element(html, "empty"))
