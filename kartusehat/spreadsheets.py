"""Cells a spreadsheet must not run as formulas (OWASP "CSV injection").

A cell that starts like a formula is written behind an apostrophe; the
roster import takes the apostrophe off again (``hospitals.resources``).
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value
