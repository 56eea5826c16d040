"""An authorised operator forces a mode with a public message; a new lot
hands the mode back to the stock."""

import pytest
from django.core.exceptions import PermissionDenied

from cards import selectors, services
from cards.models import ServiceMode
from kartusehat.refusals import Invalid
from tests.cards.queue_helpers import operator, receive
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Pencetakan kartu dihentikan sementara karena pemeliharaan printer."


def test_it_forces_registration_only_with_the_message_while_blanko_is_available():
    receive(1000, emergency_reserve=100)
    by = operator()

    service = services.mode_force(mode="registration_only", message=MESSAGE, by=by)

    assert (service.forced, service.message, service.updated_by) == ("registration_only", MESSAGE, by)
    status = selectors.service_status()
    assert (status["mode"], status["message"]) == ("registration_only", MESSAGE)


def test_it_forces_normal_without_stock():
    services.mode_force(mode="normal", message="Pencetakan berjalan seperti biasa.", by=operator())

    assert selectors.service_status()["mode"] == "normal"


@pytest.mark.parametrize("message", ["", "   ", "Tutup.", None])
def test_it_refuses_to_force_a_mode_without_a_message(message):
    receive(1000, emergency_reserve=100)

    with pytest.raises(Invalid) as refusal:
        services.mode_force(mode="registration_only", message=message, by=operator())

    assert "message" in refusal.value.errors
    assert ServiceMode.objects.get(pk=1).forced == ""
    assert selectors.service_status()["mode"] == "normal"


def test_it_refuses_an_unknown_mode():
    with pytest.raises(Invalid) as refusal:
        services.mode_force(mode="closed", message=MESSAGE, by=operator())

    assert "mode" in refusal.value.errors
    assert ServiceMode.objects.get(pk=1).forced == ""


def test_it_refuses_a_user_without_the_permission():
    with pytest.raises(PermissionDenied):
        services.mode_force(mode="registration_only", message=MESSAGE, by=UserFactory(username="tamu"))

    assert ServiceMode.objects.get(pk=1).forced == ""


def test_it_returns_to_automatic_without_a_message():
    receive(1000, emergency_reserve=100)
    services.mode_force(mode="registration_only", message=MESSAGE, by=operator())

    service = services.mode_force(mode="", message="", by=operator())

    assert (service.forced, service.message) == ("", "")
    assert selectors.service_status()["mode"] == "normal"


def test_it_keeps_the_history_of_who_forced_what():
    by = operator()
    services.mode_force(mode="registration_only", message=MESSAGE, by=by)
    services.mode_force(mode="", message="", by=by)

    history = list(ServiceMode.objects.get(pk=1).history.order_by("history_date").values_list("forced", "history_user"))
    assert history[-2:] == [("registration_only", by.pk), ("", by.pk)]


@pytest.mark.parametrize("forced", ["registration_only", "normal"])
def test_it_is_cleared_when_a_new_lot_arrives(forced):
    receive(10, emergency_reserve=10)
    services.mode_force(mode=forced, message=MESSAGE, by=operator())

    receive(50)

    service = ServiceMode.objects.get(pk=1)
    assert (service.forced, service.message) == ("", "")
    assert selectors.service_status()["mode"] == "normal"
    assert selectors.service_status()["message"] != MESSAGE
