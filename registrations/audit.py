"""Record who read personal data (UU No. 27/2022). Changes are recorded by
django-simple-history on each model; this records views, searches, exports."""

from __future__ import annotations

from kartusehat.logging import mask_identity_numbers
from kartusehat.net import client_ip

from .models import AccessLog


def record(request, action: str, object_type: str, *, object_id: object = "", detail: str = "") -> AccessLog:
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=object_type[:50],
        object_id=str(object_id)[:50],
        detail=mask_identity_numbers(detail)[:200],
        ip_address=client_ip(request),
    )
