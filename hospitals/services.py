"""Writes for hospitals (HackSoft style: the API, the desk pages and the admin call these).

- Coverage checks: ``coverage_check`` answers and writes its one audit row
  (``VerificationLog``) in the same call, whatever the outcome: an answer, a
  refusal of the input, of the user or of the rate.
- Emergency requests: ``emergency_request_submit`` raises the patient's card
  to the head of the print queue (``cards.services.card_raise_to_emergency``)
  and stores the hospital's letter, all or nothing.
- Hospital users and API tokens, created and revoked by the health office.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cards import selectors as card_selectors
from cards import services as card_services
from kartusehat import identity, memo, permissions, throttling
from kartusehat.refusals import Forbidden, Invalid, require_perm
from kartusehat.storage import purge_files
from kartusehat.text import single_spaced
from registrations import services as registration_services

from . import selectors
from .models import Agreement, ApiToken, EmergencyRequest, HospitalStaff, VerificationLog
from .roles import HOSPITAL_STAFF
from .validation import Query, clean_emergency, masked, nik_hash, parse_query

# Hospital keys start with this, so the API tells them from the print
# office's tokens before touching the database.
KEY_PREFIX = "ksrs_"
# Seconds between two writes of a token's "last used" time.
_LAST_USED_EVERY = 60


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- Who may use the hospital side -------------------------------------------


def hospital_access(*, user, perm: str, today=None, version: str | None = None) -> HospitalStaff:
    """The hospital user behind ``user``, allowed to do ``perm`` today; else
    :class:`~kartusehat.refusals.Forbidden` with a message for them.

    Only users of a facility with an agreement in force today may act; a
    lapsed agreement shuts the facility out the next day by itself.
    """
    today = today or timezone.localdate()
    staff = _staff_of(user)
    version = version or memo.version()  # one cache read for both questions
    if staff is None or not permissions.has_perm(user, perm, version=version):
        raise Forbidden(_("Only staff of a partner health facility can do this."))
    if not selectors.facility_in_force(staff.facility, on=today, version=version):
        raise Forbidden(
            _("%(facility)s has no partnership agreement in force today. Ask the health office (Dinas Kesehatan).")
            % {"facility": staff.facility.name}
        )
    return staff


def _staff_of(user) -> HospitalStaff | None:
    """The user's hospital-user row, without a query when the key's lookup
    already brought it (``HospitalTokenAuthentication``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    relation = get_user_model().hospital_staff.related
    if relation.is_cached(user):
        return relation.get_cached_value(user)
    return HospitalStaff.objects.select_related("facility").filter(user=user).first()


def _throttle(scope: str, *, user, token) -> None:
    """One counter per token for hospital systems, one per user for the desk pages."""
    if token is not None:
        throttling.hit(f"{scope}_per_token", f"token:{token.pk}")
    else:
        throttling.hit(f"{scope}_per_user", f"user:{user.pk}")


def refused_key_used(token: ApiToken, *, purpose: str, ip: str | None, result: str) -> None:
    """A revoked key, or the key of a suspended user, was tried for ``purpose``: one audit row."""
    VerificationLog.objects.create(
        user=token.staff.user, token=token, facility=token.staff.facility, channel=VerificationLog.Channel.API,
        purpose=purpose, method=VerificationLog.Method.INVALID, http_status=401, result=result, ip_address=ip,
    )


def token_used(token: ApiToken) -> None:
    """Remember when a token was last used, at most once a minute (no write per request)."""
    now = timezone.now()
    recently = now - dt.timedelta(seconds=_LAST_USED_EVERY)
    if token.last_used_at is not None and token.last_used_at > recently:
        return  # as read with the key a moment ago: no query at all
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=recently).update(last_used_at=now)
    token.last_used_at = now  # the token may be remembered (kartusehat.memo): this process now knows


# --- Coverage checks ---------------------------------------------------------


@dataclass
class _Audit:
    """The one ``VerificationLog`` row of a call, written whatever its outcome."""

    user: object
    token: ApiToken | None
    channel: str
    purpose: str
    ip: str | None
    query: Query
    facility: object = None

    def log(self, http_status: int, result: str, coverage=None) -> None:
        user = self.user if getattr(self.user, "is_authenticated", False) else None
        VerificationLog.objects.create(
            user=user, token=self.token, facility=self.facility, channel=self.channel, purpose=self.purpose,
            method=self.query.method, query=self.query.shown[:60], query_hash=self.query.query_hash,
            http_status=http_status, result=result, ip_address=self.ip,
            eligible=coverage.eligible if coverage is not None and http_status == 200 else None,
            household=coverage.household if coverage is not None else None,
            card=coverage.card if coverage is not None else None,
        )

    def admit(self, perm: str, *, version: str | None = None) -> HospitalStaff:
        """Who may do this, and within the rate; each refusal recorded, then raised."""
        try:
            staff = hospital_access(user=self.user, perm=perm, version=version)
        except Forbidden:
            self.facility = getattr(getattr(self.user, "hospital_staff", None), "facility", None)
            self.log(403, "forbidden")
            raise
        self.facility = staff.facility
        try:
            _throttle(self.purpose if self.purpose == "verify" else "emergency_requests", user=self.user,
                token=self.token)
        except throttling.RateLimited:
            self.log(429, "rate_limited")
            raise
        return staff


def coverage_check(*, user, data, channel: str, token: ApiToken | None = None, ip: str | None = None) -> dict:
    """Answer a coverage check (card number, scanned QR or NIK): the contract's body.

    Writes exactly one ``VerificationLog`` row, also when it refuses: raises
    ``Forbidden`` (403), ``throttling.RateLimited`` (429) or ``Invalid`` (400)
    after recording it.
    """
    query, errors = parse_query(data)
    audit = _Audit(user=user, token=token, channel=channel, purpose=VerificationLog.Purpose.VERIFY, ip=ip, query=query)
    version = memo.version()  # read once: the permission, the agreement, the kelurahan names
    audit.admit("hospitals.verify_coverage", version=version)
    if errors:
        audit.log(400, "invalid_input")
        raise Invalid(errors)
    if query.method == VerificationLog.Method.QR and not query.value:
        coverage = selectors.Coverage(False, "qr_forged")
    elif query.method in (VerificationLog.Method.QR, VerificationLog.Method.CARD_NUMBER):
        coverage = selectors.coverage_for_card(query.value, version=version)
    else:
        coverage = selectors.coverage_for_nik(query.value, version=version)
    audit.log(200, coverage.reason_code, coverage)
    return selectors.coverage_body(coverage)


# --- Emergency requests -------------------------------------------------------


def _not_covered_message(coverage) -> str:
    """Why no card can be raised for this NIK."""
    if coverage.reason_code == "registration_pending":
        registration = coverage.registration
        return _(
            "The household's registration has not been verified yet. Kelurahan %(kelurahan)s has been asked "
            "to verify it today; send this request again once it is verified."
        ) % {"kelurahan": registration.kelurahan.name}
    if coverage.reason_code == "registration_rejected":
        return _("The household's registration was rejected; no card can be printed. The family can register again.")
    if coverage.reason_code == "household_inactive":
        return _("The household is no longer active in the programme; no card can be printed.")
    return _("This NIK is not a member of a verified Kartu Sehat household of %(city)s.") % {
        "city": settings.KARTUSEHAT_CITY["name"]
    }


def emergency_request_submit(*, user, data, files=None, token: ApiToken | None = None,
                             channel: str = VerificationLog.Channel.API, ip: str | None = None) -> EmergencyRequest:
    """A hospital asks for a patient's card to be printed first, with its letter.

    The household's card is queued at emergency priority (a card already
    queued is raised in place, never duplicated); the same letter sent twice
    for the same patient is one request. Raises ``Forbidden``,
    ``throttling.RateLimited`` or ``Invalid``; nothing is kept
    then, except that a household whose registration still waits for its
    kelurahan is flagged for verification today. Like a coverage check (it
    tells whether a NIK is covered), every call is one ``VerificationLog`` row.
    """
    raw_nik = data.get("nik") if isinstance(data, dict) else None
    query = Query(VerificationLog.Method.NIK)
    audit = _Audit(user=user, token=token, channel=channel, purpose=VerificationLog.Purpose.EMERGENCY, ip=ip,
        query=query)
    staff = audit.admit("hospitals.request_emergency")
    clean, errors = clean_emergency(data, files)
    if "nik" in clean:
        query.value, query.shown, query.query_hash = clean["nik"], identity.mask(clean["nik"]), nik_hash(clean["nik"])
    elif isinstance(raw_nik, str):
        query.method, query.shown = VerificationLog.Method.INVALID, f"nik: {masked(raw_nik)}"
    else:  # no NIK sent, or none that could be read
        query.method = VerificationLog.Method.INVALID
    if errors:
        audit.log(400, "invalid_input")
        raise Invalid(errors)
    coverage = selectors.coverage_for_nik(clean["nik"])
    # card_revoked: an eligible household whose card was revoked gets a new one.
    if coverage.reason_code not in ("eligible", "card_revoked"):
        if coverage.reason_code == "registration_pending":
            # Refused (the contract: not a verified household), but not in vain:
            # its kelurahan is asked to verify it today.
            registration_services.registration_flag_urgent(
                registration_id=coverage.registration.pk, note=staff.facility.name, by=user,
            )
        audit.log(400, coverage.reason_code, coverage)
        raise Invalid({"nik": [_not_covered_message(coverage)]})

    upload, checked = clean["letter"]
    same_letter = EmergencyRequest.objects.filter(facility=staff.facility, nik=clean["nik"],
        letter_sha256=checked.sha256)
    if (existing := same_letter.first()) is not None:
        audit.log(201, "emergency_repeated", coverage)
        return existing
    stored = None
    try:
        with transaction.atomic():
            card = card_services.card_raise_to_emergency(household=coverage.household, reason=clean["reason"], by=user)
            request = EmergencyRequest(
                facility=staff.facility, requested_by=user, token=token, nik=clean["nik"], reason=clean["reason"],
                notes=clean["notes"], household=coverage.household, card=card,
                letter_content_type=checked.content_type, letter_size=checked.size, letter_sha256=checked.sha256,
            )
            request.letter.save("letter" + checked.extension, upload, save=False)
            stored = request.letter.name
            request.save()
            coverage.card = card
            audit.log(201, "emergency_queued", coverage)
    except BaseException as exc:
        # The rows rolled back; the letter written must go with them.
        if stored:
            request.letter.storage.delete(stored)
        if isinstance(exc, IntegrityError) and (again := same_letter.first()) is not None:
            audit.log(201, "emergency_repeated", coverage)
            return again  # the same letter arrived twice at once: the other copy won
        raise
    return request


def emergency_request_status(request: EmergencyRequest) -> dict:
    """``{"id", "status", "priority"}``: the card's place, read from the card."""
    card = request.card
    return {"id": request.pk, "status": card_selectors.card_status(card), "priority": card.priority}


# --- Hospital users and tokens (the health office, in admin) -----------------


def hospital_staff_create(*, username: str, full_name: str, password: str, facility, by) -> HospitalStaff:
    """A login for a hospital desk (or a hospital system's account), for one facility.

    Not admin staff: hospital users work on the desk pages and the API only.
    """
    require_perm(by, "hospitals.add_hospitalstaff")
    User = get_user_model()
    username = str(username or "").strip()
    full_name = single_spaced(full_name)
    errors: dict[str, list[str]] = {}
    try:
        User.username_validator(username)
    except ValidationError as exc:
        errors["username"] = list(exc.messages)
    if not username:
        errors["username"] = [_("Enter a username.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    if not full_name:
        errors["full_name"] = [_("Enter the person's name (or the system's).")]
    try:
        validate_password(password, User(username=username, first_name=full_name))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise Invalid(errors)
    try:
        with transaction.atomic():
            user = User(username=username, first_name=full_name[:150], is_staff=False)
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=HOSPITAL_STAFF))
            staff = HospitalStaff(user=user, facility=facility, created_by=by)
            staff._history_user = by
            staff.save()
    except IntegrityError as exc:  # the same username created at the same moment
        raise Invalid({"username": [_("This username is taken.")]}) from exc
    return staff


def hospital_staff_set_active(*, staff_id: int, active: bool, by) -> HospitalStaff:
    """Suspend a hospital user (their keys are revoked too) or let them back in;
    who did it and when stays in the hospital user's history."""
    require_perm(by, "hospitals.change_hospitalstaff")
    with transaction.atomic():
        staff = HospitalStaff.objects.select_for_update(of=("self",)).select_related("user").get(pk=staff_id)
        if staff.user.is_active == active:
            return staff
        now = timezone.now()
        get_user_model().objects.filter(pk=staff.user_id).update(is_active=active)
        if not active:
            ApiToken.objects.filter(staff=staff, revoked_at__isnull=True).update(revoked_at=now, revoked_by=by)
        staff.suspended_at, staff.suspended_by = (None, None) if active else (now, by)
        staff._history_user = by
        staff._change_reason = _("Reactivated") if active else _("Suspended")
        staff.save(update_fields=["suspended_at", "suspended_by"])
        memo.changed()  # the user and keys were changed with update(): no signal
    staff.user.refresh_from_db()
    return staff


def token_create(*, staff: HospitalStaff, name: str, by) -> tuple[ApiToken, str]:
    """A new key for a hospital system; returns the token and the key, which
    is shown once and never stored."""
    require_perm(by, "hospitals.add_apitoken")
    name = single_spaced(name)
    if not name:
        raise Invalid({"name": [_("Name the system that will use the key, e.g. SIMRS front desk.")]})
    if not staff.user.is_active:
        raise Invalid({"staff": [_("This hospital user is suspended; no key can be issued.")]})
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        staff=staff, name=name[:100], prefix=key[:12], key_hash=hash_key(key), created_by=by
    )
    return token, key


def token_revoke(*, token_id: int, by) -> ApiToken:
    """Revoke a key at once. Revoking twice is harmless."""
    require_perm(by, "hospitals.change_apitoken")
    ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)
    memo.changed()  # no process may keep accepting the key it remembers
    return ApiToken.objects.get(pk=token_id)


def agreement_confirm(*, agreement_id: int, by) -> Agreement:
    """The health office checked a demo agreement against the signed PKS."""
    require_perm(by, "hospitals.change_agreement")
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
        if agreement.is_demo:
            agreement.is_demo = False
            agreement.confirmed_at, agreement.confirmed_by = timezone.now(), by
            agreement._history_user = by
            agreement._change_reason = _("Confirmed against the signed agreement")
            agreement.save()
    return agreement


def letters_purge(*, now=None) -> int:
    """Delete hospital letters ``LETTER_RETENTION_DAYS`` after their request.

    A letter is health data: it is kept while the print office may need it,
    then deleted. The request stays (reason, facility, size, SHA-256, when the
    file went), as the record that a letter was sent and checked. Each file
    is emptied with a compare-and-set, so two runs never report one twice.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.LETTER_RETENTION_DAYS)
    due = EmergencyRequest.objects.filter(letter_deleted_at__isnull=True, created_at__lt=cutoff).exclude(letter="")
    return purge_files(due, file_field="letter", deleted_field="letter_deleted_at", now=now)
