"""Area scoping: a staff user works for a kelurahan, a kecamatan or the city.

Region codes nest (32.75 > 32.75.02 > 32.75.02.1002), so "inside my area" is
a code prefix. A staff user without an area sees nothing: scoping fails
closed. A superuser sees everything.

The region and staff-area models live in the registrations app (moving them
would rename their tables, content types and permissions). The platform
names them in settings (``KARTUSEHAT_REGION_MODEL``,
``KARTUSEHAT_STAFF_AREA_MODEL``), as Django names ``AUTH_USER_MODEL``, and
never imports the app.
"""

from __future__ import annotations

import functools

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When


def region_model():
    return apps.get_model(settings.KARTUSEHAT_REGION_MODEL)


def staff_area_model():
    return apps.get_model(settings.KARTUSEHAT_STAFF_AREA_MODEL)


@functools.cache
def _staff_area_accessor() -> str:
    """The user's attribute that holds their staff area (``user.staff_area``)."""
    return staff_area_model()._meta.get_field("user").remote_field.get_accessor_name()


def code_within(code: str, area_code: str) -> bool:
    """Whether the region ``code`` lies inside the area ``area_code`` (or is it)."""
    return code == area_code or code.startswith(area_code + ".")


def staff_region(user):
    """The region the user works for, or None (no area, no access)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return getattr(user, _staff_area_accessor()).region
    except ObjectDoesNotExist:  # no area, no access
        return None


def sees_everything(user) -> bool:
    return bool(user is not None and getattr(user, "is_superuser", False) and user.is_active)


def user_covers(user, region_code: str) -> bool:
    """Whether ``region_code`` (a kelurahan, usually) lies in the user's area."""
    if sees_everything(user):
        return True
    region = staff_region(user)
    return region is not None and code_within(region_code, region.code)


def _area_q(area_code: str, kelurahan_path: str) -> Q:
    return Q(**{f"{kelurahan_path}__code": area_code}) | Q(**{f"{kelurahan_path}__code__startswith": area_code + "."})


def scope(queryset: QuerySet, user, kelurahan_path: str = "kelurahan") -> QuerySet:
    """Only the rows whose kelurahan is inside the user's area."""
    if sees_everything(user):
        return queryset
    region = staff_region(user)
    if region is None:
        return queryset.none()
    return queryset.filter(_area_q(region.code, kelurahan_path))


def kelurahan_in_area(user) -> QuerySet:
    """The kelurahan (current codes) a user may pick or filter by."""
    kelurahan = region_model().objects.filter(level="kelurahan", current=True)
    if sees_everything(user):
        return kelurahan.filter(code__startswith=settings.CITY_REGION_CODE + ".")
    region = staff_region(user)
    if region is None:
        return kelurahan.none()
    return kelurahan.filter(Q(code=region.code) | Q(code__startswith=region.code + "."))


def annotate_full_view(queryset: QuerySet, user, kelurahan_path: str = "kelurahan") -> QuerySet:
    """Add ``full_view``: may this user see the row's NIK/KK in full?"""
    region = staff_region(user)
    if sees_everything(user) or region is None:
        flag = Value(sees_everything(user), output_field=BooleanField())
    else:
        flag = Case(
            When(_area_q(region.code, kelurahan_path), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    return queryset.annotate(full_view=flag)
