"""Pressing Enter in a field of the registration form sends the registration.

A browser's implicit submission uses the form's first submit button. If that
is a member row's "remove" button, Enter in the address field removes the
head of household's row (without JavaScript the server does it; with it,
register.js handles the synthetic click the same way).
"""

import re

import pytest

from tests.web.helpers import REGISTER_URL, element

pytestmark = pytest.mark.django_db


def first_submit_button(form_html: str) -> str:
    buttons = re.findall(r"<button\b[^>]*>|<input\b[^>]*\btype=\"(?:submit|image)\"[^>]*>", form_html)
    submits = [b for b in buttons if 'type="button"' not in b and 'type="reset"' not in b]
    return submits[0]


def test_it_makes_send_the_default_button_of_the_form(client):
    form = element(client.get(REGISTER_URL).content, "register-form")

    assert 'name="submit"' in first_submit_button(form)

