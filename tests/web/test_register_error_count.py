"""The error summary of the registration form counts each problem once."""

import re

import pytest

from tests.factories import KRANJI, registration_data
from tests.web.helpers import REGISTER_URL, element, form_data, text

pytestmark = pytest.mark.django_db


def problems(html: str) -> int:
    heading = element(html, "error-summary").split("</h2>", 1)[0]
    return int(re.search(r"[0-9]+", text(heading)).group(0))


def test_it_counts_one_problem_per_field_with_an_error(client):
    data = registration_data(KRANJI, size=2)
    data["members"][1]["nik"] = "123"
    data["rt"] = "abc"

    response = client.post(REGISTER_URL, form_data(data))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in element(html, "error-summary")
    assert problems(html) == 2


def test_it_counts_a_repeated_nik_as_one_problem(client):
    data = registration_data(KRANJI, size=3)
    data["members"][2]["nik"] = data["members"][1]["nik"]

    html = client.post(REGISTER_URL, form_data(data)).content.decode()

    assert problems(html) == 1
