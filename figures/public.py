"""The programme's figures for everyone (the public page ``/angka/``).

Read from the same rollup as the stats API (``figures.selectors.coverage`` and
``cards`` for the whole city), never counted again. Aggregates only, and every
count under ``SMALL`` is shown as "< 10": a kecamatan with three verified
households must not let a neighbour work out whose they are. A percentage
computed from a hidden count is hidden too. Where exactly one count of a column
is hidden and the total beside it is shown, the next smallest is hidden as well
(secondary suppression): otherwise the total minus the others gives it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from cards.selectors import service_status
from registrations.models import Region

from . import selectors

SMALL = 10
# Cards that have left the printer and not been revoked: the public "cards printed".
PRINTED_STAGES = ("printed", "dispatched", "ready_for_pickup", "collected")


@dataclass(frozen=True)
class Shown:
    """A figure as the public page shows it: ``value`` is None when hidden or unknown."""

    value: int | float | None
    hidden: bool = False

    @property
    def known(self) -> bool:
        return self.value is not None


def _shown(value: int | None) -> Shown:
    if value is None:
        return Shown(None)
    return Shown(None, hidden=True) if value < SMALL else Shown(value)


def _hide_complements(values: list[Shown], raw: list[int | None], total: Shown) -> list[Shown]:
    """Hide a second cell where one alone is hidden and the total would reveal it."""
    hidden = [i for i, cell in enumerate(values) if cell.hidden]
    if len(hidden) != 1 or not total.known:
        return values
    others = sorted((raw[i], i) for i, cell in enumerate(values) if cell.known)
    if others:
        values = list(values)
        values[others[0][1]] = Shown(None, hidden=True)
    return values


def _pct(verified: Shown, total: Shown) -> Shown:
    if verified.hidden or total.hidden:
        return Shown(None, hidden=True)
    if not verified.known or not total.value:
        return Shown(None)
    return Shown(round(verified.value * 100 / total.value, 1))


def public_area() -> selectors.Area | None:
    """The whole city, as the figures selectors read it."""
    region = Region.objects.filter(code=settings.CITY_REGION_CODE).first()
    if region is None:
        return None
    ids = list(Region.objects.filter(level=Region.Level.KELURAHAN, code__startswith=settings.CITY_REGION_CODE + ".")
               .values_list("pk", flat=True))
    return selectors.Area(region=region, kelurahan_ids=ids)


def public_figures() -> dict | None:
    """``{"as_of", "target_pct", "city", "kecamatan", "cards", "service"}`` with small counts hidden; None
    when the city's regions are not loaded."""
    area = public_area()
    if area is None:
        return None
    coverage = selectors.coverage(area)
    cards = selectors.cards(area)
    children = coverage["children"]

    city_total = _shown(coverage["area"]["households_total"])
    city_verified = _shown(coverage["area"]["households_verified"])
    raw_verified = [child["households_verified"] for child in children]
    raw_totals = [child["households_total"] for child in children]
    verified = _hide_complements([_shown(n) for n in raw_verified], raw_verified, city_verified)
    # A kecamatan's KK total is shown only when all of its kelurahan have one (the selector's rule).
    totals = _hide_complements([_shown(n) for n in raw_totals], raw_totals,
                               city_total if all(n is not None for n in raw_totals) else Shown(None))
    kecamatan = []
    for child, shown_verified, shown_total in zip(children, verified, totals, strict=True):
        pct = _pct(shown_verified, shown_total)
        kecamatan.append({"code": child["code"], "name": child["name"], "households_total": shown_total,
                          "households_verified": shown_verified, "coverage_pct": pct,
                          # The bar's length in the chart: 0 to 100, none when hidden or unknown.
                          "bar": min(pct.value, 100.0) if pct.known else None})
    printed = sum(cards["by_status"][stage] for stage in PRINTED_STAGES)
    city_pct = _pct(city_verified, city_total)
    return {
        "as_of": coverage["as_of"],
        "target_pct": coverage["target_pct"],
        "city": {"name": coverage["area"]["name"], "households_total": city_total,
                 "households_verified": city_verified, "coverage_pct": city_pct,
                 "bar": min(city_pct.value, 100.0) if city_pct.known else None,
                 "people_covered": _shown(coverage["area"]["people_covered"])},
        "kecamatan": kecamatan,
        "cards": {"printed": _shown(printed), "collected": _shown(cards["by_status"]["collected"])},
        "service": service_status(),
    }
