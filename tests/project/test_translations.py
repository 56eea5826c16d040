"""Bahasa Indonesia first: the id catalogue is complete, compiled, and used."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from kartusehat import identity

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES"


def _po_entries():
    """(msgid, [msgstr...], flags) for every entry but the header."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip().splitlines()
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if "msgid" in fields and fields["msgid"]:
            msgid = fields["msgid"]
            if "msgctxt" in fields:  # as GNU gettext keys a pgettext entry
                msgid = f"{fields['msgctxt']}\x04{msgid}"
            entries.append((msgid, [v for k, v in fields.items() if k.startswith("msgstr")], flags))
    return entries


def test_it_translates_every_entry_with_no_fuzzy_ones():
    entries = _po_entries()

    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstrs, _flags in entries if not all(msgstrs)]
    fuzzy = [msgid for msgid, _msgstrs, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_it_ships_a_compiled_catalogue_that_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for msgid, msgstrs, _flags in _po_entries():
        expected = msgstrs[0].replace('\\"', '"').replace("\\n", "\n")
        if compiled.gettext(msgid.replace('\\"', '"').replace("\\n", "\n")) != expected:
            stale.append(msgid)
    assert stale == [], "run: make messages"


@pytest.mark.parametrize("message", sorted(set(identity.MESSAGES.values())))
def test_it_says_every_identity_rule_in_bahasa_indonesia(message):
    with translation.override("id"):
        translated = _(message)

    assert translated != message
    assert set(re.findall(r"%\(\w+\)", translated)) == set(re.findall(r"%\(\w+\)", message))


def test_it_speaks_indonesian_by_default_and_english_on_request():
    error = identity.InvalidNumber("nik.serial")

    with translation.override("id"):
        indonesian = error.translate(_)
    with translation.override("en"):
        english = error.translate(_)

    assert "0000" in indonesian and indonesian != english
    assert english == "The last 4 digits of the NIK (serial number) cannot be 0000."
