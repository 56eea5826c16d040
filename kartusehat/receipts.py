"""The receipt a citizen sees right after sending something (registration,
complaint): kept in the session, never in a URL, and only for a while.

On a shared computer (a warnet, a kelurahan kiosk) the next person must not
find the previous one's receipt.
"""

from __future__ import annotations

import time

RECEIPT_SECONDS = 30 * 60


def receipt_keep(request, key: str, value: str) -> None:
    request.session[key] = [value, time.time()]


def receipt_get(request, key: str) -> str | None:
    stored = request.session.get(key)
    if not isinstance(stored, list) or len(stored) != 2:
        return None
    value, kept_at = stored
    if time.time() - kept_at > RECEIPT_SECONDS:
        request.session.pop(key, None)
        return None
    return value
