"""Staff find a household by anything they hold: a NIK, a KK, a card number,
a reference, a name. Numbers are looked up by equality (or by their first
digits), never with ``LIKE '%digits%'``, which no index serves; names
through the trigram index on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cards.models import Card
from tests.cards.distribution_helpers import ready
from tests.factories import KRANJI, submit, superuser, verified

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/admin/registrations/registration/"
HOUSEHOLDS = "/admin/registrations/household/"
MEMBERS = "/admin/registrations/member/"
PICKUP = "/admin/cards/pickupcard/"
CARDS = "/admin/cards/card/"


@pytest.fixture
def city(client):
    client.force_login(superuser())
    registrations = [verified(KRANJI) for _ in range(3)]
    pending = submit(KRANJI)
    return registrations, pending


def _found(client, url: str, term: str) -> tuple[set[int], list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": term})
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}, [q["sql"] for q in captured]


def _no_infix_like(sql: list[str], digits: str) -> None:
    for statement in sql:
        assert f"%{digits}" not in statement, statement


def test_it_finds_a_registration_by_nik_kk_card_number_and_reference(client, city):
    registrations, pending = city
    target = registrations[1]
    head = target.members.get(relationship="kepala_keluarga")
    card = Card.objects.get(household=target.household)

    for term in (head.nik, target.kk_number, card.number, target.reference):
        found, sql = _found(client, REGISTRATIONS, term)
        assert found == {target.pk}, term
        _no_infix_like(sql, term)
    found, _sql = _found(client, REGISTRATIONS, pending.members.get(relationship="kepala_keluarga").nik)
    assert found == {pending.pk}


def test_it_finds_a_household_and_a_member_by_their_numbers(client, city):
    registrations, _pending = city
    household = registrations[2].household
    member = household.members.order_by("pk").last()
    card = Card.objects.get(household=household)

    for term in (household.kk_number, member.nik, card.number):
        found, sql = _found(client, HOUSEHOLDS, term)
        assert found == {household.pk}, term
        _no_infix_like(sql, term)
    found, sql = _found(client, MEMBERS, member.nik)
    assert found == {member.pk}
    _no_infix_like(sql, member.nik)


def test_it_finds_a_card_by_its_number_and_its_holder(client):
    _dispatch, (card, _other) = ready(2)
    client.force_login(superuser())
    member = card.household.members.order_by("pk").first()

    assert _found(client, CARDS, card.number)[0] == {card.pk}
    for term in (card.number, member.nik, card.household.kk_number):
        found, sql = _found(client, PICKUP, term)
        assert found == {card.pk}, term
        _no_infix_like(sql, term)
    assert card.pk in _found(client, PICKUP, member.full_name)[0]


def test_it_finds_numbers_by_their_first_digits(client, city):
    registrations, _pending = city
    household = registrations[0].household

    found, sql = _found(client, HOUSEHOLDS, household.kk_number[:12])

    assert household.pk in found
    _no_infix_like(sql, household.kk_number[:12])


def test_it_finds_people_by_part_of_their_name_in_any_case(client, city):
    registrations, _pending = city
    member = registrations[0].household.members.order_by("pk").first()
    first, *rest = member.full_name.split()
    term = " ".join([first.lower(), *(word.upper()[:4] for word in rest)])

    assert member.pk in _found(client, MEMBERS, term)[0]
    assert registrations[0].household_id in _found(client, HOUSEHOLDS, term)[0]
    assert registrations[0].pk in _found(client, REGISTRATIONS, term)[0]


def test_it_finds_nothing_for_a_number_nobody_has(client, city):
    assert _found(client, REGISTRATIONS, "3275019999990001")[0] == set()
    assert _found(client, MEMBERS, "3275019999990001")[0] == set()


@pytest.mark.postgres
def test_it_searches_names_through_the_trigram_index(city):
    from registrations.models import Member

    query = Member.objects.filter(full_name__icontains="santoso").order_by().values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        # On a handful of rows the planner rightly prefers a scan: ask
        # whether the index can serve the query at all (plain index scans
        # off too, or it walks any btree index and filters).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "member_name_trgm" in plan, plan
