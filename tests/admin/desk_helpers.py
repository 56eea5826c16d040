"""The walk-in form at the kelurahan desk, as the admin page posts it."""

from __future__ import annotations

from django.urls import reverse

DESK_URL = "/admin/registrations/registration/add/"


def desk_url() -> str:
    url = reverse("admin:registrations_registration_add")
    assert url == DESK_URL
    return url


def receipt_url(registration) -> str:
    return reverse("admin:registrations_registration_receipt", args=[registration.pk])


def change_url(registration) -> str:
    return reverse("admin:registrations_registration_change", args=[registration.pk])
