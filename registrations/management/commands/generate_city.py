"""Write a synthetic city in the bulk-import format (``registrations.synthetic``).

    manage.py generate_city --out DIR [--households 730000] [--seed 2018] [--bad-rows 2.5] [--kelurahan CODE]

``DIR/households.csv`` holds one row per person, as an RW coordinator's
spreadsheet would: household columns on the head's row only or repeated on
every row, dates and RT/RW written the several ways people write them, NIKs
kept as text. With ``--bad-rows PCT``, that share of households carries one
row damaged the way real files are (``BAD_KINDS``); ``DIR/bad-rows.csv``
lists each damaged row, its kind and the column an import must report it on.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registrations.models import Region, Relationship
from registrations.synthetic import CityGenerator, Household

COLUMNS = ["no_kk", "nik", "nama_lengkap", "tanggal_lahir", "jenis_kelamin", "hubungan", "alamat", "rt", "rw",
           "kelurahan", "no_hp", "email"]
RELATIONSHIP_WORDS = {
    Relationship.KEPALA_KELUARGA: "KEPALA KELUARGA", Relationship.SUAMI: "SUAMI", Relationship.ISTRI: "ISTRI",
    Relationship.ANAK: "ANAK", Relationship.MENANTU: "MENANTU", Relationship.CUCU: "CUCU",
    Relationship.ORANG_TUA: "ORANG TUA", Relationship.MERTUA: "MERTUA", Relationship.FAMILI_LAIN: "FAMILI LAIN",
    Relationship.LAINNYA: "LAINNYA",
}
EXCEL_EPOCH = dt.date(1899, 12, 30)

# Damage real files carry, and the column an import must name for each.
BAD_KINDS = {
    "nik_scientific": "nik",  # a NIK Excel showed as 3.27502E+15
    "nik_float_truncated": "nik",  # its last digits turned to zeros by a Number cell
    "nik_trailing_point_zero": "nik",  # saved as 3275011505800003.0
    "date_unreadable": "tanggal_lahir",
    "birth_date_disagrees_with_nik": "nik",
    "sex_disagrees_with_nik": "nik",
    "rt_not_a_number": "rt",
    "phone_not_mobile": "no_hp",
    "name_with_digits": "nama_lengkap",
    "relationship_unknown": "hubungan",
    "no_head": "hubungan",
    "nik_twice": "nik",
    "household_fields_disagree": "alamat",
    "kk_outside_city": "no_kk",
}


class Command(BaseCommand):
    help = "Write a synthetic city as household lists in the bulk-import format."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=730_000)
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--out", required=True, help="directory to write households.csv and bad-rows.csv to")
        parser.add_argument("--bad-rows", type=float, default=0.0, help="percent of households with one damaged row")
        parser.add_argument("--kelurahan", default="", help="only this kelurahan (code), as one office's file")

    def handle(self, *args, households, seed, out, bad_rows, kelurahan, **options):
        if households < 1:
            raise CommandError("--households must be 1 or more.")
        if not 0 <= bad_rows <= 100:
            raise CommandError("--bad-rows is a percentage, 0 to 100.")
        codes = list(Region.objects.filter(
            level=Region.Level.KELURAHAN, current=True, code__startswith=settings.CITY_REGION_CODE + ".",
        ).order_by("code").values_list("code", flat=True))
        if kelurahan:
            if kelurahan not in codes:
                raise CommandError(f"{kelurahan} is not a kelurahan of {settings.KARTUSEHAT_CITY['name']}.")
            codes = [kelurahan]
        if not codes:
            raise CommandError("No kelurahan of the city: run 'manage.py migrate' first.")
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        writer = CityWriter(seed=seed, bad_percent=bad_rows)
        generator = CityGenerator(kelurahan=codes, seed=seed, today=timezone.localdate())
        with (directory / "households.csv").open("w", newline="", encoding="utf-8") as rows_file, \
                (directory / "bad-rows.csv").open("w", newline="", encoding="utf-8") as bad_file:
            writer.write(generator.households(households), csv.writer(rows_file), csv.writer(bad_file))
        self.stdout.write(
            f"{writer.households:,} households, {writer.people:,} people, {writer.damaged:,} damaged rows "
            f"-> {directory / 'households.csv'} ({time.perf_counter() - started:.0f} s)"
        )


class CityWriter:
    """Rows as a spreadsheet holds them, with damage where asked for."""

    def __init__(self, *, seed: int, bad_percent: float):
        # Its own random stream: the same city whatever the share of damage.
        self.rng = random.Random(seed * 7919 + 1)
        self.bad_share = bad_percent / 100
        self.households = self.people = self.damaged = 0
        self.row = 1  # the header is row 1, as Excel numbers it

    def write(self, households, rows, bad) -> None:
        rows.writerow(COLUMNS)
        bad.writerow(["baris", "no_kk", "nik", "kind", "kolom"])
        kinds = sorted(BAD_KINDS)
        for household in households:
            lines = self.lines(household)
            if self.bad_share and self.rng.random() < self.bad_share:
                kind = kinds[self.households % len(kinds)]
                index = self.damage(kind, household, lines)
                if index is not None:
                    self.damaged += 1
                    bad.writerow([self.row + 1 + index, lines[0][0], lines[index][1], kind, BAD_KINDS[kind]])
            rows.writerows(lines)
            self.row += len(lines)
            self.households += 1
            self.people += len(lines)

    def lines(self, household: Household) -> list[list[str]]:
        rng = self.rng
        repeat = rng.random() < 0.4  # household columns on every row, or on the head's row only
        kk = self.number(household.kk_number)
        lines = []
        for index, member in enumerate(household.members):
            line = [kk, self.number(member.nik), member.full_name, self.date(member.birth_date),
                    self.sex(member.sex), RELATIONSHIP_WORDS[member.relationship]]
            if index == 0 or repeat:
                line += [household.address, self.rt_rw(household.rt, "RT"), self.rt_rw(household.rw, "RW"),
                         household.kelurahan_code, self.phone(household.phone), household.email]
            else:
                line += ["", "", "", "", "", ""]
            lines.append(line)
        return lines

    def number(self, digits: str) -> str:
        # Offices type numbers as text; some keep Excel's leading apostrophe.
        return "'" + digits if self.rng.random() < 0.05 else digits

    def date(self, value: dt.date) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            return value.strftime("%d-%m-%Y")
        if roll < 0.75:
            return value.strftime("%d/%m/%Y")
        if roll < 0.90:
            return value.isoformat()
        if roll < 0.99:
            return value.strftime("%d.%m.%Y")
        return str((value - EXCEL_EPOCH).days)  # a cell Excel turned into its serial number

    def sex(self, sex: str) -> str:
        return sex if self.rng.random() < 0.85 else {"L": "LAKI-LAKI", "P": "PEREMPUAN"}[sex]

    def rt_rw(self, value: str, word: str) -> str:
        roll = self.rng.random()
        if roll < 0.6:
            return value
        if roll < 0.85:
            return str(int(value))
        return f"{word} {value[1:]}"

    def phone(self, phone: str) -> str:
        roll = self.rng.random()
        if roll < 0.7:
            return "0" + phone[3:]
        if roll < 0.9:
            return phone[1:]
        return phone[3:]  # Excel dropped the leading 0

    def damage(self, kind: str, household: Household, lines: list[list[str]]) -> int | None:
        """Damage one row of the household; its index, or None when this household cannot carry it."""
        index = self.rng.randrange(len(lines))
        line = lines[index]
        member = household.members[index]
        if kind == "nik_scientific":
            line[1] = f"{int(member.nik):.5E}"
        elif kind == "nik_float_truncated":
            line[1] = member.nik[:12] + "0000"
        elif kind == "nik_trailing_point_zero":
            line[1] = member.nik + ".0"
        elif kind == "date_unreadable":
            line[3] = "31-02-" + str(member.birth_date.year)
        elif kind == "birth_date_disagrees_with_nik":
            line[3] = (member.birth_date - dt.timedelta(days=1)).strftime("%d-%m-%Y")
        elif kind == "sex_disagrees_with_nik":
            line[4] = {"L": "P", "P": "L"}[member.sex]
        elif kind == "rt_not_a_number":
            index, line = 0, lines[0]
            line[7] = "RT satu"
        elif kind == "phone_not_mobile":
            index, line = 0, lines[0]
            line[10] = "021-8800123"
        elif kind == "name_with_digits":
            line[2] = member.full_name.split()[0] + " 2"
        elif kind == "relationship_unknown":
            line[5] = "TETANGGA"
        elif kind == "no_head":
            index, line = 0, lines[0]
            line[5] = "ANAK"
        elif kind == "nik_twice":
            if len(lines) < 2:
                return None
            index = len(lines) - 1
            lines[index][1] = lines[0][1]
        elif kind == "household_fields_disagree":
            if len(lines) < 2:
                return None
            index = len(lines) - 1
            lines[index][6:12] = lines[0][6:12]
            lines[index][6] = lines[0][6] + " Blok Z"
        elif kind == "kk_outside_city":
            # Issued in the same-numbered kecamatan of Kabupaten Bekasi (32.16):
            # a real region, and a KK no other household of the file has.
            for each in lines:
                each[0] = "3216" + household.kk_number[4:]
            index = 0
        return index
