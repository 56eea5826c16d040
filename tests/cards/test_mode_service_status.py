"""``service_status()`` is what the home page and the API show."""

import pytest
from django.utils import translation

from cards import selectors, services
from tests.cards.queue_helpers import claimed, operator, queue, receive

pytestmark = pytest.mark.django_db


def test_it_has_the_contracts_keys_and_types():
    receive(800, emergency_reserve=300)

    status = selectors.service_status()

    assert set(status) == {"mode", "message", "blanko_available"}
    assert status["mode"] in ("normal", "registration_only")
    assert isinstance(status["message"], str) and status["message"].strip()
    assert isinstance(status["blanko_available"], int)


def test_it_counts_only_blanks_free_for_regular_cards():
    receive(800, emergency_reserve=300)
    queue(120)
    claimed(120)

    assert selectors.service_status()["blanko_available"] == 800 - 120 - 300


def test_it_explains_each_automatic_mode_differently():
    receive(10, emergency_reserve=0)
    with translation.override("en"):
        normal = selectors.service_status()
        services.stock_set_emergency_reserve(count=10, by=operator())
        stopped = selectors.service_status()

    assert (normal["mode"], stopped["mode"]) == ("normal", "registration_only")
    assert normal["message"] != stopped["message"]
    assert "emergenc" in stopped["message"].lower()
    assert "Registration is open" in normal["message"] and "Registration is open" in stopped["message"]


def test_it_speaks_bahasa_indonesia_by_default():
    receive(10, emergency_reserve=0)

    with translation.override("id"):
        indonesian = selectors.service_status()["message"]
    with translation.override("en"):
        english = selectors.service_status()["message"]

    assert indonesian != english
