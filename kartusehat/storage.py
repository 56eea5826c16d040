"""Private storage: scans, hospital letters and batch PDFs. No URL serves it;
only views that check permission (and log the access) read from it."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

from django.apps import apps
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# A file is written before the row that names it commits (the row must not
# name a file that is not there). A process killed in between (a gunicorn
# timeout, SIGKILL, a lost machine) leaves a file no row names: the sweep
# deletes such a file once it is this old, far longer than any request or
# print batch takes to commit its row.
ORPHAN_AGE = dt.timedelta(hours=1)
# What random_name writes; anything else under the root is not ours to delete.
_OURS = re.compile(r"[a-z_-]+/\d{4}/\d{2}/[0-9a-f]{32}\.[a-z]{2,4}")
_CHUNK = 500


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


def _private_file_fields():
    """Every model field that keeps its files in private storage."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and (
                getattr(field, "_storage_callable", None) is private_storage or field.storage is private_storage()
            ):
                yield model, field.name


def _walk(storage, folder: str = ""):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _named_by_a_row(names: list[str]) -> set[str]:
    named = set()
    for model, field in _private_file_fields():
        named.update(model._base_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    return named


def orphan_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the private files no row names, once they are ``ORPHAN_AGE`` old.

    The retention promises (scans, letters) are kept by deleting what a row
    names when its time comes (``purge_files``); this keeps them for the
    files whose row never committed, or was deleted. Returns how many went.
    """
    storage = private_storage()
    cutoff = (now or timezone.now()) - ORPHAN_AGE
    try:
        candidates = [name for name in _walk(storage) if _OURS.fullmatch(name)]
    except FileNotFoundError:
        return 0  # nothing was ever stored
    purged = 0
    for start in range(0, len(candidates), _CHUNK):
        chunk = candidates[start:start + _CHUNK]
        named = _named_by_a_row(chunk)
        for name in chunk:
            if name in named:
                continue
            try:
                if storage.get_modified_time(name) >= cutoff:
                    continue  # its row may still be on its way
            except FileNotFoundError:
                continue  # deleted meanwhile
            # Checked again just before deleting: a row may have committed since the chunk was read.
            if not _named_by_a_row([name]):
                storage.delete(name)
                purged += 1
    if purged:
        logger.warning("deleted %d private file(s) that no row named", purged)
    return purged
