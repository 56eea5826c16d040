"""The permission matrix (docs/permissions.md), walked cell by cell: every role
against every admin record page, custom page and file download, admin action,
API endpoint and desk or public page. One test per role; each collects every
cell that differs from the document and reports them together.

A second test fails when the portal has a page, file, action or endpoint the
document does not list, so a new custom view cannot slip past the matrix.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cards import services as card_services
from cards.models import Batch, Card, LedgerEntry, Lot, Notification, ServiceMode, Stock
from complaints.roles import COMPLAINT_DESK
from complaints.services import complaint_submit
from figures.models import MonthlyReport
from figures.roles import PIMPINAN
from hospitals.models import Agreement, ApiToken, EmergencyRequest, Facility, VerificationLog
from hospitals.roles import HEALTH_OFFICE
from registrations import imports
from registrations import services as registration_services
from registrations.models import (
    AccessLog,
    HouseholdImport,
    KelurahanHouseholdTotal,
    Region,
    RegistrationDocument,
    RetentionPurge,
    StaffArea,
)
from registrations.roles import AUDITOR
from tests.admin.permission_matrix import ROLES, fill, has_elsewhere, read_matrix, record_cell
from tests.api.helpers import png_bytes
from tests.cards.distribution_helpers import print_office_user, ready, sent
from tests.factories import CITY, KRANJI, MARGAJAYA, UserFactory, registration_data, staff_user, superuser
from tests.hospitals.helpers import EMERGENCY_URL, facility, hospital_key, hospital_user, keyed, pdf_bytes, upload
from tests.registrations.import_format.helpers import household, household_csv

pytestmark = pytest.mark.django_db

MATRIX = read_matrix()


# --- The world: one record of every kind, users of every role ----------------------


def city_user(username: str, group: str | None):
    user = UserFactory(username=username)
    if group:
        user.groups.add(Group.objects.get(name=group))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=CITY))
    return user


def _emergency(api, head) -> int:
    response = api.post(EMERGENCY_URL, {"nik": head.nik, "reason": "rawat_inap", "letter": upload(pdf_bytes())},
                        format="multipart")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _area_imports(kelurahan: str) -> dict:
    """Household imports of one kelurahan: one checked (waiting for confirmation),
    one stopped (resumable) and one done (its registrations waiting)."""
    uploader = staff_user(kelurahan, username=f"impor.{kelurahan}")

    def checked() -> int:
        record = imports.household_import_create(content=household_csv(household(kelurahan)), filename="rw.csv",
                                                 by=uploader, check=False)
        imports.household_import_check(import_id=record.pk)
        return record.pk

    waiting, stopped, done = checked(), checked(), checked()
    HouseholdImport.objects.filter(pk=stopped).update(status=HouseholdImport.Status.FAILED, error="OperationalError")
    imports.household_import_confirm(import_id=done, by=uploader, send=False)
    imports.household_import_run(import_id=done)
    return {"householdimport": waiting, "householdimport_failed": stopped, "householdimport_done": done}


def _area_samples(kelurahan: str, api) -> dict:
    """Records of one kelurahan: a registration with a scan, a household and member, a dispatch
    received and passed on to an RW coordinator, one still on its way, an emergency request."""
    scanned = registration_services.registration_submit(
        data=registration_data(kelurahan), channel="online",
        files={"kk_scan": SimpleUploadedFile("kk.png", png_bytes(), content_type="image/png")},
    )
    dispatch, (card,) = ready(1, kelurahan)
    handover = card_services.dispatch_hand_over(
        dispatch_id=dispatch.pk, by=superuser(), rw=card.household.rw, coordinator_name="Bapak Sutrisno",
        coordinator_phone="", pickup_place="Pos RW",
    )
    on_its_way, _cards = sent(1, kelurahan)
    head = card.household.members.get(relationship="kepala_keluarga")
    return {
        "registration": scanned.pk, "document": RegistrationDocument.objects.get(registration=scanned).pk,
        "household": card.household_id, "member": head.pk, "dispatch": dispatch.pk,
        "dispatch_sent": on_its_way.pk, "handover": handover.pk, "pickupcard": card.pk,
        "emergencyrequest": _emergency(api, head), **_area_imports(kelurahan),
    }


@pytest.fixture
def world(settings, tmp_path, monkeypatch):
    root = tmp_path / "private-media"
    settings.STORAGES = {**settings.STORAGES,
                         "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(root),
                                                                                 "base_url": None}}}
    for model, field in ((EmergencyRequest, "letter"), (RegistrationDocument, "file"), (Batch, "pdf"),
                         (HouseholdImport, "file"), (HouseholdImport, "report"), (MonthlyReport, "pdf")):
        monkeypatch.setattr(model._meta.get_field(field), "storage", storages["private"])

    desk = hospital_user(facility("RS Uji Matriks"), username="rs.matriks")
    _staff, key = hospital_key(desk)
    api = keyed(APIClient(), key)
    here, elsewhere = _area_samples(KRANJI, api), _area_samples(MARGAJAYA, api)
    samples = {**here, **{f"{name}@elsewhere": pk for name, pk in elsewhere.items()}}

    batch = Batch.objects.get(cards__pk=samples["pickupcard"])
    batch.pdf.save(f"batch-{batch.pk}.pdf", ContentFile(pdf_bytes("Kartu")), save=True)
    card = Card.objects.get(pk=samples["pickupcard"])
    root_user = superuser()
    complaint = complaint_submit(data={"name": "Warga", "phone": "081234567890", "category": "lainnya",
                                       "message": "Pertanyaan."})
    AccessLog.objects.create(user=root_user, action="view", object_type="household", object_id="1")
    registration_services.registrations_purge()
    Token.objects.create(user=root_user)
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    AxesAccessLog.objects.create(username="x", ip_address="10.0.0.1")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1")
    report = MonthlyReport(month=dt.date(2026, 11, 1))
    report.pdf.save("2026-11.pdf", ContentFile(pdf_bytes("Laporan")), save=True)

    records = {
        "registrations.registration": (samples["registration"], samples["registration@elsewhere"]),
        "registrations.household": (samples["household"], samples["household@elsewhere"]),
        "registrations.member": (samples["member"], samples["member@elsewhere"]),
        "registrations.region": (Region.objects.get(code=KRANJI).pk, None),
        "registrations.accesslog": (AccessLog.objects.latest("pk").pk, None),
        "registrations.retentionpurge": (RetentionPurge.objects.latest("pk").pk, None),
        "registrations.householdimport": (samples["householdimport"], samples["householdimport@elsewhere"]),
        "registrations.kelurahanhouseholdtotal": tuple(
            KelurahanHouseholdTotal.objects.create(kelurahan=Region.objects.get(code=code), households_total=9000).pk
            for code in (KRANJI, MARGAJAYA)),
        "auth.user": (root_user.pk, None),
        "auth.group": (Group.objects.get(name=AUDITOR).pk, None),
        "authtoken.tokenproxy": (root_user.pk, None),
        "axes.accessattempt": (AccessAttempt.objects.get().pk, None),
        "axes.accesslog": (AxesAccessLog.objects.get().pk, None),
        "axes.accessfailurelog": (AccessFailureLog.objects.get().pk, None),
        "cards.dispatch": (samples["dispatch"], samples["dispatch@elsewhere"]),
        "cards.pickupcard": (samples["pickupcard"], samples["pickupcard@elsewhere"]),
        "cards.card": (card.pk, None),
        "cards.batch": (batch.pk, None),
        "cards.lot": (Lot.objects.latest("pk").pk, None),
        "cards.stock": (Stock.objects.get().pk, None),
        "cards.ledgerentry": (LedgerEntry.objects.latest("pk").pk, None),
        "cards.servicemode": (ServiceMode.objects.get().pk, None),
        "cards.notification": (Notification.objects.latest("pk").pk, None),
        "hospitals.facility": (Facility.objects.get(name="RS Uji Matriks").pk, None),
        "hospitals.agreement": (Agreement.objects.filter(facility__name="RS Uji Matriks").get().pk, None),
        "hospitals.hospitalstaff": (desk.pk, None),
        "hospitals.apitoken": (ApiToken.objects.get(staff=desk).pk, None),
        "hospitals.verificationlog": (VerificationLog.objects.latest("pk").pk, None),
        "hospitals.emergencyrequest": (samples["emergencyrequest"], samples["emergencyrequest@elsewhere"]),
        "complaints.complaint": (complaint.pk, None),
        "figures.monthlyreport": (report.pk, None),
    }
    samples.update({"batch": batch.pk, "user": root_user.pk, "card": card.pk,
                    "totpdevice": TOTPDevice.objects.create(user=root_user, name="matrix", confirmed=True).pk,
                    "monthlyreport": report.pk})
    users = {
        "kelurahan": staff_user(KRANJI, username="kel.kranji"),
        "print office": print_office_user("cetak.kota"),
        "health office": city_user("dinkes.kota", HEALTH_OFFICE),
        "complaint desk": city_user("aduan.kota", COMPLAINT_DESK),
        "auditor": city_user("audit.kota", AUDITOR),
        "pimpinan": city_user("pimpinan.kota", PIMPINAN),
        "hospital desk": desk.user,
        "staff, no role": city_user("staf.kota", None),
        "visitor": None,
        "superuser": root_user,
    }
    return {"samples": samples, "records": records, "users": users}


# --- What each kind of cell means ----------------------------------------------------


def _is_login(response) -> bool:
    """Sent to the admin's sign-in page, or the hospital desk's (``/rs/masuk/``)."""
    logins = (reverse("admin:login"), reverse("hospitals-desk:login"))
    return response.status_code == 302 and response["Location"].split("?")[0].endswith(logins)


def _refused(response) -> bool:
    return response.status_code in (403, 404)


def _hidden(response) -> bool:
    """A record outside the area: the admin's "does not exist" answer (404, or
    its redirect to the index with a message)."""
    return response.status_code == 404 or (response.status_code == 302 and not _is_login(response))


def _admin_urls(label: str) -> dict:
    app_label, model_name = label.split(".")
    base = f"admin:{app_label}_{model_name}"
    return {"changelist": f"{base}_changelist", "add": f"{base}_add", "change": f"{base}_change",
            "history": f"{base}_history", "delete": f"{base}_delete"}


def _any_record(label: str):
    """A record of a model the world does not build on purpose (one another app registered), if any."""
    from django.apps import apps

    found = apps.get_model(label).objects.order_by("pk").first()
    return found.pk if found is not None else None


def _check_record(client, row, cell, world) -> list[str]:
    label = row.target
    here, elsewhere = world["records"].get(label) or (_any_record(label), None)
    names = _admin_urls(label)
    changelist = client.get(reverse(names["changelist"]))
    add = client.get(reverse(names["add"]))
    if here is None:  # no record of this kind in the world: the list and the add page only
        change = delete = history = changelist
    else:
        change = client.get(reverse(names["change"], args=[here]))
        delete = client.get(reverse(names["delete"], args=[here]))
        history = client.get(reverse(names["history"], args=[here]))
    problems = []
    expected = record_cell(cell)
    if expected == "login":
        for name, response in (("list", changelist), ("page", change), ("add", add)):
            if not _is_login(response):
                problems.append(f"{name}: {response.status_code}, expected the login page")
        return problems
    capabilities, area = expected
    can_view = bool(capabilities & {"view", "change"})
    for name, response in (("list", changelist), ("page", change), ("history", history)):
        if can_view and response.status_code != 200:
            problems.append(f"{name}: {response.status_code}, expected 200")
        if not can_view and not _refused(response):
            problems.append(f"{name}: {response.status_code}, expected 403")
    if ("add" in capabilities) != (add.status_code == 200) or (add.status_code not in (200, 403)):
        problems.append(f"add: {add.status_code}")
    if here is not None and (("delete" in capabilities) != (delete.status_code == 200)
                             or delete.status_code not in (200, 403)):
        problems.append(f"delete: {delete.status_code}")
    if here is not None and can_view and change.status_code == 200 and (
            ("change" in capabilities) != ('name="_save"' in change.text)):
        problems.append("change: a Save button" + ("" if 'name="_save"' in change.text else " is missing"))
    if can_view and elsewhere is not None:
        other = client.get(reverse(names["change"], args=[elsewhere]))
        if area and not _hidden(other):
            problems.append(f"a record elsewhere: {other.status_code}, expected hidden (area)")
        if not area and other.status_code != 200:
            problems.append(f"a record elsewhere: {other.status_code}, expected 200 (no area limit)")
    return problems


def _request(client, target: str, samples: dict, *, elsewhere: bool = False):
    method, url = target.split(" ", 1)
    url = fill(url, samples, elsewhere=elsewhere)
    return client.post(url, {}) if method == "POST" else client.get(url)


def _check_page(client, row, cell, world) -> list[str]:
    samples = world["samples"]
    response = _request(client, row.target, samples)
    api = row.target.split(" ", 1)[1].startswith("/api/")
    if cell == "login":
        return [] if _is_login(response) else [f"{response.status_code}, expected the login page"]
    if cell == "—":
        refused = response.status_code in (401, 403) if api else _refused(response)
        return [] if refused else [f"{response.status_code}, expected refused"]
    problems = []
    allowed = (response.status_code < 500 and response.status_code not in (401, 403)) if api \
        else response.status_code == 200
    if not allowed:
        problems.append(f"{response.status_code}, expected allowed")
    if cell == "area":
        assert has_elsewhere(row.target, samples), f"{row}: 'area' needs a record with an area in its URL"
        other = _request(client, row.target, samples, elsewhere=True)
        if not _hidden(other):
            problems.append(f"a record elsewhere: {other.status_code}, expected 404")
    elif cell != "✓":
        problems.append(f"unknown cell {cell!r}")
    return problems


def _check_action(client, row, cell, world, changelists) -> list[str]:
    label, action = (part.strip() for part in row.target.split(":"))
    if label not in changelists:
        app_label, model_name = label.split(".")
        changelists[label] = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    response = changelists[label]
    offered = response.status_code == 200 and f'<option value="{action}"' in response.text
    if cell == "login":
        return [] if _is_login(response) else [f"{response.status_code}, expected the login page"]
    if cell in ("✓", "area") and not offered:
        return ["not offered, expected offered"]
    if cell == "—" and offered:
        return ["offered, expected not"]
    return []


@pytest.mark.parametrize("role", ROLES)
def test_it_gives_each_role_exactly_what_the_matrix_says(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    api_client = APIClient()
    if user is not None:
        api_client.force_login(user)
    changelists: dict = {}
    problems = []
    for row in MATRIX:
        cell = row.cells[role]
        if row.table == "records":
            found = _check_record(client, row, cell, world)
        elif row.table == "actions":
            found = _check_action(client, row, cell, world, changelists)
        else:
            found = _check_page(api_client if row.target.split(" ", 1)[1].startswith("/api/") else client,
                                row, cell, world)
        problems += [f"{row} [{cell}]: {problem}" for problem in found]
    assert not problems, f"{role}:\n" + "\n".join(problems)


# --- Nothing is left out --------------------------------------------------------------

STANDARD = ("_changelist", "_add", "_change", "_delete", "_history", "_simple_history")


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def test_it_lists_every_admin_model_page_file_action_and_endpoint():
    listed_records = {row.target for row in MATRIX if row.table == "records"}
    assert listed_records == {model._meta.label_lower for model in admin.site._registry}

    listed_actions = {row.target.replace(" ", "") for row in MATRIX if row.table == "actions"}
    actions = {f"{model._meta.label_lower}:{name}" for model, model_admin in admin.site._registry.items()
               for name in (model_admin.actions or [])}
    assert listed_actions == actions

    samples = dict.fromkeys(
        ["registration", "document", "household", "member", "dispatch", "dispatch_sent", "handover", "pickupcard",
         "batch", "emergencyrequest", "user", "card", "totpdevice", "householdimport", "householdimport_failed",
         "monthlyreport",
         "householdimport_done"], 1)
    listed_names = set()
    for row in MATRIX:
        if row.table in ("pages", "endpoints"):
            match = resolve(fill(row.target.split(" ", 1)[1], samples).split("?")[0])
            listed_names.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
    custom = {f"admin:{pattern.name}" for model_admin in admin.site._registry.values()
              for pattern in model_admin.get_urls() if pattern.name and not pattern.name.endswith(STANDARD)}
    assert custom - listed_names == set(), "custom admin pages missing from docs/permissions.md"
    api = {name for route, name in _patterns(get_resolver()) if route.startswith("api/v1/") and name}
    assert api - listed_names == set(), "API endpoints missing from docs/permissions.md"
    desk = {f"hospitals-desk:{name}" for route, name in _patterns(get_resolver("hospitals.desk_urls"))
            if name not in ("login", "logout")}
    assert desk - listed_names == set(), "desk pages missing from docs/permissions.md"
    figures = {f"figures:{name}" for route, name in _patterns(get_resolver("figures.urls")) if name}
    assert figures - listed_names == set(), "public figures pages missing from docs/permissions.md"


def test_the_matrix_names_each_role_once_per_row():
    assert MATRIX, "docs/permissions.md has no matrix tables"
    for row, again in itertools.combinations(MATRIX, 2):
        assert (row.table, row.target) != (again.table, again.target), f"listed twice: {row}"
    for row in MATRIX:
        for cell in row.cells.values():
            assert re.fullmatch(r"—|✓|area|login|(view|add|change|delete)(, (view|add|change|delete))*( \(area\))?",
                                cell), f"{row}: unknown cell {cell!r}"
