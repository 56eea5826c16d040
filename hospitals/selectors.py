"""Reads about partner facilities: the public list, and whether a facility
may use the portal today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from cards.models import Card
from cards.selectors import card_status
from kartusehat import identity, memo
from registrations.models import Household, Member, Region, Registration, RegistrationMember

from .models import Agreement, Facility, VerificationLog

FACILITY_TYPES = tuple(Facility.Type.values)


def in_force_q(on: dt.date, prefix: str = "") -> Q:
    """Agreements (or, with ``prefix="agreements__"``, facilities) covering ``on``.

    Demo agreements of the starting roster count only where
    ``HOSPITALS_DEMO_AGREEMENTS_IN_FORCE`` says so (not in production): a
    partnership nobody has confirmed is never published to citizens.
    """
    q = Q(**{f"{prefix}start_date__lte": on, f"{prefix}end_date__gte": on})
    if not settings.HOSPITALS_DEMO_AGREEMENTS_IN_FORCE:
        q &= Q(**{f"{prefix}is_demo": False})
    return q


def valid_until(agreements, on: dt.date) -> dt.date | None:
    """The last day of unbroken cover from ``on``: an agreement in force
    today, then any that start by the day after it ends (a renewal), and so
    on. None if nothing covers ``on``."""
    until = None
    counted = [a for a in agreements if settings.HOSPITALS_DEMO_AGREEMENTS_IN_FORCE or not a.is_demo]
    for agreement in sorted(counted, key=lambda a: a.start_date):
        if until is None:
            if agreement.in_force_on(on):
                until = agreement.end_date
        elif agreement.start_date <= until + dt.timedelta(days=1):
            until = max(until, agreement.end_date)
    return until


def facility_in_force(facility: Facility, *, on: dt.date, version: str | None = None) -> bool:
    """Whether an agreement covers ``on``: asked by every coverage check, so
    remembered per process until any agreement is saved or deleted
    (:mod:`kartusehat.memo`; connected in ``HospitalsConfig.ready``).
    ``version``: the caller's :func:`memo.version` of this request."""
    key = ("in-force", facility.pk, on, settings.HOSPITALS_DEMO_AGREEMENTS_IN_FORCE)
    return memo.remember(version or memo.version(), key,
                         lambda: facility.agreements.filter(in_force_q(on)).exists())


def partner_facilities(
    *,
    on: dt.date,
    kecamatan: str = "",
    type: str = "",  # noqa: A002 - the contract's filter name
    inpatient: bool | None = None,
    emergency_24h: bool | None = None,
    q: str = "",
) -> list[dict]:
    """Facilities whose agreement is in force on ``on``, as API items.

    City hospitals first, then private hospitals, puskesmas and clinics, each
    by name; facilities outside the city come last.
    """
    facilities = (
        Facility.objects.filter(in_force_q(on, "agreements__"))
        .distinct()
        .select_related("kecamatan")
        .prefetch_related("agreements")
    )
    if kecamatan:
        facilities = facilities.filter(kecamatan__code=kecamatan)
    if type:
        facilities = facilities.filter(type=type)
    if inpatient is not None:
        facilities = facilities.filter(inpatient=inpatient)
    if emergency_24h is not None:
        facilities = facilities.filter(emergency_24h=emergency_24h)
    for word in q.split():
        facilities = facilities.filter(name__icontains=word)
    order = {value: index for index, value in enumerate(FACILITY_TYPES)}
    rows = sorted(facilities, key=lambda f: (f.kecamatan_id is None, order[f.type], f.name.casefold()))
    return [facility_item(f, on=on) for f in rows]


def facility_item(facility: Facility, *, on: dt.date) -> dict:
    return {
        "id": facility.pk,
        "name": facility.name,
        "type": facility.type,
        "hospital_class": facility.hospital_class or None,
        "address": facility.address,
        "kecamatan": facility.kecamatan.name if facility.kecamatan_id else None,
        "kecamatan_code": facility.kecamatan.code if facility.kecamatan_id else None,
        "city": facility.city_name,
        "phone": facility.phone,
        "inpatient": facility.inpatient,
        "emergency_24h": facility.emergency_24h,
        "poned": facility.poned,
        "agreement_valid_until": valid_until(facility.agreements.all(), on),
    }


def agreements_to_confirm() -> int:
    """Demo agreements from the starting roster that nobody has confirmed yet."""
    return Agreement.objects.filter(is_demo=True).count()


# --- Coverage: is this person (or card) covered? -----------------------------


@dataclass
class Coverage:
    """The answer to a coverage check, before it is shaped for the caller."""

    eligible: bool
    reason_code: str
    card: Card | None = None
    member: Member | None = None
    household: Household | None = None
    # Card lookups: who the card covers, for the desk to match against the e-KTP.
    members: list[Member] | None = None
    # registration_pending: the registration waiting for its kelurahan.
    registration: Registration | None = None


def _household_coverage(household: Household, *, card: Card | None, member: Member | None = None,
                        members: list[Member] | None = None) -> Coverage:
    found = {"card": card, "member": member, "household": household, "members": members}
    if household.status != Household.Status.ACTIVE:
        return Coverage(False, "household_inactive", **found)
    if not household.is_eligible:
        return Coverage(False, "outside_city", **found)
    return Coverage(True, "eligible", **found)


def _with_area(obj, version: str | None):
    """``obj.kelurahan`` (and its kecamatan) from the city's kelurahan kept
    in this process, not from two more joins planned on every check."""
    kelurahan = memo.remember(version or memo.version(), ("kelurahan",), lambda: {
        region.pk: region for region in Region.objects.filter(level=Region.Level.KELURAHAN).select_related("parent")
    })
    if obj.kelurahan_id in kelurahan:
        obj.kelurahan = kelurahan[obj.kelurahan_id]
    return obj


def coverage_for_nik(nik: str, *, version: str | None = None) -> Coverage:
    """Coverage of the person with this (valid, canonical) NIK.

    Covered: an active member of an active household of the city whose card
    is not revoked; a card still waiting to be printed covers too (the e-KTP
    and KK suffice). Otherwise the reason says what is missing.

    Two queries whatever the answer, each on an index: the person's active
    membership, then either their household's cards or their registrations.
    (A check of an unknown NIK must cost what a covered one does.)
    """
    # At most one active membership (a unique index): no ordering to plan.
    member = next(iter(
        Member.objects.filter(nik=nik, end_date__isnull=True).select_related("household").order_by()[:1]
    ), None)
    if member is not None:
        household = _with_area(member.household, version)
        cards = list(household.cards.exclude(status=Card.Status.CANCELLED).order_by("-copy"))
        card = next((each for each in cards if each.status != Card.Status.REVOKED), None)
        coverage = _household_coverage(household, card=card, member=member)
        # An eligible household whose card was revoked with no new one yet: the
        # household is why it would be covered, the revoked card why it is not.
        if coverage.eligible and card is None and cards:
            return Coverage(False, "card_revoked", card=cards[0], member=member, household=household)
        return coverage

    # A waiting registration first, else the newest one.
    applied = (
        RegistrationMember.objects.filter(nik=nik)
        .select_related("registration")
        .order_by("-pending", "-registration__submitted_at")
        .first()
    )
    if applied is not None:
        _with_area(applied.registration, version)
    if applied is not None and applied.pending:
        return Coverage(False, "registration_pending", registration=applied.registration)
    if applied is not None and applied.registration.status == Registration.Status.REJECTED:
        return Coverage(False, "registration_rejected", registration=applied.registration)
    if not identity.region_code_of(nik[:6]).startswith(settings.CITY_REGION_CODE + "."):
        return Coverage(False, "outside_city")
    return Coverage(False, "not_registered")


def coverage_for_card(number: str, *, version: str | None = None) -> Coverage:
    """Coverage given by the card with this (valid, canonical) number.

    A revoked card (replaced or withdrawn) covers nobody, even though its
    number is well-formed and its household may hold a newer card.
    """
    card = next(iter(Card.objects.filter(number=number).select_related("household").order_by()[:1]), None)
    # A cancelled card was never printed: its number is on no card.
    if card is None or card.status == Card.Status.CANCELLED:
        return Coverage(False, "card_unknown")
    household = _with_area(card.household, version)
    members = list(household.members.filter(end_date__isnull=True).order_by("id"))
    if card.status == Card.Status.REVOKED:
        return Coverage(False, "card_revoked", card=card, household=household)
    return _household_coverage(household, card=card, members=members)


def _reason_message(coverage: Coverage) -> str:
    city = settings.KARTUSEHAT_CITY["name"]
    code = coverage.reason_code
    if code == "eligible":
        if coverage.card is not None and coverage.card.status in (Card.Status.QUEUED, Card.Status.PRINTING):
            return _("Covered. The card is not printed yet: the e-KTP and KK are enough.")
        return _("Covered: a member of a verified Kartu Sehat household of %(city)s.") % {"city": city}
    if code == "registration_pending":
        return _(
            "Not covered yet: the household's registration is waiting for verification at Kelurahan "
            "%(kelurahan)s. For a patient who is hospitalised or in an emergency, send an emergency request."
        ) % {"kelurahan": coverage.registration.kelurahan.name}
    messages = {
        "not_registered": _("Not covered: this NIK is not a member of any Kartu Sehat household."),
        "registration_rejected": _(
            "Not covered: the household's registration was rejected. The family can register again "
            "or ask their kelurahan."
        ),
        "household_inactive": _("Not covered: the household is no longer active in the programme."),
        "outside_city": _(
            "Not covered: Kartu Sehat is for households whose KK is issued in %(city)s, and this person "
            "is not registered in one."
        ) % {"city": city},
        "card_revoked": _(
            "Not covered by this card: it has been revoked (replaced or withdrawn). Check the patient by NIK."
        ),
        "card_unknown": _("Not covered: no Kartu Sehat has this number. Check the number, or check by NIK."),
        "qr_forged": _(
            "Forged or altered QR code: its signature is not the city's. Do not accept this card; check the "
            "patient by NIK."
        ),
    }
    return messages[code]


def _member_out(member: Member, *, partial: bool = False) -> dict:
    name = partial_name(member.full_name) if partial else member.full_name
    return {"full_name": name, "nik": identity.mask(member.nik), "relationship": member.relationship}


def partial_name(full_name: str) -> str:
    """``Siti Nur Aminah`` -> ``Siti N. A.``: enough to match an e-KTP at the
    desk, not a roster of names for whoever walks the card numbers."""
    first, *rest = full_name.split()
    return " ".join([first, *(f"{word[0]}." for word in rest)])


def coverage_body(coverage: Coverage) -> dict:
    """The contract's answer to a coverage check; identity numbers masked."""
    household = coverage.household
    body = {
        "eligible": coverage.eligible,
        "reason": _reason_message(coverage),
        "reason_code": coverage.reason_code,
        "card": {"number": coverage.card.number, "status": card_status(coverage.card)} if coverage.card else None,
        "member": _member_out(coverage.member) if coverage.member else None,
        "household": {
            "kk_number": identity.mask(household.kk_number),
            "kelurahan": household.kelurahan.name,
            "kecamatan": household.kelurahan.parent.name if household.kelurahan.parent_id else "",
        } if household else None,
    }
    if coverage.members is not None:
        body["members"] = [_member_out(m, partial=True) for m in coverage.members]
    return body


# A facility whose checks stopped: none in the last week, some in the four weeks before.
CHECKS_STOPPED_DAYS = 7
CHECKS_BEFORE_DAYS = 28
AGREEMENT_ENDING_DAYS = 60


def agreements_ending(*, on: dt.date):
    """Agreements in force on ``on`` whose last day is within 60 days."""
    return Agreement.objects.filter(in_force_q(on), end_date__lte=on + dt.timedelta(days=AGREEMENT_ENDING_DAYS))


def facilities_checks_stopped(*, now: dt.datetime):
    """Facilities with coverage checks in the four weeks before the last 7
    days and none since: a desk that stopped checking (a broken scanner, an
    expired key, a SIMRS change). Two probes of ``verificationlog_facility_at``
    per facility, however many checks the city makes."""
    quiet_since = now - dt.timedelta(days=CHECKS_STOPPED_DAYS)
    checks = VerificationLog.objects.filter(facility=OuterRef("pk"))
    return Facility.objects.filter(
        Exists(checks.filter(at__gte=quiet_since - dt.timedelta(days=CHECKS_BEFORE_DAYS), at__lt=quiet_since)),
        ~Exists(checks.filter(at__gte=quiet_since)),
    )
