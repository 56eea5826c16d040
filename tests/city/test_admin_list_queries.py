"""The staff lists cost the same number of queries for a city of 10
households as for 200, and for 10 rows a page as for 100: nothing is read
per row. Each page stays within 20 queries, whoever opens it."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PAGES = {
    "kel.kranji": [
        "/admin/registrations/registration/", "/admin/registrations/registration/?status__exact=submitted",
        "/admin/registrations/household/", "/admin/registrations/member/", "/admin/cards/pickupcard/",
        "/admin/cards/pickupcard/?overdue=1", "/admin/cards/dispatch/",
    ],
    "kota.bekasi": [
        "/admin/registrations/registration/", "/admin/registrations/household/", "/admin/registrations/member/",
        "/admin/cards/pickupcard/", "/admin/cards/dispatch/",
    ],
    "cetak.disdukcapil": [
        "/admin/cards/card/", "/admin/cards/batch/", "/admin/cards/ledgerentry/", "/admin/cards/dispatch/",
        "/admin/cards/dispatch/add/",
    ],
    "dinkes.kota": ["/admin/hospitals/verificationlog/", "/admin/hospitals/emergencyrequest/"],
    "admin": ["/admin/registrations/accesslog/", "/admin/registrations/registration/"],
}


def _counts(client) -> dict[tuple[str, str], int]:
    counts = {}
    for username, urls in PAGES.items():
        client.force_login(get_user_model().objects.get(username=username))
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            counts[(username, url)] = len(captured)
    return counts


@pytest.fixture
def city():
    def load(households: int):
        call_command("load_city", households=households, seed=11, stdout=StringIO())
    return load


@pytest.mark.parametrize("households", [10, 200])
def test_it_lists_a_city_within_twenty_queries_a_page(client, city, households):
    city(households)

    counts = _counts(client)

    assert max(counts.values()) <= 20, {page: n for page, n in counts.items() if n > 20}


def test_it_runs_the_same_queries_for_ten_rows_a_page_as_for_a_hundred(client, city, monkeypatch):
    from django.contrib import admin

    city(200)
    for model_admin in admin.site._registry.values():
        monkeypatch.setattr(model_admin, "list_per_page", 10)
    few = _counts(client)
    for model_admin in admin.site._registry.values():
        monkeypatch.setattr(model_admin, "list_per_page", 100)

    many = _counts(client)

    assert many == few
