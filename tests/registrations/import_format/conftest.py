"""Messages are compared in English here; the catalogue's Bahasa Indonesia is
checked where a test says so (``translation.override("id")``)."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
