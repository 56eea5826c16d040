"""Importing a file of households (``import-format.md``): the services.

One path for the admin page, the Celery task and ``manage.py import_households``:

1. :func:`household_import_create` keeps the uploaded file (private storage) as a
   :class:`~registrations.models.HouseholdImport` and has it checked;
2. :func:`household_import_check` is the dry run: the whole file read and every
   household classified against the database, the report written, nothing else;
3. :func:`household_import_confirm` (a person, after reading the report) queues it;
4. :func:`household_import_run` writes the households.

Set-based: the file is converted in Python (``import_format``) without a query
per row, households are classified a chunk at a time with four queries
("already registered", "NIK taken"), and written with ``bulk_create`` (history
and status events included). Each chunk is one transaction holding the
advisory locks the online form takes for the same KK and NIKs, so an import
and a citizen never both claim one number, and a stopped import holds whole
households only. Resuming reads the file again: a household this import
already wrote is counted as imported, not written twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat import bulk
from kartusehat.areas import kelurahan_in_area
from kartusehat.refusals import Conflict, Forbidden, Invalid, require_perm
from kartusehat.spreadsheets import escape_cell
from kartusehat.storage import random_name

from . import import_format, tasks
from .import_format import FileRefused, Household, Problem, RowRefusal
from .models import (
    Household as RosterHousehold,
)
from .models import (
    HouseholdImport,
    Member,
    Region,
    Registration,
    RegistrationEvent,
    RegistrationMember,
    new_reference,
)
from .services import CONSENT_VERSION, _lock_key, _nik_taken_message

logger = logging.getLogger(__name__)

# Households per transaction: big enough for few round trips, small enough that
# its advisory locks (one per KK and NIK, ~4.5 per household) fit PostgreSQL's
# lock table beside everything else, and a crash redoes little.
CHUNK = 250
# Rows of the report kept in the page; the whole report is in the downloads.
# An upload through the page: the proxy's own limit (deploy/nginx.conf,
# client_max_body_size), far above a kelurahan's list (about 100 bytes a
# person). The command reads a file on the server and has no limit.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
Status = HouseholdImport.Status


HistoricalRegistration = Registration.history.model
_REGISTRATION_ROW = bulk.row_maker(
    Registration, decided_at=None, decided_by_id=None, rejection_reason="", household_id=None,
    urgent_requested_at=None, urgent_note="",
)
# The history's own key is the database's to give.
_HISTORY_COLUMNS = bulk.columns_of(HistoricalRegistration, omit=("history_id",))
_HISTORY_ROW = bulk.row_maker(
    HistoricalRegistration, omit=("history_id",), decided_at=None, decided_by_id=None, rejection_reason="",
    household_id=None, urgent_requested_at=None, urgent_note="", history_type="+",
)
_MEMBER_COLUMNS = ["registration_id", "position", "nik", "full_name", "birth_date", "sex", "relationship", "pending"]
_EVENT_COLUMNS = ["registration_id", "status", "at", "by_id", "note"]


def _new_ids(model, count: int) -> list[int]:
    """Keys for ``count`` new rows, taken from the table's sequence on PostgreSQL
    (a concurrent insert gets others); on SQLite, whose writers take turns,
    the next free ones."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
    first = bulk.next_id(model)
    return list(range(first, first + count))


class ImportTaken(Exception):
    """Another worker holds this import now (its claim changed)."""


def already_registered_message() -> str:
    return _(
        "Already registered: this KK already has a household or a registration being processed, so nothing "
        "was imported for it. This is not an error in the file."
    )


# --- Starting, confirming, stopping --------------------------------------------------


def _area_kelurahan(user, kelurahan_code: str | None) -> tuple[list[str], Region | None]:
    """The kelurahan codes an import may write into, and the default one: the
    user's area; without a user (an operator's command), the whole city."""
    city = Region.objects.filter(level=Region.Level.KELURAHAN, current=True,
                                 code__startswith=settings.CITY_REGION_CODE + ".")
    area = city if user is None else city.filter(pk__in=kelurahan_in_area(user).values("pk"))
    codes = sorted(area.values_list("code", flat=True))
    if not codes:
        raise Forbidden(_("Your account has no area: ask the administrator to set your kelurahan or kecamatan."))
    default = None
    if kelurahan_code:
        if kelurahan_code not in codes:
            raise Invalid({"kelurahan": [_("%(code)s is not a kelurahan of your area.") % {"code": kelurahan_code}]})
        default = kelurahan_code
    elif len(codes) == 1:
        default = codes[0]
    if user is None and default:
        codes = [default]  # an operator naming one kelurahan imports into that one only
    return codes, (city.get(code=default) if default else None)


def household_import_create(
    *, content: bytes, filename: str, by, update_pending: bool = False, kelurahan_code: str | None = None,
    check: bool = True, max_bytes: int | None = MAX_UPLOAD_BYTES,
) -> HouseholdImport:
    """Keep an uploaded file as an import into ``by``'s area (``by`` None: an
    operator's command, the whole city or ``kelurahan_code``) and have it
    checked in the background (``check=False``: the caller checks it)."""
    if by is not None:
        require_perm(by, "registrations.add_householdimport")
    allowed, default = _area_kelurahan(by, kelurahan_code)
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if not name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise Invalid({"file": [_("Upload the list as a CSV or XLSX file (Excel: File > Save As > Excel Workbook "
                                  "or CSV).")]})
    if not content:
        raise Invalid({"file": [_("The file is empty.")]})
    if max_bytes is not None and len(content) > max_bytes:
        raise Invalid({"file": [_("The file is larger than %(mb)d MB: split it by RW.")
                                % {"mb": max_bytes // (1024 * 1024)}]})
    record = HouseholdImport(
        filename=name, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        allowed_kelurahan=allowed, default_kelurahan=default, update_pending=update_pending,
        uploaded_by=by, status=Status.CHECKING,
    )
    stored = None
    try:
        with transaction.atomic():
            record.file.save("import" + record.extension, ContentFile(content), save=False)
            stored = record.file.name
            record.save()
            if check:
                transaction.on_commit(lambda: _send("household_import_check", record.pk))
    except BaseException:
        if stored:
            record.file.storage.delete(stored)
        raise
    return record


def household_import_confirm(*, import_id: int, by, send: bool = True) -> HouseholdImport:
    """Import a checked file (compare-and-set: a double click queues it once);
    ``send=False``: the caller runs it (the command)."""
    record = _in_area(import_id, by)
    now = timezone.now()
    if not HouseholdImport.objects.filter(pk=record.pk, status=Status.CHECKED).update(
        # Attempts count the import's runs (the sweeper's limit), not the check's.
        status=Status.QUEUED, confirmed_by=by, confirmed_at=now, rows_done=0, attempts=0,
    ):
        raise Conflict(_("This import is not waiting for confirmation (it is %(status)s).")
                       % {"status": HouseholdImport.objects.get(pk=record.pk).get_status_display()})
    if send:
        transaction.on_commit(lambda: _send("household_import_run", record.pk))
    return HouseholdImport.objects.get(pk=record.pk)


def household_import_resume(*, import_id: int, by) -> HouseholdImport:
    """Run a stopped import again: what it wrote stays and is not written twice."""
    record = _in_area(import_id, by)
    now = timezone.now()
    stopped = HouseholdImport.objects.filter(pk=record.pk).filter(
        Q(status=Status.FAILED) | Q(status=Status.IMPORTING, lease_until__lt=now)
    )
    if not stopped.update(status=Status.QUEUED, claim="", lease_until=None, error=""):
        raise Conflict(_("Only a stopped import can be resumed."))
    transaction.on_commit(lambda: _send("household_import_run", record.pk))
    return HouseholdImport.objects.get(pk=record.pk)


def household_import_cancel(*, import_id: int, by) -> HouseholdImport:
    """Drop a checked file without importing it (its file goes at once)."""
    record = _in_area(import_id, by)
    now = timezone.now()
    if not HouseholdImport.objects.filter(pk=record.pk, status__in=[Status.CHECKED, Status.REFUSED]).update(
        status=Status.CANCELLED, finished_at=now, file="", report="", files_deleted_at=now,
    ):
        raise Conflict(_("Only a file that was checked and not imported can be cancelled."))
    _delete_file(record)
    record.refresh_from_db()
    return record


def _in_area(import_id: int, by) -> HouseholdImport:
    """The import, if ``by`` may act on it: its area within theirs (None: an operator's command)."""
    record = HouseholdImport.objects.filter(pk=import_id).first()
    if by is None and record is not None:
        return record
    require_perm(by, "registrations.add_householdimport")
    if record is None or not (by.is_superuser or set(record.allowed_kelurahan) <= _codes_of(by)):
        raise Forbidden(_("This import is not one of your area."))
    return record


def _codes_of(user) -> set[str]:
    return set(kelurahan_in_area(user).values_list("code", flat=True))


def _send(task_name: str, import_id: int) -> None:
    getattr(tasks, task_name).delay(import_id)


# --- The check and the import --------------------------------------------------------


@dataclass
class Outcome:
    """What one pass over the file found (the check) or did (the import)."""

    rows_read: int = 0
    imported: int = 0
    updated: int = 0
    refused: int = 0
    already: int = 0
    people: int = 0
    lines: list[RowRefusal] = field(default_factory=list)

    def counts(self) -> dict:
        return {
            "rows_read": self.rows_read, "households_imported": self.imported, "households_updated": self.updated,
            "households_refused": self.refused, "households_already": self.already, "people_imported": self.people,
        }


@dataclass
class _Plan:
    """A chunk's households, classified."""

    new: list[Household] = field(default_factory=list)
    update: list[tuple[Household, int]] = field(default_factory=list)  # (household, pending registration id)
    done_before: list[Household] = field(default_factory=list)


def _chunks(households: Iterable[Household], size: int) -> Iterator[list[Household]]:
    iterator = iter(households)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class _Importer:
    """One pass over a file: classify each chunk against the database and, unless
    ``write`` is off (the dry run), write it."""

    def __init__(self, record: HouseholdImport, *, write: bool, by, today: dt.date,
                 progress: Callable[[Outcome, int, int], None] | None = None):
        self.record = record
        self.write = write
        self.by = by
        self.today = today
        self.progress = progress
        self.outcome = Outcome()
        self.allowed = frozenset(record.allowed_kelurahan)
        # NIKs and KKs this file already placed (or refused as placed) in an earlier chunk.
        self.seen_niks: dict[str, int] = {}
        self.seen_kks: set[str] = set()
        self.rows_done = 0

    def run(self, content: bytes) -> Outcome:
        table = import_format.read_table(content, filename=self.record.filename)
        conversion = import_format.convert_households(
            table, allowed_kelurahan_codes=self.allowed,
            default_kelurahan_code=self.record.default_kelurahan.code if self.record.default_kelurahan else None,
            today=self.today,
        )
        for chunk in _chunks(conversion, CHUNK):
            self._chunk(chunk, conversion.summary.rows_read)
        self.outcome.rows_read = conversion.summary.rows_read
        self.outcome.lines.sort(key=lambda line: line.row)
        return self.outcome

    def _chunk(self, chunk: list[Household], rows_total: int) -> None:
        accepted = []
        for household in chunk:
            if household.accepted:
                accepted.append(household)
            else:
                self.outcome.refused += 1
                self.outcome.lines.extend(household.refusals)
        if accepted:
            if self.write:
                with transaction.atomic():
                    lock_numbers_many(accepted)
                    self._write(self._classify(accepted))
            else:
                self._classify(accepted)
        self.rows_done += sum(len(household.rows) for household in chunk)
        self.outcome.rows_read = rows_total
        if self.progress:
            self.progress(self.outcome, self.rows_done, rows_total)

    def _classify(self, households: list[Household]) -> _Plan:
        kks = [household.kk_number for household in households]
        niks = [member.nik for household in households for member in household.registration.members]
        pending = {
            kk: (pk, import_id, code) for kk, pk, import_id, code in Registration.objects.filter(
                kk_number__in=kks, status=Registration.Status.SUBMITTED,
            ).values_list("kk_number", "pk", "household_import_id", "kelurahan__code")
        }
        active = set(RosterHousehold.objects.filter(kk_number__in=kks, status=RosterHousehold.Status.ACTIVE)
                     .values_list("kk_number", flat=True))
        # NIK -> the pending registration holding it (read before the active
        # members, as services._taken_errors does).
        pending_niks = dict(RegistrationMember.objects.filter(nik__in=niks, pending=True)
                            .values_list("nik", "registration_id"))
        active_niks = set(Member.objects.filter(
            nik__in=niks, end_date__isnull=True, household__status=RosterHousehold.Status.ACTIVE,
        ).values_list("nik", flat=True))

        plan = _Plan()
        for household in households:
            kk = household.kk_number
            held = pending.get(kk)
            if held and held[1] == self.record.pk and self.write:
                plan.done_before.append(household)  # written by this import before it stopped
                self._count_imported(household)
                continue
            if kk in active or kk in self.seen_kks:
                self._already(household)
                continue
            if held and not (self.record.update_pending and held[2] in self.allowed):
                self._already(household)
                continue
            own = held[0] if held else None
            taken = next((index for index, member in enumerate(household.registration.members)
                          if member.nik in active_niks or member.nik in self.seen_niks
                          or pending_niks.get(member.nik, own) != own), None)
            self.seen_kks.add(kk)
            if taken is not None:
                self._refuse_taken(household, taken)
                continue
            for member in household.registration.members:
                self.seen_niks[member.nik] = household.rows[0]
            if held:
                plan.update.append((household, held[0]))
                self.outcome.updated += 1
                self.outcome.people += len(household.rows)
            else:
                plan.new.append(household)
                self._count_imported(household)
        return plan

    def _count_imported(self, household: Household) -> None:
        self.outcome.imported += 1
        self.outcome.people += len(household.rows)
        for member in household.registration.members:
            self.seen_niks[member.nik] = household.rows[0]
        self.seen_kks.add(household.kk_number)

    def _already(self, household: Household) -> None:
        self.outcome.already += 1
        self.outcome.lines.extend(household.report_lines(already_registered_message()))

    def _refuse_taken(self, household: Household, index: int) -> None:
        """The online form's answer for a taken NIK, on its row; the household's
        other rows say why they were not imported."""
        self.outcome.refused += 1
        taken_row = household.rows[index]
        for position, (row, member) in enumerate(zip(household.rows, household.data["members"])):
            problem = (Problem("nik", _nik_taken_message()) if position == index else
                       import_format.not_imported_problem([taken_row]))
            self.outcome.lines.append(RowRefusal(row, household.kk_number, member["nik"], (problem,)))

    # Writing

    def _write(self, plan: _Plan) -> None:
        now = timezone.now()
        if plan.new:
            self._write_new(plan.new, now)
        for household, registration_id in plan.update:
            self._replace(household, registration_id, now)

    def _write_new(self, households: list[Household], now: dt.datetime) -> None:
        """Registrations, their members, their first status event and their
        history row, as plain rows (COPY on PostgreSQL): the same rows
        ``services._store`` writes one household at a time."""
        ids = _new_ids(Registration, len(households))
        by_id = self.by.pk if self.by is not None else None
        reason = _("Imported (import #%(id)d)") % {"id": self.record.pk}
        registrations, history, members, events = [], [], [], []
        for registration_id, household in zip(ids, households):
            clean = household.registration
            values = {
                "id": registration_id, "reference": new_reference(), "channel": Registration.Channel.IMPORT,
                "status": Registration.Status.SUBMITTED, "kk_number": clean.kk_number,
                "kelurahan_id": clean.kelurahan.pk, "address": clean.address, "rt": clean.rt, "rw": clean.rw,
                "phone": clean.phone, "email": clean.email, "kk_kecamatan_mismatch": clean.kk_kecamatan_mismatch,
                # The kelurahan collected each household's consent in person with the list.
                "consent_at": now, "consent_version": CONSENT_VERSION, "submitted_at": now,
                "submitted_by_id": by_id, "household_import_id": self.record.pk,
            }
            registrations.append(_REGISTRATION_ROW(**values))
            history.append(_HISTORY_ROW(**values, history_date=now, history_change_reason=reason,
                                        history_user_id=by_id))
            events.append((registration_id, Registration.Status.SUBMITTED, now, by_id, ""))
            members.extend(
                (registration_id, index, m.nik, m.full_name, m.birth_date, m.sex, m.relationship, True)
                for index, m in enumerate(clean.members)
            )
        bulk.write_rows(Registration, registrations)
        bulk.write_rows(HistoricalRegistration, history, columns=_HISTORY_COLUMNS)
        bulk.write_rows(RegistrationMember, members, columns=_MEMBER_COLUMNS)
        bulk.write_rows(RegistrationEvent, events, columns=_EVENT_COLUMNS)

    def _replace(self, household: Household, registration_id: int, now: dt.datetime) -> None:
        """--update-pending: a pending registration's data from the file, with history."""
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if registration.status != Registration.Status.SUBMITTED:  # decided since it was read
            self.outcome.updated -= 1
            self.outcome.people -= len(household.rows)
            self._already(household)
            return
        clean = household.registration
        for name in ("kelurahan", "address", "rt", "rw", "phone", "email", "kk_kecamatan_mismatch"):
            setattr(registration, name, getattr(clean, name))
        registration.household_import = self.record
        registration._history_user = self.by
        registration._change_reason = _("Replaced from import #%(id)d") % {"id": self.record.pk}
        registration.save()
        RegistrationMember.objects.filter(registration=registration).delete()
        RegistrationMember.objects.bulk_create(
            RegistrationMember(
                registration=registration, position=index, nik=m.nik, full_name=m.full_name,
                birth_date=m.birth_date, sex=m.sex, relationship=m.relationship, pending=True,
            )
            for index, m in enumerate(clean.members)
        )


def lock_numbers_many(households: list[Household]) -> None:
    """PostgreSQL: the online form's advisory locks (``services._lock_numbers``)
    for every KK and NIK of a chunk, in one sorted order, so neither another
    import's chunk nor a single submission can wait on us in the opposite order.
    SQLite serialises writers on its own."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({
        key for household in households for key in (
            _lock_key(f"kk:{household.kk_number}"),
            *(_lock_key(f"nik:{member.nik}") for member in household.registration.members),
        )
    })
    with connection.cursor() as cursor:
        # unnest returns the sorted array in its order: the locks are taken in it.
        cursor.execute("SELECT count(pg_advisory_xact_lock(key)) FROM unnest(%s::bigint[]) AS key", [keys])


def report_csv(lines: list[RowRefusal]) -> bytes:
    """The report as the downloads and the command write it (CSV, UTF-8 with BOM for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(import_format.REPORT_FIELDS)
    for line in lines:
        writer.writerow([escape_cell(value) for value in line.as_report().values()])
    return buffer.getvalue().encode("utf-8-sig")  # Excel reads the BOM as UTF-8


# --- Running a step (the task bodies) ------------------------------------------------------


def _lease() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS)


def _claim(import_id: int, statuses: list[str], status_to: str) -> tuple[HouseholdImport, str] | None:
    """Take the import for one step: compare-and-set on its status; a token the
    step's every later write checks, so a worker that lost it writes nothing."""
    claim = uuid.uuid4().hex
    if not HouseholdImport.objects.filter(pk=import_id, status__in=statuses).update(
        status=status_to, claim=claim, lease_until=_lease(), rows_done=0, attempts=F("attempts") + 1,
    ):
        return None
    return HouseholdImport.objects.select_related("default_kelurahan", "uploaded_by").get(pk=import_id), claim


def _progress_writer(record: HouseholdImport, claim: str):
    """Counts and rows done after each chunk, and the lease renewed."""
    def write(outcome: Outcome, rows_done: int, rows_total: int) -> None:
        if not HouseholdImport.objects.filter(pk=record.pk, claim=claim).update(
            rows_done=rows_done, rows_total=rows_total, lease_until=_lease(), **outcome.counts(),
        ):
            raise ImportTaken(record.pk)
    return write


def _finish(record: HouseholdImport, claim: str, outcome: Outcome, status: str) -> None:
    """Keep the report and the counts and end the step (compare-and-set on the claim)."""
    name = record.report.storage.save(random_name("import-reports", ".csv"), ContentFile(report_csv(outcome.lines)))
    old_report = record.report.name
    updated = HouseholdImport.objects.filter(pk=record.pk, claim=claim).update(
        status=status, claim="", lease_until=None, report=name, report_lines=len(outcome.lines),
        rows_done=outcome.rows_read, rows_total=outcome.rows_read,
        finished_at=timezone.now() if status == Status.DONE else None, **outcome.counts(),
    )
    if not updated:
        record.report.storage.delete(name)
        raise ImportTaken(record.pk)
    if old_report:
        record.report.storage.delete(old_report)


def _stop(record: HouseholdImport, claim: str, status: str, error: str) -> None:
    HouseholdImport.objects.filter(pk=record.pk, claim=claim).update(
        status=status, claim="", lease_until=None, error=error,
        finished_at=timezone.now() if status == Status.REFUSED else None,
    )


def _file_refused_message(exc: FileRefused) -> str:
    return " ".join(str(message) for messages in exc.errors.values() for message in messages)


def household_import_check(*, import_id: int, today: dt.date | None = None) -> HouseholdImport | None:
    """The dry run: read the whole file, classify every household against the
    database, keep the report and the forecast counts. Writes no registration."""
    return _run_step(import_id, claim_from=Status.CHECKING, running=Status.CHECKING, write=False,
                     done=Status.CHECKED, stopped=Status.REFUSED, today=today)


def household_import_run(*, import_id: int, today: dt.date | None = None) -> HouseholdImport | None:
    """Import a confirmed file, chunk by chunk; resumable (see the module's doc).

    A file that can no longer be read, or a database error, stops the import as
    FAILED with the reason (every chunk written before stays whole); the
    caller may retry it. Returns None when the import is not this call's to run.
    """
    return _run_step(import_id, claim_from=Status.QUEUED, running=Status.IMPORTING, write=True,
                     done=Status.DONE, stopped=Status.FAILED, today=today)


def _run_step(import_id: int, *, claim_from: str, running: str, write: bool, done: str, stopped: str,
              today: dt.date | None) -> HouseholdImport | None:
    """One pass over the file under a claim: ``done`` with its report, or
    ``stopped`` with the reason (an unreadable file, or a step that broke)."""
    taken = _claim(import_id, [claim_from], running)
    if taken is None:
        return None
    record, claim = taken
    by = (record.confirmed_by or record.uploaded_by) if write else record.uploaded_by
    importer = _Importer(record, write=write, by=by, today=today or timezone.localdate(),
                         progress=_progress_writer(record, claim))
    try:
        outcome = importer.run(_read(record))
    except FileRefused as exc:
        _stop(record, claim, stopped, _file_refused_message(exc))
        return HouseholdImport.objects.get(pk=record.pk)
    except ImportTaken:
        raise
    except Exception as exc:
        _stop_broken(record, claim, stopped, exc)
        raise
    _finish(record, claim, outcome, done)
    logger.info("import %s %s: %s", record.pk, done, outcome.counts())
    return HouseholdImport.objects.get(pk=record.pk)


def _stop_broken(record: HouseholdImport, claim: str, status: str, exc: Exception) -> None:
    """A step that broke stops as ``status`` with the reason, if it still holds
    the import (compare-and-set on its claim: a run that lost the import to
    another never stops that one). Every chunk written before stays whole. When
    the database itself is away, on a fresh connection; if it is still away,
    the lease runs out and the sweeper takes the import."""
    error = (_("The database was unavailable.") if isinstance(exc, (InterfaceError, OperationalError))
             else type(exc).__name__)
    for _attempt in range(2):
        try:
            _stop(record, claim, status, error)
            return
        except (InterfaceError, OperationalError):
            close_old_connections()
            connection.close()


def household_import_fail(*, import_id: int, claim: str, error: str) -> None:
    """Stop a step held under ``claim`` (the sweeper's, after too many runs)."""
    HouseholdImport.objects.filter(pk=import_id, claim=claim, status__in=[Status.IMPORTING, Status.QUEUED]).update(
        status=Status.FAILED, claim="", lease_until=None, error=error[:2000],
    )
    HouseholdImport.objects.filter(pk=import_id, claim=claim, status=Status.CHECKING).update(
        status=Status.REFUSED, claim="", lease_until=None, error=error[:2000], finished_at=timezone.now(),
    )


def household_imports_recover(*, now: dt.datetime | None = None) -> list[int]:
    """Sweeper (beat): an import whose worker died (its lease ran out) is sent
    again, up to IMPORT_MAX_ATTEMPTS runs; then it stops, resumable by hand."""
    now = now or timezone.now()
    sent = []
    for record in HouseholdImport.objects.filter(status__in=[Status.IMPORTING, Status.CHECKING], lease_until__lt=now):
        again = Status.QUEUED if record.status == Status.IMPORTING else Status.CHECKING
        if record.attempts >= settings.IMPORT_MAX_ATTEMPTS:
            error = _("The import stopped %(n)d times; resume it by hand.") % {"n": record.attempts}
            household_import_fail(import_id=record.pk, claim=record.claim, error=error)
            continue
        if HouseholdImport.objects.filter(pk=record.pk, claim=record.claim, status=record.status).update(
            status=again, claim="", lease_until=None,
        ):
            task = "household_import_run" if again == Status.QUEUED else "household_import_check"
            transaction.on_commit(lambda task=task, pk=record.pk: _send(task, pk))
            sent.append(record.pk)
    # A step nobody claimed within a lease: its message was lost (the broker
    # restarted) or never sent. Sent again; if the first is only late, the
    # second finds the step taken and does nothing.
    stale = now - dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    unclaimed = HouseholdImport.objects.filter(lease_until__isnull=True).filter(
        Q(status=Status.CHECKING, uploaded_at__lt=stale) | Q(status=Status.QUEUED, confirmed_at__lt=stale)
    ).values_list("pk", "status")
    for pk, status in unclaimed:
        task = "household_import_run" if status == Status.QUEUED else "household_import_check"
        transaction.on_commit(lambda task=task, pk=pk: _send(task, pk))
        sent.append(pk)
    return sent


def household_imports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the files (upload and report) of imports ended SCAN_RETENTION_DAYS
    ago, like scans; the record and its counts stay."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.SCAN_RETENTION_DAYS)
    purged = 0
    due = HouseholdImport.objects.filter(files_deleted_at__isnull=True).filter(
        Q(finished_at__lt=cutoff) | Q(uploaded_at__lt=cutoff, status__in=[Status.CHECKED, Status.FAILED]),
    )
    for record in due:
        if HouseholdImport.objects.filter(pk=record.pk, files_deleted_at__isnull=True).update(
            file="", report="", files_deleted_at=now,
        ):
            _delete_file(record)
            purged += 1
    return purged


def _delete_file(record: HouseholdImport) -> None:
    for stored in (record.file, record.report):
        if stored.name:
            stored.storage.delete(stored.name)


def _read(record: HouseholdImport) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


def household_file_check(
    *, content: bytes, filename: str, by, kelurahan_code: str | None = None, update_pending: bool = False,
    today: dt.date | None = None,
) -> Outcome:
    """The dry run without keeping anything, not even the import's record (the
    command's ``--dry-run``). Raises FileRefused for a file that cannot be read."""
    allowed, default = _area_kelurahan(by, kelurahan_code)
    record = HouseholdImport(filename=filename, allowed_kelurahan=allowed, default_kelurahan=default,
                             update_pending=update_pending)
    return _Importer(record, write=False, by=by, today=today or timezone.localdate()).run(content)
