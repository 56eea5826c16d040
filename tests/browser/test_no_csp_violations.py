"""Every page works under the Content-Security-Policy: the browser reports
no violation on the citizen pages, the hospital desk, the API docs and the
staff admin (lists, forms with autocomplete, export and history pages), and
the pages' scripts still run (the docs render, a member row is added)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.__csp.push(event.violatedDirective + " " + (event.blockedURI || "inline")));
"""


def _watched(page):
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda message: console.append(message.text) if "Content Security Policy" in message.text
            else None)
    return console


def _visit(page, console, path, *, ready=None):
    response = page.goto(path, wait_until="networkidle")
    assert response.status < 400, (path, response.status)
    assert "content-security-policy" in response.headers, path
    if ready:
        page.wait_for_selector(ready)
    return [f"{path}: {v}" for v in page.evaluate("window.__csp")]


def test_it_shows_the_public_pages_and_the_api_docs_without_a_violation(page):
    console = _watched(page)
    violations = []
    for path in ("/", "/status/", "/rumah-sakit/", "/aduan/", "/privasi/", "/angka/", "/rs/masuk/", "/admin/login/"):
        violations += _visit(page, console, path)
    violations += _visit(page, console, "/daftar/")
    rows = page.locator("[data-member]").count()
    page.tap("[data-add-member]")
    assert page.locator("[data-member]").count() == rows + 1  # the page's script ran
    violations += _visit(page, console, "/api/docs/", ready=".swagger-ui .info")
    violations += _visit(page, console, "/api/redoc/", ready="text=Kartu Sehat API")

    # Redoc's bundle fetches its own logo from its CDN; the policy blocks it, as it blocks anything outside.
    outside = "/api/redoc/: img-src https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert violations == [outside], violations
    assert all("cdn.redoc.ly" in message for message in console), console


def test_it_shows_the_staff_admin_without_a_violation(new_page, live_server):
    registration = submit()
    root = get_user_model().objects.create_superuser("root", password="kartusehat-demo-x1")
    client = Client()
    client.force_login(root)
    page = new_page(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    console = _watched(page)

    violations = []
    for path in (
        "/admin/", "/admin/registrations/registration/", f"/admin/registrations/registration/{registration.pk}/change/",
        f"/admin/registrations/registration/{registration.pk}/history/", "/admin/auth/user/add/",
        "/admin/hospitals/facility/", "/admin/hospitals/facility/export/",
    ):
        violations += _visit(page, console, path)
    page.uncheck(".select-toggle")  # import-export's inline handler runs (allowed by its hash)
    assert not page.locator("input[type=checkbox][name$='name']").first.is_checked()
    violations += _visit(page, console, "/admin/hospitals/agreement/add/", ready=".select2")
    page.click(".select2-selection")  # the autocomplete asks the server and lists facilities
    page.wait_for_selector(".select2-results__option")

    assert violations == [] and console == [], violations + console
