import time

import pytest
from django.urls import reverse

from kartusehat import receipts
from registrations import views
from tests.factories import registration_data
from tests.web.helpers import form_data


@pytest.mark.django_db
def test_it_stops_showing_the_receipt_after_half_an_hour(client, monkeypatch):
    response = client.post(reverse("registrations:register"), form_data(registration_data()))
    assert response.status_code == 302
    assert client.get(reverse("registrations:done")).status_code == 200

    later = time.time() + receipts.RECEIPT_SECONDS + 1
    monkeypatch.setattr(receipts.time, "time", lambda: later)
    response = client.get(reverse("registrations:done"))
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:register")
    assert views.SESSION_DONE not in client.session
