"""A dispatch's manifest lists its cards in the order a courier walks (RW, RT,
head's name), as CSV a spreadsheet opens safely (a name never runs as a
formula, accents survive) and as a printable PDF with every name."""

import csv
import io
import unicodedata

import pymupdf
import pytest

from cards import manifests, services
from cards.models import Card
from registrations import services as registration_services
from registrations.models import Member
from tests.cards.queue_helpers import claimed, receive
from tests.factories import KRANJI, registration_data, superuser

pytestmark = pytest.mark.django_db

HEADER = ["card_number", "head_of_household", "rt", "rw", "status"]

# (rw, rt, head of household), in no particular order.
HOUSEHOLDS = [
    ("002", "003", "Agus Salim"),
    ("001", "005", "Siti Ḥasanah"),
    ("001", "005", "Dédé Sunarya"),
    ("001", "002", "Yusuf Maulana"),
    ("002", "001", "Budi Santoso"),
    ("002", "003", "abdul Karim"),
]
# By RW, then RT, then name (case-insensitively: "abdul" before "Agus").
EXPECTED_ORDER = ["Yusuf Maulana", "Dédé Sunarya", "Siti Ḥasanah", "Budi Santoso", "abdul Karim", "Agus Salim"]


def _household(rw: str, rt: str, head: str) -> Card:
    data = registration_data(KRANJI, size=2, rt=rt, rw=rw)
    data["members"][0]["full_name"] = head
    registration = registration_services.registration_submit(data=data, channel="online")
    registration = registration_services.registration_verify(registration_id=registration.pk, by=superuser())
    return Card.objects.get(household=registration.household)


def _printed(households) -> list[Card]:
    cards = [_household(*h) for h in households]
    receive(len(cards), emergency_reserve=0)
    batch = claimed(len(cards))
    services.batch_complete(batch_id=batch.pk, pdf_name=f"batches/manifest-{batch.pk}.pdf")
    return cards


def _rename_head(card: Card, name: str) -> None:
    """A name the registration form would refuse, as an older import might hold it."""
    Member.objects.filter(household=card.household, relationship="kepala_keluarga").update(full_name=name)


def _cards(cards):
    return Card.objects.filter(pk__in=[c.pk for c in cards])


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode()), data[:10]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_it_orders_the_rows_by_rw_rt_and_head_name():
    cards = _printed(HOUSEHOLDS)

    rows = manifests.manifest_rows(_cards(cards))

    assert [row.head for row in rows] == EXPECTED_ORDER
    assert [(row.rw, row.rt) for row in rows] == [("001", "002"), ("001", "005"), ("001", "005"),
                                                  ("002", "001"), ("002", "003"), ("002", "003")]
    by_head = {h: c for c, (_rw, _rt, h) in zip(cards, HOUSEHOLDS, strict=True)}
    assert [row.number for row in rows] == [by_head[h].number for h in EXPECTED_ORDER]
    assert all(row.status for row in rows)


def test_it_writes_a_csv_with_a_header_and_one_row_per_card():
    cards = _printed(HOUSEHOLDS)

    table = _csv(manifests.manifest_csv(manifests.manifest_rows(_cards(cards))))

    assert table[0] == HEADER
    assert len(table) == 1 + len(cards)
    assert sorted(r[0] for r in table[1:]) == sorted(c.number for c in cards)
    assert [r[1] for r in table[1:]] == EXPECTED_ORDER  # accents intact, UTF-8
    assert all(len(r) == len(HEADER) for r in table)


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example/","klik")', "@SUM(A1:A9)", "+62 Budi", "-1+2"])
def test_it_writes_a_name_a_spreadsheet_would_run_as_text(name):
    formula, plain = _printed([("001", "001", "Rahmat Hidayat"), ("001", "002", "Dédé Sunarya")])
    _rename_head(formula, name)

    table = _csv(manifests.manifest_csv(manifests.manifest_rows(_cards([formula, plain]))))

    cells = {r[0]: r[1] for r in table[1:]}
    assert cells[formula.number] == "'" + name
    assert cells[plain.number] == "Dédé Sunarya"


def test_it_renders_a_pdf_with_every_card_number_and_accented_name():
    cards = _printed(HOUSEHOLDS)
    rows = manifests.manifest_rows(_cards(cards))

    pdf = manifests.manifest_pdf(rows, title="Pengiriman #1 ke Kelurahan Kranji",
        lines=["Tempat: Aula Kelurahan Kranji"])

    assert pdf.startswith(b"%PDF")
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        assert document.page_count >= 1
        text = unicodedata.normalize("NFC", "\n".join(page.get_text() for page in document))
        fonts = {font[3] for page in document for font in page.get_fonts()}
    for card in cards:
        assert card.number in text
    for name in ("Siti Ḥasanah", "Dédé Sunarya", "Yusuf Maulana"):
        assert name in text, name
    assert "Aula Kelurahan Kranji" in text
    assert fonts and not fonts <= {"Helvetica", "Helvetica-Bold"}  # the embedded fonts, not the base 14
