"""Reads for registrations (HackSoft style): what the API and pages show."""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Length, Replace
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone

# A declared back-edge (pyproject.toml, import contract): a citizen's status
# shows where the household's card is.
from cards.selectors import card_for_household
from kartusehat import areas, identity, throttling

from .import_format import REPORT_FIELDS
from .models import (
    HouseholdImport,
    Member,
    Region,
    Registration,
    RegistrationEvent,
    Relationship,
    normalize_reference,
)


def city_regions(*, kelurahan_ids: list[int] | None = None) -> list[dict]:
    """The running city's kecamatan, each with its kelurahan (current codes only).

    ``kelurahan_ids``: only these kelurahan (a staff member's area), and only
    the kecamatan that hold one of them.
    """
    city = settings.CITY_REGION_CODE
    kelurahan = Region.objects.filter(level=Region.Level.KELURAHAN, current=True).order_by("code")
    if kelurahan_ids is not None:
        kelurahan = kelurahan.filter(pk__in=kelurahan_ids)
    kecamatan = (
        Region.objects.filter(level=Region.Level.KECAMATAN, current=True, code__startswith=city + ".")
        .order_by("code")
        .prefetch_related(Prefetch("children", queryset=kelurahan, to_attr="kelurahan"))
    )
    return [
        {
            "code": k.code,
            "name": k.name,
            "kelurahan": [{"code": child.code, "name": child.name} for child in k.kelurahan],
        }
        for k in kecamatan
        if k.kelurahan or kelurahan_ids is None
    ]


def registration_receipt(registration: Registration) -> dict:
    """What the family's receipt shows (the citizen's page after sending, the
    one staff print at the kelurahan desk): the reference, the household with
    its KK masked, and each member with the NIK masked. A receipt travels
    (a bag, a fridge door, a photo sent around): the family knows its own
    numbers, and the reference with one NIK is what opens the status page."""
    members = list(registration.members.all())
    return {
        "registration": registration,
        "kk_masked": identity.mask(registration.kk_number),
        "head": next((m for m in members if m.relationship == Relationship.KEPALA_KELUARGA), None),
        "members": [
            {"number": m.position + 1, "nik_masked": identity.mask(m.nik), "full_name": m.full_name,
             "relationship": m.get_relationship_display()}
            for m in members
        ],
        "documents": list(registration.documents.all()),
    }


def _find(reference: str, nik: str) -> Registration | None:
    if not reference or not nik:
        return None
    return (
        Registration.objects.filter(reference=reference, members__nik=nik)
        .select_related("kelurahan__parent", "household")
        .prefetch_related(Prefetch("events", queryset=RegistrationEvent.objects.order_by("at", "id")))
        .first()
    )


def registration_for_citizen(*, reference: object, nik: object, address: str) -> Registration | None:
    """The registration a citizen asks about, or None: wrong reference, a NIK
    not among its members, or malformed input all look the same.

    Only failures count against the limits (per address and per reference),
    so the many citizens behind one carrier NAT who look up their own
    registration never run out. Each lookup takes its use before reading
    (one atomic count) and a success gives it back: concurrent failures can
    never all pass a check made before any of them counted. Raises
    ``throttling.RateLimited``.
    """
    ref = normalize_reference(reference)
    number = identity.normalize(nik)
    limits = [("status_failures_per_address", address)]
    if ref:  # a typo that is no reference at all guesses nobody's NIK
        limits.append(("status_failures_per_reference", ref))
    uses = throttling.take_all(*limits)
    registration = _find(ref, number if len(number) == 16 and number.isascii() and number.isdigit() else "")
    if registration is not None:
        for use in uses:
            throttling.give_back(use)
    return registration


def registration_status(registration: Registration) -> dict:
    """What a citizen sees about their registration (contract shape)."""
    return {
        "reference": registration.reference,
        "status": registration.status,
        "submitted_at": registration.submitted_at,
        "status_history": [{"status": e.status, "at": e.at} for e in registration.events.all()],
        "card": card_for_household(registration.household) if registration.household_id else None,
        "rejection_reason": registration.rejection_reason or None,
    }


def person_home(nik: str) -> str | None:
    """The kelurahan code a person belongs to now, for data-subject access: the
    household of their active membership; else whichever is newer of their
    last membership and their last registration (someone who left a KK and
    applied elsewhere); None if nothing is held.

    Only this kelurahan's staff (or a wider area's) export what is held about
    the person: a kelurahan they left must not learn where they live now.
    """
    member = (Member.objects.filter(nik=nik).select_related("household__kelurahan")
              .order_by(F("end_date").desc(nulls_first=True), "-start_date", "-id").first())
    if member is not None and member.end_date is None:
        return member.household.kelurahan.code
    registration = (Registration.objects.filter(members__nik=nik).select_related("kelurahan")
                    .order_by("-submitted_at", "-id").first())
    applied_since = registration is not None and (
        member is None or timezone.localdate(registration.submitted_at) >= member.end_date)
    if applied_since:
        return registration.kelurahan.code
    return member.household.kelurahan.code if member is not None else None


# --- Household imports -----------------------------------------------------------


def _json_codes_within(field_name: str, area_code: str) -> Q:
    """``field_name`` (a JSON list of region codes) is not empty and names only
    codes inside ``area_code``.

    Each code is written in quotes, so the list holds as many codes as it has
    quote pairs, and a code inside the area starts ``"<area>"`` or
    ``"<area>.``: counting the three in the list's text works alike on
    PostgreSQL and SQLite (which has no JSON containment), in one pass over
    the row and without a query per import.
    """
    text = Cast(field_name, TextField())

    def count(needle: str):
        return (Length(text) - Length(Replace(text, Value(needle), Value("")))) / len(needle)

    codes = count('"') / 2
    inside = count(f'"{area_code}"') + count(f'"{area_code}.')
    return Q(Exact(codes, inside)) & Q(GreaterThan(codes, 0))


def household_imports_for(user) -> QuerySet[HouseholdImport]:
    """The imports a staff user sees: those whose every kelurahan (what the
    uploader's area was) lies in the user's area; a superuser sees all, a user
    without an area none. The same rule as the services' (``imports._in_area``)."""
    imports = HouseholdImport.objects.all()
    if areas.sees_everything(user):
        return imports
    region = areas.staff_region(user)
    if region is None:
        return imports.none()
    return imports.filter(_json_codes_within("allowed_kelurahan", region.code))


def household_import_in_area(user, household_import: HouseholdImport) -> bool:
    if areas.sees_everything(user):
        return True
    codes = household_import.allowed_kelurahan
    return bool(codes) and all(areas.user_covers(user, code) for code in codes)


# Flags staff check on a registration before verifying it: boolean fields of
# Registration, labelled by their verbose name. A future flag (a possible
# duplicate, say) is one more field here; the registrations list, its filter
# and "verify the clean ones" follow.
REGISTRATION_FLAGS: tuple[str, ...] = ("kk_kecamatan_mismatch",)


def flag_label(name: str) -> str:
    return str(Registration._meta.get_field(name).verbose_name)


def registration_flags(registration: Registration) -> list[str]:
    """The labels of the flags this registration carries."""
    return [flag_label(name) for name in REGISTRATION_FLAGS if getattr(registration, name)]


def any_flag() -> Q:
    condition = Q()
    for name in REGISTRATION_FLAGS:
        condition |= Q(**{name: True})
    return condition


@dataclass
class VerifyPlan:
    """What "verify the clean ones" of an import would do now."""

    clean_ids: list[int]
    # (flag label, pending registrations carrying it): left for staff to check one by one.
    left_out: list[tuple[str, int]] = field(default_factory=list)
    flagged: int = 0
    # Of the clean ones, how many the user entered (uploaded) themselves: with
    # REQUIRE_SECOND_VERIFIER on, the service refuses those.
    own: int = 0


def import_verify_plan(*, household_import: HouseholdImport, user) -> VerifyPlan:
    """The import's registrations still waiting, in the user's area: the ones
    without a flag (to verify) and how many each flag keeps back."""
    pending = areas.scope(
        Registration.objects.filter(household_import=household_import, status=Registration.Status.SUBMITTED), user,
    )
    clean = pending.exclude(any_flag()) if REGISTRATION_FLAGS else pending
    clean_ids = list(clean.order_by("pk").values_list("pk", flat=True))
    left_out = [(flag_label(name), pending.filter(**{name: True}).count()) for name in REGISTRATION_FLAGS]
    own = 0
    if settings.REQUIRE_SECOND_VERIFIER and user is not None:
        own = clean.filter(submitted_by=user).count()
    return VerifyPlan(clean_ids=clean_ids, left_out=[(label, n) for label, n in left_out if n],
                      flagged=pending.filter(any_flag()).count() if REGISTRATION_FLAGS else 0, own=own)


def import_report_rows(household_import: HouseholdImport, *, limit: int | None = None) -> list[dict]:
    """The report's lines as kept in private storage (``baris``, ``no_kk``,
    ``nik``, ``kolom``, ``pesan``), the first ``limit`` of them; none once the
    file is gone."""
    if not household_import.report:
        return []
    with household_import.report.open("rb") as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None:
            return []
        lines = itertools.islice(reader, limit) if limit is not None else reader
        return [dict(zip(REPORT_FIELDS, line, strict=False)) for line in lines]
