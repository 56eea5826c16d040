"""The hospital path has its own gunicorn service, reached through the
proxy, with a short statement timeout; staff pages cannot hold it up."""

import re
from pathlib import Path

import yaml
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _routes() -> dict[str, str]:
    """location prefix -> upstream, from the proxy's configuration."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    return dict(re.findall(r"location\s+(\S+)\s*\{[^}]*proxy_pass\s+http://(\w+);", text))


def test_it_sends_every_hospital_url_to_the_hospital_service():
    routes = _routes()
    hospital_urls = [reverse("api-verify"), reverse("api-emergency-requests"), reverse("hospitals-desk:check"),
                     reverse("hospitals-desk:login"), reverse("hospitals-desk:emergency")]

    for url in hospital_urls:
        prefix = max((p for p in routes if url.startswith(p)), key=len)
        assert routes[prefix] == "hospital", url


def test_it_sends_staff_and_citizen_pages_to_the_web_service():
    routes = _routes()

    for url in ("/admin/registrations/registration/", "/", reverse("api-hospitals"), "/api/v1/registrations/"):
        prefix = max((p for p in routes if url.startswith(p)), key=len)
        assert routes[prefix] == "web", url


def test_it_gives_each_service_its_own_statement_timeout_and_no_parallel_workers():
    services = _compose()["services"]
    hospital, web = services["hospital"]["environment"], services["web"]["environment"]

    assert int(hospital["DATABASE_STATEMENT_TIMEOUT"]) <= 2000 < int(web["DATABASE_STATEMENT_TIMEOUT"])
    assert hospital["DATABASE_PARALLEL_WORKERS"] == web["DATABASE_PARALLEL_WORKERS"] == "0"
    # Under contention the hospital service gets the larger share of the CPU.
    assert services["hospital"]["cpu_shares"] > services["web"]["cpu_shares"]


def test_it_publishes_only_the_proxy():
    services = _compose()["services"]

    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    assert services["proxy"]["ports"][0].startswith("127.0.0.1:")
