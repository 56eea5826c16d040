"""This app's part of ``manage.py load_demo``: the health office's user, and
the desks of two partner hospitals with an API key for the first."""

from __future__ import annotations

from kartusehat import demo

from . import services
from .models import ApiToken, Facility, HospitalStaff
from .roles import HEALTH_OFFICE

# Hospital desk users (not admin staff): username, facility on the starting roster, name.
DEMO_HOSPITAL_USERS = [
    ("rs.chasbullah", "RSUD dr. Chasbullah Abdulmadjid", "Loket RSUD dr. Chasbullah Abdulmadjid"),
    ("rs.hermina", "RS Hermina Bekasi", "Loket RS Hermina Bekasi"),
]
# A fixed key so the API can be tried with curl (demo data never loads in production).
DEMO_HOSPITAL_KEY = "ksrs_demo-rsud-chasbullah-coba-api-kartu-sehat"


@demo.loader(order=30)
def load(context: demo.DemoContext) -> None:
    context.staff_user(
        "dinkes.kota", area_code="{city}", name="Petugas Dinas Kesehatan", group=HEALTH_OFFICE,
        purpose="health office: partner roster, hospital users and keys, coverage-check audit",
    )
    admin = context.admin
    for username, facility_name, full_name in DEMO_HOSPITAL_USERS:
        facility = Facility.objects.filter(name=facility_name).first()
        if facility is None:
            continue  # another city's roster
        staff = HospitalStaff.objects.filter(user__username=username).first()
        if staff is None:
            staff = services.hospital_staff_create(
                username=username, full_name=full_name, password=demo.DEMO_PASSWORD, facility=facility, by=admin,
            )
        context.desk_logins.append((username, f"desk of {facility.name}"))
        key_hash = services.hash_key(DEMO_HOSPITAL_KEY)
        if username == "rs.chasbullah" and not ApiToken.objects.filter(key_hash=key_hash).exists():
            ApiToken.objects.create(
                staff=staff, name="Demo SIMRS", prefix=DEMO_HOSPITAL_KEY[:12], key_hash=key_hash, created_by=admin,
            )
    if context.desk_logins:
        context.notes.append(f"API key of rs.chasbullah: {DEMO_HOSPITAL_KEY}")
