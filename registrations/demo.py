"""Realistic fake households for demos and tests: valid NIKs and KK numbers
with consistent birth dates, sexes and regions. Deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import random

from . import identity

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
        "relationship": "kepala_keluarga",
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
        "phone": f"08{rng.choice(['12', '13', '21', '52', '56', '57', '77', '78', '95', '96'])}{rng.randrange(10**7, 10**8)}",
        "email": rng.choice(["", "", f"{family.lower()}{rng.randint(1, 99)}@example.com"]),
        "consent": True,
        "members": members,
    }
