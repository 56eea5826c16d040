"""Valid complaint input and a few shared helpers for the complaint tests."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from complaints import services
from complaints.models import Complaint
from complaints.roles import COMPLAINT_DESK
from kartusehat import identity
from tests.factories import UserFactory

API_URL = "/api/v1/complaints/"
FORM_URL = "/aduan/"
DONE_URL = "/aduan/terkirim/"
# A woman born 17 August 1983, registered in Kecamatan Bekasi Timur (32.75.01).
NIK = identity.encode_nik("327501", dt.date(1983, 8, 17), identity.SEX_FEMALE, 2)


def complaint_data(**overrides) -> dict:
    data = {
        "name": "Siti Aminah",
        "phone": "0812-3456-7890",
        "nik": NIK,
        "category": "kartu_belum_jadi",
        "message": "Sudah daftar dua bulan lalu, tetapi kartu belum bisa diambil di kelurahan.",
    }
    data.update(overrides)
    return data


def submit(**overrides) -> Complaint:
    return services.complaint_submit(data=complaint_data(**overrides))


def desk_user(**kwargs):
    """A staff user of the complaint desk."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=COMPLAINT_DESK))
    return user
