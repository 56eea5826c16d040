"""End-to-end tests in headless Chromium, on a phone-sized screen.

They drive Debian's Chromium (/usr/bin/chromium, apt package ``chromium``)
through the ``playwright`` package; Playwright's own browser downloads are
never used (do not run ``playwright install``). Without Chromium or
playwright the tests skip with the reason; under CI=true they fail instead
(tests/conftest.py refuses to start without Chromium).

Each test gets pytest-django's ``live_server`` and therefore a transactional
database: mark tests ``django_db(transaction=True, serialized_rollback=True)``
so the regions loaded by the data migration are restored for every test.
"""

from __future__ import annotations

import os

import pytest

from tests.browser.helpers import PHONE
from tests.conftest import CHROMIUM, CI

# Playwright's sync API keeps an asyncio event loop running in this thread, so
# Django refuses ORM calls from the tests (SynchronousOnlyOperation) although
# no coroutine touches the database. pytest-django's docs recommend allowing
# it. It holds for the rest of the session, as the browser (session-scoped)
# keeps the loop alive until the end.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 15_000


def _missing(reason: str):
    if CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("needs the playwright package: .venv/bin/pip install -e '.[test]'")
    if not os.path.exists(CHROMIUM):
        _missing(f"needs Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    # Django keeps database connections thread-local, but per asyncio context
    # once an event loop runs in the thread (asgiref's thread-critical Local).
    # Playwright's loop would hand the tests fresh connection objects, without
    # the test database's serialized copy: serialized_rollback would then
    # silently restore nothing (the regions vanish after the first flush).
    # Keep the same connection objects, as Django's live server thread does.
    from django.db import connections

    current = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in current.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens a page in a fresh browser context (own cookies): phone settings,
    any of them overridable, e.g. ``new_page(locale="en-US")``."""
    contexts = []

    def open_page(**overrides):
        context = browser.new_context(base_url=live_server.url, **(PHONE | overrides))
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page on a phone-sized screen, with relative URLs on the live server."""
    return new_page()
