"""Card rendering speed: the project's renderer beside bare ReportLab, in one run.

    .venv/bin/python benchmarks/render_cards.py [--cards 2000] [--repeat 3]

Renders N cards (two pages each) through ``cards.rendering.render_cards`` into
a PDF in a temporary file, and the same number of pages drawn by bare
ReportLab with text only (``drawString`` of the same strings in the same
embedded font: no barcode, no QR, no form XObjects). That is the floor the
issue asks to compare with. An empty-page run shows ReportLab's fixed cost
per page. The process is pinned to one CPU; each figure is the best of
``--repeat`` runs. With two or more CPUs it also runs two renderer processes
at once, one per core, as two Celery workers would. A script, not a test:
timings on shared CI machines are not pass/fail material.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import multiprocessing
import os
import platform
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartusehat.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import translation  # noqa: E402
from reportlab.lib import rl_accel  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from cards import rendering  # noqa: E402
from cards.numbers import card_number, format_card_number  # noqa: E402
from cards.rendering import CARD_HEIGHT, CARD_WIDTH, CardData, render_cards  # noqa: E402

FIRST = ["Ahmad", "Siti", "Budi", "Dewi", "Muhammad", "Nur", "Rina", "Agus", "Ṣiti", "Đặng", "Zoë", "Putri", "Eko"]
LAST = ["Hidayat", "Nur'aini", "Santoso", "Lestari", "Rahman", "Wahyuni", "Văn Lâm", "O'Brien", "Saputra", "Kurniawan"]
RELATIONSHIPS = ["Istri", "Suami", "Anak", "Anak", "Anak", "Orang Tua", "Menantu", "Cucu", "Famili Lain"]
KELURAHAN = [("Kranji", "Bekasi Barat"), ("Margajaya", "Bekasi Selatan"), ("Harapan Jaya", "Bekasi Utara")]


def sample_cards(count: int) -> list[CardData]:
    """Household cards like a real batch: 1-8 members (most 3-5), a few non-ASCII names."""
    rng = random.Random(4)
    cards = []
    for serial in range(1, count + 1):
        head = f"{rng.choice(FIRST)} {rng.choice(FIRST)} {rng.choice(LAST)}"
        size = min(8, max(1, round(rng.gauss(4, 1.5))))
        members = [(head, "Kepala Keluarga")] + [
            (f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(RELATIONSHIPS)) for _ in range(size - 1)
        ]
        kelurahan, kecamatan = rng.choice(KELURAHAN)
        cards.append(
            CardData(
                card_number=card_number(serial),
                head_name=head,
                kk_number=f"32750115058{serial % 100000:05d}",
                kelurahan=kelurahan,
                kecamatan=kecamatan,
                issue_date=dt.date(2025, 11, 22),
                members=members,
            )
        )
    return cards


def run_renderer(cards: list[CardData], path: str) -> None:
    with open(path, "wb") as out:
        render_cards(cards, out, city=settings.KARTUSEHAT_CITY)


FRONT_LABELS = [
    ("Kepala Keluarga", 10, 111), ("Nomor KK", 10, 90), ("Tanggal Terbit", 99, 90), ("Kelurahan / Kecamatan", 10, 70),
    ("Nomor Kartu", 10, 49), ("Pindai untuk cek", 200, 60), ("keabsahan", 200, 55),
    ("Berlaku bagi anggota keluarga", 100, 28), ("yang tercantum di balik kartu ini.", 100, 22),
]


def run_text_only(cards: list[CardData], path: str) -> None:
    """The same pages' text through ReportLab's ordinary drawString; nothing else."""
    regular, bold = rendering.fonts()
    city = settings.KARTUSEHAT_CITY
    canvas = Canvas(path, pagesize=(CARD_WIDTH, CARD_HEIGHT), pageCompression=1, initialFontName=regular.fontName)
    for card in cards:
        canvas.setFont(bold.fontName, 8.5)
        canvas.drawString(10, 139, city["program_name"])
        canvas.setFont(regular.fontName, 6)
        canvas.drawString(10, 129, f"Pemerintah {city['name']}")
        canvas.setFont(regular.fontName, 5)
        for label, x, y in FRONT_LABELS:
            canvas.drawString(x, y, label)
        canvas.setFont(bold.fontName, 9)
        canvas.drawString(10, 101, card.head_name)
        canvas.setFont(regular.fontName, 7)
        canvas.drawString(10, 82, card.kk_number)
        canvas.drawString(99, 82, card.issue_date.isoformat())
        canvas.drawString(10, 62, f"{card.kelurahan} / {card.kecamatan}")
        canvas.setFont(bold.fontName, 9.5)
        canvas.drawString(10, 39, format_card_number(card.card_number))
        canvas.showPage()
        canvas.setFont(bold.fontName, 7)
        canvas.drawString(10, 138, "Anggota Keluarga yang Ditanggung")
        canvas.setFont(regular.fontName, 6)
        canvas.drawString(180, 138, format_card_number(card.card_number))
        for index, (name, relationship) in enumerate(card.members):
            canvas.drawString(10, 120 - index * 9, f"{index + 1}.")
            canvas.drawString(20, 120 - index * 9, name)
            canvas.drawString(150, 120 - index * 9, relationship)
        canvas.setFont(bold.fontName, 6)
        canvas.drawString(10, 35, f"Pengaduan (WhatsApp): {city['hotline']}")
        canvas.setFont(regular.fontName, 5.4)
        for index in range(4):
            canvas.drawString(10, 27 - index * 6, "Tunjukkan kartu ini bersama KTP-el atau Kartu Keluarga di loket")
        canvas.showPage()
    canvas.save()


def run_empty(cards: list[CardData], path: str) -> None:
    canvas = Canvas(path, pagesize=(CARD_WIDTH, CARD_HEIGHT), pageCompression=1)
    for _card in cards:
        canvas.showPage()
        canvas.showPage()
    canvas.save()


def best_rates(runs: dict, cards: list[CardData], repeat: int) -> dict[str, tuple[float, int]]:
    """name -> (cards per second of its fastest run, bytes of its PDF).

    The runs take turns, so a neighbour's load spike hurts all of them alike.
    """
    best = {name: float("inf") for name in runs}
    sizes = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            for name, run in runs.items():
                path = os.path.join(tmp, f"{name}.pdf")
                started = time.perf_counter()
                run(cards, path)
                best[name] = min(best[name], time.perf_counter() - started)
                sizes[name] = os.path.getsize(path)
    return {name: (len(cards) / best[name], sizes[name]) for name in runs}


def _render_on_core(job: tuple[int, int]) -> float:
    """Child process: pin to ``core``, render ``count`` cards; seconds taken."""
    core, count = job
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})
    translation.activate("id")
    rendering.fonts()
    cards = sample_cards(count)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        run_renderer(cards, os.path.join(tmp, "cards.pdf"))
        return time.perf_counter() - started


def parallel_rate(count: int, processes: int, repeat: int) -> float:
    """Cards per second of ``processes`` workers rendering ``count`` cards each at once, one per core.

    Best of ``repeat``; each round counts until its slowest worker is done
    (set-up excluded, as in the single-core figure).
    """
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else list(range(processes))
    jobs = [(cores[index % len(cores)], count) for index in range(processes)]
    best = float("inf")
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for _ in range(repeat):
            best = min(best, max(pool.map(_render_on_core, jobs)))
    return processes * count / best


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one renderer run instead of timing")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key with --profile (tottime, cumulative)")
    args = parser.parse_args()

    # Measured first, before this process pins itself to one core.
    parallel = parallel_rate(args.cards, 2, args.repeat) if (os.cpu_count() or 1) >= 2 and not args.profile else None
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    translation.activate("id")
    rendering.fonts()  # a worker loads the fonts once, not per batch
    cards = sample_cards(args.cards)

    if args.profile:
        with tempfile.TemporaryDirectory() as tmp:
            local = {"cards": cards, "path": os.path.join(tmp, "p.pdf")}
            cProfile.runctx("run_renderer(cards, path)", globals(), local, os.path.join(tmp, "stats"))
            pstats.Stats(os.path.join(tmp, "stats")).sort_stats(args.sort).print_stats(25)
        return

    rates = best_rates({"ours": run_renderer, "text": run_text_only, "empty": run_empty}, cards, args.repeat)
    (ours, ours_bytes), (floor, floor_bytes), (empty, _) = rates["ours"], rates["text"], rates["empty"]
    accelerated = type(rl_accel.fp_str).__name__ == "builtin_function_or_method"
    per_card = 1024 * args.cards

    print(f"{args.cards} cards ({2 * args.cards} pages), best of {args.repeat}, pinned to one core; "
          f"load average {os.getloadavg()[0]:.2f} with this run (other processes skew the figures)")
    print(f"machine: {cpu_model()}, nproc {os.cpu_count()}, Python {platform.python_version()}, "
          f"ReportLab C accelerators {'on' if accelerated else 'OFF (pip install rl_accel)'}")
    print(f"  render_cards (text, barcode, QR):      {ours:6.0f} cards/s  {ours_bytes / per_card:5.1f} KiB/card")
    print(f"  bare ReportLab, text only (baseline):  {floor:6.0f} cards/s  {floor_bytes / per_card:5.1f} KiB/card")
    print(f"  bare ReportLab, empty pages:           {empty:6.0f} cards/s")
    print(f"  render_cards / baseline:               {ours / floor:6.2f}")
    lot = 600_000
    print(f"  600,000 cards at this rate on two cores: {lot / (2 * ours) / 60:.1f} min")
    if parallel:
        print(f"  two worker processes at once, one per core: {parallel:.0f} cards/s together, "
              f"600,000 cards in {lot / parallel / 60:.1f} min")


if __name__ == "__main__":
    main()
