"""Import a file of households (``import-format.md``), as the admin's import page does.

    manage.py import_households FILE [--kelurahan CODE] [--user USERNAME] [--dry-run]
        [--report OUT.csv] [--update-pending]

The same services as the page (``registrations.imports``): the file is kept as a
household import, checked, then imported in this process. ``--user``: whose area
(and who is recorded); without it, the whole city (or ``--kelurahan``), recorded
as no one. ``--dry-run`` writes nothing but the report. Exits 0 when the file
could be read, whatever its rows held, and 2 when it could not.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kartusehat.refusals import Refused
from registrations import imports
from registrations.import_format import FileRefused
from registrations.models import HouseholdImport


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of households (one row per person) as registrations."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kelurahan", help="Kemendagri code of the kelurahan of rows that name none.")
        parser.add_argument("--user", help="The staff user importing: their area, recorded as the uploader.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and write only the report.")
        parser.add_argument("--report", type=Path, help="Write the report (CSV) here.")
        parser.add_argument("--update-pending", action="store_true",
                            help="Replace a pending registration's data from the file (never a verified one).")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(options)

    def _handle(self, options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {options['user']!r}.", returncode=2)
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}", returncode=2) from exc
        common = {"content": content, "filename": path.name, "by": user,
                  "kelurahan_code": options["kelurahan"], "update_pending": options["update_pending"]}
        try:
            if options["dry_run"]:
                outcome = imports.household_file_check(**common)
                self._summary(outcome.counts(), len(outcome.lines), dry_run=True)
                self._report(options["report"], imports.report_csv(outcome.lines))
                return
            # A file on the server: no upload limit (the whole city's list is 285 MB).
            record = imports.household_import_create(**common, check=False, max_bytes=None)
        except FileRefused as exc:
            raise CommandError(_messages(exc), returncode=2) from exc
        except Refused as exc:
            raise CommandError(_messages(exc), returncode=2) from exc

        record = imports.household_import_check(import_id=record.pk)
        if record.status == HouseholdImport.Status.REFUSED:
            raise CommandError(record.error, returncode=2)
        imports.household_import_confirm(import_id=record.pk, by=user, send=False)
        record = imports.household_import_run(import_id=record.pk)
        if record.status != HouseholdImport.Status.DONE:
            raise CommandError(f"Import #{record.pk} stopped: {record.error}", returncode=1)
        self.stdout.write(f"Import #{record.pk}")
        self._summary({name: getattr(record, name) for name in imports.Outcome().counts()}, record.report_lines)
        if options["report"]:
            with record.report.open("rb") as handle:
                self._report(options["report"], handle.read())

    def _summary(self, counts: dict, lines: int, *, dry_run: bool = False) -> None:
        verb = "would be imported" if dry_run else "imported"
        self.stdout.write(
            f"rows read: {counts['rows_read']}\n"
            f"households {verb}: {counts['households_imported']}\n"
            f"pending registrations replaced: {counts['households_updated']}\n"
            f"households refused: {counts['households_refused']}\n"
            f"households already registered: {counts['households_already']}\n"
            f"people {verb}: {counts['people_imported']}\n"
            f"report lines: {lines}"
        )

    def _report(self, path, content: bytes) -> None:
        if path is not None:
            Path(path).write_bytes(content)
            self.stdout.write(f"report: {path}")


def _messages(exc: Refused) -> str:
    return " ".join(str(message) for messages in exc.errors.values() for message in messages)
