"""The project served by its own gunicorn config for load benchmarks, plus a
bare JSON view as the baseline (``/bench/bare/``): same middleware, same
workers, no database work."""
