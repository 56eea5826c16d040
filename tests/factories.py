"""Factories for tests: staff users with an area, valid registration input."""

from __future__ import annotations

import itertools
import random

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from registrations import services
from registrations.demo import NumberSource, household_data
from registrations.models import Region, StaffArea
from registrations.roles import KELURAHAN_STAFF

KRANJI = "32.75.02.1002"       # Bekasi Barat
BINTARA = "32.75.02.1001"      # Bekasi Barat
MARGAJAYA = "32.75.04.1002"    # Bekasi Selatan
BEKASI_BARAT = "32.75.02"
CITY = "32.75"

_rng = random.Random(7)
_numbers = NumberSource(_rng, start=1)
_counter = itertools.count(1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"petugas{n}")
    is_staff = True


def staff_user(area_code: str | None, **kwargs):
    """A kelurahan-staff user working for ``area_code`` (None: no area)."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=KELURAHAN_STAFF))
    if area_code:
        StaffArea.objects.create(user=user, region=Region.objects.get(code=area_code))
    return user


def superuser():
    return UserFactory(username="root", is_superuser=True)


def registration_data(kelurahan_code: str = KRANJI, *, size: int = 3, **overrides) -> dict:
    """Valid raw input for one household; every call gives new numbers."""
    data = household_data(_rng, _numbers, kelurahan_code=kelurahan_code, size=size)
    data.update(overrides)
    return data


def submit(kelurahan_code: str = KRANJI, *, channel: str = "online", **overrides):
    return services.registration_submit(
        data=registration_data(kelurahan_code, **overrides), channel=channel
    )


def verified(kelurahan_code: str = KRANJI, **overrides):
    """A registration verified by a superuser, so its household is active."""
    registration = submit(kelurahan_code, **overrides)
    return services.registration_verify(registration_id=registration.pk, by=superuser())


def blanko(quantity: int, *, reference: str | None = None, emergency_reserve: int | None = None):
    """Receive a lot of ``quantity`` blank cards (and set the emergency reserve)."""
    import datetime as dt

    from cards import services as card_services

    operator = superuser()
    lot = card_services.stock_receive(
        budget_year=2026, quantity=quantity, received_on=dt.date(2026, 1, 5),
        reference=reference or f"LOT-{next(_counter)}", by=operator,
    )
    if emergency_reserve is not None:
        card_services.stock_set_emergency_reserve(count=emergency_reserve, by=operator)
    return lot
