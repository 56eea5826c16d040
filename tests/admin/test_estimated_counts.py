"""A city-wide list is counted from the planner's estimate, and the page
says so ("sekitar"); a short list is counted exactly, and a list that can
match nothing is 0, not a guess."""

import pytest

from kartusehat.admin import EstimatedCountPaginator
from tests.factories import KRANJI, submit, superuser

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

URL = "/admin/registrations/registration/"


def test_it_says_about_before_an_estimated_count(client, monkeypatch):
    for _ in range(3):
        submit(KRANJI)
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_BELOW", 1)  # as if the list were a city's
    client.force_login(superuser())

    response = client.get(URL)

    assert response.context["cl"].paginator.estimated
    assert "sekitar" in response.content.decode()


def test_it_counts_a_short_list_exactly(client):
    for _ in range(3):
        submit(KRANJI)
    client.force_login(superuser())

    response = client.get(URL)

    assert response.context["cl"].result_count == 3
    assert not response.context["cl"].paginator.estimated
    assert "sekitar 3" not in response.content.decode()


def test_it_counts_a_list_that_matches_nothing_as_zero(client):
    submit(KRANJI)
    client.force_login(superuser())

    response = client.get(URL, {"q": "3275019999990001"})

    assert response.context["cl"].result_count == 0
