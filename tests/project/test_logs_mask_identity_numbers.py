"""NIK and KK numbers never reach log output in full (UU No. 27/2022)."""

import logging

from kartusehat.logging import MaskIdentityNumbers, mask_identity_numbers


def test_it_masks_a_nik_in_a_log_message():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "lookup for %s failed", ("3275011505800003",), None)

    MaskIdentityNumbers().filter(record)

    assert record.getMessage() == "lookup for 3275••••••••0003 failed"


def test_it_masks_numbers_typed_with_separators():
    assert mask_identity_numbers("KK 3275.0212-0318 0004") == "KK 3275••••••••0004"


def test_it_leaves_phone_numbers_and_longer_numbers_alone():
    assert mask_identity_numbers("telp 081234567890") == "telp 081234567890"
    assert mask_identity_numbers("id 12345678901234567") == "id 12345678901234567"
