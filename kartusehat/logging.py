"""Keep NIK, KK and phone numbers out of log output (UU No. 27/2022).

The masking formatter is on every handler, Django's dev-server handler and
the Celery worker included (settings.LOGGING, CELERY_WORKER_HIJACK_ROOT_LOGGER
off). It masks the message and the traceback text, not the timestamp or
level, so log lines stay readable.
"""

from __future__ import annotations

import logging
import re

from django.utils.log import ServerFormatter

from registrations.identity import mask

# A NIK/KK typed with separators ("3275 0115-0580.0003"), or any plain run of
# 10+ digits (NIK, KK, phone numbers, partial numbers in a search).
_SEPARATED_16 = re.compile(r"(?<![\d])\d{4}(?:[ .\-]?\d{4}){3}(?![\d])")
_LONG_RUN = re.compile(r"(?<![\d])\d{10,}(?![\d])")


def mask_digits(digits: str) -> str:
    """16 digits keep first and last 4 (the contract's masking); any other
    long number keeps only its first and last 2."""
    if len(digits) == 16:
        return mask(digits)
    return digits[:2] + "•" * (len(digits) - 4) + digits[-2:]


def mask_identity_numbers(text: str) -> str:
    text = _SEPARATED_16.sub(lambda m: mask_digits(re.sub(r"\D", "", m.group(0))), text)
    return _LONG_RUN.sub(lambda m: mask_digits(m.group(0)), text)


def _masked_copy(record: logging.LogRecord, formatter: logging.Formatter) -> logging.LogRecord:
    # A copy, so other handlers of the same record are not affected.
    copy = logging.makeLogRecord(record.__dict__)
    copy.msg, copy.args = mask_identity_numbers(record.getMessage()), None
    if record.exc_info and not record.exc_text:
        copy.exc_text = formatter.formatException(record.exc_info)
    if copy.exc_text:
        copy.exc_text = mask_identity_numbers(copy.exc_text)
    if record.stack_info:
        copy.stack_info = mask_identity_numbers(record.stack_info)
    return copy


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(_masked_copy(record, self))


class MaskingServerFormatter(ServerFormatter):
    """Django's dev-server request lines (``GET /...?q=<NIK>``), masked."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(_masked_copy(record, self))
