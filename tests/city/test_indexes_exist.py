"""What keeps the staff pages and the hospital check fast at city size is
indexes: these exist, with the operator classes the queries need, and the
hospital check's lookups are answered through them."""

import pytest
from django.db import connection

from cards.models import Card
from registrations.models import Household, Member, RegistrationMember

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# index -> what its definition must say
INDEXES = {
    # numbers typed whole or by their first digits, whatever the collation
    "member_nik": "(nik varchar_pattern_ops)",
    "regmember_nik": "(nik varchar_pattern_ops)",
    "household_kk_prefix": "(kk_number varchar_pattern_ops)",
    "registration_kk": "(kk_number varchar_pattern_ops)",
    # names, any part, any case (what icontains compiles to)
    "member_name_trgm": "gin (upper((full_name)::text) gin_trgm_ops)",
    "regmember_name_trgm": "gin (upper((full_name)::text) gin_trgm_ops)",
    # a kelurahan's lists in their order
    "household_area_kk": "(kelurahan_id, kk_number)",
    "member_household_order": "(household_id, id)",
    "registration_area_recent": "(kelurahan_id, submitted_at DESC)",
    "registration_urgent_waiting": "(kelurahan_id) WHERE",
    # the print queue in the order batches take it
    "card_priority_order": "(priority, requested_at, id)",
}


def test_it_has_every_index_the_city_needs():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXES)])
        found = dict(cursor.fetchall())

    assert set(found) == set(INDEXES), set(INDEXES) - set(found)
    for name, fragment in INDEXES.items():
        assert fragment in found[name], (name, found[name])


@pytest.mark.parametrize(("queryset", "indexes"), [
    (lambda: Member.objects.filter(nik="3275011505800003", end_date__isnull=True), {"member_nik_active_once",
                                                                                   "member_nik"}),
    (lambda: Member.objects.filter(nik__startswith="32750115"), {"member_nik"}),
    (lambda: RegistrationMember.objects.filter(nik="3275011505800003"), {"regmember_nik"}),
    (lambda: Card.objects.filter(number="32750000000125"), {"cards_card_number_key",
                                                            "cards_card_number_2a409c16_like"}),
    (lambda: Household.objects.filter(kk_number__startswith="32750101"), {"household_kk_prefix",
                                                                          "household_kk_unique"}),
], ids=["active member by NIK", "member by first digits", "registration member by NIK", "card by number",
        "household by first digits"])
def test_it_looks_numbers_up_through_their_index(queryset, indexes):
    sql, params = queryset().order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows: would a city use the index? No scan of the
        # whole table or of an unrelated index may answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # "Index Scan using x" or, for a few rows, "Bitmap Index Scan on x": both read the index.
    used = {line.split(" using ")[1].split()[0] for line in plan.splitlines() if " using " in line}
    used |= {line.split("Bitmap Index Scan on ")[1].split()[0] for line in plan.splitlines()
             if "Bitmap Index Scan on " in line}
    assert used and used <= indexes, plan
    assert "Index Cond" in plan, plan
    assert "Seq Scan" not in plan, plan
