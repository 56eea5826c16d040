"""Writes for registrations and households (HackSoft style: views call these).

Each state change and its history row are written in one transaction, and
each status change is guarded by a row lock on the registration so two
staff members (or a double click) cannot decide the same application twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

# A declared back-edge (see the import contract in pyproject.toml): verifying a
# household queues its card, and a change of members replaces a printed card,
# in the same transaction.
from cards import services as card_services
from kartusehat import identity
from kartusehat.areas import user_covers
from kartusehat.db import constraint_of
from kartusehat.refusals import Conflict, Forbidden, Invalid, require_perm
from kartusehat.storage import purge_files
from kartusehat.text import clean_full_name, single_spaced

from . import limits
from .models import (
    Household,
    Member,
    Registration,
    RegistrationDocument,
    RegistrationEvent,
    RegistrationMember,
    Relationship,
    RetentionPurge,
)
from .validation import CleanRegistration, clean_member, clean_registration

CONSENT_VERSION = "2026-12-v2"
# Consent given in person at the kelurahan desk, to the statement of the same
# version (shown on the desk form, read with the family): the stored version
# says how it was given, so the record tells the two apart.
CONSENT_IN_PERSON = "+desk"


def _kk_taken_message() -> str:
    return _(
        "This KK is already registered or has a registration being processed. "
        "Ask your kelurahan office if the household's data must change."
    )


def _nik_taken_message() -> str:
    return _(
        "This NIK is already registered in another household or another registration being processed. "
        "Ask your kelurahan office, which handles moves between KKs."
    )


def _lock_numbers(kk_number: str, niks) -> None:
    """Serialise every write that claims this KK or these NIKs (PostgreSQL).

    Held to the end of the transaction, so "is it free?" and "claim it" are
    one step even against a verification committing in between. Sorted, so
    two transactions never wait on each other in opposite order. SQLite
    serialises writers on its own.
    """
    if connection.vendor != "postgresql":
        return
    # 64-bit keys computed here, and sorted as the numbers actually locked.
    keys = sorted({_lock_key(f"kk:{kk_number}"), *(_lock_key(f"nik:{nik}") for nik in niks)})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _lock_key(name: str) -> int:
    digest = hashlib.blake2b(f"kartusehat:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _taken_errors(clean: CleanRegistration) -> dict:
    """Database rules: the KK and each NIK must be free.

    An answer names one number at most: the KK if it is taken, else the
    first member whose NIK is. "Already registered" tells something about
    someone else's household, so it is a scarce answer (``limits``), and
    one answer must not check a whole list of NIKs at once.

    Pending claims are read before active ones: a verification turns one into
    the other in a single transaction, so read in this order a number moving
    between the two is seen in at least one of them.
    """
    kk_pending = Registration.objects.filter(
        kk_number=clean.kk_number, status=Registration.Status.SUBMITTED
    ).exists()
    kk_active = Household.objects.filter(kk_number=clean.kk_number, status=Household.Status.ACTIVE).exists()
    if kk_active or kk_pending:
        return {"kk_number": [_kk_taken_message()]}

    niks = [m.nik for m in clean.members]
    pending = set(RegistrationMember.objects.filter(nik__in=niks, pending=True).values_list("nik", flat=True))
    taken = pending | set(
        Member.objects.filter(nik__in=niks, end_date__isnull=True, household__status=Household.Status.ACTIVE)
        .values_list("nik", flat=True)
    )
    first = next((index for index, m in enumerate(clean.members) if m.nik in taken), None)
    if first is None:
        return {}
    return {"members": [{"nik": [_nik_taken_message()]} if index == first else {} for index in range(len(niks))]}


def registration_submit(
    *,
    data: dict,
    channel: str,
    files=None,
    submitted_by=None,
    today: dt.date | None = None,
    address: str | None = None,
) -> Registration:
    """Validate raw input (and optional scans) and store a new application; all or nothing.

    ``address`` is the client's, for a registration from the public (web
    form, API): its attempts are limited as ``limits`` says, and a refusal
    by the rules costs nothing. Staff and commands pass none.

    ``submitted_by`` is the staff member who entered it (at the kelurahan
    desk): they need the permission to add registrations, and the kelurahan
    must lie in their area. Its consent is recorded as given in person
    (``CONSENT_IN_PERSON``) when the channel is the kelurahan desk.

    Raises :class:`~kartusehat.refusals.Invalid` with contract-shaped errors,
    :class:`~kartusehat.refusals.Forbidden` for staff outside their rights or
    area, ``kartusehat.throttling.RateLimited`` past a limit.
    """
    if submitted_by is not None:
        require_perm(submitted_by, "registrations.add_registration",
                     _("You are not allowed to enter registrations."))
    clean = clean_registration(data, files=files, today=today)
    if submitted_by is not None and not user_covers(submitted_by, clean.kelurahan.code):
        # Beside the field, so the desk form shows it there and keeps what was typed.
        raise Forbidden({"kelurahan_code": [
            _("%(kelurahan)s is outside your area: you may enter registrations only for the kelurahan you work for.")
            % {"kelurahan": clean.kelurahan.name}
        ]})
    if address is None:
        return _store(clean, channel=channel, submitted_by=submitted_by)
    attempt = limits.attempt_start(address)
    try:
        registration = _store(clean, channel=channel, submitted_by=submitted_by)
    except Invalid:  # past the rules above, only "already registered" is refused
        attempt.refused_as_taken()
        raise
    except BaseException:
        attempt.refused()
        raise
    attempt.succeeded()
    return registration


def _store(clean: CleanRegistration, *, channel: str, submitted_by) -> Registration:
    now = timezone.now()
    stored: list = []
    try:
        with transaction.atomic():
            _lock_numbers(clean.kk_number, [m.nik for m in clean.members])
            errors = _taken_errors(clean)
            if errors:
                raise Invalid(errors)
            registration = Registration(
                channel=channel,
                kk_number=clean.kk_number,
                kelurahan=clean.kelurahan,
                address=clean.address,
                rt=clean.rt,
                rw=clean.rw,
                phone=clean.phone,
                email=clean.email,
                kk_kecamatan_mismatch=clean.kk_kecamatan_mismatch,
                consent_at=now,
                consent_version=CONSENT_VERSION + (CONSENT_IN_PERSON if channel == Registration.Channel.KELURAHAN
                                                   else ""),
                submitted_at=now,
                submitted_by=submitted_by,
            )
            _save_as(registration, submitted_by)
            RegistrationMember.objects.bulk_create(
                RegistrationMember(
                    registration=registration, position=index, nik=m.nik, full_name=m.full_name,
                    birth_date=m.birth_date, sex=m.sex, relationship=m.relationship, pending=True,
                )
                for index, m in enumerate(clean.members)
            )
            RegistrationEvent.objects.create(
                registration=registration, status=Registration.Status.SUBMITTED, at=now, by=submitted_by
            )
            for kind, (upload, checked) in clean.documents.items():
                document = RegistrationDocument(
                    registration=registration, kind=kind, content_type=checked.content_type,
                    size=checked.size, sha256=checked.sha256, uploaded_at=now,
                )
                document.file.save("scan" + checked.extension, upload, save=False)
                stored.append(document.file)
                document.save()
    except BaseException as exc:
        # The rows rolled back; the files written so far must go with them.
        for file in stored:
            file.storage.delete(file.name)
        if not isinstance(exc, IntegrityError):
            raise
        _raise_taken(exc, clean)
    return registration


def _raise_taken(exc: IntegrityError, clean: CleanRegistration):
    """Another submission took the KK or a NIK between our check and our
    write: the constraint decided, and nothing of ours was kept."""
    constraint = constraint_of(exc)
    if constraint == "registration_one_pending_per_kk":
        raise Invalid({"kk_number": [_kk_taken_message()]}) from exc
    if constraint == "regmember_nik_pending_once":
        again = _taken_errors(clean)
        raise Invalid(again or {"non_field_errors": [_nik_taken_message()]}) from exc
    raise exc


def _lock_pending(registration_id: int, by) -> Registration:
    require_perm(by, "registrations.verify_registration", _("You are not allowed to verify or reject registrations."))
    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("kelurahan").filter(pk=registration_id)
        .first()
    )
    if registration is None:  # deleted meanwhile, by the retention purge
        raise Conflict(_("This registration no longer exists: it was deleted after its retention period."))
    if not user_covers(by, registration.kelurahan.code):
        raise Forbidden(_("This registration belongs to another area."))
    if registration.status != Registration.Status.SUBMITTED:
        raise Conflict(
            _("Registration %(reference)s has already been decided (%(status)s).")
            % {"reference": registration.reference, "status": registration.get_status_display()}
        )
    return registration


def registration_verify(*, registration_id: int, by, today: dt.date | None = None) -> Registration:
    """Verify an application: its household becomes active on the roster.

    The household row is created (or reactivated, for a KK whose household
    had been deactivated) and its members replace any earlier membership
    list, whose rows are ended, never deleted.
    """
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            registration = _lock_pending(registration_id, by)
            if settings.REQUIRE_SECOND_VERIFIER and by is not None and registration.submitted_by_id == by.pk:
                # Four eyes, where the office has them: who typed a family in
                # does not also confirm it (README, "Walk-in registration").
                raise Forbidden(_("You entered this registration yourself: another staff member must verify it."))
            members = list(registration.members.all())
            _lock_numbers(registration.kk_number, [m.nik for m in members])
            household = Household.objects.select_for_update().filter(kk_number=registration.kk_number).first()
            if household is not None and household.status == Household.Status.ACTIVE:
                raise Conflict(
                    _("KK %(kk)s is already an active household.") % {"kk": identity.mask(registration.kk_number)}
                )
            if sum(m.relationship == Relationship.KEPALA_KELUARGA for m in members) != 1:
                raise Conflict(_("The registration must list exactly one head of household."))
            clash = (
                Member.objects.filter(nik__in=[m.nik for m in members], end_date__isnull=True)
                .exclude(household=household)
                .select_related("household")
                .first()
            )
            if clash is not None:
                raise Conflict(
                    _("NIK %(nik)s is still an active member of household KK %(kk)s; end that membership first.")
                    % {"nik": identity.mask(clash.nik), "kk": identity.mask(clash.household.kk_number)}
                )

            fields = {
                "kelurahan": registration.kelurahan, "address": registration.address,
                "rt": registration.rt, "rw": registration.rw, "phone": registration.phone,
                "email": registration.email, "status": Household.Status.ACTIVE,
            }
            if household is None:
                household = Household(kk_number=registration.kk_number)
            for name, value in fields.items():
                setattr(household, name, value)
            _save_as(household, by)
            for old in household.members.filter(end_date__isnull=True):
                old.end_date = max(today, old.start_date)
                old.end_reason = _("Replaced by registration %(reference)s") % {"reference": registration.reference}
                _save_as(old, by)
            for m in members:
                _save_as(
                    Member(
                        household=household, nik=m.nik, full_name=m.full_name, birth_date=m.birth_date,
                        sex=m.sex, relationship=m.relationship, start_date=today,
                    ),
                    by,
                )

            _decide(registration, Registration.Status.VERIFIED, by=by, household=household)
            # The card joins the print queue in the same transaction: a
            # verified household is never left without its print request.
            card_services.card_request(household=household, by=by)
    except IntegrityError as exc:
        raise Conflict(
            _("The roster changed while verifying (%(constraint)s); nothing was saved. Try again.")
            % {"constraint": constraint_of(exc) or _("constraint")}
        ) from exc
    return registration


def registration_reject(*, registration_id: int, by, reason: str) -> Registration:
    """Reject an application with a reason the citizen will read. The roster is untouched."""
    reason = single_spaced(reason)
    if len(reason) < 5:
        raise Invalid({"reason": [
            _("Give the reason for rejection (at least 5 characters); the applicant will read it.")
        ]})
    with transaction.atomic():
        registration = _lock_pending(registration_id, by)
        _decide(registration, Registration.Status.REJECTED, by=by, reason=reason)
    return registration


def _save_as(instance, user, **kwargs) -> None:
    """Save with ``user`` as the author in its history (also outside a request)."""
    instance._history_user = user
    instance.save(**kwargs)


def _decide(registration: Registration, status: str, *, by, household=None, reason: str = "") -> None:
    now = timezone.now()
    registration.status = status
    registration.decided_at = now
    registration.decided_by = by
    registration.rejection_reason = reason
    if household is not None:
        registration.household = household
    # Shown in the admin history, in the language of whoever decided.
    registration._change_reason = str(Registration.Status(status).label)
    _save_as(registration, by, update_fields=["status", "decided_at", "decided_by", "rejection_reason", "household"])
    RegistrationMember.objects.filter(registration=registration).update(pending=False)
    RegistrationEvent.objects.create(registration=registration, status=status, at=now, by=by, note=reason)


def registration_flag_urgent(*, registration_id: int, note: str, by=None) -> bool:
    """A hospital needs an emergency card for a member of this waiting
    registration: flag it for verification today. Only a submitted
    registration is flagged, and only once a day; returns whether it was.

    Not a status change: the citizen's status history stays as it is; the
    registration's own history records the flag and the hospital user.
    """
    now = timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(
            pk=registration_id, status=Registration.Status.SUBMITTED
        ).first()
        flagged_today = registration is not None and registration.urgent_requested_at is not None and (
            registration.urgent_requested_at >= start_of_day
        )
        if registration is None or flagged_today:
            return False
        registration.urgent_requested_at, registration.urgent_note = now, single_spaced(note)[:200]
        registration._change_reason = _("Emergency request from a hospital")
        _save_as(registration, by, update_fields=["urgent_requested_at", "urgent_note"])
    return True


def member_end(*, member_id: int, by, reason: str, end_date: dt.date | None = None) -> Member:
    """End one person's membership of a household (moved to another KK, died).

    The row stays, with its end date and reason: the roster keeps its
    history. The head of household does not leave on their own: a change of
    head comes with a new KK, registered as such.
    """
    reason = single_spaced(reason)
    if len(reason) < 3:
        raise Invalid({"reason": [_("Give the reason the membership ends (e.g. moved to another KK).")]})
    require_perm(by, "registrations.change_member", _("You are not allowed to change household members."))
    with transaction.atomic():
        member = Member.objects.select_for_update(of=("self",)).select_related("household__kelurahan").get(pk=member_id)
        if not user_covers(by, member.household.kelurahan.code):
            raise Forbidden(_("This household belongs to another area."))
        if member.end_date is not None:
            raise Conflict(_("This membership has already ended."))
        if member.relationship == Relationship.KEPALA_KELUARGA:
            raise Conflict(
                _("The head of household cannot be removed: a new head comes with a new KK, which is registered as "
                    "such.")
            )
        member.end_date = max(end_date or timezone.localdate(), member.start_date)
        member.end_reason = reason
        _save_as(member, by)
        # A printed card lists the old members: it is replaced, never silently outdated.
        card_services.card_data_changed(
            household=member.household, by=by, note=_("%(name)s left the household") % {"name": member.full_name},
        )
    return member


def _household_in_area(household_id: int, by) -> Household:
    household = Household.objects.select_for_update(of=("self",)).select_related("kelurahan").get(pk=household_id)
    if not user_covers(by, household.kelurahan.code):
        raise Forbidden(_("This household belongs to another area."))
    if household.status != Household.Status.ACTIVE:
        raise Conflict(_("This household is not active."))
    return household


def member_add(*, household_id: int, data: dict, by, today: dt.date | None = None) -> Member:
    """Add a person to an active household (a birth, a marriage, a move in),
    with the same rules as a member of a registration. The NIK must not be
    active in another household or waiting in a registration. A printed card
    is replaced so that it lists the new member. Raises ``Invalid``."""
    require_perm(by, "registrations.change_member", _("You are not allowed to change household members."))
    today = today or timezone.localdate()
    clean, errors = clean_member(data, today=today)
    if clean is not None and clean.relationship == Relationship.KEPALA_KELUARGA:
        errors = {"relationship": [
            _("A household has one head; a new head comes with a new KK, which is registered as such.")
        ]}
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        household = _household_in_area(household_id, by)
        _lock_numbers(household.kk_number, [clean.nik])
        taken = (
            Member.objects.filter(nik=clean.nik, end_date__isnull=True).exists()
            or RegistrationMember.objects.filter(nik=clean.nik, pending=True).exists()
        )
        if taken:
            raise Invalid({"nik": [_nik_taken_message()]})
        member = Member(
            household=household, nik=clean.nik, full_name=clean.full_name, birth_date=clean.birth_date,
            sex=clean.sex, relationship=clean.relationship, start_date=today,
        )
        try:
            with transaction.atomic():
                _save_as(member, by)
        except IntegrityError as exc:  # the NIK was taken at the same moment
            raise Invalid({"nik": [_nik_taken_message()]}) from exc
        card_services.card_data_changed(
            household=household, by=by, note=_("%(name)s joined the household") % {"name": clean.full_name},
        )
    return member


def member_correct_name(*, member_id: int, full_name: str, by) -> Member:
    """Correct the spelling of a member's name (as on the KK). A printed card
    is replaced so that it shows the right name."""
    require_perm(by, "registrations.change_member", _("You are not allowed to change household members."))
    name, error = clean_full_name(full_name)
    if error:
        raise Invalid({"full_name": [error]})
    with transaction.atomic():
        member = Member.objects.select_for_update(of=("self",)).select_related("household__kelurahan").get(pk=member_id)
        _household_in_area(member.household_id, by)
        if member.end_date is not None:
            raise Conflict(_("This membership has ended; its name is kept as it was."))
        if member.full_name == name:
            return member
        old = member.full_name
        member.full_name = name
        member._change_reason = _("Name corrected")
        _save_as(member, by)
        card_services.card_data_changed(
            household=member.household, by=by, note=_("Name corrected: %(old)s → %(new)s") % {"old": old, "new": name},
        )
    return member


def documents_purge(*, now: dt.datetime | None = None) -> int:
    """Delete scans ``SCAN_RETENTION_DAYS`` after their registration was decided.

    The consent statement promises this. The row stays (kind, size, hash and
    the time of deletion) as the record that a scan was sent and checked.
    Each file is emptied with a compare-and-set, so two runs at once never
    report the same file twice.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.SCAN_RETENTION_DAYS)
    due = RegistrationDocument.objects.filter(
        deleted_at__isnull=True, registration__decided_at__lt=cutoff
    ).exclude(file="")
    return purge_files(due, file_field="file", deleted_field="deleted_at", now=now)


# Rows deleted per transaction: short locks, and a crash loses at most one chunk's work.
PURGE_CHUNK = 500


def registrations_purge(*, now: dt.datetime | None = None) -> list[RetentionPurge]:
    """Delete what the consent statement says is kept only for a while, and log each rule's run.

    - rejected registrations ``REJECTED_RETENTION_DAYS`` after the rejection;
    - pending registrations nobody decided ``ABANDONED_RETENTION_DAYS`` after
      they were sent (their NIKs and KK become free to apply again).

    With each registration go its member rows, status history, scans (the
    files too, once the deletion commits) and its change history. One
    ``RetentionPurge`` row per rule and run counts what went, never who.
    """
    now = now or timezone.now()
    rules = [
        (RetentionPurge.Rule.REJECTED, settings.REJECTED_RETENTION_DAYS,
         lambda cutoff: Q(status=Registration.Status.REJECTED, decided_at__lt=cutoff)),
        (RetentionPurge.Rule.ABANDONED, settings.ABANDONED_RETENTION_DAYS,
         lambda cutoff: Q(status=Registration.Status.SUBMITTED, submitted_at__lt=cutoff)),
    ]
    return [_purge(rule, days, due, now) for rule, days, due in rules]


def _purge(rule: str, days: int, due, now: dt.datetime) -> RetentionPurge:
    cutoff = now - dt.timedelta(days=days)
    log = RetentionPurge.objects.create(rule=rule, period_days=days, cutoff=cutoff, at=now)
    history = Registration.history.model.objects
    while True:
        with transaction.atomic():
            # Locked, and re-checked by the delete: a registration a kelurahan is
            # verifying right now is skipped, and never deleted once decided.
            ids = list(Registration.objects.select_for_update(skip_locked=True).filter(due(cutoff))
                       .order_by("pk").values_list("pk", flat=True)[:PURGE_CHUNK])
            if not ids:
                break
            chunk = Registration.objects.filter(due(cutoff), pk__in=ids)
            files = list(RegistrationDocument.objects.filter(registration__in=chunk).exclude(file="")
                         .values_list("file", flat=True))
            kept = history.filter(id__in=ids).count()
            _total, deleted = chunk.delete()
            # The history rows, and the "deleted" row simple-history just wrote for each.
            history.filter(id__in=ids).delete()
            RetentionPurge.objects.filter(pk=log.pk).update(
                registrations=F("registrations") + deleted.get(Registration._meta.label, 0),
                members=F("members") + deleted.get(RegistrationMember._meta.label, 0),
                events=F("events") + deleted.get(RegistrationEvent._meta.label, 0),
                documents=F("documents") + deleted.get(RegistrationDocument._meta.label, 0),
                history_rows=F("history_rows") + kept,
            )
            storage = RegistrationDocument._meta.get_field("file").storage
            transaction.on_commit(lambda files=files, storage=storage: [storage.delete(name) for name in files])
            if not deleted.get(Registration._meta.label):
                break  # all decided meanwhile
    log.refresh_from_db()
    return log
