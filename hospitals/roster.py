"""The starting roster of partner facilities, shipped as data.

``data/roster/<PP.KK>.csv`` lists a city's facilities with one agreement
each. Their names and places are public; their agreements are marked demo
(``is_demo``): the health office confirms each against the signed PKS, or
corrects or ends it. Loaded by a data migration on a new install, and by
``manage.py load_roster`` on an existing one (facilities already on the
roster are left as they are).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

ROSTER_DIR = Path(__file__).resolve().parent / "data" / "roster"


def roster_file(city_code: str) -> Path:
    return ROSTER_DIR / f"{city_code}.csv"


def read_roster(city_code: str) -> list[dict]:
    path = roster_file(city_code)
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(fh)]


def load_roster(Facility, Agreement, Region, *, city_code: str) -> int:
    """Add the shipped facilities missing from the roster; returns how many.

    The models are passed in so a migration can hand over its historical ones.
    """
    created = 0
    for row in read_roster(city_code):
        kecamatan = Region.objects.get(code=row["kecamatan"], level="kecamatan") if row["kecamatan"] else None
        if Facility.objects.filter(name=row["name"], city=row["city"]).exists():
            continue
        facility = Facility.objects.create(
            name=row["name"], type=row["type"], hospital_class=row["hospital_class"],
            kemenkes_code=row["kemenkes_code"], address=row["address"], kecamatan=kecamatan, city=row["city"],
            phone=row["phone"], inpatient=row["inpatient"] == "1", emergency_24h=row["emergency_24h"] == "1",
            poned=row["poned"] == "1",
        )
        if row["pks_number"] and not Agreement.objects.filter(pks_number=row["pks_number"]).exists():
            Agreement.objects.create(
                facility=facility, pks_number=row["pks_number"], is_demo=True,
                start_date=dt.date.fromisoformat(row["agreement_start"]),
                end_date=dt.date.fromisoformat(row["agreement_end"]),
            )
        created += 1
    return created
