"""Record who read personal data (UU No. 27/2022).

Changes are recorded by django-simple-history on each model; this records
views, lists, searches, exports and refused attempts, one ``AccessLog`` row
each. The model lives in the registrations app (moving it would rename its
table and permissions); the platform names it in settings
(``KARTUSEHAT_ACCESS_LOG_MODEL``) and never imports the app.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .logging import mask_identity_numbers
from .net import client_ip


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    SEARCH = "search", _("Searched")
    HISTORY = "history", _("Viewed history")
    EXPORT = "export", _("Exported")
    DENIED = "denied", _("Refused: outside the user's area")


def record(request, action: str, object_type: str, *, object_id: object = "", detail: str = ""):
    """One access-log row: who (and from where) did ``action`` on what. Numbers in
    ``detail`` (a search term, say) are stored masked."""
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    return apps.get_model(settings.KARTUSEHAT_ACCESS_LOG_MODEL).objects.create(
        user=user,
        action=action,
        object_type=object_type[:50],
        object_id=str(object_id)[:50],
        detail=mask_identity_numbers(detail)[:200],
        ip_address=client_ip(request),
    )
