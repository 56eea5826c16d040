"""Private storage: scans, hospital letters and batch PDFs. No URL serves it;
only views that check permission (and log the access) read from it."""

from __future__ import annotations

import secrets

from django.utils import timezone


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


def random_name(prefix: str, extension: str) -> str:
    """``prefix/2026/11/<32 hex>.pdf``: nothing about the person in the path."""
    return f"{prefix}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}"
