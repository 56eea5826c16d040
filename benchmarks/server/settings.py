"""The project's settings, with the benchmark's bare view added to its URLs."""

from kartusehat.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.server.urls"
