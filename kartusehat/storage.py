"""Private storage: scans, hospital letters and batch PDFs. No URL serves it;
only views that check permission (and log the access) read from it."""

from __future__ import annotations

import secrets

from django.core.files.storage import storages
from django.utils import timezone


def private_storage():
    return storages["private"]


def random_name(prefix: str, extension: str) -> str:
    """``prefix/2026/11/<32 hex>.pdf``: nothing about the person in the path."""
    return f"{prefix}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}"


def purge_files(due, *, file_field: str, deleted_field: str, now) -> int:
    """Delete the private file of each row in ``due`` and record when.

    The row stays (it is the record that a file was sent and checked). Each
    file is emptied with a compare-and-set, so two runs at once never report
    the same file twice. Returns how many files went.
    """
    purged = 0
    for row in due.iterator():
        name = getattr(row, file_field).name
        if due.model.objects.filter(pk=row.pk, **{f"{deleted_field}__isnull": True}).update(
            **{file_field: "", deleted_field: now}
        ):
            getattr(row, file_field).storage.delete(name)
            purged += 1
    return purged
