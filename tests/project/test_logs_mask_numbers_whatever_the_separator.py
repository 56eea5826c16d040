"""Log masking decides by what a number is, not by which characters separate
its digits: a NIK, KK or phone number is masked whether written with commas,
colons, semicolons, tabs, brackets or their URL escapes; a timing or a
timestamp that adds up to 16 digits is not a NIK and stays readable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kartusehat.logging import mask_identity_numbers

ROOT = Path(__file__).resolve().parents[2]
NIK_GROUPS = ("3275", "0115", "0580", "0003")
SEPARATORS = [",", ", ", ":", ": ", ";", "; ", "%2C", "%2c", "%09", "\t", "|", "%3A", "%3B", "%2C%20", " - ", "*"]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_it_masks_a_nik_whatever_separates_its_groups(separator):
    masked = mask_identity_numbers(f"GET /cek/{separator.join(NIK_GROUPS)}/ 404")

    assert "3275••••••••0003" in masked, masked
    assert "0115" not in masked and "0580" not in masked, masked


@pytest.mark.parametrize("typed", [
    "(0812) 3456 7890", "0812:3456:7890", "0812;3456;7890", "0812,3456,7890", "0812%2C3456%2C7890",
    "0812%093456%097890", "+62 (812) 3456-7890", "%2B62%20812%203456%207890",
])
def test_it_masks_a_phone_number_whatever_separates_its_groups(typed):
    masked = mask_identity_numbers(f"telp {typed}.")

    assert "3456" not in masked and "7890" not in masked, masked


def test_it_masks_each_number_of_a_list():
    masked = mask_identity_numbers("niks=3275011505800003,3275015708830002;3275021203180004")

    assert masked == "niks=3275••••••••0003,3275••••••••0002;3275••••••••0004"


@pytest.mark.parametrize("line", [
    "Task cards.tasks.batch_render[6f1c] succeeded in 0.123456789012345s: None",
    "Task cards.tasks.batch_render[6f1c] succeeded in 1.234567890123456s: None",
    "request took 12.3456789012345 ms",
    "Task figures.tasks.figures_recompute[9fe2] succeeded in 2.084121501010136s: None",
    "Task figures.tasks.figures_recompute[9fe2] succeeded in 2084.013612345678s: None",
    "sent at 2026-11-03 10:15:22.123456+07:00",
    "deadline 2026-08-03 10:15:22, 3 cards, RT 003 RW 002",
    "ids 12, 13, 14; page 2 of 9",
])
def test_it_leaves_timings_timestamps_and_short_numbers_readable(line):
    assert mask_identity_numbers(line) == line


NOT_FOUND = """
import django
django.setup()
from django.test import Client
client = Client()
for path in {paths!r}:
    client.get(path)
"""


def test_it_masks_numbers_in_djangos_not_found_warnings():
    paths = [f"/cek/{separator.join(NIK_GROUPS)}/" for separator in SEPARATORS] + ["/cek/(0812)%203456%207890/"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kartusehat.settings", "ALLOWED_HOSTS": "testserver"}
    env.pop("DATABASE_URL", None)

    done = subprocess.run([sys.executable, "-c", NOT_FOUND.format(paths=paths)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)

    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert log.count("Not Found: /cek/") == len(paths), log
    assert log.count("3275••••••••0003") == len(SEPARATORS), log
    assert "0115" not in log and "0580" not in log and "3456" not in log, log
