"""NIK, KK and phone numbers never reach log output in full (UU No. 27/2022),
whichever handler writes the line and whether in the message or a traceback."""

import os
import subprocess
import sys
from pathlib import Path

from kartusehat.logging import mask_identity_numbers

ROOT = Path(__file__).resolve().parents[2]
NIK = "3275011505800003"
KK = "3275021203180004"

EMIT = f"""
import logging, django
django.setup()
logging.getLogger("kartusehat.anything").warning("lookup for %s failed", "{NIK}")
try:
    raise ValueError("Key (kk_number)=({KK}) already exists")
except ValueError:
    logging.getLogger("django.request").exception("Internal Server Error: /api/v1/registrations/")
logging.getLogger("django.server").info('"GET /admin/?q={NIK} HTTP/1.1" 200 16')
logging.getLogger("celery.worker.consumer").error("Received unregistered task: args=['{NIK}', '081234567890']")
"""


def test_it_masks_numbers_in_every_handlers_output_and_in_tracebacks():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kartusehat.settings"}
    result = subprocess.run([sys.executable, "-c", EMIT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    assert NIK not in output and KK not in output and "081234567890" not in output
    assert output.count("3275••••••••0003") == 3
    assert "Key (kk_number)=(3275••••••••0004)" in output  # inside the traceback
    assert "Traceback" in output


def test_it_masks_numbers_typed_with_separators():
    assert mask_identity_numbers("KK 3275.0212-0318 0004") == "KK 3275••••••••0004"


def test_it_masks_phone_numbers_and_partial_numbers_too():
    assert mask_identity_numbers("telp 081234567890") == "telp 08••••••••90"
    assert mask_identity_numbers("cari 327504240815") == "cari 32••••••••15"


def test_it_leaves_dates_times_and_short_numbers_readable():
    line = "verified at 2026-11-22 17:13:20, 12 members, RT 003"

    assert mask_identity_numbers(line) == line


def test_it_masks_a_nik_or_kk_in_any_grouping_and_url_encoding():
    for typed in (
        "327501 150580 0003", "3275-01-150580-0003", "3275+0115+0580+0003",
        "3275%200115%200580%200003", "/cek/327501 150580 0003/",
    ):
        masked = mask_identity_numbers(typed)
        assert "3275••••••••0003" in masked, typed
        assert "1505" not in masked and "0115" not in masked, typed


def test_it_masks_grouped_phone_numbers():
    assert mask_identity_numbers("0812-3456-7890") == "08••••••••90"
    assert "3456" not in mask_identity_numbers("telp +62 812 3456 7890")


def test_it_leaves_decimals_and_version_numbers_alone():
    for line in ("succeeded in 0.0012345678946s", "HTTP/1.1 200 16", "versi 1.2.3.4.5.6.7.8.9.10"):
        assert mask_identity_numbers(line) == line


def test_it_masks_a_long_number_next_to_a_short_one():
    assert mask_identity_numbers("anggota 3 1234567890") == "anggota 3 12••••••90"


def test_it_masks_email_addresses_as_a_mail_server_quotes_them():
    from kartusehat.logging import mask_identity_numbers

    text = mask_identity_numbers("SMTPRecipientsRefused: {'budi.santoso+kk@example.co.id': (550, b'no such user')}")

    assert "budi.santoso" not in text
    assert "b•••@example.co.id" in text
