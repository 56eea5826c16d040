"""Charts drawn on the server as SVG geometry: no script, no CDN, nothing the
page's Content-Security-Policy has to allow. Each function returns the numbers
a template (``figures/_chart_*.html``) draws; the data table beside each chart
carries the same figures for readers who do not see it."""

from __future__ import annotations

import datetime as dt

ROW_HEIGHT = 26
# The weekly charts' drawing box, in the SVG's own units (it scales to the page).
WIDTH, HEIGHT, BASE = 600, 180, 160


def coverage_bars(rows: list[tuple[str, float | None]], target_pct: float) -> dict:
    """One bar per area (its coverage, 0-100 %; none when the KK total is unknown) and the target line."""
    return {"kind": "coverage", "target": target_pct, "height": len(rows) * ROW_HEIGHT + 4,
            "rows": [{"y": n * ROW_HEIGHT, "text_y": n * ROW_HEIGHT + 15, "name": name, "pct": pct,
                      "bar": None if pct is None else min(pct, 100.0)} for n, (name, pct) in enumerate(rows)]}


def horizontal_bars(rows: list[tuple[str, int]]) -> dict:
    """One bar per row, the longest filling the width."""
    top = max((n for _label, n in rows), default=0) or 1
    return {"kind": "bars", "height": len(rows) * ROW_HEIGHT + 4,
            "rows": [{"y": n * ROW_HEIGHT, "text_y": n * ROW_HEIGHT + 15, "name": label, "value": value,
                      "bar": round(value * 100 / top, 1)} for n, (label, value) in enumerate(rows)]}


def weekly_bars(weeks: list[tuple[dt.date, int | float]]) -> dict:
    """A column per week and a line through their tops: the weekly flow, oldest left."""
    top = max((n for _week, n in weeks), default=0) or 1
    step = WIDTH / max(len(weeks), 1)
    columns = []
    for index, (week, value) in enumerate(weeks):
        height = round(value * (BASE - 10) / top, 1)
        x = round(index * step, 1)
        columns.append({"x": round(x + step * 0.15, 1), "width": round(step * 0.7, 1), "y": round(BASE - height, 1),
                        "height": height, "mid": round(x + step / 2, 1), "week": week, "value": value})
    line = " ".join(f"{column['mid']},{column['y']}" for column in columns)
    return {"kind": "weekly", "width": WIDTH, "height": HEIGHT, "base": BASE, "label_y": BASE + 15,
            "columns": columns, "line": line, "top": top}


def burn_down(history: list[tuple[dt.date, int]], forecast: list[tuple[dt.date, int, str]]) -> dict:
    """The stock over time on one date axis: ``history`` (the day a week ended, blanks on hand,
    today last) as a solid line, ``forecast`` (day, blanks, "week" / "regular" / "emergency")
    as a dashed line on from today's point, with a marker on each end date."""
    points = [(day, n) for day, n in history] + [(day, n) for day, n, _point in forecast]
    if not points:
        return {"kind": "burndown", "width": WIDTH, "height": HEIGHT, "base": BASE, "solid": "", "dashed": "",
                "marks": [], "labels": []}
    first, last = points[0][0], max(day for day, _n in points)
    span = max((last - first).days, 1)
    top = max(n for _day, n in points) or 1

    def xy(day: dt.date, n: int) -> tuple[float, float]:
        return round((day - first).days * (WIDTH - 20) / span + 10, 1), round(BASE - max(n, 0) * (BASE - 10) / top, 1)

    solid = [xy(day, n) for day, n in history]
    dashed = solid[-1:] + [xy(day, n) for day, n, _point in forecast]
    marks = [{"x": x, "y": y, "day": day, "value": n, "point": point}
             for (day, n, point), (x, y) in zip(forecast, dashed[1:], strict=True) if point != "week"]
    labels = [{"x": xy(day, 0)[0], "day": day} for day in sorted({first, history[-1][0] if history else first, last})]
    return {"kind": "burndown", "width": WIDTH, "height": HEIGHT, "base": BASE, "label_y": BASE + 15, "top": top,
            "solid": " ".join(f"{x},{y}" for x, y in solid), "dashed": " ".join(f"{x},{y}" for x, y in dashed)
            if forecast else "", "marks": marks, "labels": labels}
