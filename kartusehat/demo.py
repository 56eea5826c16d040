"""Demo data for trying the portal (``manage.py load_demo``, run by ``make run``).

Each app brings its own part in ``<app>/demo.py``, registered with
:func:`loader` and found the way the admin finds ``admin.py`` modules
(``autodiscover_modules``): the platform names no app. Loaders run in their
``order`` and share one :class:`DemoContext` (the seed, the superuser, the
staff users made so far, and what to tell the person at the end).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.module_loading import autodiscover_modules

from . import areas

DEMO_PASSWORD = "kartusehat-demo"

_LOADERS: list[tuple[int, str, Callable]] = []


@dataclass
class DemoContext:
    households: int
    seed: int
    rng: random.Random
    city: str = field(default_factory=lambda: settings.CITY_REGION_CODE)
    admin: object = None
    # Data was loaded before: loaders only make sure their users exist.
    already_loaded: bool = False
    summary: list[str] = field(default_factory=list)
    # (username, what the login is for): admin staff, then hospital desks.
    staff_logins: list[tuple[str, str]] = field(default_factory=list)
    desk_logins: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def staff_user(self, username: str, *, area_code: str, name: str, group: str, purpose: str):
        """A staff user of ``group`` working for the area ``area_code`` (``{city}`` is the city's code)."""
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "first_name": name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=group))
        region = areas.region_model().objects.get(code=area_code.format(city=self.city))
        areas.staff_area_model().objects.update_or_create(user=user, defaults={"region": region})
        self.staff_logins.append((username, purpose))
        return user


def loader(order: int):
    """Register an app's demo loader; lower ``order`` runs first."""

    def register(function: Callable[[DemoContext], None]):
        _LOADERS.append((order, f"{function.__module__}.{function.__qualname__}", function))
        return function

    return register


def superuser():
    admin, created = get_user_model().objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "Admin"}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    return admin


def load(*, households: int, seed: int) -> DemoContext:
    autodiscover_modules("demo")
    context = DemoContext(households=households, seed=seed, rng=random.Random(seed), admin=superuser())
    for _order, _name, function in sorted(_LOADERS, key=lambda entry: entry[:2]):
        function(context)
    return context
