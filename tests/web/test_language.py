"""Citizen pages are in Bahasa Indonesia unless the person switches to English."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.web.helpers import REGISTER_URL, STATUS_URL

pytestmark = pytest.mark.django_db

PAGES = ["/", REGISTER_URL, STATUS_URL, "/privasi/", "/rumah-sakit/"]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def test_it_serves_every_page_in_indonesian_by_default(client):
    for url in PAGES:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.status_code == 200, url
        assert html_lang(response) == "id", url


def test_it_serves_every_page_in_english_after_switching(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": STATUS_URL})

    assert response.status_code == 302 and response["Location"] == STATUS_URL
    for url in PAGES:
        page = client.get(url)
        assert html_lang(page) == "en", url
    assert "Check registration status" in client.get(STATUS_URL).content.decode()


def test_it_switches_back_to_indonesian(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})

    page = client.get(REGISTER_URL)

    assert html_lang(page) == "id"
    assert 'value="id" selected' in page.content.decode()


def test_it_shows_errors_in_the_chosen_language(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.post(REGISTER_URL, {"kk_number": "123"}).content.decode()

    message = "Registration needs your consent to the processing of personal data."
    with translation.override("id"):
        indonesian = gettext(message)
    assert indonesian != message
    assert message in html and indonesian not in html


# Words every citizen meets on the first pages: on an Indonesian page they
# must be Indonesian.
CITIZEN_STRINGS = {
    "/": ["Register your household", "How it works", "Service: normal"],
    REGISTER_URL: ["Personal data statement", "Your consent", "Send registration"],
    STATUS_URL: ["Check registration status", "Reference number"],
    "/rumah-sakit/": ["Partner hospitals"],
}


def test_it_translates_the_citizen_pages_into_indonesian(client):
    english = []
    for url, strings in CITIZEN_STRINGS.items():
        html = client.get(url).content.decode()
        english += [f"{url}: {s}" for s in strings if s in html]

    assert english == []
