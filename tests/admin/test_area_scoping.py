"""Staff of one kelurahan cannot list, open, search or act on another's registrations."""

import pytest
from django.urls import reverse

from registrations.models import Registration
from tests.factories import BEKASI_BARAT, BINTARA, CITY, KRANJI, MARGAJAYA, staff_user, submit, superuser

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:registrations_registration_changelist"


@pytest.fixture
def regs():
    return {code: submit(code) for code in (KRANJI, BINTARA, MARGAJAYA)}


def _listed(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return {r.reference for r in response.context["cl"].result_list}


@pytest.mark.parametrize(
    "area, visible",
    [
        (KRANJI, {KRANJI}),
        (BEKASI_BARAT, {KRANJI, BINTARA}),
        (CITY, {KRANJI, BINTARA, MARGAJAYA}),
        (None, set()),
    ],
)
def test_it_lists_only_the_registrations_of_the_users_area(client, regs, area, visible):
    client.force_login(staff_user(area))

    assert _listed(client) == {regs[code].reference for code in visible}


def test_it_lists_everything_for_a_superuser(client, regs):
    client.force_login(superuser())

    assert _listed(client) == {r.reference for r in regs.values()}


def test_it_does_not_open_another_kelurahans_registration(client, regs):
    client.force_login(staff_user(KRANJI))
    other = regs[MARGAJAYA]

    response = client.get(reverse("admin:registrations_registration_change", args=[other.pk]))

    # Exactly the admin's answer for an id that does not exist at all.
    unknown = client.get(reverse("admin:registrations_registration_change", args=[999999]))
    assert response.status_code == unknown.status_code == 302
    assert response["Location"] == unknown["Location"] == reverse("admin:index")
    own = client.get(reverse("admin:registrations_registration_change", args=[regs[KRANJI].pk]))
    assert own.status_code == 200 and regs[KRANJI].reference in own.content.decode()


def test_it_does_not_show_another_kelurahans_history(client, regs):
    client.force_login(staff_user(KRANJI))

    response = client.get(reverse("admin:registrations_registration_history", args=[regs[MARGAJAYA].pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("what", ["reference", "kk_number", "nik", "name"])
def test_it_finds_nothing_of_another_kelurahan_by_search(client, regs, what):
    client.force_login(staff_user(KRANJI))
    other = regs[MARGAJAYA]
    head = other.members.get(relationship="kepala_keluarga")
    term = {"reference": other.reference, "kk_number": other.kk_number, "nik": head.nik, "name": head.full_name}[what]

    assert _listed(client, q=term) == set()


def test_it_finds_its_own_registration_by_a_nik_typed_with_separators(client, regs):
    client.force_login(staff_user(KRANJI))
    nik = regs[KRANJI].members.get(position=0).nik

    assert _listed(client, q=f"{nik[:4]} {nik[4:8]}.{nik[8:12]}-{nik[12:]}") == {regs[KRANJI].reference}


def test_it_does_not_act_on_another_kelurahans_registration(client, regs):
    client.force_login(staff_user(KRANJI))
    other = regs[MARGAJAYA]

    client.post(reverse(CHANGELIST), {"action": "verify_selected", "_selected_action": [other.pk, regs[KRANJI].pk]})

    assert Registration.objects.get(pk=other.pk).status == "submitted"
    assert Registration.objects.get(pk=regs[KRANJI].pk).status == "verified"


def test_it_does_not_reject_another_kelurahans_registration(client, regs):
    client.force_login(staff_user(KRANJI))
    other = regs[MARGAJAYA]

    client.post(
        reverse(CHANGELIST),
        {"action": "reject_selected", "_selected_action": [other.pk], "apply": "1", "reason": "Data tidak lengkap"},
    )

    assert Registration.objects.get(pk=other.pk).status == "submitted"


def test_it_offers_only_the_users_kelurahan_in_the_filter(client, regs):
    client.force_login(staff_user(BEKASI_BARAT))

    response = client.get(reverse(CHANGELIST))

    spec = next(f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", None) == "kelurahan")
    codes = {code for code, _name in spec.lookup_choices}
    assert codes == {"32.75.02.1001", "32.75.02.1002", "32.75.02.1003", "32.75.02.1004", "32.75.02.1005"}


def test_it_scopes_households_the_same_way(client, regs):
    from registrations import services

    for registration in regs.values():
        services.registration_verify(registration_id=registration.pk, by=superuser())
    client.force_login(staff_user(KRANJI))

    response = client.get(reverse("admin:registrations_household_changelist"))
    listed = {h.kk_number for h in response.context["cl"].result_list}
    other = Registration.objects.get(pk=regs[MARGAJAYA].pk).household

    assert listed == {regs[KRANJI].kk_number}
    opened = client.get(reverse("admin:registrations_household_change", args=[other.pk]))
    assert opened.status_code == 302


def test_it_finds_its_own_registration_by_a_reference_typed_loosely(client, regs):
    client.force_login(staff_user(KRANJI))
    loose = regs[KRANJI].reference.lower().replace("-", " ")

    assert _listed(client, q=loose) == {regs[KRANJI].reference}
