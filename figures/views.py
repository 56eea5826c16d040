"""The public figures page: the programme's aggregates for citizens and journalists."""

from django.shortcuts import render
from django.utils import formats

from .public import public_figures

ROW_HEIGHT = 26


def _label(pct) -> str:
    """A bar's percentage as SVG text (plain text: no HTML inside an SVG ``<text>``)."""
    if pct.hidden:
        return "—*"
    return "—" if not pct.known else f"{formats.number_format(pct.value, 1)} %"


def public(request):
    figures = public_figures()
    rows = []
    if figures:
        # The city first, then each kecamatan: one bar each, drawn here (no script on the page).
        entries = [(figures["city"]["name"], figures["city"]["coverage_pct"], figures["city"]["bar"])]
        entries += [(row["name"], row["coverage_pct"], row["bar"]) for row in figures["kecamatan"]]
        rows = [{"y": n * ROW_HEIGHT, "name": name, "label": _label(pct), "bar": bar}
                for n, (name, pct, bar) in enumerate(entries)]
    return render(request, "figures/public.html", {"figures": figures, "chart_rows": rows,
                                                   "chart_height": len(rows) * ROW_HEIGHT + 4})
