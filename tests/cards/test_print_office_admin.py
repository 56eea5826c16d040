"""The print office's admin: every write goes through cards.services."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.translation import gettext

from cards.models import Batch, Card, LedgerEntry, Lot, ServiceMode, Stock
from cards.roles import PRINT_OFFICE
from tests.factories import KRANJI, UserFactory, blanko, staff_user, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = UserFactory(username="operator.cetak")
    user.groups.add(Group.objects.get(name=PRINT_OFFICE))
    client.force_login(user)
    return client


def test_it_records_a_lot_through_the_service(operator):
    response = operator.post("/admin/cards/lot/add/", {
        "reference": "SPK-2026-01", "budget_year": "2026", "quantity": "600", "received_on": "2026-01-05",
    })

    assert response.status_code == 302
    assert Stock.objects.get().on_hand == 600
    assert LedgerEntry.objects.get().kind == "received"


def test_it_shows_the_services_refusal_next_to_the_field(operator):
    blanko(10, reference="SPK-2026-01")

    response = operator.post("/admin/cards/lot/add/", {
        "reference": "SPK-2026-01", "budget_year": "2026", "quantity": "600", "received_on": "2026-01-05",
    })

    assert response.status_code == 200
    with translation.override("id"):
        assert gettext("A lot with this reference has already been recorded.") in response.content.decode()
    assert Lot.objects.count() == 1


def test_it_records_an_adjustment_with_its_reason(operator):
    blanko(100)

    response = operator.post("/admin/cards/ledgerentry/add/", {"kind": "adjustment", "quantity": "-4",
        "reason": "stock opname Juni"})

    assert response.status_code == 302
    assert Stock.objects.get().on_hand == 96


def test_it_forces_a_mode_with_a_public_message(operator):
    response = operator.post("/admin/cards/servicemode/1/change/", {"forced": "registration_only",
        "message": "Blanko habis; hanya kartu darurat."})

    assert response.status_code == 302
    assert ServiceMode.objects.get().forced == "registration_only"


def test_it_lists_the_queue_with_counts_and_masked_kk(operator):
    verified()

    response = operator.get("/admin/cards/card/")

    assert response.status_code == 200
    card = Card.objects.get()
    assert card.number in response.content.decode()
    assert card.household.kk_number not in response.content.decode()


def test_it_reports_a_misprinted_card_and_requeues_it(operator):
    from cards import services

    blanko(20, emergency_reserve=0)
    verified()
    batch = Batch.objects.create(size=5)
    services.batch_claim(batch_id=batch.pk)
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/x.pdf")
    card = Card.objects.get()

    response = operator.post("/admin/cards/card/", {
        "action": "spoil_selected", "_selected_action": [card.pk], "apply": "1", "reason": "tinta luntur",
    })

    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == "queued"
    stock = Stock.objects.get()
    assert (stock.consumed, stock.spoiled) == (0, 1)


def test_it_hides_the_print_office_from_kelurahan_staff(client):
    client.force_login(staff_user(KRANJI))

    assert client.get("/admin/cards/card/").status_code == 403
    assert client.get("/admin/cards/lot/add/").status_code == 403
