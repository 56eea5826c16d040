"""Shared set-up for the hospital tests: facilities with agreements, hospital
users and keys, households in every state, real letter files."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json

from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cards.models import Card
from hospitals import services
from hospitals.models import Agreement, Facility, HospitalStaff
from hospitals.roles import HEALTH_OFFICE
from registrations import services as registration_services
from registrations.models import Region
from tests.api.helpers import jpeg_bytes, png_bytes  # noqa: F401  (re-exported for the tests)
from tests.factories import KRANJI, UserFactory, registration_data, submit, superuser, verified

VERIFY_URL = "/api/v1/verify/"
EMERGENCY_URL = "/api/v1/emergency-requests/"
HOSPITALS_URL = "/api/v1/hospitals/"
PASSWORD = "rumah-sakit-uji-2026"

_n = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def facility(name: str | None = None, *, type: str = "rs_swasta", kecamatan: str | None = "32.75.04",  # noqa: A002
             city: str = "", start: dt.date | None = None, end: dt.date | None = None, agreement: bool = True,
             **fields) -> Facility:
    """A facility with one agreement covering ``start``..``end`` (by default last year to next year)."""
    facility = Facility.objects.create(
        name=name or f"RS Uji {next(_n)}", type=type, address="Jl. Uji No. 1",
        kecamatan=Region.objects.get(code=kecamatan) if kecamatan else None, city=city,
        hospital_class=fields.pop("hospital_class", "C" if type in ("rsud", "rs_swasta") else ""), **fields,
    )
    if agreement:
        Agreement.objects.create(
            facility=facility, pks_number=f"PKS/UJI/{next(_n)}", start_date=start or days(-365),
            end_date=end or days(365),
        )
    return facility


def empty_roster() -> None:
    """Drop the shipped starting roster, for tests that count what is listed."""
    Agreement.objects.all().delete()
    Facility.objects.all().delete()


def hospital_user(place: Facility | None = None, *, username: str | None = None) -> HospitalStaff:
    """A hospital desk user of ``place`` (a new partner facility by default)."""
    return services.hospital_staff_create(
        username=username or f"rs.uji{next(_n)}", full_name="Petugas Loket", password=PASSWORD,
        facility=place or facility(), by=superuser(),
    )


def hospital_key(staff: HospitalStaff | None = None) -> tuple[HospitalStaff, str]:
    staff = staff or hospital_user()
    _token, key = services.token_create(staff=staff, name="SIMRS", by=superuser())
    return staff, key


def health_office_user(username: str = "dinkes"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=HEALTH_OFFICE))
    return user


def print_office_token() -> str:
    """A DRF token of a print-office operator: not a hospital key."""
    from cards.roles import PRINT_OFFICE

    user = UserFactory(username=f"cetak{next(_n)}")
    user.groups.add(Group.objects.get(name=PRINT_OFFICE))
    return Token.objects.create(user=user).key


def keyed(client, key: str):
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def verify(client, body, **extra):
    return client.post(VERIFY_URL, json.dumps(body), content_type="application/json", **extra)


# --- Households in each state --------------------------------------------------


def verified_household(kelurahan: str = KRANJI, **overrides):
    """(household, head member, card) of a newly verified registration."""
    registration = verified(kelurahan, **overrides)
    household = registration.household
    head = household.members.get(relationship="kepala_keluarga", end_date__isnull=True)
    return household, head, Card.objects.get(household=household)


def pending_registration(kelurahan: str = KRANJI):
    registration = submit(kelurahan)
    return registration, registration.members.get(relationship="kepala_keluarga")


def rejected_registration(kelurahan: str = KRANJI):
    registration = submit(kelurahan)
    registration_services.registration_reject(registration_id=registration.pk, by=superuser(),
        reason="Foto KK tidak terbaca.")
    return registration, registration.members.get(relationship="kepala_keluarga")


def unregistered_nik() -> str:
    """A valid NIK of a kecamatan of the city that no registration has used.

    Generated households are a mix: one adult in four has a NIK of another
    region (people who moved to the city), which would be answered
    ``outside_city``; only city NIKs are taken here.
    """
    from django.conf import settings

    city = settings.CITY_REGION_CODE.replace(".", "")
    while True:
        for member in registration_data(size=3)["members"]:
            if member["nik"].startswith(city):
                return member["nik"]


# --- Letters ------------------------------------------------------------------


def pdf_bytes(text: str = "Surat keterangan rawat inap") -> bytes:
    """A real one-page PDF (ReportLab)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()


def upload(data: bytes, name: str = "surat.pdf", content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def revoke(card: Card) -> None:
    """Revoke a card as the database records it (when, why), whatever its state.

    The distribution services revoke only printed cards; these tests need a
    revoked card without the print and dispatch steps in front of it.
    """
    Card.objects.filter(pk=card.pk).update(status=Card.Status.REVOKED, revoked_at=timezone.now(),
        revoked_reason="Dicabut")
