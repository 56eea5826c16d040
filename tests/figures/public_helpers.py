"""Set-up for the public figures page tests: rollup rows written as a beat run would."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from figures.models import FiguresRun, KelurahanFigures
from registrations.models import KelurahanHouseholdTotal, Region


def kecamatan_codes() -> list[str]:
    return list(Region.objects.filter(level=Region.Level.KECAMATAN, code__startswith=settings.CITY_REGION_CODE + ".")
                .order_by("code").values_list("code", flat=True))


def first_kelurahan(kecamatan_code: str) -> Region:
    return Region.objects.filter(level=Region.Level.KELURAHAN, parent__code=kecamatan_code).order_by("code").first()


def rollup(verified: dict[str, int], **columns) -> None:
    """One rollup row per kecamatan (its first kelurahan) with ``verified`` households; ``columns`` on the first."""
    FiguresRun.objects.update_or_create(pk=1, defaults={"computed_at": timezone.now()})
    KelurahanFigures.objects.all().delete()
    for n, (code, count) in enumerate(verified.items()):
        KelurahanFigures.objects.create(kelurahan=first_kelurahan(code), households_verified=count,
                                        people_covered=count * 3, **(columns if n == 0 else {}))


def totals_everywhere(n: int) -> None:
    """A KK total for every kelurahan of the city (so each kecamatan's total is known)."""
    for kelurahan in Region.objects.filter(level=Region.Level.KELURAHAN,
                                           code__startswith=settings.CITY_REGION_CODE + "."):
        KelurahanHouseholdTotal.objects.update_or_create(kelurahan=kelurahan, defaults={"households_total": n})
