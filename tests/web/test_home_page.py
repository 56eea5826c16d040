"""The home page: what the programme is, the service mode, where to go next,
and the city's complaints line (a setting, not code)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cards.selectors import service_status
from tests.factories import blanko
from tests.web.helpers import attributes, element, text

pytestmark = pytest.mark.django_db


def test_it_shows_that_the_service_is_running_normally(client):
    blanko(800, emergency_reserve=300)
    response = client.get("/")

    assert reverse("home") == "/"
    assert response.status_code == 200
    mode = element(response.content, "service-mode")
    assert "info" in attributes(response.content, "service-mode")["class"].split()
    with translation.override("id"):
        assert gettext("Service: normal") in text(mode)
        assert str(service_status()["message"]) in text(mode)
        assert gettext("Service: registration only") not in text(mode)


def test_it_shows_registration_only_when_blanko_has_run_out(client):
    response = client.get("/")

    assert "warning" in attributes(response.content, "service-mode")["class"].split()
    with translation.override("id"):
        assert gettext("Service: registration only") in text(element(response.content, "service-mode"))


def test_it_links_to_register_status_hospitals_and_complaints(client):
    main = element(client.get("/").content, "main")

    for name in ("registrations:register", "registrations:status", "hospitals:list", "complaints:new"):
        assert f'href="{reverse(name)}"' in main, name


def test_it_shows_the_citys_hotline(client, settings):
    html = client.get("/").content.decode()

    assert settings.KARTUSEHAT_CITY["hotline"] in text(element(html, "main"))


def test_it_shows_another_hotline_when_the_city_setting_changes(client, settings):
    old = settings.KARTUSEHAT_CITY["hotline"]
    settings.KARTUSEHAT_CITY = {**settings.KARTUSEHAT_CITY, "hotline": "+62 21 8899 7766", "name": "Kota Contoh"}

    html = client.get("/").content.decode()

    assert "+62 21 8899 7766" in text(element(html, "main"))
    assert old not in html
    assert "Kota Contoh" in html
