"""Shared set-up for the dashboard tests: the small city counted, and a client signed in as a role."""

from __future__ import annotations

from django.test import Client

from figures import services
from tests.figures.helpers import small_city


def counted_city() -> dict:
    city = small_city()
    services.figures_recompute()
    return city


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
