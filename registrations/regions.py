"""Load the shipped Kemendagri reference data into the Region table.

Used by a data migration (so a new install always has every region) and by
``manage.py load_regions`` (to apply a newer Kepmendagri table). The facts
ship with the project:

- ``kartusehat/data/kemendagri-kecamatan.csv``: every province, regency/city
  and kecamatan code, current and historic (Kepmendagri 300.2.2-2138/2025 and
  earlier), also what the NIK/KK rules check against (``kartusehat.identity``);
- ``registrations/data/wilayah/<PP.KK>.csv``: the kelurahan of each city that
  runs the portal.
"""

from __future__ import annotations

import csv
from pathlib import Path

from kartusehat.identity import KEMENDAGRI_CSV

WILAYAH_DIR = Path(__file__).resolve().parent / "data" / "wilayah"


def wilayah_file(city_code: str) -> Path:
    return WILAYAH_DIR / f"{city_code}.csv"


def _parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def read_rows() -> list[dict]:
    """All region rows, parents before children."""
    rows: dict[str, dict] = {}
    with KEMENDAGRI_CSV.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["code"]] = {
                "code": row["code"], "name": row["name"].strip(),
                "level": row["level"], "current": row["current"] == "yes",
            }
    for path in sorted(WILAYAH_DIR.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["code"] in rows:
                    continue  # the national table already has it
                rows[row["code"]] = {
                    "code": row["code"], "name": row["name"].strip(),
                    "level": row["level"], "current": True,
                }
    return sorted(rows.values(), key=lambda r: (r["code"].count("."), r["code"]))


def load_regions(Region) -> tuple[int, int]:
    """Insert missing regions and refresh names; returns (created, updated).

    ``Region`` is passed in so a migration can hand over its historical model.
    """
    existing = {r.code: r for r in Region.objects.all()}
    created = updated = 0
    for level_rows in _by_depth(read_rows()):
        new = []
        for row in level_rows:
            parent_code = _parent_code(row["code"])
            parent = existing.get(parent_code) if parent_code else None
            region = existing.get(row["code"])
            if region is None:
                new.append(Region(parent=parent, **row))
            elif (region.name, region.level, region.current, region.parent_id) != (
                row["name"], row["level"], row["current"], parent.pk if parent else None
            ):
                region.name, region.level, region.current, region.parent = (
                    row["name"], row["level"], row["current"], parent,
                )
                region.save()
                updated += 1
        for region in Region.objects.bulk_create(new, batch_size=1000):
            existing[region.code] = region
        if new and new[0].pk is None:  # backends that do not return ids
            existing.update({r.code: r for r in Region.objects.filter(code__in=[n.code for n in new])})
        created += len(new)
    return created, updated


def _by_depth(rows: list[dict]) -> list[list[dict]]:
    depths: dict[int, list[dict]] = {}
    for row in rows:
        depths.setdefault(row["code"].count("."), []).append(row)
    return [depths[d] for d in sorted(depths)]
