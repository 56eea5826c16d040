"""Keep NIK and KK numbers out of log output (UU No. 27/2022)."""

import logging
import re

# 16 digits, possibly typed with separators, not part of a longer number.
_IDENTITY_NUMBER = re.compile(r"(?<!\d)(\d{4})[\d .\-]{8,14}?(\d{4})(?!\d)")


def mask_identity_numbers(text: str) -> str:
    def repl(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) != 16:
            return match.group(0)
        return f"{digits[:4]}••••••••{digits[-4:]}"

    return _IDENTITY_NUMBER.sub(repl, text)


class MaskIdentityNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_identity_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
