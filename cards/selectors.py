"""Reads about cards and stock, for the citizen pages and the public API.

The blanko ledger and print queue arrive with the print-queue issue (#4);
until then the service runs in normal mode and no card exists yet.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The card statuses of the API contract.
CARD_STATUSES = ("queued", "printed", "dispatched", "ready_for_pickup", "collected", "revoked")
# ... as citizens read them.
CARD_STATUS_LABELS = {
    "queued": gettext_lazy("Waiting to be printed"),
    "printed": gettext_lazy("Printed"),
    "dispatched": gettext_lazy("On its way to your kelurahan"),
    "ready_for_pickup": gettext_lazy("Ready for pickup"),
    "collected": gettext_lazy("Collected"),
    "revoked": gettext_lazy("Revoked"),
}

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
