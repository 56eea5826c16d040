"""Make the identity tests importable however pytest is started.

The tests need only the standard library, hypothesis and
``registrations/identity.py``: no Django settings, no database. This puts the
project root (for ``registrations``) and this folder (for the shared
``identity_strategies`` module) on ``sys.path``, whatever the import mode.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)
