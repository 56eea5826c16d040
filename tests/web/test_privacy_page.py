"""/privasi/: the consent statement, public, the same words the form shows."""

import pytest
from django.urls import reverse

from registrations import services
from tests.web.helpers import REGISTER_URL, element, text

pytestmark = pytest.mark.django_db


def consent_statement(html) -> str:
    main = element(html, "main")
    start = main.index('<div class="consent-text"')
    return text(main[start:].split("</div>", 1)[0])


def test_it_shows_the_consent_statement_of_the_form(client):
    response = client.get("/privasi/")

    assert reverse("registrations:privacy") == "/privasi/"
    assert response.status_code == 200
    statement = consent_statement(response.content)
    assert services.CONSENT_VERSION in statement
    assert statement == consent_statement(client.get(REGISTER_URL).content)


def test_it_is_linked_from_every_page(client):
    for url in ("/", REGISTER_URL, "/status/"):
        assert 'href="/privasi/"' in client.get(url).content.decode(), url
