"""Every user-facing string of the code is in the Bahasa Indonesia catalogue:
``make messages`` run now would add no entry. (test_translations checks the
entries the catalogue has; this checks it has them all.)"""

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["locale", "kartusehat", "registrations", "cards", "hospitals", "complaints", "templates"]


def _msgids(po: Path) -> set[tuple[str, str]]:
    """(msgctxt, msgid) of every entry but the header."""
    entries, context, current, key = set(), "", None, None
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgctxt "):
            context, key = line[9:-1], "ctxt"
        elif line.startswith("msgid "):
            current, key = line[7:-1], "id"
        elif line.startswith('"') and key == "id":
            current += line[1:-1]
        elif line.startswith('"') and key == "ctxt":
            context += line[1:-1]
        elif not line.strip():
            if current:
                entries.add((context, current))
            context, current, key = "", None, None
        else:
            key = None if not line.startswith("msgid_plural") else key
    return entries


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_it_has_every_string_of_the_code(settings, tmp_path, monkeypatch):
    catalogue = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
    # makemessages writes beside the sources it reads: give it a copy of both.
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.ttf", "*.csv"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["id"], no_obsolete=True, verbosity=0)

    missing = _msgids(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po") - _msgids(catalogue)
    assert not missing, "run `make messages` and translate: " + "; ".join(sorted(m for _c, m in missing))[:2000]
    assert not re.search(r"[\x00-\x08]", catalogue.read_text(encoding="utf-8"))
