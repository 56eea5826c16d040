"""A synthetic city: households as a city's KK register would list them.

Deterministic for a seed, and fast enough for a whole city (730,000
households, about 2.57 million people, in a few minutes): one pass, no
database. Used by ``manage.py generate_city`` (files in the bulk-import
format) and ``manage.py load_city`` (straight into the database).

What makes it look like Kota Bekasi rather than random rows:

- kelurahan of very different sizes (the city's range is roughly 5,000 to
  38,000 households), about 717 households per RW and 7 RT per RW (the city
  has ~1,018 RW and ~7,134 RT);
- households of 1 to 10 people, 3.55 on average: a head (mostly men),
  usually a spouse, children born when the parents were 20 to 45, sometimes
  a parent, a grandchild or another relative;
- NIKs whose region, birth date and sex agree with the person: children carry
  the kecamatan of their kelurahan, a quarter of adults were first registered
  elsewhere in Indonesia (their NIK keeps that region for life);
- KK numbers issued by the kelurahan's kecamatan, one in ten by another
  kecamatan of the city (people move within the city);
- Indonesian names as a KK prints them, in upper and mixed case, with the
  spelling variants that make duplicates hard to see (Muhammad, Muhamad,
  Mohammad; Siti, Sitti; Nur, Noor).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from kartusehat import identity

from .models import Relationship

MALE_GIVEN = [
    "Agus", "Ahmad", "Andi", "Arif", "Asep", "Bambang", "Budi", "Cecep", "Dadang", "Dedi", "Dimas", "Eko", "Fajar",
    "Fauzi", "Hadi", "Hendra", "Heri", "Ilham", "Imam", "Irfan", "Joko", "Kurniawan", "Lukman", "Muhammad",
    "Muhamad", "Mohammad", "Nanang", "Oman", "Rahmat", "Rizky", "Rudi", "Slamet", "Sugeng", "Supriyadi", "Taufik",
    "Teguh", "Ujang", "Wahyu", "Yusuf", "Zainal", "Aditya", "Bayu", "Gilang", "Hasan", "Iwan", "Jajang", "Kusnadi",
    "Maman", "Nurdin", "Robby", "Samsul", "Tatang", "Udin", "Yayan", "Abdul", "Abd.", "Dani", "Galih", "Rangga",
    "Sutrisno", "Wawan", "Yogi", "Reza", "Haris", "Anton", "Benny", "Firman", "Gunawan", "Hamdan", "Indra",
]
FEMALE_GIVEN = [
    "Siti", "Sitti", "Sri", "Dewi", "Nur", "Noor", "Rina", "Wati", "Lestari", "Ayu", "Yanti", "Fitri", "Indah",
    "Ratna", "Aminah", "Putri", "Nabila", "Euis", "Kartika", "Maya", "Annisa", "Nining", "Dian", "Eka", "Fatimah",
    "Hana", "Ika", "Juju", "Kokom", "Lina", "Mimin", "Neneng", "Nurhayati", "Oom", "Rini", "Santi", "Tuti", "Umi",
    "Wulan", "Yuli", "Zahra", "Aisyah", "Citra", "Desi", "Elis", "Heni", "Iis", "Lilis", "Mega", "Nia", "Popon",
    "Rosita", "Sumiati", "Tini", "Yati", "Nurul", "Endang", "Suharti", "Wahyuni", "Susilawati",
]
SECOND_MALE = [
    "Hidayat", "Saputra", "Santoso", "Wijaya", "Nugroho", "Setiawan", "Kurniawan", "Pratama", "Gunawan", "Hakim",
    "Rahman", "Suryadi", "Permana", "Firmansyah", "Ramadhan", "Maulana", "Hermawan", "Sudrajat", "Rohman",
    "Fauzan", "Syahputra", "Prasetyo", "Wibowo", "Susanto", "Kusuma", "Nurhadi", "Sunarya", "Supriatna",
    "Suherman", "Mulyadi", "Hidayatullah", "Saepudin", "Sopandi", "Junaedi", "Iskandar",
]
SECOND_FEMALE = [
    "Rahayu", "Wulandari", "Handayani", "Kurniasih", "Rahmawati", "Lestari", "Purnamasari", "Anggraini", "Maharani",
    "Safitri", "Aulia", "Nuraini", "Hasanah", "Komariah", "Marlina", "Jubaedah", "Sari", "Wahyuni", "Susanti",
    "Kurniawati", "Permatasari", "Oktaviani", "Fitriani", "Nurjanah", "Rostini",
]
# Batak, Minang and other family names that the KK carries as the last word.
FAMILY = [
    "Siregar", "Nasution", "Hasibuan", "Lubis", "Harahap", "Sitompul", "Simanjuntak", "Sihombing", "Purba",
    "Ginting", "Tarigan", "Sembiring", "Manurung", "Panjaitan", "Situmorang", "Tanjung", "Chaniago", "Piliang",
    "Sinaga", "Pardede", "Hutapea", "Silalahi", "Pohan", "Daulay", "Rangkuti",
]
STREETS = [
    "Jl. Kranji Raya", "Jl. Ahmad Yani", "Jl. Cut Meutia", "Jl. Siliwangi", "Jl. Juanda", "Jl. Pramuka",
    "Jl. Mustikasari", "Jl. Raya Jatiwaringin", "Jl. Pekayon Raya", "Gg. Mawar", "Jl. Melati", "Jl. Kemakmuran",
    "Perum Harapan Indah Blok", "Jl. Nusantara", "Jl. Bintara Raya", "Jl. Kaliabang", "Jl. Perjuangan",
    "Jl. Pondok Gede Raya", "Jl. Jatiasih", "Jl. Narogong", "Gg. Kenanga", "Gg. Masjid", "Jl. Swadaya",
    "Perum Pondok Ungu Permai Blok", "Jl. Raya Hankam", "Jl. Bantargebang", "Jl. Mustikajaya", "Jl. Rawalumbu",
]
MOBILE_PREFIXES = ["12", "13", "21", "22", "52", "53", "56", "57", "77", "78", "95", "96", "97", "98"]

# Household sizes 1-10, 3.55 people on average (Kota Bekasi: 2.57 M people in ~730 k KK).
SIZE_WEIGHTS = [10, 18, 24, 23, 13, 7, 3, 1.5, 0.4, 0.1]
HOUSEHOLDS_PER_RW = 717
RT_PER_RW = 7


@dataclass(slots=True)
class Person:
    nik: str
    full_name: str
    birth_date: dt.date
    sex: str
    relationship: str


@dataclass(slots=True)
class Household:
    kk_number: str
    kelurahan_code: str
    address: str
    rt: str
    rw: str
    phone: str
    email: str
    members: list[Person] = field(default_factory=list)

    @property
    def head(self) -> Person:
        return self.members[0]


def kelurahan_sizes(codes: list[str], households: int, rng: random.Random) -> list[int]:
    """How many households each kelurahan has: uneven (about 1 to 7.5 between the
    smallest and the largest, as in Kota Bekasi), adding up to ``households``."""
    weights = [rng.uniform(1.0, 7.5) for _ in codes]
    total = sum(weights)
    sizes = [int(households * w / total) for w in weights]
    for index in range(households - sum(sizes)):
        sizes[index % len(sizes)] += 1
    return sizes


class _Numbers:
    """NIK and KK serials that never repeat: one counter per region and date."""

    def __init__(self):
        self._next: dict[str, int] = {}

    def serial(self, prefix12: str) -> str:
        value = self._next.get(prefix12, 0) + 1
        if value > 9999:
            raise ValueError(f"more than 9,999 numbers for {prefix12}")
        self._next[prefix12] = value
        return f"{prefix12}{value:04d}"

    def nik(self, region6: str, birth: dt.date, sex: str) -> str:
        day = birth.day + (identity.FEMALE_DAY_OFFSET if sex == identity.SEX_FEMALE else 0)
        return self.serial(f"{region6}{day:02d}{birth:%m%y}")

    def kk(self, region6: str, issued: dt.date) -> str:
        return self.serial(f"{region6}{issued:%d%m%y}")


class CityGenerator:
    """Households of one city, kelurahan by kelurahan, the same for the same seed."""

    def __init__(self, *, kelurahan: list[str], seed: int, today: dt.date):
        self.kelurahan = sorted(kelurahan)
        self.rng = random.Random(seed)
        self.today = today
        self.numbers = _Numbers()
        self.city_kecamatan = sorted({code[:8] for code in self.kelurahan})
        # Where adults born elsewhere were first registered: all current kecamatan
        # of Indonesia, Java's counted twice (most migrants to Bekasi come from Java).
        elsewhere = sorted(code for code in identity.kecamatan_codes() if code.count(".") == 2)
        java = {"31", "32", "33", "34", "35", "36"}
        self.elsewhere = [code.replace(".", "") for code in elsewhere if code[:2] in java]
        self.elsewhere += [code.replace(".", "") for code in elsewhere]

    # --- people ---------------------------------------------------------------------

    def _between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return min(start, self.today)
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def _birth(self, oldest: int, youngest: int) -> dt.date:
        """A birth date between two years (inclusive), never after today."""
        return self._between(dt.date(max(oldest, 1920), 1, 1), min(dt.date(youngest, 12, 31), self.today))

    def _name(self, sex: str, family: str | None) -> str:
        rng = self.rng
        given_names, second_names = (MALE_GIVEN, SECOND_MALE) if sex == "L" else (FEMALE_GIVEN, SECOND_FEMALE)
        given = rng.choice(given_names)
        words = [given]
        roll = rng.random()
        if roll < 0.55:
            words.append(rng.choice(second_names))
        elif roll < 0.70:
            words.append(rng.choice(given_names))
            words.append(rng.choice(second_names))
        if family:
            words.append(family)
        if given.endswith(".") and len(words) == 1:
            words.append(rng.choice(second_names))
        name = " ".join(words)
        # Many KK print names in capitals; files keep them as printed.
        return name.upper() if rng.random() < 0.35 else name

    def _person(self, sex: str, birth: dt.date, relationship: str, region6: str, family: str | None) -> Person:
        return Person(self.numbers.nik(region6, birth, sex), self._name(sex, family), birth, sex, relationship)

    def _adult_region(self, own6: str) -> str:
        roll = self.rng.random()
        if roll < 0.25:
            return self.rng.choice(self.elsewhere)
        if roll < 0.35:
            return self.rng.choice(self.city_kecamatan).replace(".", "")
        return own6

    def household(self, kelurahan_code: str, rt: int, rw: int) -> Household:
        rng = self.rng
        own6 = kelurahan_code[:8].replace(".", "")
        size = rng.choices(range(1, 11), weights=SIZE_WEIGHTS)[0]
        family = rng.choice(FAMILY) if rng.random() < 0.12 else None
        year = self.today.year
        head_sex = "L" if rng.random() < 0.86 or size > 2 and rng.random() < 0.5 else "P"
        head_birth = self._birth(year - 80, year - 20)
        members = [self._person(head_sex, head_birth, Relationship.KEPALA_KELUARGA, self._adult_region(own6), family)]
        if size >= 2 and rng.random() < 0.92:
            spouse_sex = "P" if head_sex == "L" else "L"
            spouse_birth = self._birth(head_birth.year - 8, min(head_birth.year + 8, year - 17))
            spouse = Relationship.ISTRI if spouse_sex == "P" else Relationship.SUAMI
            members.append(self._person(spouse_sex, spouse_birth, spouse, self._adult_region(own6), None))
        while len(members) < size:
            roll = rng.random()
            if roll < 0.86 and head_birth.year + 20 <= year:
                sex = rng.choice("LP")
                birth = self._birth(head_birth.year + 20, head_birth.year + 45)
                members.append(self._person(sex, birth, Relationship.ANAK, own6, family))
            elif roll < 0.93 and head_birth.year - 20 >= 1920:
                sex = rng.choice("LP")
                birth = self._birth(head_birth.year - 35, head_birth.year - 20)
                members.append(self._person(sex, birth, Relationship.ORANG_TUA, self._adult_region(own6), None))
            elif roll < 0.97 and head_birth.year + 40 <= year:
                sex = rng.choice("LP")
                birth = self._birth(head_birth.year + 40, year)
                members.append(self._person(sex, birth, Relationship.CUCU, own6, family))
            else:
                sex = rng.choice("LP")
                birth = self._birth(head_birth.year - 15, min(head_birth.year + 15, year))
                kind = rng.choice([Relationship.FAMILI_LAIN, Relationship.MENANTU, Relationship.LAINNYA])
                members.append(self._person(sex, birth, kind, self._adult_region(own6), None))
        issued_by = rng.choice(self.city_kecamatan).replace(".", "") if rng.random() < 0.10 else own6
        # A KK is issued again whenever its members change: after the youngest's birth.
        youngest = max(member.birth_date for member in members)
        issued = self._between(max(dt.date(2005, 1, 1), youngest), self.today)
        phone = f"+628{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7, 10**8)}"
        email = f"{members[0].full_name.split()[0].lower().rstrip('.')}{rng.randint(1, 999)}@example.com" \
            if rng.random() < 0.2 else ""
        return Household(
            kk_number=self.numbers.kk(issued_by, issued), kelurahan_code=kelurahan_code,
            address=f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}", rt=f"{rt:03d}", rw=f"{rw:03d}",
            phone=phone, email=email, members=members,
        )

    def households(self, count: int, *, interleaved: bool = False) -> Iterator[Household]:
        """``count`` households over the city's kelurahan, RW by RW within each.

        Kelurahan by kelurahan, as an office's files come; ``interleaved``:
        in the order households from all over the city registered, each
        kelurahan's share spread across the whole sequence (what a database
        that took registrations for years holds).
        """
        sizes = kelurahan_sizes(self.kelurahan, count, self.rng)
        if interleaved:
            order = [index for index, size in enumerate(sizes) for _ in range(size)]
            self.rng.shuffle(order)
        else:
            order = (index for index, size in enumerate(sizes) for _ in range(size))
        rws = [max(1, round(size / HOUSEHOLDS_PER_RW)) for size in sizes]
        seen = [0] * len(sizes)
        for index in order:
            size, number = sizes[index], seen[index]
            seen[index] += 1
            rw = 1 + number * rws[index] // max(size, 1)
            rt = 1 + self.rng.randrange(RT_PER_RW + self.rng.randrange(4))
            yield self.household(self.kelurahan[index], rt, rw)
