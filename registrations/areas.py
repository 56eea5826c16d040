"""Area scoping: a staff user works for a kelurahan, a kecamatan or the city.

Region codes nest (32.75 > 32.75.02 > 32.75.02.1002), so "inside my area" is
a code prefix. A staff user without an area sees nothing: scoping fails
closed. A superuser sees everything.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from .models import Region


def staff_region(user) -> Region | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff_area.region
    except ObjectDoesNotExist:  # no area, no access
        return None


def sees_everything(user) -> bool:
    return bool(user is not None and getattr(user, "is_superuser", False) and user.is_active)


def user_covers(user, region_code: str) -> bool:
    """Whether ``region_code`` (a kelurahan, usually) lies in the user's area."""
    if sees_everything(user):
        return True
    region = staff_region(user)
    return region is not None and region.contains(region_code)


def scope(queryset: QuerySet, user, kelurahan_path: str = "kelurahan") -> QuerySet:
    """Only the rows whose kelurahan is inside the user's area."""
    if sees_everything(user):
        return queryset
    region = staff_region(user)
    if region is None:
        return queryset.none()
    return queryset.filter(_area_q(region, kelurahan_path))


def kelurahan_in_area(user) -> QuerySet:
    """The kelurahan a user may pick or filter by."""
    qs = Region.objects.filter(level=Region.Level.KELURAHAN, current=True)
    if sees_everything(user):
        return qs.filter(code__startswith=settings.CITY_REGION_CODE + ".")
    region = staff_region(user)
    if region is None:
        return qs.none()
    return qs.filter(Q(code=region.code) | Q(code__startswith=region.code + "."))


def _area_q(region: Region, kelurahan_path: str) -> Q:
    return Q(**{f"{kelurahan_path}__code": region.code}) | Q(
        **{f"{kelurahan_path}__code__startswith": region.code + "."}
    )


def annotate_full_view(queryset: QuerySet, user, kelurahan_path: str = "kelurahan") -> QuerySet:
    """Add ``full_view``: may this user see the row's NIK/KK in full?"""
    region = staff_region(user)
    if sees_everything(user) or region is None:
        flag = Value(sees_everything(user), output_field=BooleanField())
    else:
        flag = Case(
            When(_area_q(region, kelurahan_path), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    return queryset.annotate(full_view=flag)
