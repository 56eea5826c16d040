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


def _within(area_code: str) -> Q:
    return Q(code=area_code) | Q(code__startswith=area_code + ".")


def area_kelurahan_ids(user) -> list[int] | None:
    """The ids of the kelurahan in the user's area; None for a superuser (everything).

    Rows are scoped by these ids (``kelurahan_id IN (…)``), not by matching
    region codes in the query: the planner estimates an id list right, where
    ``code = … OR code LIKE '….%'`` over a join made it expect a few thousand
    rows of a city's 730,000 and choose nested loops.
    """
    if sees_everything(user):
        return None
    region = staff_region(user)
    if region is None:
        return []
    # A page asks several times (list, filters, inlines): read once per user
    # object and area (a request's user is a new object each time).
    cached = getattr(user, "_kartusehat_area_ids", None)
    if cached is None or cached[0] != region.code:
        ids = list(region_model().objects.filter(_within(region.code), level="kelurahan").values_list("pk", flat=True))
        cached = (region.code, ids)
        user._kartusehat_area_ids = cached
    return list(cached[1])


def _area_q(ids: list[int], kelurahan_path: str) -> Q:
    return Q(**{f"{kelurahan_path}_id__in": ids})


def scope(queryset: QuerySet, user, kelurahan_path: str = "kelurahan") -> QuerySet:
    """Only the rows whose kelurahan is inside the user's area."""
    ids = area_kelurahan_ids(user)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(_area_q(ids, kelurahan_path))


def kelurahan_in_area(user) -> QuerySet:
    """The kelurahan (current codes) a user may pick or filter by."""
    return region_model().objects.filter(pk__in=kelurahan_ids_in_area(user), current=True)


def kelurahan_ids_in_area(user) -> list[int]:
    """The ids of the kelurahan of the city a user works in (a superuser: all of
    them). To filter a city-sized query by, as a list of numbers: as a subquery
    of the region table the planner misjudges it."""
    ids = area_kelurahan_ids(user)
    if ids is None:
        ids = list(region_model().objects.filter(level="kelurahan", code__startswith=settings.CITY_REGION_CODE + ".")
                   .values_list("pk", flat=True))
    return ids


def annotate_full_view(queryset: QuerySet, user, kelurahan_path: str = "kelurahan") -> QuerySet:
    """Add ``full_view``: may this user see the row's NIK/KK in full?"""
    ids = area_kelurahan_ids(user)
    if ids is None or not ids:
        flag = Value(ids is None, output_field=BooleanField())
    else:
        flag = Case(When(_area_q(ids, kelurahan_path), then=Value(True)), default=Value(False),
                    output_field=BooleanField())
    return queryset.annotate(full_view=flag)
