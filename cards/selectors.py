"""Reads about cards and stock, for the citizen pages and the public API.

The blanko ledger and print queue arrive with the print-queue issue (#4);
until then the service runs in normal mode and no card exists yet.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

NORMAL = "normal"
REGISTRATION_ONLY = "registration_only"


def service_status() -> dict:
    """``{"mode", "message", "blanko_available"}`` as in the API contract."""
    return {
        "mode": NORMAL,
        "message": _("Registration is open and cards are printed in the order registrations are verified."),
        "blanko_available": None,
    }


def card_for_household(household) -> dict | None:
    """``{"status", "pickup_location", "pickup_deadline"}`` of the household's live card, or None."""
    return None
