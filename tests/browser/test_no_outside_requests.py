"""The portal loads everything from itself: no CDN, font or analytics request."""

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = ["/", "/daftar/", "/status/", "/api/docs/"]


def test_it_makes_no_request_outside_the_portal(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    for path in PAGES:
        page.goto(path, wait_until="networkidle")

    portal = urlparse(live_server.url).netloc
    assert any(urlparse(url).path.endswith(".js") for url in requested), "no script was loaded: nothing was checked"
    outside = [
        url for url in requested if urlparse(url).scheme not in ("data", "blob") and urlparse(url).netloc != portal
    ]
    assert outside == []
