"""Pages are in Bahasa Indonesia, even for an English phone, until the person
picks English in the header."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_switches_the_registration_page_to_english_from_the_header(new_page):
    page = new_page(locale="en-US")  # sends Accept-Language: en-US
    page.goto("/daftar/")
    assert page.get_attribute("html", "lang") == "id"
    assert page.input_value("#lang-select") == "id"
    # Choosing alone changes nothing (WCAG 3.2.2); the button applies it.
    page.select_option("#lang-select", "en")
    assert page.get_attribute("html", "lang") == "id"

    with page.expect_navigation():
        page.click(".lang-go")

    assert page.url.endswith("/daftar/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Register your household"
