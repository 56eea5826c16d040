"""cards.tasks and cards.services import each other (a service hands its task
work after commit; a task calls services): either may be imported first."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The project's settings without the admin, whose start-up would import both
# modules before the test could choose the order.
PROGRAM = textwrap.dedent("""
    import importlib, os, sys, types
    import kartusehat.settings as base
    settings = types.ModuleType("settings_without_admin")
    settings.__dict__.update({name: getattr(base, name) for name in dir(base) if name.isupper()})
    settings.INSTALLED_APPS = [app for app in base.INSTALLED_APPS if app != "django.contrib.admin"]
    sys.modules["settings_without_admin"] = settings
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings_without_admin"
    import django
    django.setup()
    assert "cards.services" not in sys.modules and "cards.tasks" not in sys.modules
    importlib.import_module(sys.argv[1])
    importlib.import_module(sys.argv[2])
    import cards.services as services, cards.tasks as tasks
    assert callable(services.batch_create) and callable(tasks.batch_render.delay)
    assert services.batches.tasks is tasks and tasks.services is services
""")


@pytest.mark.parametrize("first, second", [("cards.tasks", "cards.services"), ("cards.services", "cards.tasks")])
def test_it_imports_either_module_first(first, second):
    # A fresh interpreter: in this one both modules are long imported.
    result = subprocess.run([sys.executable, "-c", PROGRAM, first, second], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)

    assert result.returncode == 0, result.stderr
