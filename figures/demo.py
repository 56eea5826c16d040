"""This app's part of ``manage.py load_demo``: the mayor's office (pimpinan),
and the figures counted once so the stats API answers at once."""

from __future__ import annotations

from kartusehat import demo

from . import services
from .roles import PIMPINAN


@demo.loader(order=50)
def load(context: demo.DemoContext) -> None:
    context.staff_user("pimpinan.kota", area_code="{city}", name="Staf Pimpinan Kota", group=PIMPINAN,
                       purpose="the mayor's office (pimpinan): the city's figures, nothing personal")
    services.figures_recompute()
