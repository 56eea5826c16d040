"""Realistic fake households for demos and tests: valid NIKs and KK numbers
with consistent birth dates, sexes and regions. Deterministic for a seed.

Also this app's part of ``manage.py load_demo`` (:func:`load`): the
kelurahan, kecamatan and city staff, and households in every status.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from kartusehat import demo, identity
from kartusehat.refusals import Invalid

from . import services
from .models import Region, Registration, RegistrationEvent, Relationship
from .roles import AUDITOR, KELURAHAN_STAFF

MALE_NAMES = [
    "Budi", "Agus", "Joko", "Slamet", "Ahmad", "Dedi", "Hendra", "Rudi", "Asep", "Wahyu",
    "Eko", "Bambang", "Yusuf", "Rizky", "Fajar", "Dimas", "Andi", "Taufik", "Ujang", "Ilham",
]
FEMALE_NAMES = [
    "Siti", "Dewi", "Sri", "Nur", "Rina", "Wati", "Lestari", "Ayu", "Yanti", "Fitri",
    "Indah", "Ratna", "Aminah", "Putri", "Nabila", "Euis", "Kartika", "Maya", "Annisa", "Nining",
]
FAMILY_NAMES = [
    "Santoso", "Wijaya", "Hidayat", "Saputra", "Nugroho", "Setiawan", "Kurniawan", "Pratama",
    "Sihombing", "Siregar", "Nasution", "Hasibuan", "Gunawan", "Hakim", "Lubis", "Rahman",
    "Suryadi", "Permana", "Sitompul", "Purba", "Tanjung", "Harahap", "Munthe", "Ginting",
]
# Indonesian mobile operators' prefixes after the leading 08.
MOBILE_PREFIXES = ["12", "13", "21", "52", "56", "57", "77", "78", "95", "96"]
STREETS = [
    "Jl. Kranji Raya", "Jl. Ahmad Yani", "Jl. Cut Meutia", "Jl. Siliwangi", "Jl. Juanda",
    "Jl. Pramuka", "Jl. Mustikasari", "Jl. Raya Jatiwaringin", "Jl. Pekayon Raya", "Gg. Mawar",
    "Jl. Melati", "Jl. Kemakmuran", "Perum Harapan Indah Blok", "Jl. Nusantara", "Jl. Bintara Raya",
]


def _name(rng: random.Random, sex: str, family: str) -> str:
    given = rng.choice(MALE_NAMES if sex == "L" else FEMALE_NAMES)
    return f"{given} {family}"


def _birth(rng: random.Random, start_year: int, end_year: int, today: dt.date) -> dt.date:
    start = dt.date(start_year, 1, 1)
    end = min(dt.date(end_year, 12, 31), today)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class NumberSource:
    """Hands out NIK and KK serials that never repeat within one run."""

    def __init__(self, rng: random.Random, start: int = 1):
        self.rng = rng
        self.next_serial = start

    def serial(self) -> int:
        value = self.next_serial
        self.next_serial = self.next_serial % 9999 + 1
        return value

    def nik(self, region6: str, birth_date: dt.date, sex: str) -> str:
        return identity.encode_nik(region6, birth_date, sex, self.serial())

    def kk(self, region6: str, issue_date: dt.date) -> str:
        return identity.encode_kk(region6, issue_date, self.serial())


def household_data(
    rng: random.Random,
    numbers: NumberSource,
    *,
    kelurahan_code: str,
    kk_kecamatan_code: str | None = None,
    size: int | None = None,
    today: dt.date | None = None,
) -> dict:
    """Raw registration input (as the API receives it) for one household."""
    today = today or dt.date.today()
    kecamatan6 = kelurahan_code[:8].replace(".", "")
    kk6 = (kk_kecamatan_code or kelurahan_code[:8]).replace(".", "")
    family = rng.choice(FAMILY_NAMES)
    size = size or rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 6])
    # People who moved to the city keep the NIK region of their birthplace.
    other_regions = sorted(identity.kecamatan_codes())

    def region_for_adult() -> str:
        if rng.random() < 0.25:
            return rng.choice(other_regions).replace(".", "")
        return kecamatan6

    head_sex = "L" if rng.random() < 0.85 else "P"
    head_birth = _birth(rng, 1950, 1995, today)
    members = [{
        "nik": numbers.nik(region_for_adult(), head_birth, head_sex),
        "full_name": _name(rng, head_sex, family),
        "birth_date": head_birth.isoformat(),
        "sex": head_sex,
        "relationship": Relationship.KEPALA_KELUARGA.value,
    }]
    if size >= 2:
        spouse_sex = "P" if head_sex == "L" else "L"
        spouse_birth = _birth(rng, max(head_birth.year - 8, 1950), min(head_birth.year + 8, 2000), today)
        members.append({
            "nik": numbers.nik(region_for_adult(), spouse_birth, spouse_sex),
            "full_name": _name(rng, spouse_sex, rng.choice(FAMILY_NAMES)),
            "birth_date": spouse_birth.isoformat(),
            "sex": spouse_sex,
            "relationship": "istri" if spouse_sex == "P" else "suami",
        })
    for _ in range(max(size - 2, 0)):
        child_sex = rng.choice("LP")
        child_birth = _birth(rng, head_birth.year + 20, head_birth.year + 45, today)
        members.append({
            "nik": numbers.nik(kecamatan6, child_birth, child_sex),
            "full_name": _name(rng, child_sex, family),
            "birth_date": child_birth.isoformat(),
            "sex": child_sex,
            "relationship": "anak",
        })
    issue_date = _birth(rng, 2005, today.year, today)
    return {
        "kk_number": numbers.kk(kk6, issue_date),
        "kelurahan_code": kelurahan_code,
        "address": f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}",
        "rt": f"{rng.randint(1, 15):03d}",
        "rw": f"{rng.randint(1, 12):03d}",
        "phone": f"08{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7, 10**8)}",
        "email": rng.choice(["", "", f"{family.lower()}{rng.randint(1, 99)}@example.com"]),
        "consent": True,
        "members": members,
    }


# (username, area code, name shown in the admin, what the user is for)
DEMO_STAFF = [
    ("kota.bekasi", "{city}", "Petugas Dinas Kependudukan", "Dinas Kependudukan: the whole city"),
    ("kec.bekasibarat", "{city}.02", "Petugas Kecamatan Bekasi Barat", "Kecamatan Bekasi Barat: its 5 kelurahan"),
    ("kel.kranji", "{city}.02.1002", "Petugas Kelurahan Kranji", "Kelurahan Kranji only"),
    ("kel.margajaya", "{city}.04.1002", "Petugas Kelurahan Margajaya", "Kelurahan Margajaya only"),
]

REJECTION_REASONS = [
    "Foto KK tidak terbaca; mohon unggah ulang.",
    "Alamat tidak sesuai dengan KK.",
    "Nama kepala keluarga berbeda dengan KK.",
]


@demo.loader(order=10)
def load(context: demo.DemoContext) -> None:
    """Kelurahan, kecamatan and city staff, the auditor; households submitted, verified and rejected."""
    kelurahan = list(Region.objects.filter(level="kelurahan", code__startswith=context.city + ".").order_by("code"))
    if not kelurahan:
        raise CommandError(f"No kelurahan for {context.city}: run 'manage.py migrate' first.")
    for username, code, name, purpose in DEMO_STAFF:
        context.staff_user(username, area_code=code, name=name, group=KELURAHAN_STAFF, purpose=purpose)
    context.staff_user("audit.kota", area_code="{city}", name="Auditor Inspektorat", group=AUDITOR,
                       purpose="auditor: reads every record and the access log, changes nothing")
    if Registration.objects.exists():
        context.already_loaded = True  # loaded before: only make sure the staff users exist
    households = 0 if context.already_loaded else context.households
    rng, admin = context.rng, context.admin
    numbers = NumberSource(rng, start=rng.randint(1, 5000))
    counts = {"submitted": 0, "verified": 0, "rejected": 0, "skipped": 0}
    kecamatan_codes = sorted({k.code[:8] for k in kelurahan})
    for index in range(households):
        # Every kelurahan gets households; the two demo kelurahan get more.
        if index < len(kelurahan):
            kel = kelurahan[index]
        elif rng.random() < 0.3:
            kel = rng.choice([k for k in kelurahan if k.code.endswith((".02.1002", ".04.1002"))])
        else:
            kel = rng.choice(kelurahan)
        kk_kecamatan = rng.choice(kecamatan_codes) if rng.random() < 0.1 else None
        data = household_data(rng, numbers, kelurahan_code=kel.code, kk_kecamatan_code=kk_kecamatan)
        channel = rng.choice(["online"] * 6 + ["kelurahan"] * 3 + ["import"])
        try:
            with transaction.atomic():
                registration = services.registration_submit(
                    data=data, channel=channel, submitted_by=admin if channel != "online" else None
                )
                outcome = rng.random()
                if outcome < 0.55:
                    services.registration_verify(registration_id=registration.pk, by=admin)
                    counts["verified"] += 1
                elif outcome < 0.70:
                    services.registration_reject(
                        registration_id=registration.pk, by=admin, reason=rng.choice(REJECTION_REASONS)
                    )
                    counts["rejected"] += 1
                else:
                    counts["submitted"] += 1
                _backdate(registration, rng)
        except Invalid:
            counts["skipped"] += 1  # already loaded on an earlier run
    context.summary.append(
        f"Demo registrations: {counts['verified']} verified, {counts['submitted']} submitted, "
        f"{counts['rejected']} rejected ({counts['skipped']} already present). "
        f"{Registration.objects.count()} registrations in all."
    )


def _backdate(registration, rng) -> None:
    """Spread the demo over the last four months, so the date filters and
    the status history look like a programme that has been running."""
    now = timezone.now()
    submitted = now - dt.timedelta(days=rng.uniform(0, 120), hours=rng.uniform(0, 10))
    Registration.objects.filter(pk=registration.pk).update(submitted_at=submitted)
    RegistrationEvent.objects.filter(registration=registration, status="submitted").update(at=submitted)
    decided = min(submitted + dt.timedelta(days=rng.uniform(0.2, 10)), now)
    registration.refresh_from_db(fields=["status"])
    if registration.status != "submitted":
        Registration.objects.filter(pk=registration.pk).update(decided_at=decided)
        RegistrationEvent.objects.filter(registration=registration).exclude(status="submitted").update(at=decided)
