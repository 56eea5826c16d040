import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import translation

from . import imports, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def purge_scans() -> int:
    """Daily: delete scans past their retention period (see services.documents_purge)."""
    return services.documents_purge()


@shared_task(acks_late=True)
def purge_registrations() -> dict:
    """Daily: delete rejected and abandoned registrations past their retention
    period (see services.registrations_purge); the counts are logged."""
    return {log.rule: log.registrations for log in services.registrations_purge()}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def household_import_check(import_id: int) -> dict | None:
    """The dry run of an uploaded file (registrations.imports)."""
    return _step(imports.household_import_check, import_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def household_import_run(import_id: int) -> dict | None:
    """Import a confirmed file. A redelivered message finds the import taken or
    done and does nothing; a dead worker's import is resumed by the sweeper."""
    return _step(imports.household_import_run, import_id)


@shared_task
def household_import_sweep() -> list[int]:
    return imports.household_imports_recover()


@shared_task(acks_late=True)
def purge_imports() -> int:
    """Daily: import files and reports past their retention period."""
    return imports.household_imports_purge()


def _step(step, import_id: int) -> dict | None:
    # The report is read by the kelurahan: written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            record = step(import_id=import_id)
        except imports.ImportTaken:
            return None  # another run holds the import now
        except (InterfaceError, OperationalError) as exc:
            # The step stopped itself as resumable where it could; whole chunks are kept.
            logger.warning("import %s stopped: %s", import_id, type(exc).__name__)
            return None
        except Exception:
            logger.exception("import %s stopped", import_id)
            return None
    return None if record is None else {"status": record.status, "households_imported": record.households_imported}
