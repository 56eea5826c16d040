"""Pages speak Bahasa Indonesia unless the person switches; the API follows
Accept-Language."""

import pytest
from django.urls import reverse

from tests.factories import KRANJI, staff_user, submit

pytestmark = pytest.mark.django_db


def test_it_shows_the_admin_in_indonesian_even_to_an_english_browser(client):
    submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    page = client.get(reverse("admin:registrations_registration_changelist"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert page.status_code == 200
    assert "Verifikasi pendaftaran yang dipilih" in page.content.decode()


def test_it_switches_to_english_when_the_person_chooses_it(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("home"))

    assert 'lang="en"' in page.content.decode()
    assert "Who is eligible" in page.content.decode()


def test_it_shows_the_home_page_in_indonesian_by_default(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US")

    assert 'lang="id"' in page.content.decode()
    assert "Who is eligible" not in page.content.decode()


def test_it_accepts_a_regional_variant_of_a_chosen_language(client):
    client.cookies["django_language"] = "en-us"

    page = client.get(reverse("home"))

    assert 'lang="en"' in page.content.decode()


def test_it_follows_accept_language_on_the_api_path(rf):
    from django.utils import translation

    from kartusehat.middleware import LanguageMiddleware

    request = rf.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en")
    LanguageMiddleware(lambda r: None).process_request(request)

    assert request.LANGUAGE_CODE == "en"
    translation.activate("id")
