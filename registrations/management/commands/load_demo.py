"""Fill the database with demo households and staff users (never in production)."""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cards import services as card_services
from cards.models import Lot
from cards.roles import PRINT_OFFICE
from complaints.models import Complaint
from complaints.roles import COMPLAINT_DESK
from complaints.services import complaint_submit
from hospitals import services as hospital_services
from hospitals.models import ApiToken, Facility, HospitalStaff
from hospitals.roles import HEALTH_OFFICE
from registrations import services
from registrations.demo import NumberSource, household_data
from registrations.models import Region, Registration, RegistrationEvent, StaffArea
from registrations.roles import KELURAHAN_STAFF
from registrations.validation import RegistrationInvalid

DEMO_PASSWORD = "kartusehat-demo"

# (username, area code, name shown in the admin, what the user is for)
DEMO_STAFF = [
    ("kota.bekasi", "{city}", "Petugas Dinas Kependudukan", "Dinas Kependudukan: the whole city"),
    ("kec.bekasibarat", "{city}.02", "Petugas Kecamatan Bekasi Barat", "Kecamatan Bekasi Barat: its 5 kelurahan"),
    ("kel.kranji", "{city}.02.1002", "Petugas Kelurahan Kranji", "Kelurahan Kranji only"),
    ("kel.margajaya", "{city}.04.1002", "Petugas Kelurahan Margajaya", "Kelurahan Margajaya only"),
    ("aduan.kota", "{city}", "Petugas Pengaduan", "complaint desk: handles complaints (aduan)"),
    ("cetak.disdukcapil", "{city}", "Operator Cetak Disdukcapil", "print office: blanko stock, print queue, batches"),
    ("dinkes.kota", "{city}", "Petugas Dinas Kesehatan", "health office: partner roster, hospital users and keys, coverage-check audit"),
]
# Users that work a desk other than the kelurahan's: username -> group.
DEMO_GROUPS = {"aduan.kota": COMPLAINT_DESK, "cetak.disdukcapil": PRINT_OFFICE, "dinkes.kota": HEALTH_OFFICE}
# Hospital desk users (not admin staff): username, facility on the starting roster.
DEMO_HOSPITAL_USERS = [
    ("rs.chasbullah", "RSUD dr. Chasbullah Abdulmadjid", "Loket RSUD dr. Chasbullah Abdulmadjid"),
    ("rs.hermina", "RS Hermina Bekasi", "Loket RS Hermina Bekasi"),
]
# A fixed key so the API can be tried with curl (demo data never loads in production).
DEMO_HOSPITAL_KEY = "ksrs_demo-rsud-chasbullah-coba-api-kartu-sehat"

DEMO_COMPLAINTS = [
    ("kartu_belum_jadi", "Sudah daftar bulan lalu tetapi kartu belum jadi. Mohon informasinya."),
    ("data_salah", "Nama anak saya salah ketik pada data pendaftaran."),
    ("layanan_rumah_sakit", "Rumah sakit meminta biaya padahal sudah menunjukkan KK dan e-KTP."),
]

REJECTION_REASONS = [
    "Foto KK tidak terbaca; mohon unggah ulang.",
    "Alamat tidak sesuai dengan KK.",
    "Nama kepala keluarga berbeda dengan KK.",
]


class Command(BaseCommand):
    help = "Load demo households in every registration status, and demo staff users."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=150)
        parser.add_argument("--seed", type=int, default=2018)

    def handle(self, *args, households, seed, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Demo data is never loaded in production (KARTUSEHAT_PRODUCTION=true).")
        city = settings.CITY_REGION_CODE
        kelurahan = list(Region.objects.filter(level="kelurahan", code__startswith=city + ".").order_by("code"))
        if not kelurahan:
            raise CommandError(f"No kelurahan for {city}: run 'manage.py migrate' first.")

        users = self._staff(city)
        admin = users["admin"]
        if Registration.objects.exists():
            households = 0  # loaded before: only make sure the staff users exist
        rng = random.Random(seed)
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
                    self._backdate(registration, rng)
            except RegistrationInvalid:
                counts["skipped"] += 1  # already loaded on an earlier run

        if not Lot.objects.exists():
            # Enough blanko for regular printing, with a reserve for emergencies.
            card_services.stock_receive(
                budget_year=timezone.localdate().year, quantity=400, received_on=timezone.localdate(),
                reference="DEMO-BLANKO-1", by=admin,
            )
            card_services.stock_set_emergency_reserve(count=100, by=admin)
        if households:
            self._distribution(admin, city)
        if households and not Complaint.objects.exists():
            for category, message in DEMO_COMPLAINTS:
                complaint_submit(data={
                    "name": "Warga Demo", "phone": f"0812{rng.randrange(10**7, 10**8)}",
                    "category": category, "message": message,
                })
        self.stdout.write(
            f"Demo registrations: {counts['verified']} verified, {counts['submitted']} submitted, "
            f"{counts['rejected']} rejected ({counts['skipped']} already present). "
            f"{Registration.objects.count()} registrations in all."
        )
        hospital_users = self._hospital_users(admin)
        self.stdout.write("\nDemo staff logins (password for all: %s):" % DEMO_PASSWORD)
        self.stdout.write(f"  {'admin':<18} superuser: sees everything")
        for username, _code, _name, purpose in DEMO_STAFF:
            self.stdout.write(f"  {username:<18} {purpose}")
        self.stdout.write("\nHospital desk logins at /rs/ (same password):")
        for username, facility in hospital_users:
            self.stdout.write(f"  {username:<18} desk of {facility}")
        self.stdout.write(f"  API key of rs.chasbullah: {DEMO_HOSPITAL_KEY}")

    def _backdate(self, registration, rng) -> None:
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

    def _distribution(self, admin, city: str) -> None:
        """Some cards along the way: printed, sent to Kranji and Margajaya,
        received in Kranji, one collected there."""
        from cards.models import Batch, Card, Dispatch
        from cards.tasks import batch_render

        if Dispatch.objects.exists() or not Card.objects.filter(status=Card.Status.QUEUED).exists():
            return
        batch = Batch.objects.create(size=60, created_by=admin)
        batch_render(batch.pk)  # here and now, also where a broker is configured
        sent = {}
        for code in (f"{city}.02.1002", f"{city}.04.1002"):
            try:
                sent[code] = card_services.dispatch_create(kelurahan_code=code, by=admin)
            except card_services.StockInvalid:
                continue  # nothing printed for it in this demo
        kranji = sent.get(f"{city}.02.1002")
        if kranji is not None:
            card_services.dispatch_receive(dispatch_id=kranji.pk, by=admin)
            first = kranji.cards.order_by("pk").first()
            card_services.card_collect(card_id=first.pk, by=admin, collector=Card.Collector.HEAD)

    def _hospital_users(self, admin) -> list[tuple[str, str]]:
        """Desk users of two partner hospitals, and an API key for the first."""
        made = []
        for username, facility_name, full_name in DEMO_HOSPITAL_USERS:
            facility = Facility.objects.filter(name=facility_name).first()
            if facility is None:
                continue  # another city's roster
            staff = HospitalStaff.objects.filter(user__username=username).first()
            if staff is None:
                staff = hospital_services.hospital_staff_create(
                    username=username, full_name=full_name, password=DEMO_PASSWORD, facility=facility, by=admin,
                )
            made.append((username, facility.name))
            if username == "rs.chasbullah" and not ApiToken.objects.filter(key_hash=hospital_services.hash_key(DEMO_HOSPITAL_KEY)).exists():
                ApiToken.objects.create(
                    staff=staff, name="Demo SIMRS", prefix=DEMO_HOSPITAL_KEY[:12],
                    key_hash=hospital_services.hash_key(DEMO_HOSPITAL_KEY), created_by=admin,
                )
        return made

    def _staff(self, city: str) -> dict:
        User = get_user_model()
        users = {}
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "Admin"}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        users["admin"] = admin
        for username, code, name, _purpose in DEMO_STAFF:
            group = Group.objects.get(name=DEMO_GROUPS.get(username, KELURAHAN_STAFF))
            region = Region.objects.get(code=code.format(city=city))
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "first_name": name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(group)
            StaffArea.objects.update_or_create(user=user, defaults={"region": region})
            users[username] = user
        return users
