"""An import belongs to the area its uploader had: staff see it when every
kelurahan it could write into lies in their own area (a kecamatan sees its
kelurahan's imports, a kelurahan neither its neighbour's nor the kecamatan's,
a superuser all); the registrations list's import filter offers the user's
own imports only, and an import named in a crafted URL matches nothing."""

import pytest

from registrations import imports
from registrations.models import Registration
from registrations.selectors import household_imports_for
from tests.admin.import_helpers import LIST_URL, household, household_csv, import_storage  # noqa: F401 - fixture
from tests.factories import BEKASI_BARAT, BINTARA, KRANJI, MARGAJAYA, staff_user, superuser

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]


def _imported(area: str, kelurahan: str, name: str):
    uploader = staff_user(area, username=f"impor.{name}")
    record = imports.household_import_create(content=household_csv(household(kelurahan)), filename=f"{name}.csv",
                                             by=uploader, check=False, kelurahan_code=kelurahan)
    imports.household_import_check(import_id=record.pk)
    imports.household_import_confirm(import_id=record.pk, by=uploader, send=False)
    return imports.household_import_run(import_id=record.pk)


@pytest.fixture
def world():
    return {
        "kranji": _imported(KRANJI, KRANJI, "kranji"),
        "bintara": _imported(BINTARA, BINTARA, "bintara"),
        "kecamatan": _imported(BEKASI_BARAT, KRANJI, "kecamatan"),  # a kecamatan's upload may write anywhere in it
        "margajaya": _imported(MARGAJAYA, MARGAJAYA, "margajaya"),
    }


def _names(user) -> set[str]:
    return {record.filename.removesuffix(".csv") for record in household_imports_for(user)}


def test_each_user_sees_the_imports_of_their_area(world):
    assert _names(staff_user(KRANJI)) == {"kranji"}
    assert _names(staff_user(BEKASI_BARAT)) == {"kranji", "bintara", "kecamatan"}
    assert _names(staff_user(MARGAJAYA)) == {"margajaya"}
    assert _names(superuser()) == {"kranji", "bintara", "kecamatan", "margajaya"}
    assert _names(staff_user(None)) == set()


def test_the_list_and_the_pages_follow_the_same_rule(client, world):
    client.force_login(staff_user(KRANJI))

    listed = client.get(LIST_URL).content.decode()

    assert "kranji.csv" in listed and "bintara.csv" not in listed and "kecamatan.csv" not in listed
    assert client.get(f"{LIST_URL}{world['kranji'].pk}/change/").status_code == 200
    for other in ("bintara", "kecamatan", "margajaya"):
        assert client.get(f"{LIST_URL}{world[other].pk}/change/").status_code == 404


def test_the_registrations_filter_offers_own_imports_and_matches_nothing_else(client, world):
    client.force_login(staff_user(BEKASI_BARAT))
    base = "/admin/registrations/registration/"

    page = client.get(base)
    by_import = client.get(f"{base}?impor={world['bintara'].pk}")
    crafted = client.get(f"{base}?impor={world['margajaya'].pk}")
    junk = [client.get(f"{base}?impor={value}") for value in ("abc", "99999999999999999999999", "-1", "1 OR 1=1")]

    options = page.context["cl"].filter_specs[-1].lookup_choices
    assert {label for _value, label in options} == {
        f"#{world[name].pk} {name}.csv" for name in ("kranji", "bintara", "kecamatan")}
    shown = {r.kk_number for r in by_import.context["cl"].result_list}
    assert shown == set(Registration.objects.filter(household_import=world["bintara"]).values_list("kk_number",
                                                                                                flat=True))
    assert crafted.status_code == 200 and list(crafted.context["cl"].result_list) == []
    assert all(response.status_code in (200, 302) for response in junk)
