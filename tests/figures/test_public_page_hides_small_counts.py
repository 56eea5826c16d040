"""The public figures page shows aggregates only: a count under 10 is "< 10", a
percentage computed from it is hidden too, and where one hidden count could be
worked back from the total, a second one is hidden as well."""

import pytest

from figures import public
from registrations.models import Region
from tests.figures.public_helpers import first_kelurahan, kecamatan_codes, rollup, totals_everywhere

pytestmark = pytest.mark.django_db


def _row(page: str, name: str) -> str:
    start = page.index(f'<tr><th scope="row">{name}</th>')
    return page[start:page.index("</tr>", start)]


def test_it_hides_a_kecamatan_with_fewer_than_ten_households_and_its_percentage(client):
    codes = kecamatan_codes()
    counts = {code: 100 + n for n, code in enumerate(codes)}
    small = codes[3]
    counts[small] = 4
    rollup(counts)
    totals_everywhere(1000)

    figures = public.public_figures()
    rows = {row["code"]: row for row in figures["kecamatan"]}
    assert rows[small]["households_verified"].hidden and rows[small]["households_verified"].value is None
    assert rows[small]["coverage_pct"].hidden
    assert rows[small]["bar"] is None
    # The total (sum of all) is shown, so the smallest other kecamatan is hidden too.
    assert rows[codes[0]]["households_verified"].hidden and rows[codes[0]]["coverage_pct"].hidden
    assert all(not rows[code]["households_verified"].hidden for code in codes[1:] if code != small)
    assert figures["city"]["households_verified"].value == sum(counts.values())

    page = client.get("/angka/").content.decode()
    name = Region.objects.get(code=small).name
    small_row = _row(page, name)
    assert "&lt; 10" in small_row and "—*" in small_row
    assert ">4<" not in small_row and "0,4" not in small_row and "0.4" not in small_row
    # Its bar in the chart is empty and labelled hidden too.
    chart = page[page.index("<svg"):page.index("</figure>")]
    assert f">{name}</text>" in chart and ">—*</text>" in chart and "0,4 %" not in chart


def test_it_never_shows_a_count_under_ten_anywhere_on_the_page(client):
    codes = kecamatan_codes()
    rollup({codes[0]: 7, codes[1]: 2}, cards_collected=3, cards_printed=5)

    figures = public.public_figures()

    assert figures["city"]["households_verified"].hidden
    assert figures["city"]["people_covered"].value == 27
    assert figures["cards"]["printed"].hidden and figures["cards"]["collected"].hidden
    assert all(row["households_verified"].hidden for row in figures["kecamatan"])
    page = client.get("/angka/").content.decode()
    assert page.count("&lt; 10") >= len(codes) + 3
    assert 'id="city-pct">' in page and "—*" in page.split('id="city-pct">')[1][:120]


def test_it_shows_ten_and_more_as_they_are():
    codes = kecamatan_codes()
    rollup({code: 10 for code in codes})

    figures = public.public_figures()

    assert [row["households_verified"].value for row in figures["kecamatan"]] == [10] * len(codes)
    assert first_kelurahan(codes[0]) is not None
