"""GET /api/docs/ (and /api/redoc/): browsable docs served entirely from the
portal's own static files: no script, stylesheet or icon from a CDN."""

from html.parser import HTMLParser

import pytest

from tests.api.helpers import DOCS_URL

pytestmark = pytest.mark.django_db


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe"} and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def _assets(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


def _assert_local_assets_only(client, url):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assets = _assets(html)
    assert any(a.endswith(".js") for a in assets), assets
    for asset in assets:
        assert not asset.lower().startswith(("http://", "https://", "//")), asset
        assert asset.startswith("/"), asset
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_it_serves_the_swagger_docs_with_local_assets_only(client):
    _assert_local_assets_only(client, DOCS_URL)


def test_it_serves_the_redoc_docs_with_local_assets_only(client):
    _assert_local_assets_only(client, "/api/redoc/")


def test_it_serves_every_asset_the_docs_page_names(client):
    for asset in _assets(client.get(DOCS_URL).content.decode()):
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, asset


def test_it_points_the_docs_at_the_local_schema(client):
    # The page's settings are a script of their own (no inline script: the CSP).
    html = client.get(DOCS_URL).content.decode()
    script = client.get(DOCS_URL, {"script": ""})

    assert '<script src="/api/docs/?script=">' in html
    assert script["Content-Type"].startswith("application/javascript")
    assert '"/api/schema/"' in script.content.decode()
